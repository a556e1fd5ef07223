/** UDP datagrams (RFC 768) with their checksum over the IPv4 or IPv6 pseudo-header. */
import { concatBytes, checkRange, u16 } from './bytes.js';
import { ipv4Bytes, ipv6Bytes } from './address.js';
import { internetChecksum, ipv4PseudoHeader, ipv6PseudoHeader, udpChecksumValue } from './checksum.js';
import { IP_PROTOCOL_UDP } from './ipv4.js';

export interface UdpFields {
  /** Source and destination IP addresses (IPv4 dotted quad or IPv6 text), for the pseudo-header. */
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  payload: Uint8Array;
}

/** RFC 768: source port, destination port, length (header + data), checksum. */
export function udpDatagram(fields: UdpFields): Uint8Array {
  checkRange(fields.srcPort, 0xffff, 'UDP source port');
  checkRange(fields.dstPort, 0xffff, 'UDP destination port');
  const length = 8 + fields.payload.length;
  const datagram = concatBytes([u16(fields.srcPort), u16(fields.dstPort), u16(length), u16(0), fields.payload]);
  const checksum = internetChecksum([pseudoHeader(fields.src, fields.dst, length), datagram]);
  datagram[6] = udpChecksumValue(checksum) >>> 8;
  datagram[7] = udpChecksumValue(checksum) & 0xff;
  return datagram;
}

/** The pseudo-header for either IP version, chosen by the address form. */
export function pseudoHeader(src: string, dst: string, length: number, protocol = IP_PROTOCOL_UDP): Uint8Array {
  return src.includes(':')
    ? ipv6PseudoHeader(ipv6Bytes(src), ipv6Bytes(dst), protocol, length)
    : ipv4PseudoHeader(ipv4Bytes(src), ipv4Bytes(dst), protocol, length);
}
