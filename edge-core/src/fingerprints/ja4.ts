/**
 * JA4, the TLS client fingerprint of FoxIO's JA4 specification (BSD-3-Clause; the other JA4+
 * methods are under another licence and are not implemented here), from a decoded ClientHello:
 *
 *   a: transport (t TCP, q QUIC, d DTLS), version, SNI d/i, cipher and extension counts, ALPN ends
 *   b: sha256 of the sorted cipher suites, first 12 hex digits
 *   c: sha256 of the sorted extensions without SNI and ALPN, "_", the signature algorithms in order
 *
 * GREASE values (RFC 8701) are left out everywhere.
 */
import { createHash } from 'node:crypto';
import { isGrease, type TlsClientHello } from '../decoders/tls.js';

/** How the ClientHello travelled: TLS over TCP, QUIC, or DTLS. */
export type Ja4Transport = 't' | 'q' | 'd';

export interface Ja4 {
  /** The fingerprint, e.g. `t13d1516h2_8daaf6152771_e5627efa2ab1`. */
  ja4: string;
  /** The same with the hashed lists written out (the specification's JA4_r). */
  ja4_r: string;
}

/** Version codes of the specification; any other version is "00". */
const VERSION_CODES = new Map<number, string>([
  [0x0304, '13'],
  [0x0303, '12'],
  [0x0302, '11'],
  [0x0301, '10'],
  [0x0300, 's3'],
  [0x0002, 's2'],
  [0xfeff, 'd1'],
  [0xfefd, 'd2'],
  [0xfefc, 'd3'],
]);

const EXT_SERVER_NAME = 0x0000;
const EXT_ALPN = 0x0010;
const EMPTY_HASH = '000000000000';
const MAX_COUNT = 99;

function hex4(value: number): string {
  return value.toString(16).padStart(4, '0');
}

function hash12(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

function count(values: readonly number[]): string {
  return String(Math.min(values.length, MAX_COUNT)).padStart(2, '0');
}

/** The highest non-GREASE supported_versions entry, else legacy_version. */
function versionCode(hello: TlsClientHello): string {
  const offered = (hello.supportedVersions ?? []).filter((v) => !isGrease(v));
  const version = offered.length > 0 ? Math.max(...offered) : hello.legacyVersion;
  return VERSION_CODES.get(version) ?? '00';
}

function isAlphanumeric(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

/**
 * The first and last characters of the first ALPN value ("00" without one); if either end is not
 * an ASCII letter or digit, the first and last characters of the value's hex instead.
 */
function alpnCode(hello: TlsClientHello): string {
  const first = hello.alpn?.[0] ?? '';
  if (first === '') return '00';
  const head = first.charCodeAt(0);
  const tail = first.charCodeAt(first.length - 1);
  if (isAlphanumeric(head) && isAlphanumeric(tail)) return first[0] + first.charAt(first.length - 1);
  // latin1 text: each character is one octet
  const hex = Buffer.from(first, 'latin1').toString('hex');
  return hex[0] + hex.charAt(hex.length - 1);
}

/** JA4 and JA4_r of a ClientHello sent over `transport`. */
export function ja4(hello: TlsClientHello, transport: Ja4Transport = 't'): Ja4 {
  const ciphers = hello.cipherSuites.filter((c) => !isGrease(c));
  const extensions = hello.extensionTypes.filter((e) => !isGrease(e));
  const sni = extensions.includes(EXT_SERVER_NAME) ? 'd' : 'i';
  const a = `${transport}${versionCode(hello)}${sni}${count(ciphers)}${count(extensions)}${alpnCode(hello)}`;

  const cipherList = ciphers.map(hex4).sort().join(',');
  const hashed = extensions.filter((e) => e !== EXT_SERVER_NAME && e !== EXT_ALPN);
  const extensionList = hashed.map(hex4).sort().join(',');
  const signatures = (hello.signatureAlgorithms ?? []).filter((s) => !isGrease(s)).map(hex4).join(',');
  const c = signatures === '' ? extensionList : `${extensionList}_${signatures}`;

  const b = ciphers.length === 0 ? EMPTY_HASH : hash12(cipherList);
  return {
    ja4: `${a}_${b}_${hashed.length === 0 ? EMPTY_HASH : hash12(c)}`,
    ja4_r: `${a}_${cipherList}_${c}`,
  };
}
