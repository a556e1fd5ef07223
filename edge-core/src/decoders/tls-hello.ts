/**
 * The bodies of the TLS handshake messages that identify a client or server: ClientHello and
 * ServerHello (RFC 8446 §4.1.2-4.1.3; RFC 5246 §7.4.1.2-7.4.1.3 for TLS ≤ 1.2) and the TLS ≤ 1.2
 * Certificate message (RFC 5246 §7.4.2; a TLS 1.3 server's certificates are encrypted). Each
 * reads `buf[start, end)`, the message body after its 4-octet header, and returns null unless the
 * body frames exactly.
 */
import { u16, u8 } from './bytes.js';
import {
  alpnProtocols,
  EXT_ALPN,
  EXT_EC_POINT_FORMATS,
  EXT_SERVER_NAME,
  EXT_SIGNATURE_ALGORITHMS,
  EXT_SUPPORTED_GROUPS,
  EXT_SUPPORTED_VERSIONS,
  serverName,
  u16Vector,
  u8Vector,
} from './tls-extensions.js';
import { hexText } from './octet-text.js';

export interface TlsClientHello {
  /** legacy_version: the offered version before TLS 1.3 (0x0303 from a TLS 1.3 client). */
  legacyVersion: number;
  /** legacy_session_id as lower-case hex, '' when empty. */
  sessionId: string;
  /** Cipher suites in the order offered, GREASE included. */
  cipherSuites: number[];
  compressionMethods: number[];
  /** Extension types in the order sent, GREASE included. */
  extensionTypes: number[];
  /** server_name (RFC 6066 §3): the first host_name. */
  serverName: string | null;
  /** ALPN protocol names in the order offered, as raw text (latin1, one character per octet). */
  alpn: string[] | null;
  /** supported_versions (RFC 8446 §4.2.1), in the order offered. */
  supportedVersions: number[] | null;
  /** signature_algorithms (RFC 8446 §4.2.3), in the order offered. */
  signatureAlgorithms: number[] | null;
  /** supported_groups (RFC 8446 §4.2.7). */
  supportedGroups: number[] | null;
  /** ec_point_formats (RFC 8422 §5.1.2). */
  ecPointFormats: number[] | null;
}

export interface TlsServerHello {
  legacyVersion: number;
  /** legacy_session_id_echo as lower-case hex. */
  sessionId: string;
  cipherSuite: number;
  compressionMethod: number;
  /** Extension types in the order sent. */
  extensionTypes: number[];
  /** supported_versions' selected_version (RFC 8446 §4.2.1): the TLS 1.3 negotiation. */
  selectedVersion: number | null;
  /** The ALPN protocol the server selected (RFC 7301 §3.1). */
  alpn: string | null;
  /** The random is RFC 8446 §4.1.3's HelloRetryRequest value: this asks for a second ClientHello. */
  helloRetryRequest: boolean;
}

/** RFC 8446 §4.1.2: legacy_version 2, random 32. */
const RANDOM_END = 2 + 32;
const MAX_SESSION_ID = 32;
/** RFC 8446 §4.1.3: SHA-256 of "HelloRetryRequest", the random of a HelloRetryRequest. */
const HELLO_RETRY_RANDOM = 'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c';

/**
 * RFC 8446 §4.1.2 extensions<8..2^16-1>: after the fixed fields either nothing (TLS ≤ 1.2,
 * RFC 5246 §7.4.1.2) or a two-octet length that reaches exactly to the end, then
 * { ExtensionType (2), extension_data<0..2^16-1> } entries. Calls `read` for each; false if the
 * block does not frame.
 */
function forEachExtension(
  buf: Uint8Array,
  start: number,
  end: number,
  read: (type: number, dataStart: number, dataEnd: number) => void,
): boolean {
  if (start === end) return true;
  if (end - start < 2 || start + 2 + u16(buf, start) !== end) return false;
  for (let at = start + 2; at < end; ) {
    if (end - at < 4) return false;
    const dataEnd = at + 4 + u16(buf, at + 2);
    if (dataEnd > end) return false;
    read(u16(buf, at), at + 4, dataEnd);
    at = dataEnd;
  }
  return true;
}

/** The end of legacy_session_id<0..32> at `at`, or -1 if it is too long or runs past `end`. */
function sessionIdEnd(buf: Uint8Array, at: number, end: number): number {
  if (at >= end) return -1;
  const length = u8(buf, at);
  return length > MAX_SESSION_ID || at + 1 + length > end ? -1 : at + 1 + length;
}

