/**
 * The hub's certificate authority: one self-signed ECDSA P-256 certificate and its key, kept in
 * `<dataDir>/ca/ca.crt` (0644) and `<dataDir>/ca/ca.key` (0600, directory 0700). Created on first
 * use, loaded afterwards; never overwritten.
 */
import { X509Certificate as NodeX509Certificate } from 'node:crypto';
import type { webcrypto } from 'node:crypto';
import { chmod, mkdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { X509Certificate } from '@peculiar/x509';
import { ProvisioningError, ProvisioningErrorCode } from './errors.js';
import { assertOwnerOnly, fileExists, fileModes, isAlreadyExists, writeNewFile } from './file-modes.js';
import { generateKeyPair, importSigningKey, privateKeyToPem, randomSerial, SIGNING_ALGORITHM } from './keys.js';
import { assertPrintableName, caSubjectName } from './subject.js';
import { validDaysOrDefault, validityDefaults, validityWindow } from './validity.js';
import { x509 } from './x509-library.js';

export const caDefaults = {
  commonName: 'Wardsight CA',
  validDays: validityDefaults.caDays,
} as const;

export interface CaOptions {
  /** Common name of a new CA; ignored when an existing CA is loaded. */
  commonName?: string;
  /** Validity of a new CA in days; ignored when an existing CA is loaded. */
  validDays?: number;
}

export interface CertificateAuthority {
  readonly certPath: string;
  readonly keyPath: string;
  readonly certPem: string;
  readonly certificate: X509Certificate;
  /** Non-extractable; signs the certificates this CA issues. */
  readonly signingKey: webcrypto.CryptoKey;
  /** Subject key identifier, hexadecimal: the authority key identifier of what it issues. */
  readonly keyIdentifier: string;
  readonly notAfter: Date;
  /** SHA-256 fingerprint, colon-separated upper-case hex (as Node's X509Certificate gives it). */
  readonly fingerprint256: string;
  /** True when this call created the CA. */
  readonly created: boolean;
}

export function caPaths(dataDir: string): { dir: string; certPath: string; keyPath: string } {
  const dir = join(dataDir, 'ca');
  return { dir, certPath: join(dir, 'ca.crt'), keyPath: join(dir, 'ca.key') };
}

/** Loads the CA in `dataDir`, creating it if there is none. */
export async function ensureCa(dataDir: string, opts: CaOptions = {}): Promise<CertificateAuthority> {
  const { certPath, keyPath } = caPaths(dataDir);
  const [hasCert, hasKey] = await Promise.all([fileExists(certPath), fileExists(keyPath)]);
  if (hasCert || hasKey) return loadCa(dataDir);
  try {
    return await createCa(dataDir, opts);
  } catch (error) {
    // Another process created it between the check and the write: use theirs.
    if (error instanceof ProvisioningError && error.code === ProvisioningErrorCode.CaExists) return loadCa(dataDir);
    throw error;
  }
}

/** Creates a new CA in `dataDir`; refuses if any part of one is already there. */
export async function createCa(dataDir: string, opts: CaOptions = {}): Promise<CertificateAuthority> {
  const commonName = opts.commonName ?? caDefaults.commonName;
  assertPrintableName(commonName);
  const days = validDaysOrDefault(opts.validDays, caDefaults.validDays);
  const { dir, certPath, keyPath } = caPaths(dataDir);

  const keys = await generateKeyPair();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: caSubjectName(commonName),
    ...validityWindow(days, new Date()),
    keys,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      // pathLen 0: this CA signs end identities only, never another CA.
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const certPem = new NodeX509Certificate(Buffer.from(certificate.rawData)).toString();

  await mkdir(dir, { recursive: true, mode: fileModes.privateDir });
  await chmod(dir, fileModes.privateDir);
  // The key first and the certificate last: a CA whose certificate exists is complete.
  let written: string[] = [];
  try {
    await writeNewFile(keyPath, privateKeyToPem(keys.privateKey), fileModes.privateKey);
    written = [keyPath];
    await writeNewFile(certPath, certPem, fileModes.certificate);
    written = [];
  } catch (error) {
    await Promise.all(written.map((path) => unlink(path).catch(() => undefined)));
    if (isAlreadyExists(error)) {
      throw new ProvisioningError(
        ProvisioningErrorCode.CaExists,
        `a CA already exists in ${dir}; it is used as it is. Move that directory aside first to start a new CA (every issued identity must then be issued again).`,
        { cause: error },
      );
    }
    throw error;
  }
  const loaded = await loadCa(dataDir);
  return { ...loaded, created: true };
}

/** Loads the CA in `dataDir`; refuses if it is absent, incomplete, exposed, expired or inconsistent. */
export async function loadCa(dataDir: string): Promise<CertificateAuthority> {
  const { dir, certPath, keyPath } = caPaths(dataDir);
  const [hasCert, hasKey] = await Promise.all([fileExists(certPath), fileExists(keyPath)]);
  if (!hasCert && !hasKey) {
    throw new ProvisioningError(
      ProvisioningErrorCode.CaMissing,
      `no CA in ${dir}: start the hub with this data directory once (it creates the CA), or point to the data directory that has one`,
    );
  }
  if (!hasCert || !hasKey) {
    const present = hasCert ? certPath : keyPath;
    const absent = hasCert ? keyPath : certPath;
    throw new ProvisioningError(
      ProvisioningErrorCode.CaIncomplete,
      `the CA in ${dir} is incomplete: ${present} exists but ${absent} does not. Restore ${absent} from a backup, or move ${dir} aside to start a new CA.`,
    );
  }
  await assertOwnerOnly(keyPath, 'the CA key');

  const [certPem, keyPem] = await Promise.all([readFile(certPath, 'utf8'), readFile(keyPath, 'utf8')]);
  const certificate = parseCaCertificate(certPem, certPath);
  const { signingKey, publicKeyDer } = await importSigningKey(keyPem).catch((error: unknown) => {
    throw new ProvisioningError(ProvisioningErrorCode.CaInvalid, `${keyPath} is not a usable CA key: ${describe(error)}`, { cause: error });
  });
  if (!Buffer.from(certificate.publicKey.rawData).equals(publicKeyDer)) {
    throw new ProvisioningError(
      ProvisioningErrorCode.CaKeyMismatch,
      `${keyPath} is not the key of the CA certificate ${certPath}: restore the pair from the same backup`,
    );
  }
  if (certificate.notAfter.getTime() <= Date.now()) {
    throw new ProvisioningError(
      ProvisioningErrorCode.CaExpired,
      `the CA certificate ${certPath} expired on ${certificate.notAfter.toISOString()}: move ${dir} aside to start a new CA and issue every identity again`,
    );
  }
  const keyIdentifier =
    certificate.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId ??
    (await x509.SubjectKeyIdentifierExtension.create(certificate.publicKey)).keyId;

  const normalised = new NodeX509Certificate(Buffer.from(certificate.rawData));
  return {
    certPath,
    keyPath,
    certPem: normalised.toString(),
    certificate,
    signingKey,
    keyIdentifier,
    notAfter: certificate.notAfter,
    fingerprint256: normalised.fingerprint256,
    created: false,
  };
}

function parseCaCertificate(pem: string, path: string): X509Certificate {
  let certificate: X509Certificate;
  try {
    certificate = new x509.X509Certificate(pem);
  } catch (error) {
    throw new ProvisioningError(ProvisioningErrorCode.CaInvalid, `${path} is not a PEM certificate: ${describe(error)}`, { cause: error });
  }
  if (certificate.getExtension(x509.BasicConstraintsExtension)?.ca !== true) {
    throw new ProvisioningError(ProvisioningErrorCode.CaInvalid, `${path} is not a CA certificate (basicConstraints CA:TRUE is missing)`);
  }
  return certificate;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
