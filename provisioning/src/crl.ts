/**
 * The hub's certificate revocation list (RFC 5280 §5): an X.509 v2 CRL signed by the hub's CA and
 * kept as PEM in `<dataDir>/ca/crl.pem` (0644). It is replaced in one step (temporary file, then
 * rename), so a TLS server reading it — Node's `tls.createServer({ crl })`, Mosquitto's `crlfile`
 * — sees the old list or the new one, never half of one.
 *
 * OpenSSL refuses every client certificate once the CRL it checks against is past its nextUpdate
 * (X509_V_ERR_CRL_HAS_EXPIRED), so the hub issues the list again well before then (see
 * `crlNeedsRenewal`). Each list carries the CRL number and authority key identifier that
 * RFC 5280 §5.2 requires of a conforming CRL.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { caPaths, loadCa } from './ca.js';
import type { CertificateAuthority } from './ca.js';
import { ProvisioningError, ProvisioningErrorCode } from './errors.js';
import { fileModes, isNotFound, replaceFile } from './file-modes.js';
import { SIGNING_ALGORITHM } from './keys.js';
import { x509 } from './x509-library.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export const crlDefaults = {
  /** nextUpdate is this many days after thisUpdate. */
  validDays: 30,
  /** Longer than a year and a lost revocation would linger in caches for that long. */
  maxValidDays: 366,
  /** A list this close to its nextUpdate is issued again. */
  renewBeforeMs: 7 * DAY_MS,
  /** Far beyond any hospital's sensor fleet; a bound on the file every TLS handshake consults. */
  maxEntries: 100_000,
} as const;

/** RFC 5280 §5.3.1 reason codes that apply to Wardsight identities. */
export const REVOCATION_REASONS = {
  unspecified: x509.X509CrlReason.unspecified,
  keyCompromise: x509.X509CrlReason.keyCompromise,
  affiliationChanged: x509.X509CrlReason.affiliationChanged,
  superseded: x509.X509CrlReason.superseded,
  cessationOfOperation: x509.X509CrlReason.cessationOfOperation,
  privilegeWithdrawn: x509.X509CrlReason.privilegeWithdrawn,
} as const;
export type RevocationReason = keyof typeof REVOCATION_REASONS;

export interface RevokedCertificate {
  /** Serial number in hexadecimal, as `IssuedCertificate.serial` gives it (any case, colons allowed). */
  serial: string;
  revokedAt: Date;
  reason?: RevocationReason;
}

export interface CertificateRevocationList {
  pem: string;
  /** CRL number (RFC 5280 §5.2.3): greater in every list the CA issues after this one. */
  number: bigint;
  thisUpdate: Date;
  nextUpdate: Date;
  /** Serials in canonical form (upper-case hex, no leading zero octets), sorted. */
  revoked: RevokedCertificate[];
}

export interface CrlOptions {
  /** Defaults to one more than the list on disk (publishCrl) or 1 (issueCrl). */
  number?: bigint;
  validDays?: number;
  now?: Date;
}

/** The CRL number extension, id-ce-cRLNumber (RFC 5280 §5.2.3). */
const CRL_NUMBER_OID = '2.5.29.20';
/** RFC 5280 §4.1.2.2 and §5.2.3: serials and CRL numbers are at most 20 octets. */
const MAX_INTEGER_OCTETS = 20;
const SERIAL_PATTERN = /^[0-9A-F]{1,42}$/;

export function crlPath(dataDir: string): string {
  return join(caPaths(dataDir).dir, 'crl.pem');
}

/** A serial in canonical form: upper-case hex of whole octets without leading zero octets. */
export function normaliseSerial(serial: string): string {
  const hex = serial.replaceAll(':', '').toUpperCase();
  const even = hex.length % 2 === 0 ? hex : `0${hex}`;
  const stripped = even.replace(/^(00)+(?=..)/, '');
  if (!SERIAL_PATTERN.test(hex) || stripped.length / 2 > MAX_INTEGER_OCTETS) {
    throw new ProvisioningError(
      ProvisioningErrorCode.BadSerial,
      `certificate serial ${JSON.stringify(serial)} is not 1 to ${MAX_INTEGER_OCTETS} octets of hexadecimal: copy it from the certificate (openssl x509 -noout -serial)`,
    );
  }
  return stripped;
}

