/**
 * Text forms of addresses, for the edge of the sensor (profiles, logs), never per packet: the
 * decoders record addresses as numbers and byte offsets.
 */
import { u16, u32 } from './bytes.js';

const MAC_LIMIT = 2 ** 48;

/** Character codes of the lower-case hex digits. */
const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const COLON = 0x3a;

/** A 48-bit MAC number as lower-case colon-separated hex, e.g. `00:1b:63:84:45:e6`. */
export function macToString(mac: number): string {
  return macText(mac, false);
}

/** The device key of a MAC, `mac:00:1b:63:84:45:e6`. */
export function macKeyText(mac: number): string {
  return macText(mac, true);
}

/**
 * Written in one piece from character codes: a flat string (a new device needs its key once, and
 * a Map hashes it at once), not a chain of concatenations to be flattened later.
 */
function macText(mac: number, keyed: boolean): string {
  if (!Number.isInteger(mac) || mac < 0 || mac >= MAC_LIMIT) throw new RangeError(`not a 48-bit MAC: ${mac}`);
  const hi = Math.floor(mac / 2 ** 32);
  const lo = mac >>> 0;
  const h = (v: number): number => HEX_CODES[v & 0xf] ?? 0x30;
  const c0 = h(hi >>> 12), c1 = h(hi >>> 8), c2 = h(hi >>> 4), c3 = h(hi);
  const c4 = h(lo >>> 28), c5 = h(lo >>> 24), c6 = h(lo >>> 20), c7 = h(lo >>> 16);
  const c8 = h(lo >>> 12), c9 = h(lo >>> 8), c10 = h(lo >>> 4), c11 = h(lo);
  return keyed
    ? String.fromCharCode(0x6d, 0x61, 0x63, COLON, c0, c1, COLON, c2, c3, COLON, c4, c5, COLON, c6, c7, COLON, c8, c9, COLON, c10, c11)
    : String.fromCharCode(c0, c1, COLON, c2, c3, COLON, c4, c5, COLON, c6, c7, COLON, c8, c9, COLON, c10, c11);
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
