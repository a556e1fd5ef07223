/**
 * QUIC Initial packets (RFC 9000 §17.2.2) read through their public protection (RFC 9001 §5): the
 * CRYPTO frames (RFC 9000 §19.6) that carry the TLS ClientHello and ServerHello of a QUIC
 * connection. A UDP datagram may hold several coalesced long-header packets (RFC 9000 §12.2); the
 * Initial ones are decrypted, others skipped. Returns null when the datagram starts with no
 * long-header packet or no Initial packet in it could be read; never throws.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { u32, u8 } from './bytes.js';
import { initialKeys, initialPacketType, type InitialKeys } from './quic-keys.js';
import { hexText } from './octet-text.js';

export interface CryptoFrame {
  /** Offset of `data` in the connection's CRYPTO stream at this encryption level. */
  offset: number;
  data: Uint8Array;
}

export interface QuicInitialPacket {
  version: number;
  /** Destination and Source Connection IDs, lower-case hex. */
  dcid: string;
  scid: string;
  packetNumber: number;
  /** The packet's CRYPTO frames, in the order they appear. */
  crypto: CryptoFrame[];
}

/** RFC 9000 §17.2: header form 1 = long header. */
const LONG_HEADER = 0x80;
/** RFC 9000 §17.2: connection IDs of at most 20 octets in version 1. */
const MAX_CID_LENGTH = 20;
/** RFC 9001 §5.4.2: the header protection sample is 16 octets, 4 after the packet number's start. */
const SAMPLE_OFFSET = 4;
const SAMPLE_LENGTH = 16;
const TAG_LENGTH = 16;

// RFC 9000 §19 frame types allowed in Initial packets (§12.4 Table 3)
const PADDING = 0x00;
const PING = 0x01;
const ACK = 0x02;
const ACK_ECN = 0x03;
const CRYPTO = 0x06;
const CONNECTION_CLOSE = 0x1c;

/** RFC 9000 §16 variable-length integer at `at`: [value, next offset], or null past `end`. */
function varint(buf: Uint8Array, at: number, end: number): [number, number] | null {
  if (at >= end) return null;
  const length = 1 << (u8(buf, at) >> 6);
  if (at + length > end) return null;
  let value = u8(buf, at) & 0x3f;
  for (let i = 1; i < length; i++) value = value * 256 + u8(buf, at + i);
  return [value, at + length];
}

/** Removes header protection (RFC 9001 §5.4.1) and AEAD protection (§5.3); null if either fails. */
function unprotect(packet: Uint8Array, pnOffset: number, keys: InitialKeys): { packetNumber: number; plaintext: Buffer } | null {
  if (packet.length < pnOffset + SAMPLE_OFFSET + SAMPLE_LENGTH) return null;
  const sample = packet.subarray(pnOffset + SAMPLE_OFFSET, pnOffset + SAMPLE_OFFSET + SAMPLE_LENGTH);
  const mask = createCipheriv('aes-128-ecb', keys.hp, null).update(sample);
  const first = u8(packet, 0) ^ (u8(mask, 0) & 0x0f); // long header: the low 4 bits are protected
  const pnLength = (first & 0x03) + 1;
  const header = Buffer.from(packet.subarray(0, pnOffset + pnLength));
  header[0] = first;
  let packetNumber = 0;
  for (let i = 0; i < pnLength; i++) {
    const octet = u8(header, pnOffset + i) ^ u8(mask, 1 + i);
    header[pnOffset + i] = octet;
    packetNumber = packetNumber * 256 + octet;
  }
  if (packet.length < header.length + TAG_LENGTH) return null;
  // RFC 9001 §5.3: nonce = IV XOR the packet number, left-padded. An Initial packet's number is
  // small enough that its truncated form is the full one.
  const nonce = Buffer.from(keys.iv);
  for (let i = 0; i < 6; i++) nonce[11 - i] = u8(nonce, 11 - i) ^ (Math.floor(packetNumber / 256 ** i) & 0xff);
  try {
    const decipher = createDecipheriv('aes-128-gcm', keys.key, nonce);
    decipher.setAAD(header);
    decipher.setAuthTag(packet.subarray(packet.length - TAG_LENGTH));
    const body = packet.subarray(header.length, packet.length - TAG_LENGTH);
    return { packetNumber, plaintext: Buffer.concat([decipher.update(body), decipher.final()]) };
  } catch {
    return null; // not authentic under these keys
  }
}

