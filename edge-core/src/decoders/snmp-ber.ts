/**
 * The subset of ASN.1 BER (ITU-T X.690) that SNMP messages use (RFC 3417 §8: definite lengths
 * only): one element at a time, each bounded by its parent's end, never throwing.
 */
import { u8 } from './bytes.js';

/** Universal and SNMP application tags (X.690 §8, RFC 2578 §7.1, RFC 3416 §3). */
export const TAG_INTEGER = 0x02;
export const TAG_OCTET_STRING = 0x04;
export const TAG_NULL = 0x05;
export const TAG_OID = 0x06;
export const TAG_SEQUENCE = 0x30;

/** The largest sub-identifier count of an SNMP OID (RFC 2578 §3.5). */
const MAX_SUBIDENTIFIERS = 128;
/** Length octets in the long form beyond which no SNMP message can reach (64 KiB datagrams). */
const MAX_LENGTH_OCTETS = 3;

/** One element: its identifier octet and where its contents lie; the next element starts at `end`. */
export interface BerElement {
  tag: number;
  start: number;
  end: number;
}

/**
 * The element at `at`, contained in `[at, limit)`; null if its identifier uses the high-tag-number
 * form, its length is indefinite or too long, or its contents run past `limit`.
 */
export function readElement(buf: Uint8Array, at: number, limit: number): BerElement | null {
  if (at < 0 || at + 2 > limit) return null;
  const tag = u8(buf, at); // X.690 §8.1.2: class 2 bits, constructed 1, tag number 5
  if ((tag & 0x1f) === 0x1f) return null; // §8.1.2.4: high-tag-number form, unused by SNMP
  const first = u8(buf, at + 1); // §8.1.3: length
  let start = at + 2;
  let length = first;
  if (first & 0x80) {
    const octets = first & 0x7f; // §8.1.3.5: long form; 0 is indefinite (§8.1.3.6), not allowed
    if (octets === 0 || octets > MAX_LENGTH_OCTETS || start + octets > limit) return null;
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + u8(buf, start + i);
    start += octets;
  }
  const end = start + length;
  return end > limit ? null : { tag, start, end };
}

/** The element at `at` if it has tag `tag`, else null. */
export function expectElement(buf: Uint8Array, at: number, limit: number, tag: number): BerElement | null {
  const element = readElement(buf, at, limit);
  return element !== null && element.tag === tag ? element : null;
}

/** X.690 §8.3: a two's-complement integer; null if empty or beyond 2^53 in magnitude. */
export function integerValue(buf: Uint8Array, start: number, end: number): number | null {
  if (end <= start || end - start > 9) return null;
  let value = BigInt.asIntN(8, BigInt(u8(buf, start)));
  for (let at = start + 1; at < end; at++) value = (value << 8n) | BigInt(u8(buf, at));
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : null;
}

/** The contents as an unsigned big-endian integer in decimal (Counter32, Gauge32, TimeTicks, Counter64); null if empty or over 9 octets. */
export function unsignedText(buf: Uint8Array, start: number, end: number): string | null {
  if (end <= start || end - start > 9) return null;
  let value = 0n;
  for (let at = start; at < end; at++) value = (value << 8n) | BigInt(u8(buf, at));
  return value.toString();
}

/**
 * X.690 §8.19: an object identifier in dotted form. The first sub-identifier packs the first two
 * arcs (X * 40 + Y); each is base 128, high bit set on all but its last octet. Null if empty, cut
 * inside a sub-identifier, longer than RFC 2578 allows, or a sub-identifier exceeds 2^53.
 */
export function oidText(buf: Uint8Array, start: number, end: number): string | null {
  if (end <= start) return null;
  const arcs: number[] = [];
  let value = 0;
  for (let at = start; at < end; at++) {
    const octet = u8(buf, at);
    value = value * 128 + (octet & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER) return null;
    if (octet & 0x80) continue;
    if (arcs.length === 0) {
      const first = value < 40 ? 0 : value < 80 ? 1 : 2;
      arcs.push(first, value - first * 40);
    } else {
      arcs.push(value);
    }
    if (arcs.length > MAX_SUBIDENTIFIERS) return null;
    value = 0;
  }
  return u8(buf, end - 1) & 0x80 ? null : arcs.join('.');
}
