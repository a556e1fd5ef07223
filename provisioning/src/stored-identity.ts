/**
 * Issue an identity into a directory, or keep the one already there while it still serves: signed
 * by this CA, matching its key, far enough from expiry, and covering the names and usages asked for.
 */
import { createPrivateKey, X509Certificate as NodeX509Certificate } from 'node:crypto';
import type { CertificateAuthority } from './ca.js';
import { normaliseDnsNames, normaliseIpAddresses } from './alt-names.js';
import { ProvisioningError, ProvisioningErrorCode } from './errors.js';
import { identityPaths, readIdentity, writeIdentity } from './files.js';
import type { IdentityPaths, IdentityPem } from './files.js';
import { extendedKeyUsages, issueCertificate } from './issue.js';
import type { IssueRequest } from './issue.js';
import { ORGANIZATION } from './subject.js';

export const renewalDefaults = {
  /** A stored certificate this close to its notAfter is replaced rather than reused. */
  renewBeforeMs: 30 * 24 * 60 * 60 * 1000,
} as const;

export interface StoredIdentity extends IdentityPaths {
  pem: IdentityPem;
  /** Serial number, upper-case hexadecimal. */
  serial: string;
  notAfter: Date;
  fingerprint256: string;
  /** True when this call issued a new certificate; false when the stored one was kept. */
  issued: boolean;
}

/** Issues a new identity and writes it as `name` in `dir`, replacing any that was there. */
export async function issueAndStore(ca: CertificateAuthority, dir: string, name: string, request: IssueRequest): Promise<StoredIdentity> {
  const issued = await issueCertificate(ca, request);
  const paths = await writeIdentity(dir, name, issued);
  return {
    ...paths,
    pem: { cert: issued.certPem, key: issued.keyPem, ca: issued.caPem },
    serial: issued.serial,
    notAfter: issued.notAfter,
    fingerprint256: issued.fingerprint256,
    issued: true,
  };
}

/** Keeps the identity `name` in `dir` if it still serves `request`, and issues a new one otherwise. */
export async function ensureStoredIdentity(ca: CertificateAuthority, dir: string, name: string, request: IssueRequest): Promise<StoredIdentity> {
  const stored = await readIdentity(dir, name).catch((error: unknown) => {
    if (error instanceof ProvisioningError && error.code === ProvisioningErrorCode.IdentityMissing) return null;
    throw error;
  });
  const certificate = stored && stillServes(stored, ca, request, Date.now());
  if (!stored || !certificate) return issueAndStore(ca, dir, name, request);
  return {
    ...identityPaths(dir, name),
    pem: stored,
    serial: certificate.serialNumber,
    notAfter: new Date(certificate.validTo),
    fingerprint256: certificate.fingerprint256,
    issued: false,
  };
}

/** The stored certificate if it may be kept for `request`; null if anything about it falls short. */
function stillServes(stored: IdentityPem, ca: CertificateAuthority, request: IssueRequest, now: number): NodeX509Certificate | null {
  try {
    const certificate = new NodeX509Certificate(stored.cert);
    const caCertificate = new NodeX509Certificate(ca.certPem);
    const keeps =
      new NodeX509Certificate(stored.ca).fingerprint256 === ca.fingerprint256 &&
      certificate.checkIssued(caCertificate) &&
      certificate.verify(caCertificate.publicKey) &&
      certificate.checkPrivateKey(createPrivateKey(stored.key)) &&
      Date.parse(certificate.validTo) - now > renewalDefaults.renewBeforeMs &&
      certificate.subject === `O=${ORGANIZATION}\nOU=${request.role}\nCN=${request.commonName}` &&
      extendedKeyUsages(request.usage).every((oid) => certificate.keyUsage?.includes(oid) === true) &&
      normaliseDnsNames(request.dnsNames ?? []).every((host) => certificate.checkHost(host, { subject: 'never', wildcards: false }) !== undefined) &&
      normaliseIpAddresses(request.ipAddresses ?? []).every((ip) => certificate.checkIP(ip) !== undefined);
    return keeps ? certificate : null;
  } catch {
    // Unreadable PEM or key: issue a new identity rather than keep a broken one.
    return null;
  }
}
