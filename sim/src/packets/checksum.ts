/** The Internet checksum and the pseudo-headers the transport checksums cover. */
import { concatBytes, u16, u32, u8 } from './bytes.js';

/** RFC 1071 §4.1: one's complement of the one's complement sum of 16-bit words (odd byte padded). */
export function internetChecksum(parts: readonly Uint8Array[]): number {
  let sum = 0;
  let odd: number | undefined;
  for (const part of parts) {
    for (const byte of part) {
      if (odd === undefined) {
        odd = byte;
      } else {
        sum += (odd << 8) | byte;
        odd = undefined;
      }
    }
  }
  if (odd !== undefined) sum += odd << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** RFC 768 / RFC 9293 §3.1: IPv4 pseudo-header (source, destination, zero, protocol, length). */
export function ipv4PseudoHeader(src: Uint8Array, dst: Uint8Array, protocol: number, length: number): Uint8Array {
  return concatBytes([src, dst, u8(0), u8(protocol), u16(length)]);
}

/** RFC 8200 §8.1: IPv6 pseudo-header (source, destination, upper-layer length, zeros, next header). */
export function ipv6PseudoHeader(src: Uint8Array, dst: Uint8Array, nextHeader: number, length: number): Uint8Array {
  return concatBytes([src, dst, u32(length), Uint8Array.of(0, 0, 0), u8(nextHeader)]);
}

/** A transport checksum of 0 means "none" in UDP over IPv4, so a computed 0 is sent as 0xffff (RFC 768). */
export function udpChecksumValue(checksum: number): number {
  return checksum === 0 ? 0xffff : checksum;
}
