/**
 * RDATA of the resource records that name and describe devices: addresses (A, AAAA), names (PTR,
 * CNAME), services (SRV) and DNS-SD attributes (TXT). Each is read inside its own RDLENGTH; one
 * that does not fit its type's layout is reported as unreadable without failing the message.
 */
import { ipv4ToString, ipv6ToString } from './address-text.js';
import { u16, u32, u8 } from './bytes.js';
import { nameText, readName } from './dns-name.js';
import { indexOfOctet, utf8 } from './octet-text.js';

// RFC 1035 §3.2.2 and the IANA DNS parameters registry
export const DNS_TYPE_A = 1;
export const DNS_TYPE_CNAME = 5;
export const DNS_TYPE_PTR = 12;
export const DNS_TYPE_TXT = 16;
export const DNS_TYPE_AAAA = 28; // RFC 3596 §2.1
export const DNS_TYPE_SRV = 33; // RFC 2782
export const DNS_TYPE_OPT = 41; // RFC 6891 §6.1.1: CLASS holds the requestor's UDP payload size

const EQUALS = 0x3d;

/** One DNS-SD attribute (RFC 6763 §6.3–6.4): `key=value`, or a bare `key` (a boolean attribute). */
export interface DnsTxtAttribute {
  /** As sent; RFC 6763 §6.4 compares keys case-insensitively. */
  key: string;
  /** Null for a boolean attribute (no `=`); an empty string for `key=`. */
  value: string | null;
}

/** What the RDATA of a record type this decoder reads says. */
export type DnsRdata =
  /** A (RFC 1035 §3.4.1) or AAAA (RFC 3596 §2.2): dotted-decimal or RFC 5952 text. */
  | { kind: 'a' | 'aaaa'; address: string }
  /** PTR (§3.3.12), e.g. a DNS-SD service instance, or CNAME (§3.3.1): the name pointed to. */
  | { kind: 'ptr' | 'cname'; target: string }
  /** SRV (RFC 2782): where a service instance runs. */
  | { kind: 'srv'; priority: number; weight: number; port: number; target: string }
  /**
   * TXT (§3.3.14): every character-string, in order, and the DNS-SD attributes made of them
   * (RFC 6763 §6.4: a string without a key is ignored, and of a repeated key only the first counts).
   */
  | { kind: 'txt'; strings: string[]; attributes: DnsTxtAttribute[] };

/** A name inside RDATA: its labels start within [at, end); pointers may reach back into the message. */
function rdataName(buf: Uint8Array, at: number, end: number, message: number, messageEnd: number): string | null {
  const name = readName(buf, at, message, messageEnd);
  return name === null || name.next > end ? null : nameText(buf, name);
}

/** RFC 1035 §3.3: <character-string>s, a length octet then that many octets, filling the RDATA. */
function readTxt(buf: Uint8Array, at: number, end: number): DnsRdata | null {
  const strings: string[] = [];
  const attributes: DnsTxtAttribute[] = [];
  const seen = new Set<string>();
  for (let pos = at; pos < end; ) {
    const length = u8(buf, pos);
    const start = pos + 1;
    pos = start + length;
    if (pos > end) return null;
    strings.push(utf8(buf, start, pos));
    const equals = indexOfOctet(buf, EQUALS, start, pos);
    if (length === 0 || equals === start) continue; // RFC 6763 §6.4: no key, ignored
    const key = utf8(buf, start, equals < 0 ? pos : equals);
    const folded = key.toLowerCase();
    if (seen.has(folded)) continue;
    seen.add(folded);
    attributes.push({ key, value: equals < 0 ? null : utf8(buf, equals + 1, pos) });
  }
  return { kind: 'txt', strings, attributes };
}

/**
 * The RDATA `buf[at, end)` of a record of `type`, in the message `buf[message, messageEnd)`; null
 * for a type not read here or RDATA that does not fit its type.
 */
export function readRdata(
  buf: Uint8Array,
  type: number,
  at: number,
  end: number,
  message: number,
  messageEnd: number,
): DnsRdata | null {
  const length = end - at;
  switch (type) {
    case DNS_TYPE_A:
      return length === 4 ? { kind: 'a', address: ipv4ToString(u32(buf, at)) } : null;
    case DNS_TYPE_AAAA:
      return length === 16 ? { kind: 'aaaa', address: ipv6ToString(buf, at) } : null;
    case DNS_TYPE_PTR:
    case DNS_TYPE_CNAME: {
      const target = rdataName(buf, at, end, message, messageEnd);
      if (target === null) return null;
      return { kind: type === DNS_TYPE_PTR ? 'ptr' : 'cname', target };
    }
    case DNS_TYPE_SRV: {
      // RFC 2782: priority 2, weight 2, port 2, target (RFC 6762 §18.14: mDNS may compress it)
      if (length < 7) return null;
      const target = rdataName(buf, at + 6, end, message, messageEnd);
      if (target === null) return null;
      return { kind: 'srv', priority: u16(buf, at), weight: u16(buf, at + 2), port: u16(buf, at + 4), target };
    }
    case DNS_TYPE_TXT:
      return readTxt(buf, at, end);
    default:
      return null;
  }
}
