/**
 * Text forms of addresses, for the edge of the sensor (profiles, logs), never per packet: the
 * decoders record addresses as numbers and byte offsets.
 */
import { u16, u32 } from './bytes.js';

const MAC_LIMIT = 2 ** 48;

/** A 48-bit MAC number as lower-case colon-separated hex, e.g. `00:1b:63:84:45:e6`. */
export function macToString(mac: number): string {
  if (!Number.isInteger(mac) || mac < 0 || mac >= MAC_LIMIT) throw new RangeError(`not a 48-bit MAC: ${mac}`);
  const hex = mac.toString(16).padStart(12, '0');
  let text = hex.slice(0, 2);
  for (let i = 2; i < 12; i += 2) text += ':' + hex.slice(i, i + 2);
  return text;
}

/** An unsigned 32-bit IPv4 number in dotted-decimal form. */
export function ipv4ToString(ip: number): string {
  const n = ip >>> 0;
  return `${n >>> 24}.${(n >>> 16) & 0xff}.${(n >>> 8) & 0xff}.${n & 0xff}`;
}

/**
 * The 16-octet IPv6 address at `buf[offset]` in RFC 5952 form: lower-case hex without leading
 * zeros (§4.1, §4.3), the longest run of two or more zero groups shortened to `::`, the first such
 * run on a tie (§4.2), and an IPv4-mapped address with its last 32 bits dotted (§5).
 */
export function ipv6ToString(buf: Uint8Array, offset: number): string {
  if (!Number.isInteger(offset) || offset < 0 || offset + 16 > buf.length) {
    throw new RangeError(`no IPv6 address at offset ${offset}`);
  }
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(u16(buf, offset + 2 * i));
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `::ffff:${ipv4ToString(u32(buf, offset + 12))}`;
  }
  let bestStart = -1;
  let bestLength = 1; // §4.2.2: a single zero group is not shortened
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const text = (from: number, to: number): string =>
    groups
      .slice(from, to)
      .map((g) => g.toString(16))
      .join(':');
  if (bestStart < 0) return text(0, 8);
  return `${text(0, bestStart)}::${text(bestStart + bestLength, 8)}`;
}
