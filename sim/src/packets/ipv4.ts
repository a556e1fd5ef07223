/** IPv4 datagrams (RFC 791) without options, and their forwarding by a router. */
import { concatBytes, checkRange, u16, u8 } from './bytes.js';
import { ipv4Bytes } from './address.js';
import { internetChecksum } from './checksum.js';

export const IP_PROTOCOL_ICMP = 1;
export const IP_PROTOCOL_TCP = 6;
export const IP_PROTOCOL_UDP = 17;

const HEADER_LENGTH = 20;

export interface Ipv4Fields {
  src: string;
  dst: string;
  protocol: number;
  payload: Uint8Array;
  /** Identification (16 bits), kept per sending host. */
  id: number;
  ttl: number;
  dontFragment?: boolean;
  /** Differentiated services code point (6 bits), RFC 2474 §3. */
  dscp?: number;
}

/** RFC 791 §3.1: version/IHL, TOS, total length, id, flags/fragment offset, TTL, protocol, checksum, addresses. */
export function ipv4Packet(fields: Ipv4Fields): Uint8Array {
  checkRange(fields.ttl, 0xff, 'IPv4 TTL');
  const dscp = fields.dscp ?? 0;
  checkRange(dscp, 0x3f, 'IPv4 DSCP');
  const header = concatBytes([
    u8(0x45), // version 4, IHL 5 words
    u8(dscp << 2),
    u16(HEADER_LENGTH + fields.payload.length),
    u16(fields.id),
    u16(fields.dontFragment ? 0x4000 : 0), // flags: bit 1 = DF; fragment offset 0
    u8(fields.ttl),
    u8(fields.protocol),
    u16(0), // checksum, filled below
    ipv4Bytes(fields.src),
    ipv4Bytes(fields.dst),
  ]);
  writeHeaderChecksum(header);
  return concatBytes([header, fields.payload]);
}

/**
 * RFC 1812 §5.3.1 / §5.2.2: a router forwarding a datagram decrements its TTL once per hop and
 * recomputes the header checksum. Returns a copy; the original is left alone.
 */
export function forwardIpv4(packet: Uint8Array, hops = 1): Uint8Array {
  const copy = packet.slice();
  const ttl = copy[8] ?? 0;
  copy[8] = Math.max(0, ttl - hops);
  copy[10] = 0;
  copy[11] = 0;
  writeHeaderChecksum(copy);
  return copy;
}

function writeHeaderChecksum(packet: Uint8Array): void {
  const headerLength = ((packet[0] ?? 0) & 0x0f) * 4;
  const checksum = internetChecksum([packet.subarray(0, headerLength)]);
  packet[10] = checksum >>> 8;
  packet[11] = checksum & 0xff;
}