/** Decodes a ClientHello body (RFC 8446 §4.1.2). */
export function decodeClientHello(buf: Uint8Array, start: number, end: number): TlsClientHello | null {
  if (end - start < RANDOM_END) return null;
  const sessionEnd = sessionIdEnd(buf, start + RANDOM_END, end);
  if (sessionEnd < 0 || end - sessionEnd < 2) return null;
  // cipher_suites<2..2^16-2>
  const suitesEnd = sessionEnd + 2 + u16(buf, sessionEnd);
  if (suitesEnd > end || (suitesEnd - sessionEnd) % 2 !== 0) return null;
  const cipherSuites: number[] = [];
  for (let at = sessionEnd + 2; at < suitesEnd; at += 2) cipherSuites.push(u16(buf, at));
  // legacy_compression_methods<1..2^8-1>
  if (suitesEnd >= end) return null;
  const methodsEnd = suitesEnd + 1 + u8(buf, suitesEnd);
  if (methodsEnd > end) return null;
  const compressionMethods: number[] = [];
  for (let at = suitesEnd + 1; at < methodsEnd; at++) compressionMethods.push(u8(buf, at));
  const hello: TlsClientHello = {
    legacyVersion: u16(buf, start),
    sessionId: hexText(buf, start + RANDOM_END + 1, sessionEnd),
    cipherSuites,
    compressionMethods,
    extensionTypes: [],
    serverName: null,
    alpn: null,
    supportedVersions: null,
    signatureAlgorithms: null,
    supportedGroups: null,
    ecPointFormats: null,
  };
  const framed = forEachExtension(buf, methodsEnd, end, (type, from, to) => {
    const first = !hello.extensionTypes.includes(type);
    hello.extensionTypes.push(type);
    if (first) readClientExtension(hello, type, buf, from, to);
  });
  return framed ? hello : null;
}

/** Records one extension's value; a repeated extension keeps its first. */
function readClientExtension(hello: TlsClientHello, type: number, buf: Uint8Array, start: number, end: number): void {
  switch (type) {
    case EXT_SERVER_NAME:
      hello.serverName = serverName(buf, start, end);
      break;
    case EXT_ALPN:
      hello.alpn = alpnProtocols(buf, start, end);
      break;
    case EXT_SUPPORTED_VERSIONS:
      hello.supportedVersions = u16Vector(buf, start, end, 1); // versions<2..254>
      break;
    case EXT_SIGNATURE_ALGORITHMS:
      hello.signatureAlgorithms = u16Vector(buf, start, end, 2);
      break;
    case EXT_SUPPORTED_GROUPS:
      hello.supportedGroups = u16Vector(buf, start, end, 2);
      break;
    case EXT_EC_POINT_FORMATS:
      hello.ecPointFormats = u8Vector(buf, start, end);
      break;
  }
}

/** Decodes a ServerHello (or HelloRetryRequest) body (RFC 8446 §4.1.3). */
export function decodeServerHello(buf: Uint8Array, start: number, end: number): TlsServerHello | null {
  if (end - start < RANDOM_END) return null;
  const sessionEnd = sessionIdEnd(buf, start + RANDOM_END, end);
  // cipher_suite 2, legacy_compression_method 1
  if (sessionEnd < 0 || end - sessionEnd < 3) return null;
  const hello: TlsServerHello = {
    legacyVersion: u16(buf, start),
    sessionId: hexText(buf, start + RANDOM_END + 1, sessionEnd),
    cipherSuite: u16(buf, sessionEnd),
    compressionMethod: u8(buf, sessionEnd + 2),
    extensionTypes: [],
    selectedVersion: null,
    alpn: null,
    helloRetryRequest: hexText(buf, start + 2, start + RANDOM_END) === HELLO_RETRY_RANDOM,
  };
  const framed = forEachExtension(buf, sessionEnd + 3, end, (type, from, to) => {
    const first = !hello.extensionTypes.includes(type);
    hello.extensionTypes.push(type);
    if (!first) return;
    // RFC 8446 §4.2.1: the server's supported_versions is one selected_version.
    if (type === EXT_SUPPORTED_VERSIONS && to - from === 2) hello.selectedVersion = u16(buf, from);
    // RFC 7301 §3.1: the server's list names exactly one protocol.
    if (type === EXT_ALPN) {
      const names = alpnProtocols(buf, from, to);
      if (names?.length === 1) hello.alpn = names[0] ?? null;
    }
  });
  return framed ? hello : null;
}

function u24(buf: Uint8Array, at: number): number {
  return (u8(buf, at) << 16) | u16(buf, at + 1);
}

/**
 * RFC 5246 §7.4.2: certificate_list<0..2^24-1> of ASN.1Cert<1..2^24-1>, sender's certificate
 * first. The DER of each certificate, as views of `buf` (copy one to keep it past the buffer's
 * life); null unless the list frames exactly.
 */
export function decodeCertificateList(buf: Uint8Array, start: number, end: number): Uint8Array[] | null {
  if (end - start < 3 || start + 3 + u24(buf, start) !== end) return null;
  const certificates: Uint8Array[] = [];
  for (let at = start + 3; at < end; ) {
    if (end - at < 3) return null;
    const length = u24(buf, at);
    if (length === 0 || at + 3 + length > end) return null;
    certificates.push(buf.subarray(at + 3, at + 3 + length));
    at += 3 + length;
  }
  return certificates;
}
