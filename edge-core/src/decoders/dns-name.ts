/**
 * Domain names on the wire (RFC 1035 §3.1 labels, §4.1.4 message compression), shared by the DNS
 * family (DNS, mDNS, LLMNR) and NetBIOS name service (RFC 1002 §4.1), which use the same format.
 * Every read is bounded: a name ends within 255 octets and 128 compression pointers, so pointer
 * loops and runaway names end as malformed rather than spinning.
 */
import { u16, u8 } from './bytes.js';
import { utf8 } from './octet-text.js';

/** RFC 1035 §3.1: a name is at most 255 octets: its labels, their length octets and the root. */
const MAX_NAME_OCTETS = 255;
/** A name of at most 127 labels can need a pointer before each; more hops means a loop. */
const MAX_POINTERS = 128;

/** RFC 1035 §4.1.4: the two high bits of a length octet: 00 a label, 11 a pointer. */
const LABEL_KIND_MASK = 0xc0;
const POINTER = 0xc0;
const POINTER_OFFSET_MASK = 0x3fff;

export interface WireName {
  /** Offsets of each label's length octet, in order; the label's octets follow it. */
  labels: number[];
  /** Where the message goes on after the name: past its first pointer, or past its root label. */
  next: number;
}

/**
 * Reads the name at `buf[at]` in the message that starts at `message` and ends at `end`; pointers
 * are offsets from `message` and must land before `end`. Null if the name runs past `end`, uses a
 * label type other than a plain label or a pointer (RFC 6891 §5 retired the others), exceeds 255
 * octets, or follows more than 128 pointers.
 */
export function readName(buf: Uint8Array, at: number, message: number, end: number): WireName | null {
  const labels: number[] = [];
  let next = -1;
  let octets = 1; // the root label
  let pointers = 0;
  let pos = at;
  for (;;) {
    if (pos >= end) return null;
    const length = u8(buf, pos);
    const kind = length & LABEL_KIND_MASK;
    if (kind === POINTER) {
      // RFC 1035 §4.1.4: 11 then a 14-bit offset from the start of the message
      if (pos + 2 > end || ++pointers > MAX_POINTERS) return null;
      if (next < 0) next = pos + 2;
      pos = message + (u16(buf, pos) & POINTER_OFFSET_MASK);
      continue;
    }
    if (kind !== 0) return null;
    if (length === 0) return { labels, next: next < 0 ? pos + 1 : next };
    octets += 1 + length;
    if (octets > MAX_NAME_OCTETS || pos + 1 + length > end) return null;
    labels.push(pos);
    pos += 1 + length;
  }
}

/** A label's octets as UTF-8 (RFC 6762 §16: multicast DNS names are UTF-8; ASCII is a subset). */
export function labelText(buf: Uint8Array, label: number): string {
  return utf8(buf, label + 1, label + 1 + u8(buf, label));
}

/** The name's labels joined with dots, as written (no escaping); the root is the empty string. */
export function nameText(buf: Uint8Array, name: WireName, fromLabel = 0): string {
  const parts: string[] = [];
  for (let i = fromLabel; i < name.labels.length; i++) parts.push(labelText(buf, name.labels[i] ?? 0));
  return parts.join('.');
}

/**
 * `count` entries of one section (RFC 1035 §4.1: question, answer, authority, additional; NetBIOS
 * name service messages share the layout, RFC 1002 §4.2.1), or null as soon as one is malformed.
 */
export function readSection<T>(count: number, readOne: () => T | null): T[] | null {
  const entries: T[] = [];
  for (let i = 0; i < count; i++) {
    const entry = readOne();
    if (entry === null) return null;
    entries.push(entry);
  }
  return entries;
}
