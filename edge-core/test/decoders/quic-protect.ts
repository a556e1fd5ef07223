/**
 * Builds protected QUIC Initial packets for tests (RFC 9000 §17.2.2 long header; RFC 9001 §5.3
 * AEAD and §5.4 header protection), with the keys of RFC 9001 §5.2, so that the decoder is tested
 * on packets a client or server would send. Packet numbers are written in 2 octets.
 */
import { createCipheriv } from 'node:crypto';
import { initialKeys } from '../../src/decoders/quic-keys.js';

const PN_LENGTH = 2;

function concat(...parts: Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (joined.set(p, at), at + p.length), 0);
  return joined;
}

/** RFC 9000 §16: a variable-length integer in its 2-octet form (values below 16 384). */
function varint2(value: number): Uint8Array {
  return Uint8Array.of(0x40 | (value >> 8), value & 0xff);
}

/** A CRYPTO frame (RFC 9000 §19.6): type 0x06, Offset, Length, data. */
export function cryptoFrame(offset: number, data: Uint8Array): Uint8Array {
  return concat(Uint8Array.of(0x06), varint2(offset), varint2(data.length), data);
}

export interface InitialSpec {
  version: number;
  dcid: Uint8Array;
  scid: Uint8Array;
  packetNumber: number;
  /** The plaintext frames. */
  payload: Uint8Array;
  /** Whose keys protect it; `keyDcid` (default: dcid) names the connection (RFC 9001 §5.2). */
  fromServer?: boolean;
  keyDcid?: Uint8Array;
}

/** One protected Initial packet. */
export function protectInitial(spec: InitialSpec): Uint8Array {
  const keys = initialKeys(spec.version, spec.keyDcid ?? spec.dcid, spec.fromServer ?? false);
  if (keys === null) throw new Error(`no Initial keys for version ${spec.version}`);
  const typeBits = spec.version === 0x6b3343cf ? 0x10 : 0x00; // RFC 9369 §3.2: v2 Initial is type 1
  const header = concat(
    Uint8Array.of(0xc0 | typeBits | (PN_LENGTH - 1)), // long header, fixed bit, type, packet number length
    Uint8Array.of(spec.version >>> 24, (spec.version >>> 16) & 0xff, (spec.version >>> 8) & 0xff, spec.version & 0xff),
    Uint8Array.of(spec.dcid.length),
    spec.dcid,
    Uint8Array.of(spec.scid.length),
    spec.scid,
    Uint8Array.of(0x00), // Token Length 0
    varint2(PN_LENGTH + spec.payload.length + 16), // Length: packet number, payload, AEAD tag
    Uint8Array.of(spec.packetNumber >> 8, spec.packetNumber & 0xff),
  );
  const nonce = Buffer.from(keys.iv);
  nonce[10] = (nonce[10] ?? 0) ^ (spec.packetNumber >> 8);
  nonce[11] = (nonce[11] ?? 0) ^ (spec.packetNumber & 0xff);
  const cipher = createCipheriv('aes-128-gcm', keys.key, nonce);
  cipher.setAAD(header);
  const sealed = concat(cipher.update(spec.payload), cipher.final(), cipher.getAuthTag());
  const packet = concat(header, sealed);
  // RFC 9001 §5.4: mask the low 4 bits of the first octet and the packet number.
  const pnOffset = header.length - PN_LENGTH;
  const sample = packet.subarray(pnOffset + 4, pnOffset + 20);
  const mask = createCipheriv('aes-128-ecb', keys.hp, null).update(sample);
  packet[0] = (packet[0] ?? 0) ^ ((mask[0] ?? 0) & 0x0f);
  for (let i = 0; i < PN_LENGTH; i++) packet[pnOffset + i] = (packet[pnOffset + i] ?? 0) ^ (mask[1 + i] ?? 0);
  return packet;
}
