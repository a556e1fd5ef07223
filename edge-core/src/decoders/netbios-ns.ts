/**
 * NetBIOS name service (RFC 1002 §4.2, UDP 137): the names Windows hosts, printers and embedded
 * SMB stacks query for, register and announce, with the addresses bound to them and, in node status
 * answers, every name the node holds and its MAC address. Identification path: a fresh plain object
 * with strings; never throws. A name that is not a first-level encoded NetBIOS name, or a question or
 * record cut short, gives null; RDATA that does not fill whole entries leaves its lists short.
 */
import { ipv4ToString, macToString } from './address-text.js';
import { u16, u32, u48, u8 } from './bytes.js';
import { nameText, readName, readSection } from './dns-name.js';
import { latin1 } from './octet-text.js';

/** RFC 1002 §4.2.1.1: NAME_TRN_ID, flags, QDCOUNT, ANCOUNT, NSCOUNT, ARCOUNT, two octets each. */
const HEADER_LENGTH = 12;
/** RFC 1001 §14.1: 16 octets, each split into two half-octets written as 'A' + value. */
const ENCODED_LENGTH = 32;
const NAME_LENGTH = 16;
const LETTER_A = 0x41;
const SPACE = 0x20;

// RFC 1002 §4.2.1.2–3 types
export const NBNS_TYPE_NB = 0x20;
export const NBNS_TYPE_NBSTAT = 0x21;
/** RFC 1002 §4.2.1.1 opcode of a wait-for-acknowledgement response, whose RDATA is flags only. */
const OPCODE_WACK = 7;
/** NB_FLAGS (RFC 1002 §4.2.2) and NAME_FLAGS (§4.2.18): G is the top bit, ONT the next two. */
const FLAG_GROUP = 0x8000;

export interface NetbiosName {
  /** The first 15 octets (ISO 8859-1, one character each), trailing space padding removed. */
  name: string;
  /** The 16th octet: what the name stands for (0x00 workstation, 0x20 file server, 0x1d master browser, …). */
  suffix: number;
  /** The NetBIOS scope (labels after the encoded name), dot-joined; '' when there is none. */
  scope: string;
}

export interface NbnsQuestion {
  name: NetbiosName;
  /** 0x20 NB (name query), 0x21 NBSTAT (node status). */
  type: number;
  class: number;
}

/** RFC 1002 §4.2.13 ADDR_ENTRY (and the RDATA of §4.2.2 registrations): NB_FLAGS then NB_ADDRESS. */
export interface NbnsAddress {
  group: boolean;
  /** Owner node type: 0 B, 1 P, 2 M, 3 H (Microsoft). */
  nodeType: number;
  address: string;
}

/** RFC 1002 §4.2.18 NODE_NAME entry of a node status response. */
export interface NbnsNodeName {
  name: string;
  suffix: number;
  group: boolean;
  /** NAME_FLAGS: G, ONT, DRG, CNF, ACT, PRM. */
  flags: number;
}

export interface NbnsResourceRecord {
  name: NetbiosName;
  type: number;
  class: number;
  ttl: number;
  /** NB records (not WACK): the addresses bound to the name. */
  addresses: NbnsAddress[];
  /** NBSTAT records: the names the node holds. */
  nodeNames: NbnsNodeName[];
  /** NBSTAT records: UNIT_ID, the first 6 octets of the statistics, a MAC address (often the node's). */
  unitId: string | null;
}

export interface Nbns {
  id: number;
  isResponse: boolean;
  /** 0 query, 5 registration, 6 release, 7 WACK, 8 refresh, 9 multi-homed registration. */
  opcode: number;
  /** NM_FLAGS: AA 0x40, TC 0x20, RD 0x10, RA 0x08, B (broadcast) 0x01. */
  nmFlags: number;
  rcode: number;
  questions: NbnsQuestion[];
  answers: NbnsResourceRecord[];
  authorities: NbnsResourceRecord[];
  additionals: NbnsResourceRecord[];
}

/** The 16 octets of a name as name text and suffix; the name is `latin1` of its first 15 octets. */
function splitName(raw: string, suffix: number, scope: string): NetbiosName {
  let stop = raw.length;
  while (stop > 0 && raw.charCodeAt(stop - 1) === SPACE) stop--;
  return { name: raw.slice(0, stop), suffix, scope };
}

/** RFC 1001 §14.1 first-level decoding of the 32-octet label after `label`'s length octet; null if not 'A'–'P'. */
function decodeFirstLevel(buf: Uint8Array, label: number): number[] | null {
  const octets: number[] = [];
  for (let i = 0; i < ENCODED_LENGTH; i += 2) {
    const high = u8(buf, label + 1 + i) - LETTER_A;
    const low = u8(buf, label + 1 + i + 1) - LETTER_A;
    if (high < 0 || high > 15 || low < 0 || low > 15) return null;
    octets.push((high << 4) | low);
  }
  return octets;
}