/** Signs a CRL listing `revoked` (each serial once, with its earliest revocation time). */
export async function issueCrl(ca: CertificateAuthority, revoked: readonly RevokedCertificate[], opts: CrlOptions = {}): Promise<CertificateRevocationList> {
  const entries = mergeEntries(revoked);
  if (entries.length > crlDefaults.maxEntries) {
    throw new ProvisioningError(
      ProvisioningErrorCode.CrlTooLarge,
      `a CRL of ${entries.length} entries is more than the ${crlDefaults.maxEntries} allowed: remove entries of certificates that have expired anyway`,
    );
  }
  const number = opts.number ?? 1n;
  const days = crlValidDays(opts.validDays);
  const thisUpdate = wholeSeconds(opts.now ?? new Date());
  const nextUpdate = new Date(thisUpdate.getTime() + days * DAY_MS);
  const crl = await x509.X509CrlGenerator.create({
    issuer: ca.certificate.subjectName,
    thisUpdate,
    nextUpdate,
    signingKey: ca.signingKey,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [new x509.AuthorityKeyIdentifierExtension(ca.keyIdentifier, false), new x509.Extension(CRL_NUMBER_OID, false, derInteger(number))],
    entries: entries.map((entry) => ({
      serialNumber: entry.serial,
      revocationDate: entry.revokedAt,
      ...(entry.reason ? { reason: REVOCATION_REASONS[entry.reason] } : {}),
    })),
  });
  return { pem: crlPem(crl.rawData), number, thisUpdate, nextUpdate, revoked: entries };
}

/** Reads a PEM CRL and checks that the CA whose certificate is `caPem` signed it. */
export async function parseCrl(pem: string, caPem: string, source = 'the CRL'): Promise<CertificateRevocationList> {
  const invalid = (why: string, cause?: unknown) =>
    new ProvisioningError(ProvisioningErrorCode.CrlInvalid, `${source} ${why}: move it aside and issue the list again from the revoked sensors the hub knows`, { cause });
  let crl: InstanceType<typeof x509.X509Crl>;
  try {
    crl = new x509.X509Crl(pem);
  } catch (error) {
    throw invalid('is not a PEM certificate revocation list', error);
  }
  const ca = new x509.X509Certificate(caPem);
  if (crl.issuer !== ca.subject || !(await crl.verify({ publicKey: ca }))) throw invalid(`is not signed by the CA "${ca.subject}"`);
  const numberExtension = crl.getExtension(CRL_NUMBER_OID);
  const number = numberExtension ? readDerInteger(new Uint8Array(numberExtension.value)) : null;
  if (number === null || !crl.nextUpdate) throw invalid('has no CRL number or no nextUpdate');
  const revoked = crl.entries.map((entry): RevokedCertificate => {
    const reason = Object.entries(REVOCATION_REASONS).find(([, code]) => code === entry.reason)?.[0] as RevocationReason | undefined;
    return { serial: normaliseSerial(entry.serialNumber), revokedAt: entry.revocationDate, ...(reason ? { reason } : {}) };
  });
  return { pem: crlPem(crl.rawData), number, thisUpdate: crl.thisUpdate, nextUpdate: crl.nextUpdate, revoked };
}

/** Writes `crl` to `<dataDir>/ca/crl.pem` in one step; returns the path. */
export async function writeCrl(dataDir: string, crl: Pick<CertificateRevocationList, 'pem'>): Promise<string> {
  const path = crlPath(dataDir);
  await replaceFile(path, crl.pem, fileModes.certificate);
  return path;
}

