/**
 * DNS messages (RFC 1035 §4.1), as sent on UDP 53, multicast DNS on 5353 (RFC 6762) and LLMNR on
 * 5355 (RFC 4795), which share the format. Used on the identification path (host names, DNS-SD
 * services, their addresses and TXT attributes), so it returns a fresh plain object with strings;
 * it never throws. Malformed names, sections that run past the end and pointer loops give null;
 * trailing octets after the last record are ignored. DNS over TCP carries a 2-octet length first
 * (RFC 1035 §4.2.2): the caller skips it.
 */
import { u16, u32 } from './bytes.js';
import { nameText, readName, readSection } from './dns-name.js';
import { DNS_TYPE_OPT, readRdata, type DnsRdata } from './dns-rdata.js';

export { DNS_TYPE_A, DNS_TYPE_AAAA, DNS_TYPE_CNAME, DNS_TYPE_OPT, DNS_TYPE_PTR, DNS_TYPE_SRV, DNS_TYPE_TXT } from './dns-rdata.js';
export type { DnsRdata, DnsTxtAttribute } from './dns-rdata.js';

/** RFC 1035 §4.1.1: ID, flags, QDCOUNT, ANCOUNT, NSCOUNT, ARCOUNT, two octets each. */
const HEADER_LENGTH = 12;
/** RFC 6762 §5.4 (questions: unicast response wanted) and §10.2 (records: cache flush). */
const CLASS_TOP_BIT = 0x8000;
const CLASS_MASK = 0x7fff;
const FLAG_QR = 0x8000;

export interface DnsQuestion {
  /** Labels joined with dots, UTF-8 (mDNS service instance names may hold any character). */
  name: string;
  type: number;
  /** CLASS without the top bit (1 IN). */
  class: number;
  /** mDNS "QU" bit (RFC 6762 §5.4): the top bit of QCLASS. */
  unicastResponse: boolean;
}

export interface DnsResourceRecord {
  /** Owner name; the root is the empty string. */
  name: string;
  type: number;
  /** CLASS without the top bit; for OPT (RFC 6891) the whole field, the UDP payload size. */
  class: number;
  /** mDNS cache-flush bit (RFC 6762 §10.2): the top bit of CLASS (never set for OPT). */
  cacheFlush: boolean;
  ttl: number;
  /** The RDATA of A, AAAA, PTR, CNAME, SRV and TXT records; null for other types or unreadable RDATA. */
  data: DnsRdata | null;
}

export interface Dns {
  id: number;
  /** RFC 1035 §4.1.1 flags word: QR, Opcode, AA, TC, RD, RA, Z, AD, CD (RFC 4035), RCODE. */
  flags: number;
  isResponse: boolean;
  /** 0 query, 4 notify, 5 update. */
  opcode: number;
  /** 0 no error, 3 name error, … */
  rcode: number;
  questions: DnsQuestion[];
  answers: DnsResourceRecord[];
  authorities: DnsResourceRecord[];
  additionals: DnsResourceRecord[];
}

/** A reader's position in the message. */
interface Cursor {
  at: number;
  readonly message: number;
  readonly end: number;
}

/** RFC 1035 §4.1.2: QNAME, QTYPE 2, QCLASS 2. */
function readQuestion(buf: Uint8Array, c: Cursor): DnsQuestion | null {
  const name = readName(buf, c.at, c.message, c.end);
  if (name === null || name.next + 4 > c.end) return null;
  const qclass = u16(buf, name.next + 2);
  c.at = name.next + 4;
  return {
    name: nameText(buf, name),
    type: u16(buf, name.next),
    class: qclass & CLASS_MASK,
    unicastResponse: (qclass & CLASS_TOP_BIT) !== 0,
  };
}

/** RFC 1035 §4.1.3: NAME, TYPE 2, CLASS 2, TTL 4, RDLENGTH 2, RDATA. */
function readRecord(buf: Uint8Array, c: Cursor): DnsResourceRecord | null {
  const name = readName(buf, c.at, c.message, c.end);
  if (name === null || name.next + 10 > c.end) return null;
  const at = name.next;
  const type = u16(buf, at);
  const rclass = u16(buf, at + 2);
  const rdata = at + 10;
  const rdataEnd = rdata + u16(buf, at + 8);
  if (rdataEnd > c.end) return null;
  c.at = rdataEnd;
  const isOpt = type === DNS_TYPE_OPT;
  return {
    name: nameText(buf, name),
    type,
    class: isOpt ? rclass : rclass & CLASS_MASK,
    cacheFlush: !isOpt && (rclass & CLASS_TOP_BIT) !== 0,
    ttl: u32(buf, at + 4),
    data: readRdata(buf, type, rdata, rdataEnd, c.message, c.end),
  };
}

/**
 * Decodes the DNS message in `buf[offset, end)` (a UDP payload; `end` is clamped to the buffer).
 * Null if the header is cut short or any question or record named in it is malformed or incomplete.
 */
export function decode(buf: Uint8Array, offset: number, end = buf.length): Dns | null {
  const limit = Math.min(end, buf.length);
  if (offset < 0 || limit - offset < HEADER_LENGTH) return null;
  const flags = u16(buf, offset + 2);
  const qdcount = u16(buf, offset + 4);
  const c: Cursor = { at: offset + HEADER_LENGTH, message: offset, end: limit };
  const questions: DnsQuestion[] = [];
  for (let i = 0; i < qdcount; i++) {
    const question = readQuestion(buf, c);
    if (question === null) return null;
    questions.push(question);
  }
  const answers = readSection(u16(buf, offset + 6), () => readRecord(buf, c));
  const authorities = answers && readSection(u16(buf, offset + 8), () => readRecord(buf, c));
  const additionals = authorities && readSection(u16(buf, offset + 10), () => readRecord(buf, c));
  if (answers === null || authorities === null || additionals === null) return null;
  return {
    id: u16(buf, offset),
    flags,
    isResponse: (flags & FLAG_QR) !== 0,
    opcode: (flags >> 11) & 0xf,
    rcode: flags & 0xf,
    questions,
    answers,
    authorities,
    additionals,
  };
}
