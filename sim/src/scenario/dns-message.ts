/** DNS queries for an IPv4 address and their answers (RFC 1035 §4.1), as a stub resolver and its server send them. */
import { concatBytes, latin1, u16, u32, u8 } from '../packets/bytes.js';
import { ipv4Bytes } from '../packets/address.js';

export const DNS_PORT = 53;

/** RFC 1035 §3.2.2 / §3.2.4: type A, class IN. */
const TYPE_A = 1;
const CLASS_IN = 1;
/** RFC 1035 §4.1.1 flags: RD on the query; QR, RD and RA on the answer, RCODE 0. */
const QUERY_FLAGS = 0x0100;
const ANSWER_FLAGS = 0x8180;
/** RFC 1035 §4.1.4: a pointer to the question name at offset 12. */
const NAME_POINTER = 0xc00c;

/** RFC 1035 §3.1: a name as length-prefixed labels ending with the root's zero length. */
function encodeName(name: string): Uint8Array {
  return concatBytes([...name.split('.').map((label) => concatBytes([u8(label.length), latin1(label)])), u8(0)]);
}

/** §4.1.1 header: id, flags, QDCOUNT, ANCOUNT, NSCOUNT, ARCOUNT. */
function header(id: number, flags: number, answers: number): Uint8Array {
  return concatBytes([u16(id), u16(flags), u16(1), u16(answers), u16(0), u16(0)]);
}

function question(name: string): Uint8Array {
  return concatBytes([encodeName(name), u16(TYPE_A), u16(CLASS_IN)]);
}

/** A recursive query for the A record of `name`. */
export function dnsQuery(id: number, name: string): Uint8Array {
  return concatBytes([header(id, QUERY_FLAGS, 0), question(name)]);
}

/** §4.1.3: the answer repeats the question and adds one A record pointing back at its name. */
export function dnsAnswer(id: number, name: string, address: string, ttlSeconds: number): Uint8Array {
  const record = concatBytes([u16(NAME_POINTER), u16(TYPE_A), u16(CLASS_IN), u32(ttlSeconds), u16(4), ipv4Bytes(address)]);
  return concatBytes([header(id, ANSWER_FLAGS, 1), question(name), record]);
}
