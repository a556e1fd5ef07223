/**
 * ICMP (RFC 792) and ICMPv6 (RFC 4443 §2.1): both begin with type 1, code 1, checksum 2, then a
 * type-specific body. The caller knows which of the two it is from the IP protocol (1 or 58).
 * `end` is where the IP payload ends.
 */
import { u8 } from './bytes.js';
import { WEIRD_NONE, WEIRD_TRUNCATED_ICMP } from './weird.js';

export const ICMP_HEADER_LENGTH = 4;

export interface Icmp {
  type: number;
  code: number;
  /** Offset of the message body (for echo: identifier 2, sequence 2, data). */
  payloadOffset: number;
  payloadLength: number;
  weird: number;
}

export function createIcmp(): Icmp {
  return { type: 0, code: 0, payloadOffset: 0, payloadLength: 0, weird: WEIRD_NONE };
}

/** Decodes the ICMP or ICMPv6 header at `offset`; null (with `out.weird`) if cut off. */
export function decode(buf: Uint8Array, offset: number, out: Icmp, end = buf.length): Icmp | null {
  const limit = end < buf.length ? end : buf.length;
  if (offset < 0 || limit - offset < ICMP_HEADER_LENGTH) {
    out.weird = WEIRD_TRUNCATED_ICMP;
    return null;
  }
  out.type = u8(buf, offset);
  out.code = u8(buf, offset + 1);
  out.payloadOffset = offset + ICMP_HEADER_LENGTH;
  out.payloadLength = limit - out.payloadOffset;
  out.weird = WEIRD_NONE;
  return out;
}
