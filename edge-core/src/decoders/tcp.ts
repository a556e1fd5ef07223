/**
 * TCP (RFC 9293 §3.1). Options are left as the byte range between offset + 20 and payloadOffset.
 * `end` is where the IP payload ends, so Ethernet padding is never taken for TCP data.
 */
import { u16, u32, u8 } from './bytes.js';
import { WEIRD_BAD_TCP_HEADER, WEIRD_NONE, WEIRD_TRUNCATED_TCP } from './weird.js';

/** RFC 9293 §3.1: the header without options is five 32-bit words. */
export const TCP_MIN_HEADER_LENGTH = 20;

/** Control bits (RFC 9293 §3.1, octet 13). */
export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;
export const TCP_URG = 0x20;
export const TCP_ECE = 0x40;
export const TCP_CWR = 0x80;

export interface Tcp {
  srcPort: number;
  dstPort: number;
  /** Sequence number, unsigned 32-bit. */
  seq: number;
  /** Acknowledgment number, unsigned 32-bit (meaningful when TCP_ACK is set). */
  ack: number;
  /** Data offset × 4: header with options, 20..60 octets. */
  headerLength: number;
  /** The eight control bits, TCP_FIN … TCP_CWR. */
  flags: number;
  window: number;
  urgentPointer: number;
  payloadOffset: number;
  payloadLength: number;
  weird: number;
}

export function createTcp(): Tcp {
  return {
    srcPort: 0,
    dstPort: 0,
    seq: 0,
    ack: 0,
    headerLength: 0,
    flags: 0,
    window: 0,
    urgentPointer: 0,
    payloadOffset: 0,
    payloadLength: 0,
    weird: WEIRD_NONE,
  };
}

/** Decodes the TCP header at `offset`; null (with `out.weird`) if malformed or cut off. */
export function decode(buf: Uint8Array, offset: number, out: Tcp, end = buf.length): Tcp | null {
  const limit = end < buf.length ? end : buf.length;
  const available = limit - offset;
  if (offset < 0 || available < TCP_MIN_HEADER_LENGTH) {
    out.weird = WEIRD_TRUNCATED_TCP;
    return null;
  }
  const headerLength = (u8(buf, offset + 12) >> 4) * 4; // Data Offset 4 bits, in 32-bit words
  if (headerLength < TCP_MIN_HEADER_LENGTH) {
    out.weird = WEIRD_BAD_TCP_HEADER;
    return null;
  }
  if (headerLength > available) {
    out.weird = WEIRD_TRUNCATED_TCP;
    return null;
  }
  out.srcPort = u16(buf, offset); // Source Port 16 bits
  out.dstPort = u16(buf, offset + 2); // Destination Port 16 bits
  out.seq = u32(buf, offset + 4); // Sequence Number 32 bits
  out.ack = u32(buf, offset + 8); // Acknowledgment Number 32 bits
  out.headerLength = headerLength;
  out.flags = u8(buf, offset + 13); // CWR ECE URG ACK PSH RST SYN FIN
  out.window = u16(buf, offset + 14); // Window 16 bits (unscaled)
  out.urgentPointer = u16(buf, offset + 18); // after Checksum 16 bits
  out.payloadOffset = offset + headerLength;
  out.payloadLength = available - headerLength;
  out.weird = WEIRD_NONE;
  return out;
}
