/**
 * TLS over a byte stream (a TCP payload, reassembled where a message spans segments): the record
 * layer (RFC 8446 §5.1; RFC 5246 §6.2.1) carrying handshake messages (RFC 8446 §4), which may span
 * records. Reads the handshake records at the start of the stream and returns the messages that
 * are complete at a record boundary (a flight), `NEED_MORE` while the first message is still
 * arriving, or null if the stream is not TLS handshake records or a message is malformed.
 *
 * The answer does not depend on how the stream was split: a flight ends at the last record
 * boundary where every message so far is complete, so a caller that consumes `length` octets and
 * decodes again sees the same messages in the same order whatever the segment boundaries were.
 */
import { u16, u8 } from './bytes.js';
import { NEED_MORE, type NeedMore } from './need-more.js';
import {
  decodeCertificateList,
  decodeClientHello,
  decodeServerHello,
  type TlsClientHello,
  type TlsServerHello,
} from './tls-hello.js';

export type { TlsClientHello, TlsServerHello } from './tls-hello.js';
export { isGrease } from './tls-extensions.js';

/** RFC 8446 §5.1 ContentType. */
export const CONTENT_CHANGE_CIPHER_SPEC = 20;
export const CONTENT_ALERT = 21;
export const CONTENT_HANDSHAKE = 22;
export const CONTENT_APPLICATION_DATA = 23;

/** RFC 8446 §4 HandshakeType values read here. */
export const HANDSHAKE_CLIENT_HELLO = 1;
export const HANDSHAKE_SERVER_HELLO = 2;
export const HANDSHAKE_CERTIFICATE = 11;

/** RFC 8446 §5.1: type 1, legacy_record_version 2, length 2. */
const RECORD_HEADER = 5;
/** RFC 5246 §6.2.3: a record carries at most 2^14 + 2048 octets. */
const MAX_RECORD_LENGTH = 2 ** 14 + 2048;
/** RFC 8446 §4: msg_type 1, length 3. */
const MESSAGE_HEADER = 4;
/** Larger than any hello or certificate chain seen in practice; a longer one is taken as malformed. */
const MAX_MESSAGE_LENGTH = 0x1_0000;
/** SSL 3.0 to TLS 1.3 record versions are 0x0300-0x0304. */
const MAX_RECORD_MINOR = 4;

export interface TlsFlight {
  /** Stream octets the flight occupies from `offset`: whole records. */
  length: number;
  /** legacy_record_version of the first record. */
  recordVersion: number;
  /** HandshakeType of every message, in order. */
  messageTypes: number[];
  clientHello: TlsClientHello | null;
  serverHello: TlsServerHello | null;
  /**
   * A TLS ≤ 1.2 Certificate message: each certificate's DER, sender's first. Views of the input
   * where the message lay in one record, else of a joined copy; copy one to keep it.
   */
  certificates: Uint8Array[] | null;
}

/**
 * The length of the handshake record whose header is at `at`: > 0 if the header is complete and
 * valid, 0 if it is cut short but valid so far, -1 if it is not a handshake record header.
 */
function handshakeRecordLength(buf: Uint8Array, at: number, limit: number): number {
  const available = limit - at;
  if (available >= 1 && u8(buf, at) !== CONTENT_HANDSHAKE) return -1;
  if (available >= 2 && u8(buf, at + 1) !== 3) return -1;
  if (available >= 3 && u8(buf, at + 2) > MAX_RECORD_MINOR) return -1;
  if (available < RECORD_HEADER) return 0;
  const length = u16(buf, at + 3);
  // RFC 8446 §5.1: no zero-length handshake fragments.
  return length === 0 || length > MAX_RECORD_LENGTH ? -1 : length;
}

function u24(buf: Uint8Array, at: number): number {
  return (u8(buf, at) << 16) | u16(buf, at + 1);
}

/** `joined` followed by `fragment`: the fragment itself (a view) when nothing came before it. */
function append(joined: Uint8Array, fragment: Uint8Array): Uint8Array {
  if (joined.length === 0) return fragment;
  const both = new Uint8Array(joined.length + fragment.length);
  both.set(joined);
  both.set(fragment, joined.length);
  return both;
}

/** Records one complete message in `flight`; false if its body is malformed. */
function readMessage(flight: TlsFlight, type: number, bytes: Uint8Array, start: number, end: number): boolean {
  switch (type) {
    case HANDSHAKE_CLIENT_HELLO: {
      const hello = decodeClientHello(bytes, start, end);
      if (hello === null) return false;
      flight.clientHello ??= hello;
      break;
    }
    case HANDSHAKE_SERVER_HELLO: {
      const hello = decodeServerHello(bytes, start, end);
      if (hello === null) return false;
      flight.serverHello ??= hello;
      break;
    }
    case HANDSHAKE_CERTIFICATE: {
      const certificates = decodeCertificateList(bytes, start, end);
      if (certificates === null) return false;
      flight.certificates ??= certificates;
      break;
    }
  }
  flight.messageTypes.push(type);
  return true;
}

/**
 * Decodes the flight of handshake messages at the start of the stream `buf[offset, end)`.
 * A record of another content type (ChangeCipherSpec, alert, application data) ends a flight;
 * at the start of the stream it is not a flight (null).
 */
export function decode(buf: Uint8Array, offset: number, end = buf.length): TlsFlight | NeedMore | null {
  const limit = Math.min(end, buf.length);
  if (offset < 0 || offset > limit) return null;
  const flight: TlsFlight = {
    length: 0,
    recordVersion: -1,
    messageTypes: [],
    clientHello: null,
    serverHello: null,
    certificates: null,
  };
  /** The flight as it stood at the last record boundary where every message was complete. */
  let complete: TlsFlight | null = null;
  let handshake: Uint8Array = new Uint8Array(0);
  let parsed = 0; // octets of `handshake` in complete messages
  let at = offset;
  for (;;) {
    const length = handshakeRecordLength(buf, at, limit);
    if (length <= 0 || at + RECORD_HEADER + length > limit) {
      if (complete !== null) return complete;
      return length < 0 ? null : NEED_MORE;
    }
    if (flight.recordVersion < 0) flight.recordVersion = u16(buf, at + 1);
    handshake = append(handshake, buf.subarray(at + RECORD_HEADER, at + RECORD_HEADER + length));
    at += RECORD_HEADER + length;
    while (handshake.length - parsed >= MESSAGE_HEADER) {
      const bodyLength = u24(handshake, parsed + 1);
      const bodyEnd = parsed + MESSAGE_HEADER + bodyLength;
      if (bodyLength > MAX_MESSAGE_LENGTH) return complete;
      if (bodyEnd > handshake.length) break;
      if (!readMessage(flight, u8(handshake, parsed), handshake, parsed + MESSAGE_HEADER, bodyEnd)) return complete;
      parsed = bodyEnd;
    }
    if (parsed === handshake.length) {
      flight.length = at - offset;
      complete = { ...flight, messageTypes: flight.messageTypes.slice() };
      handshake = new Uint8Array(0); // the next message starts a new record: read it in place
      parsed = 0;
    }
  }
}
