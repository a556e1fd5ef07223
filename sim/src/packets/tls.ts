/** TLS records: ClientHello with SNI (TLS 1.2 / 1.3), ServerHello, ChangeCipherSpec, application data. */
import { concatBytes, latin1, u16, u24, u8 } from './bytes.js';
import { SimError } from '../errors.js';

export const HTTPS_PORT = 443;

/** RFC 8446 §5.1 content types. */
const CHANGE_CIPHER_SPEC = 20;
const HANDSHAKE = 22;
const APPLICATION_DATA = 23;
/** RFC 8446 §4 handshake types. */
const CLIENT_HELLO = 1;
const SERVER_HELLO = 2;

const TLS12 = 0x0303;
const TLS13 = 0x0304;
const X25519 = 0x001d;

export type TlsVersion = '1.2' | '1.3';

export const TLS13_SUITES = [0x1301, 0x1302, 0x1303] as const;
export const TLS12_SUITES = [0xc02b, 0xc02f, 0xc02c, 0xc030, 0x009e, 0x009c, 0x003c] as const;

export interface ClientHelloFields {
  serverName: string;
  version: TlsVersion;
  /** 32 random bytes (RFC 8446 §4.1.2). */
  random: Uint8Array;
  /** 0..32 bytes; TLS 1.3 clients send 32 for middlebox compatibility (RFC 8446 §D.4). */
  sessionId: Uint8Array;
  /** The x25519 public key share, 32 bytes; required for TLS 1.3. */
  keyShare?: Uint8Array;
  alpn?: readonly string[];
}

/** RFC 8446 §4.1.2: legacy_version, random, legacy_session_id, cipher_suites, compression, extensions. */
export function clientHello(fields: ClientHelloFields): Uint8Array {
  checkLength(fields.random, 32, 32, 'TLS random');
  checkLength(fields.sessionId, 0, 32, 'TLS session id');
  const suites = fields.version === '1.3' ? [...TLS13_SUITES, ...TLS12_SUITES] : [...TLS12_SUITES];
  const extensions = [
    extension(0, vector16(concatBytes([u8(0), vector16(latin1(fields.serverName))]))), // RFC 6066 §3 host_name
    extension(10, vector16(concatBytes([X25519, 0x0017, 0x0018].map(u16)))), // RFC 8446 §4.2.7 supported_groups
    extension(11, concatBytes([u8(1), u8(0)])), // RFC 8422 §5.1.2 ec_point_formats: uncompressed
    extension(13, vector16(concatBytes([0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501].map(u16)))), // §4.2.3
  ];
  if (fields.alpn) extensions.push(extension(16, vector16(concatBytes(fields.alpn.map((p) => vector8(latin1(p))))))); // RFC 7301 §3.1
  if (fields.version === '1.3') {
    if (!fields.keyShare) throw new SimError('SIM_ERR_FIELD_RANGE', 'a TLS 1.3 ClientHello needs a key share');
    checkLength(fields.keyShare, 32, 32, 'x25519 key share');
    extensions.push(extension(43, vector8(concatBytes([u16(TLS13), u16(TLS12)])))); // §4.2.1 supported_versions
    extensions.push(extension(51, vector16(concatBytes([u16(X25519), vector16(fields.keyShare)])))); // §4.2.8 key_share
  }
  const body = concatBytes([
    u16(TLS12),
    fields.random,
    vector8(fields.sessionId),
    vector16(concatBytes(suites.map(u16))),
    vector8(u8(0)), // null compression only
    vector16(concatBytes(extensions)),
  ]);
  // RFC 8446 §5.1: the first ClientHello record may carry legacy_record_version 0x0301.
  return record(HANDSHAKE, 0x0301, handshake(CLIENT_HELLO, body));
}

export interface ServerHelloFields {
  version: TlsVersion;
  random: Uint8Array;
  /** Echo of the client's legacy_session_id. */
  sessionId: Uint8Array;
  cipherSuite: number;
  keyShare?: Uint8Array;
}

/** RFC 8446 §4.1.3: ServerHello; TLS 1.3 signals its version in supported_versions. */
export function serverHello(fields: ServerHelloFields): Uint8Array {
  checkLength(fields.random, 32, 32, 'TLS random');
  const extensions: Uint8Array[] = [];
  if (fields.version === '1.3') {
    extensions.push(extension(43, u16(TLS13)));
    extensions.push(extension(51, concatBytes([u16(X25519), vector16(fields.keyShare ?? new Uint8Array(32))])));
  }
  const body = concatBytes([
    u16(TLS12),
    fields.random,
    vector8(fields.sessionId),
    u16(fields.cipherSuite),
    u8(0),
    vector16(concatBytes(extensions)),
  ]);
  return record(HANDSHAKE, TLS12, handshake(SERVER_HELLO, body));
}

/** RFC 5246 §7.1 / RFC 8446 §D.4: a one-byte ChangeCipherSpec record. */
export function changeCipherSpec(): Uint8Array {
  return record(CHANGE_CIPHER_SPEC, TLS12, u8(1));
}

/** RFC 5246 §7.4.9: after ChangeCipherSpec the Finished message travels as an encrypted handshake record. */
export function encryptedHandshake(ciphertext: Uint8Array): Uint8Array {
  return record(HANDSHAKE, TLS12, ciphertext);
}

/** RFC 8446 §5.2: an encrypted record, its bytes opaque to a passive observer. */
export function applicationData(ciphertext: Uint8Array): Uint8Array {
  return record(APPLICATION_DATA, TLS12, ciphertext);
}

/** RFC 8446 §5.1 TLSPlaintext: content type, legacy record version, length (2), fragment. */
function record(contentType: number, version: number, fragment: Uint8Array): Uint8Array {
  return concatBytes([u8(contentType), u16(version), vector16(fragment)]);
}

/** RFC 8446 §4: handshake type (1), length (3), body. */
function handshake(type: number, body: Uint8Array): Uint8Array {
  return concatBytes([u8(type), u24(body.length), body]);
}

/** RFC 8446 §4.2: extension type (2), extension data length (2), data. */
function extension(type: number, data: Uint8Array): Uint8Array {
  return concatBytes([u16(type), vector16(data)]);
}

function vector8(bytes: Uint8Array): Uint8Array {
  return concatBytes([u8(bytes.length), bytes]);
}

function vector16(bytes: Uint8Array): Uint8Array {
  return concatBytes([u16(bytes.length), bytes]);
}

function checkLength(bytes: Uint8Array, min: number, max: number, field: string): void {
  if (bytes.length < min || bytes.length > max) throw new SimError('SIM_ERR_FIELD_RANGE', `${field} is ${bytes.length} bytes`);
}
