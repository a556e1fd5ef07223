/** The Internet checksum (RFC 1071), to prove the hand-written fixtures are self-consistent. */

function sum16(bytes: Uint8Array, start: number, end: number, initial: number): number {
  let sum = initial;
  for (let i = start; i < end; i += 2) sum += ((bytes[i] ?? 0) << 8) | (i + 1 < end ? (bytes[i + 1] ?? 0) : 0);
  return sum;
}

function fold(sum: number): number {
  let s = sum;
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x1_0000);
  return s;
}

/** True if the one's-complement sum over the range (its checksum field included) is 0xffff. */
export function ipv4HeaderChecksumOk(frame: Uint8Array, ipOffset: number): boolean {
  const headerLength = ((frame[ipOffset] ?? 0) & 0x0f) * 4;
  return fold(sum16(frame, ipOffset, ipOffset + headerLength, 0)) === 0xffff;
}

/** Checks a TCP/UDP/ICMPv6 checksum over the IPv4 or IPv6 pseudo-header (RFC 9293 §3.1, RFC 8200 §8.1). */
export function upperLayerChecksumOk(
  frame: Uint8Array,
  srcOffset: number,
  addressLength: 4 | 16,
  protocol: number,
  start: number,
  end: number,
): boolean {
  let sum = sum16(frame, srcOffset, srcOffset + 2 * addressLength, 0); // source and destination
  sum += protocol + (end - start);
  return fold(sum16(frame, start, end, sum)) === 0xffff;
}

/** Checks an ICMP (IPv4) checksum: over the message alone (RFC 792). */
export function icmpChecksumOk(frame: Uint8Array, start: number, end: number): boolean {
  return fold(sum16(frame, start, end, 0)) === 0xffff;
}

