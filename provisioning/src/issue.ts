/**
 * Issues end identities (hub, sensor, admin) from the CA: a fresh ECDSA P-256 key and a certificate
 * `O=Wardsight, OU=<role>, CN=<commonName>` with the names, usages and identifiers TLS peers check.
 */
import { X509Certificate as NodeX509Certificate, type webcrypto } from 'node:crypto';
import type { Extension, JsonGeneralName } from '@peculiar/x509';
import type { CertificateAuthority } from './ca.js';
import { normaliseDnsNames, normaliseIpAddresses } from './alt-names.js';
import { ProvisioningError, ProvisioningErrorCode } from './errors.js';
import { generateKeyPair, privateKeyToPem, randomSerial, SIGNING_ALGORITHM } from './keys.js';
import { assertCommonName, assertRole, subjectName } from './subject.js';
import type { Role } from './subject.js';
import { validDaysOrDefault, validityDefaults, validityWindow } from './validity.js';
import { x509 } from './x509-library.js';

/** Which side of a TLS connection the identity may take. */
export type CertificateUsage = 'server' | 'client' | 'both';
export const CERTIFICATE_USAGES: readonly CertificateUsage[] = ['server', 'client', 'both'];

export interface IssueRequest {
  commonName: string;
  role: Role;
  dnsNames?: string[];
  ipAddresses?: string[];
  /** Days of validity; 825 by default, and never past the CA's own notAfter. */
  validDays?: number;
  usage: CertificateUsage;
}

export interface IssuedCertificate {
  certPem: string;
  /** Unencrypted PKCS#8 PEM. Write it 0600 and never log it. */
  keyPem: string;
  /** This certificate followed by the CA certificate. */
  chainPem: string;
  caPem: string;
  /** Serial number, upper-case hexadecimal. */
  serial: string;
  notAfter: Date;
  /** SHA-256 fingerprint, colon-separated upper-case hex. */
  fingerprint256: string;
}

export async function issueCertificate(ca: CertificateAuthority, request: IssueRequest): Promise<IssuedCertificate> {
  const keys = await generateKeyPair();
  const signed = await signCertificate(ca, request, keys.publicKey);
  return { ...signed, keyPem: privateKeyToPem(keys.privateKey) };
}

/**
 * A certificate for a public key the CA never sees the private half of (a sensor's, from its
 * certificate request): the same subject, names, usages and identifiers as `issueCertificate`.
 */
export async function signCertificate(ca: CertificateAuthority, request: IssueRequest, publicKey: webcrypto.CryptoKey): Promise<Omit<IssuedCertificate, 'keyPem'>> {
  assertRole(request.role);
  assertCommonName(request.commonName, request.role);
  const extendedUsages = extendedKeyUsages(request.usage);
  const dnsNames = normaliseDnsNames(request.dnsNames ?? []);
  const ipAddresses = normaliseIpAddresses(request.ipAddresses ?? []);
  const days = validDaysOrDefault(request.validDays, validityDefaults.leafDays);

  const extensions: Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension(extendedUsages, false),
    await x509.SubjectKeyIdentifierExtension.create(publicKey),
    new x509.AuthorityKeyIdentifierExtension(ca.keyIdentifier, false),
  ];
  const altNames = [
    ...dnsNames.map((value): JsonGeneralName => ({ type: 'dns', value })),
    ...ipAddresses.map((value): JsonGeneralName => ({ type: 'ip', value })),
  ];
  // RFC 5280 §4.2.1.6: an empty SubjectAltName is not allowed, so it is left out when there are no names.
  if (altNames.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(altNames, false));

  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: subjectName(request.commonName, request.role),
    issuer: ca.certificate.subjectName,
    ...validityWindow(days, new Date(), ca.notAfter),
    publicKey,
    signingKey: ca.signingKey,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions,
  });
  const issued = new NodeX509Certificate(Buffer.from(certificate.rawData));
  const certPem = issued.toString();
  return {
    certPem,
    chainPem: certPem + ca.certPem,
    caPem: ca.certPem,
    serial: issued.serialNumber,
    notAfter: certificate.notAfter,
    fingerprint256: issued.fingerprint256,
  };
}

/** The extended key usage OIDs of `usage` (RFC 5280 §4.2.1.12). */
export function extendedKeyUsages(usage: CertificateUsage): string[] {
  switch (usage) {
    case 'server':
      return [x509.ExtendedKeyUsage.serverAuth];
    case 'client':
      return [x509.ExtendedKeyUsage.clientAuth];
    case 'both':
      return [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth];
    default:
      throw new ProvisioningError(
        ProvisioningErrorCode.BadUsage,
        `usage must be one of ${CERTIFICATE_USAGES.join(', ')}, got ${JSON.stringify(usage)}`,
      );
  }
}