/** RFC 1002 §4.1: a compressed name whose first label encodes the NetBIOS name. */
function readNetbiosName(buf: Uint8Array, at: number, message: number, end: number): { name: NetbiosName; next: number } | null {
  const wire = readName(buf, at, message, end);
  const first = wire?.labels[0];
  if (wire === null || first === undefined || u8(buf, first) !== ENCODED_LENGTH) return null;
  const octets = decodeFirstLevel(buf, first);
  if (octets === null) return null;
  const raw = String.fromCharCode(...octets.slice(0, NAME_LENGTH - 1));
  return { name: splitName(raw, octets[NAME_LENGTH - 1] ?? 0, nameText(buf, wire, 1)), next: wire.next };
}

/** RFC 1002 §4.2.18: NUM_NAMES, NODE_NAME entries (16 + 2 octets), then statistics starting with UNIT_ID. */
function readNodeStatus(buf: Uint8Array, at: number, end: number, record: NbnsResourceRecord): void {
  if (at >= end) return;
  const count = u8(buf, at);
  let pos = at + 1;
  for (let i = 0; i < count; i++, pos += NAME_LENGTH + 2) {
    if (pos + NAME_LENGTH + 2 > end) return;
    const flags = u16(buf, pos + NAME_LENGTH);
    const { name, suffix } = splitName(latin1(buf, pos, pos + NAME_LENGTH - 1), u8(buf, pos + NAME_LENGTH - 1), '');
    record.nodeNames.push({ name, suffix, group: (flags & FLAG_GROUP) !== 0, flags });
  }
  if (pos + 6 <= end) record.unitId = macToString(u48(buf, pos));
}

interface Cursor {
  at: number;
  readonly message: number;
  readonly end: number;
  readonly opcode: number;
}

/** RFC 1002 §4.2.1.3: RR_NAME, RR_TYPE 2, RR_CLASS 2, TTL 4, RDLENGTH 2, RDATA. */
function readRecord(buf: Uint8Array, c: Cursor): NbnsResourceRecord | null {
  const read = readNetbiosName(buf, c.at, c.message, c.end);
  if (read === null || read.next + 10 > c.end) return null;
  const at = read.next;
  const type = u16(buf, at);
  const rdata = at + 10;
  const rdataEnd = rdata + u16(buf, at + 8);
  if (rdataEnd > c.end) return null;
  c.at = rdataEnd;
  const record: NbnsResourceRecord = {
    name: read.name,
    type,
    class: u16(buf, at + 2),
    ttl: u32(buf, at + 4),
    addresses: [],
    nodeNames: [],
    unitId: null,
  };
  if (type === NBNS_TYPE_NB && c.opcode !== OPCODE_WACK) {
    for (let pos = rdata; pos + 6 <= rdataEnd; pos += 6) {
      const flags = u16(buf, pos);
      record.addresses.push({ group: (flags & FLAG_GROUP) !== 0, nodeType: (flags >> 13) & 0x3, address: ipv4ToString(u32(buf, pos + 2)) });
    }
  } else if (type === NBNS_TYPE_NBSTAT) {
    readNodeStatus(buf, rdata, rdataEnd, record);
  }
  return record;
}

/**
 * Decodes the NetBIOS name service packet in `buf[offset, end)` (a UDP payload; `end` is clamped to
 * the buffer). Null if the header is cut short or a question or record named in it is malformed.
 */
export function decode(buf: Uint8Array, offset: number, end = buf.length): Nbns | null {
  const limit = Math.min(end, buf.length);
  if (offset < 0 || limit - offset < HEADER_LENGTH) return null;
  // RFC 1002 §4.2.1.1: R 1 bit, OPCODE 4, NM_FLAGS 7, RCODE 4
  const flags = u16(buf, offset + 2);
  const opcode = (flags >> 11) & 0xf;
  const c: Cursor = { at: offset + HEADER_LENGTH, message: offset, end: limit, opcode };
  const questions: NbnsQuestion[] = [];
  for (let i = u16(buf, offset + 4); i > 0; i--) {
    // RFC 1002 §4.2.1.2: QUESTION_NAME, QUESTION_TYPE 2, QUESTION_CLASS 2
    const read = readNetbiosName(buf, c.at, c.message, c.end);
    if (read === null || read.next + 4 > c.end) return null;
    questions.push({ name: read.name, type: u16(buf, read.next), class: u16(buf, read.next + 2) });
    c.at = read.next + 4;
  }
  const answers = readSection(u16(buf, offset + 6), () => readRecord(buf, c));
  const authorities = answers && readSection(u16(buf, offset + 8), () => readRecord(buf, c));
  const additionals = authorities && readSection(u16(buf, offset + 10), () => readRecord(buf, c));
  if (answers === null || authorities === null || additionals === null) return null;
  return {
    id: u16(buf, offset),
    isResponse: (flags & 0x8000) !== 0,
    opcode,
    nmFlags: (flags >> 4) & 0x7f,
    rcode: flags & 0xf,
    questions,
    answers,
    authorities,
    additionals,
  };
}
