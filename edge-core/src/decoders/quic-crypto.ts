/**
 * The TLS hello at the start of a QUIC connection's Initial CRYPTO stream (RFC 9001 §4.1.3: TLS
 * handshake messages without the record layer), put together from CRYPTO frames that may arrive
 * split, repeated and out of order across packets (RFC 9000 §19.6).
 */
import { u16, u8 } from './bytes.js';
import { NEED_MORE, type NeedMore } from './need-more.js';
import type { CryptoFrame } from './quic-initial.js';
import { decodeClientHello, decodeServerHello, type TlsClientHello, type TlsServerHello } from './tls-hello.js';

export interface QuicHello {
  clientHello: TlsClientHello | null;
  serverHello: TlsServerHello | null;
}

/** RFC 8446 §4: msg_type 1, length 3. */
const MESSAGE_HEADER = 4;
/** As for TLS over TCP: no hello is longer. */
const MAX_MESSAGE_LENGTH = 0x1_0000;
const CLIENT_HELLO = 1;
const SERVER_HELLO = 2;

/** The CRYPTO stream from offset 0 for as far as the frames cover it without a gap. */
export function cryptoPrefix(frames: readonly CryptoFrame[]): Uint8Array {
  const ordered = [...frames].sort((a, b) => a.offset - b.offset);
  const parts: Uint8Array[] = [];
  let covered = 0;
  for (const frame of ordered) {
    if (frame.offset > covered || covered >= MESSAGE_HEADER + MAX_MESSAGE_LENGTH) break;
    const fresh = frame.data.subarray(Math.max(0, covered - frame.offset));
    if (fresh.length === 0) continue;
    parts.push(fresh);
    covered += fresh.length;
  }
  return Buffer.concat(parts);
}

/**
 * The ClientHello or ServerHello that begins the CRYPTO stream of `frames`: `NEED_MORE` until the
 * frames cover it, null if the stream starts with anything else or the hello is malformed.
 */
export function decodeCryptoHello(frames: readonly CryptoFrame[]): QuicHello | NeedMore | null {
  const stream = cryptoPrefix(frames);
  if (stream.length >= 1 && u8(stream, 0) !== CLIENT_HELLO && u8(stream, 0) !== SERVER_HELLO) return null;
  if (stream.length < MESSAGE_HEADER) return NEED_MORE;
  const length = (u8(stream, 1) << 16) | u16(stream, 2);
  if (length > MAX_MESSAGE_LENGTH) return null;
  const end = MESSAGE_HEADER + length;
  if (stream.length < end) return NEED_MORE;
  if (u8(stream, 0) === CLIENT_HELLO) {
    const clientHello = decodeClientHello(stream, MESSAGE_HEADER, end);
    return clientHello === null ? null : { clientHello, serverHello: null };
  }
  const serverHello = decodeServerHello(stream, MESSAGE_HEADER, end);
  return serverHello === null ? null : { clientHello: null, serverHello };
}
