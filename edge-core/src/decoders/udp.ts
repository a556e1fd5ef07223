/**
 * UDP (RFC 768). `end` is where the IP payload ends (IPv4 total length or IPv6 payload length), so
 * Ethernet padding after the datagram is never taken for UDP data.
 */
import { u16 } from './bytes.js';
import { WEIRD_BAD_UDP_LENGTH, WEIRD_NONE, WEIRD_TRUNCATED_UDP } from './weird.js';

/** RFC 768: source port 2, destination port 2, length 2, checksum 2. */
export const UDP_HEADER_LENGTH = 8;

export interface Udp {
  srcPort: number;
  dstPort: number;
  /** Length field: header and data, in octets. */
  length: number;
  payloadOffset: number;
  payloadLength: number;
  weird: number;
}

export function createUdp(): Udp {
  return { srcPort: 0, dstPort: 0, length: 0, payloadOffset: 0, payloadLength: 0, weird: WEIRD_NONE };
}

function readHeader(buf: Uint8Array, offset: number, out: Udp, limit: number): boolean {
  if (offset < 0 || limit - offset < UDP_HEADER_LENGTH) {
    out.weird = WEIRD_TRUNCATED_UDP;
    return false;
  }
  out.srcPort = u16(buf, offset); // RFC 768: Source Port 16 bits
  out.dstPort = u16(buf, offset + 2); // Destination Port 16 bits
  out.length = u16(buf, offset + 4); // Length 16 bits, header included (then Checksum 16 bits)
  out.payloadOffset = offset + UDP_HEADER_LENGTH;
  out.weird = WEIRD_NONE;
  return true;
}

/** Decodes a whole UDP datagram at `offset`; null (with `out.weird`) if its length field does not fit. */
export function decode(buf: Uint8Array, offset: number, out: Udp, end = buf.length): Udp | null {
  const limit = end < buf.length ? end : buf.length;
  if (!readHeader(buf, offset, out, limit)) return null;
  if (out.length < UDP_HEADER_LENGTH || out.length > limit - offset) {
    out.weird = WEIRD_BAD_UDP_LENGTH;
    return null;
  }
  out.payloadLength = out.length - UDP_HEADER_LENGTH;
  return out;
}

/**
 * Decodes the UDP header at the start of a first IP fragment: the length field describes the whole
 * datagram, so it is recorded but not checked, and the payload is what this fragment carries.
 */
export function decodeFirstFragment(buf: Uint8Array, offset: number, out: Udp, end = buf.length): Udp | null {
  const limit = end < buf.length ? end : buf.length;
  if (!readHeader(buf, offset, out, limit)) return null;
  out.payloadLength = limit - out.payloadOffset;
  return out;
}