/** The CRYPTO frames of a decrypted Initial payload (RFC 9000 §19), or null on a frame it may not hold. */
function cryptoFrames(plain: Uint8Array): CryptoFrame[] | null {
  const frames: CryptoFrame[] = [];
  const end = plain.length;
  let at = 0;
  while (at < end) {
    const type = u8(plain, at++);
    if (type === PADDING || type === PING) continue;
    const fields = type === CRYPTO ? 2 : type === ACK || type === ACK_ECN ? 4 : type === CONNECTION_CLOSE ? 3 : -1;
    if (fields < 0) return null;
    const values: number[] = [];
    for (let i = 0; i < fields; i++) {
      const read = varint(plain, at, end);
      if (read === null) return null;
      values.push(read[0]);
      at = read[1];
    }
    const [first = 0, second = 0, third = 0] = values;
    if (type === CRYPTO) {
      // §19.6: Offset, Length, Crypto Data
      if (at + second > end) return null;
      frames.push({ offset: first, data: plain.subarray(at, at + second) });
      at += second;
    } else if (type === CONNECTION_CLOSE) {
      at += third; // §19.19: Error Code, Frame Type, Reason Phrase Length, Reason Phrase
    } else {
      // §19.3: Largest Acknowledged, ACK Delay, ACK Range Count, First ACK Range, then ranges
      const rangeFields = 2 * third + (type === ACK_ECN ? 3 : 0);
      if (rangeFields > end - at) return null; // each takes at least one octet
      for (let i = 0; i < rangeFields; i++) {
        const read = varint(plain, at, end);
        if (read === null) return null;
        at = read[1];
      }
    }
    if (at > end) return null;
  }
  return frames;
}

/**
 * Decodes the Initial packets of the UDP payload `buf[offset, end)`. A client's packets are
 * protected with keys from their own Destination Connection ID unless `keyDcid` (the DCID of the
 * client's first Initial) is given; a server's (`fromServer`) always need `keyDcid`.
 */
export function decodeInitials(
  buf: Uint8Array,
  offset: number,
  end = buf.length,
  keyDcid: Uint8Array | null = null,
  fromServer = false,
): QuicInitialPacket[] | null {
  const limit = Math.min(end, buf.length);
  if (offset < 0 || offset >= limit) return null;
  const packets: QuicInitialPacket[] = [];
  let at = offset;
  while (at < limit && (u8(buf, at) & LONG_HEADER) !== 0) {
    // RFC 9000 §17.2: first octet, Version 4, DCID Length 1, DCID, SCID Length 1, SCID
    if (limit - at < 7) break;
    const version = u32(buf, at + 1);
    const dcidEnd = at + 6 + u8(buf, at + 5);
    if (version === 0 || u8(buf, at + 5) > MAX_CID_LENGTH || dcidEnd >= limit) break; // §17.2.1: version negotiation
    const scidEnd = dcidEnd + 1 + u8(buf, dcidEnd);
    if (u8(buf, dcidEnd) > MAX_CID_LENGTH || scidEnd > limit) break;
    const isInitial = ((u8(buf, at) >> 4) & 0x03) === initialPacketType(version);
    let field = scidEnd;
    if (isInitial) {
      // §17.2.2: Token Length, Token
      const token = varint(buf, field, limit);
      if (token === null || token[1] + token[0] > limit) break;
      field = token[1] + token[0];
    }
    // §17.2.2-17.2.4: Length covers the packet number and payload. (A Retry has none: stop there.)
    const length = varint(buf, field, limit);
    if (length === null || length[1] + length[0] > limit) break;
    const packetEnd = length[1] + length[0];
    if (isInitial) {
      const dcid = buf.subarray(at + 6, dcidEnd);
      const keys = initialKeys(version, keyDcid ?? dcid, fromServer);
      const opened = keys === null ? null : unprotect(buf.subarray(at, packetEnd), length[1] - at, keys);
      const crypto = opened === null ? null : cryptoFrames(opened.plaintext);
      if (opened !== null && crypto !== null) {
        packets.push({ version, dcid: hexText(buf, at + 6, dcidEnd), scid: hexText(buf, dcidEnd + 1, scidEnd), packetNumber: opened.packetNumber, crypto });
      }
    }
    at = packetEnd;
  }
  return packets.length > 0 ? packets : null;
}
