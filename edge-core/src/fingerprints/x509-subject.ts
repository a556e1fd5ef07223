/**
 * What a server certificate says about its device: subject and issuer names, subject alternative
 * names and validity (RFC 5280 §4.1.2.4-4.1.2.6, §4.2.1.6), read from the DER that a TLS ≤ 1.2
 * Certificate message carries. Parsing is node:crypto's X509Certificate (OpenSSL); bad DER gives
 * null, never an exception.
 */
import { X509Certificate } from 'node:crypto';

/** One attribute of a distinguished name, e.g. { type: 'CN', value: 'pump-17.icu.example' }. */
export interface NameAttribute {
  /** OpenSSL's short name for the attribute type (C, ST, L, O, OU, CN, emailAddress, …). */
  type: string;
  value: string;
}

export interface CertificateSubject {
  /** Subject attributes, each type in the order of its first appearance, repeated values in order. */
  subject: NameAttribute[];
  /** The subject on one line, `C=DE, O=…, CN=…`. */
  subjectText: string;
  issuer: NameAttribute[];
  issuerText: string;
  /** The subject's first common name. */
  commonName: string | null;
  /** subjectAltName entries as OpenSSL writes them: `DNS:…`, `IP Address:…`, `email:…`, `URI:…`. */
  subjectAltNames: string[];
  /** The dNSName entries of subjectAltName. */
  dnsNames: string[];
  /** The iPAddress entries of subjectAltName, as text. */
  ipAddresses: string[];
  /** notBefore and notAfter as ISO 8601 (UTC), null if unreadable. */
  validFrom: string | null;
  validTo: string | null;
  /** Serial number, lower-case hex. */
  serialNumber: string;
  /** SHA-256 of the DER, lower-case hex: names the certificate in evidence. */
  fingerprint256: string;
  /** Subject and issuer are the same name (self-issued, as many device certificates are). */
  selfIssued: boolean;
  /** basicConstraints cA. */
  ca: boolean;
}

/** RFC 5280 §4.1: a Certificate is a DER SEQUENCE. */
const DER_SEQUENCE = 0x30;
/** Larger than any certificate a TLS handshake carries in practice. */
const MAX_DER_LENGTH = 0x1_0000;

/** The name object of X509Certificate.toLegacyObject(): type → value, or values when repeated. */
type LegacyName = Record<string, string | string[] | undefined>;

function attributesOf(name: LegacyName | undefined): NameAttribute[] {
  const attributes: NameAttribute[] = [];
  for (const [type, value] of Object.entries(name ?? {})) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) attributes.push({ type, value: one });
  }
  return attributes;
}

function textOf(attributes: readonly NameAttribute[]): string {
  return attributes.map((a) => `${a.type}=${a.value}`).join(', ');
}

/**
 * Splits OpenSSL's subjectAltName text (`DNS:a, DNS:b, IP Address:10.0.0.5`). Node writes an entry
 * holding a comma or quote as a JSON string after its prefix (`DNS:"a, b"`), so such a value is
 * read back whole.
 */
export function splitAltNames(text: string): string[] {
  const entries: string[] = [];
  let at = 0;
  while (at < text.length) {
    const colon = text.indexOf(':', at);
    if (colon < 0) break;
    let value: string;
    let next: number;
    if (text[colon + 1] === '"') {
      const quoted = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(colon + 1));
      if (quoted === null) break;
      value = JSON.parse(quoted[0]) as string;
      next = colon + 1 + quoted[0].length;
    } else {
      const comma = text.indexOf(', ', colon);
      next = comma < 0 ? text.length : comma;
      value = text.slice(colon + 1, next);
    }
    entries.push(`${text.slice(at, colon + 1)}${value}`);
    at = next + 2; // past ", "
  }
  return entries;
}

function isoDate(text: string | undefined): string | null {
  if (text === undefined) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function valuesWithPrefix(entries: readonly string[], prefix: string): string[] {
  return entries.filter((e) => e.startsWith(prefix)).map((e) => e.slice(prefix.length));
}

/** The names and validity of the certificate whose DER is `der`; null if it is not one. */
export function certificateSubject(der: Uint8Array): CertificateSubject | null {
  if (der.length < 2 || der.length > MAX_DER_LENGTH || der[0] !== DER_SEQUENCE) return null;
  try {
    const certificate = new X509Certificate(Buffer.from(der.buffer, der.byteOffset, der.length));
    const legacy = certificate.toLegacyObject() as unknown as { subject?: LegacyName; issuer?: LegacyName };
    const subject = attributesOf(legacy.subject);
    const issuer = attributesOf(legacy.issuer);
    const subjectAltNames = splitAltNames(certificate.subjectAltName ?? '');
    return {
      subject,
      subjectText: textOf(subject),
      issuer,
      issuerText: textOf(issuer),
      commonName: subject.find((a) => a.type === 'CN')?.value ?? null,
      subjectAltNames,
      dnsNames: valuesWithPrefix(subjectAltNames, 'DNS:'),
      ipAddresses: valuesWithPrefix(subjectAltNames, 'IP Address:'),
      validFrom: isoDate(certificate.validFrom),
      validTo: isoDate(certificate.validTo),
      serialNumber: certificate.serialNumber.toLowerCase(),
      fingerprint256: certificate.fingerprint256.replaceAll(':', '').toLowerCase(),
      selfIssued: certificate.subject === certificate.issuer,
      ca: certificate.ca,
    };
  } catch {
    return null; // OpenSSL rejected the DER
  }
}