/** The CRL in `dataDir`, checked against the CA certificate there; null when none was published yet. */
export async function readCrl(dataDir: string): Promise<CertificateRevocationList | null> {
  const path = crlPath(dataDir);
  let pem: string;
  try {
    pem = await readFile(path, 'utf8');
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
  return parseCrl(pem, await readFile(caPaths(dataDir).certPath, 'utf8'), path);
}

/**
 * Issues, with the CA of `dataDir`, the CRL listing exactly `revoked`, numbered one past the list on
 * disk, and writes it. Callers serialise their calls: two at once would both take the same number.
 */
export async function publishCrl(dataDir: string, revoked: readonly RevokedCertificate[], opts: Omit<CrlOptions, 'number'> = {}): Promise<CertificateRevocationList> {
  const ca = await loadCa(dataDir);
  const previous = await readCrl(dataDir);
  const crl = await issueCrl(ca, revoked, { ...opts, number: (previous?.number ?? 0n) + 1n });
  await writeCrl(dataDir, crl);
  return crl;
}

/** Adds `revoked` to the CRL of `dataDir` (creating it if there is none) and writes the new list. */
export async function addToCrl(dataDir: string, revoked: readonly RevokedCertificate[], opts: Omit<CrlOptions, 'number'> = {}): Promise<CertificateRevocationList> {
  const previous = await readCrl(dataDir);
  return publishCrl(dataDir, [...(previous?.revoked ?? []), ...revoked], opts);
}

/**
 * The CRL of `dataDir`, fit for TLS servers to load: published empty when there is none yet, and
 * issued again with the same entries when it is within `renewBeforeMs` of its nextUpdate.
 */
export async function ensureCrl(dataDir: string, opts: Omit<CrlOptions, 'number'> = {}): Promise<CertificateRevocationList> {
  const current = await readCrl(dataDir);
  if (current && !crlNeedsRenewal(current, opts.now)) return current;
  return publishCrl(dataDir, current?.revoked ?? [], opts);
}

export function isRevoked(crl: Pick<CertificateRevocationList, 'revoked'>, serial: string): boolean {
  const wanted = normaliseSerial(serial);
  return crl.revoked.some((entry) => entry.serial === wanted);
}

/** True when `crl` is past, or within `renewBeforeMs` of, its nextUpdate. */
export function crlNeedsRenewal(crl: Pick<CertificateRevocationList, 'nextUpdate'>, now = new Date()): boolean {
  return crl.nextUpdate.getTime() - now.getTime() <= crlDefaults.renewBeforeMs;
}

function mergeEntries(revoked: readonly RevokedCertificate[]): RevokedCertificate[] {
  const bySerial = new Map<string, RevokedCertificate>();
  for (const entry of revoked) {
    const serial = normaliseSerial(entry.serial);
    const known = bySerial.get(serial);
    if (known && known.revokedAt <= entry.revokedAt) continue;
    // RFC 5280 §5.3.1: the reason code is left out rather than given as unspecified.
    const reason = entry.reason === 'unspecified' ? undefined : entry.reason;
    bySerial.set(serial, { serial, revokedAt: wholeSeconds(entry.revokedAt), ...(reason ? { reason } : {}) });
  }
  return [...bySerial.values()].sort((a, b) => (a.serial < b.serial ? -1 : a.serial > b.serial ? 1 : 0));
}

/**
 * PEM with the label OpenSSL (and so Node and Mosquitto) reads a CRL by, `X509 CRL` (RFC 7468 §5);
 * the library's own PEM says `CRL`, which OpenSSL does not load.
 */
function crlPem(der: ArrayBuffer): string {
  const lines = Buffer.from(der).toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN X509 CRL-----\n${lines.join('\n')}\n-----END X509 CRL-----\n`;
}

function crlValidDays(days: number | undefined): number {
  if (days === undefined) return crlDefaults.validDays;
  if (!Number.isInteger(days) || days < 1 || days > crlDefaults.maxValidDays) {
    throw new ProvisioningError(
      ProvisioningErrorCode.BadValidity,
      `a CRL's validDays must be a whole number of days from 1 to ${crlDefaults.maxValidDays}, got ${String(days)}`,
    );
  }
  return days;
}

/** X.509 times carry whole seconds (RFC 5280 §5.1.2.4): drop the milliseconds so what is returned is what is signed. */
function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

/** DER INTEGER (X.690 §8.3) of a non-negative number: big-endian octets, a 0x00 first when the top bit is set. */
function derInteger(value: bigint): Uint8Array {
  if (value < 0n) throw new RangeError('a CRL number is never negative');
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  if (Number.parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`;
  const octets = Buffer.from(hex, 'hex');
  if (octets.length > MAX_INTEGER_OCTETS + 1) throw new RangeError(`a CRL number is at most ${MAX_INTEGER_OCTETS} octets`);
  return Uint8Array.from([0x02, octets.length, ...octets]);
}

/** The value of a DER INTEGER of short-form length, or null when `der` is not one. */
function readDerInteger(der: Uint8Array): bigint | null {
  const length = der[1] ?? 0;
  if (der[0] !== 0x02 || length < 1 || length > MAX_INTEGER_OCTETS + 1 || der.length !== 2 + length) return null;
  return BigInt(`0x${Buffer.from(der.subarray(2)).toString('hex')}`);
}
