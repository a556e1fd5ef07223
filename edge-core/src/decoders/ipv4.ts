/** IPv4 (RFC 791). The header checksum is not verified: a mirror port shows what was sent. */
import { u16, u32, u8 } from './bytes.js';
import {
  WEIRD_BAD_IPV4_HEADER,
  WEIRD_BAD_IPV4_LENGTH,
  WEIRD_NONE,
  WEIRD_TRUNCATED_IPV4,
  WEIRD_TRUNCATED_IPV4_PAYLOAD,
} from './weird.js';

/** RFC 791 §3.1: the header without options is five 32-bit words. */
export const IPV4_MIN_HEADER_LENGTH = 20;
const FLAG_MORE_FRAGMENTS = 0x2000; // RFC 791 §3.1 Flags bit 2 (MF), in the 16-bit flags/offset word
const FRAGMENT_OFFSET_MASK = 0x1fff; // 13 bits, in units of 8 octets

export interface Ipv4 {
  /** IHL × 4, 20..60 octets. */
  headerLength: number;
  /** Total length field: header and data, in octets. */
  totalLength: number;
  /** Differentiated services field (the former type of service). */
  tos: number;
  identification: number;
  ttl: number;
  /** IANA protocol number of the data (6 TCP, 17 UDP, 1 ICMP, …). */
  protocol: number;
  /** Source address as an unsigned 32-bit number. */
  src: number;
  dst: number;
  /** Fragment offset in octets (the field × 8). */
  fragmentOffset: number;
  /** MF flag: more fragments follow. */
  moreFragments: boolean;
  /** True for any fragment (MF set or offset non-zero); only offset 0 carries the L4 header. */
  isFragment: boolean;
  /** Offset of the data after the header and its options. */
  payloadOffset: number;
  /** Octets of data per the total length (Ethernet padding beyond it is excluded). */
  payloadLength: number;
  weird: number;
}

export function createIpv4(): Ipv4 {
  return {
    headerLength: 0,
    totalLength: 0,
    tos: 0,
    identification: 0,
    ttl: 0,
    protocol: 0,
    src: 0,
    dst: 0,
    fragmentOffset: 0,
    moreFragments: false,
    isFragment: false,
    payloadOffset: 0,
    payloadLength: 0,
    weird: WEIRD_NONE,
  };
}

function reject(out: Ipv4, weird: number): null {
  out.weird = weird;
  return null;
}

/**
 * Decodes the IPv4 header at `offset`; null (with `out.weird`) if it is malformed or cut off.
 * The frame ends at `end` (exclusive): a total length reaching past it is a truncation.
 */
export function decode(buf: Uint8Array, offset: number, out: Ipv4, end = buf.length): Ipv4 | null {
  const available = (end < buf.length ? end : buf.length) - offset;
  if (offset < 0 || available < IPV4_MIN_HEADER_LENGTH) return reject(out, WEIRD_TRUNCATED_IPV4);
  const versionIhl = u8(buf, offset); // Version 4 bits, IHL 4 bits (32-bit words)
  const headerLength = (versionIhl & 0x0f) * 4;
  if (versionIhl >> 4 !== 4 || headerLength < IPV4_MIN_HEADER_LENGTH) return reject(out, WEIRD_BAD_IPV4_HEADER);
  if (headerLength > available) return reject(out, WEIRD_TRUNCATED_IPV4);
  const declared = u16(buf, offset + 2); // Total Length 16 bits
  // 0 is a segment captured on its sending host before the NIC's segmentation offload filled the
  // length in: the packet is the rest of the frame (Wireshark reads it so too).
  const totalLength = declared === 0 ? available : declared;
  if (totalLength < headerLength) return reject(out, WEIRD_BAD_IPV4_LENGTH);
  if (totalLength > available) return reject(out, WEIRD_TRUNCATED_IPV4_PAYLOAD);
  const flagsOffset = u16(buf, offset + 6); // Flags 3 bits, Fragment Offset 13 bits
  out.headerLength = headerLength;
  out.totalLength = totalLength;
  out.tos = u8(buf, offset + 1);
  out.identification = u16(buf, offset + 4);
  out.ttl = u8(buf, offset + 8);
  out.protocol = u8(buf, offset + 9);
  out.src = u32(buf, offset + 12);
  out.dst = u32(buf, offset + 16);
  out.fragmentOffset = (flagsOffset & FRAGMENT_OFFSET_MASK) * 8;
  out.moreFragments = (flagsOffset & FLAG_MORE_FRAGMENTS) !== 0;
  out.isFragment = out.moreFragments || out.fragmentOffset !== 0;
  out.payloadOffset = offset + headerLength;
  out.payloadLength = totalLength - headerLength;
  out.weird = WEIRD_NONE;
  return out;
}
