/**
 * DHCP (RFC 2131 §2 message format, RFC 2132 options). Used on the identification path, not per
 * packet, so it returns a fresh plain object with strings; it still never throws on any input.
 * Option overload (52) is bounds-checked like any option but sname/file are not read as options;
 * an option appearing twice keeps its first value (RFC 3396 concatenation is not applied).
 */
import { macToString } from './address-text.js';
import { u16, u32, u8 } from './bytes.js';

/** RFC 2131 §2: op 1, htype 1, hlen 1, hops 1, xid 4, secs 2, flags 2, four addresses 16, chaddr 16,
 * sname 64, file 128 = 236 octets; then the 4-octet magic cookie of RFC 2131 §3. */
const FIXED_LENGTH = 236;
const OPTIONS_START = FIXED_LENGTH + 4;
export const DHCP_MAGIC_COOKIE = 0x63825363; // 99.130.83.99
const CHADDR_LENGTH = 16;

// RFC 2132 option codes
const PAD = 0;
const END = 255;
const HOSTNAME = 12; // §3.14
const REQUESTED_IP = 50; // §9.1
const MESSAGE_TYPE = 53; // §9.6
const SERVER_ID = 54; // §9.7
const PARAMETER_REQUEST_LIST = 55; // §9.8
const MAX_MESSAGE_SIZE = 57; // §9.10
const VENDOR_CLASS_ID = 60; // §9.13
const CLIENT_ID = 61; // §9.14
const CLIENT_FQDN = 81; // RFC 4702 §2
const FQDN_FLAG_E = 0x04; // RFC 4702 §2.1: name in canonical wire format

export interface Dhcp {
  /** 1 BOOTREQUEST, 2 BOOTREPLY. */
  op: number;
  /** Hardware address type (1 Ethernet). */
  htype: number;
  /** Hardware address length. */
  hlen: number;
  hops: number;
  xid: number;
  secs: number;
  flags: number;
  /** IPv4 addresses as unsigned 32-bit numbers. */
  ciaddr: number;
  yiaddr: number;
  siaddr: number;
  giaddr: number;
  /** The first hlen (at most 16) octets of chaddr, lower-case colon-separated hex. */
  chaddr: string;
  /** chaddr as a 48-bit number when hlen is 6 (an Ethernet address), else -1. */
  chaddrMac: number;
  magicCookie: number;
  /** Option codes in the order sent, pads and end excluded (a client fingerprint in itself). */
  optionCodes: number[];
  /** Option 53: 1 DISCOVER, 2 OFFER, 3 REQUEST, 4 DECLINE, 5 ACK, 6 NAK, 7 RELEASE, 8 INFORM, … */
  messageType: number | null;
  hostname: string | null;
  requestedIp: number | null;
  serverId: number | null;
  /** Option 55 codes, order kept. */
  parameterRequestList: number[] | null;
  maxMessageSize: number | null;
  vendorClassId: string | null;
  /** Option 61 octets (type first) as lower-case hex. */
  clientId: string | null;
  /** Option 81 domain name. */
  clientFqdn: string | null;
}

/**
 * The octets `buf[start, end)` as a Buffer over the same memory (a capture ring's too): text is
 * then written natively in one piece, not built a character at a time.
 */
function octets(buf: Uint8Array, start: number, end: number): Buffer {
  return Buffer.from(buf.buffer, buf.byteOffset + start, Math.max(0, end - start));
}

/** Lower-case hex, octets separated by `separator`. */
function hex(buf: Uint8Array, start: number, end: number, separator: string): string {
  const plain = octets(buf, start, end).toString('hex');
  return separator === '' ? plain : plain.replace(/(..)(?!$)/g, `$1${separator}`);
}

/** Option text as latin1, trailing NULs stripped (some clients count a C string's terminator). */
function latin1(buf: Uint8Array, start: number, end: number): string {
  let stop = end;
  while (stop > start && u8(buf, stop - 1) === 0) stop--;
  return octets(buf, start, stop).toString('latin1');
}

/** RFC 4702 §2.1: flags 1, RCODE1 1, RCODE2 1, then the name (wire labels if E is set, else ASCII). */
function fqdnName(buf: Uint8Array, start: number, end: number): string | null {
  if (end - start < 3) return null;
  const flags = u8(buf, start);
  let at = start + 3;
  if ((flags & FQDN_FLAG_E) === 0) return latin1(buf, at, end);
  const labels: string[] = [];
  while (at < end) {
    const length = u8(buf, at);
    if (length === 0) break; // root label: a fully qualified name; without it the name is partial
    if (length > 63 || at + 1 + length > end) return null; // RFC 1035 §3.1 labels; no compression here
    labels.push(latin1(buf, at + 1, at + 1 + length));
    at += 1 + length;
  }
  return labels.join('.');
}

function readFixed(buf: Uint8Array, offset: number): Dhcp {
  const hlen = u8(buf, offset + 2);
  const chaddr = offset + 28;
  const chaddrMac = hlen === 6 ? u16(buf, chaddr) * 2 ** 32 + u32(buf, chaddr + 2) : -1;
  return {
    op: u8(buf, offset),
    htype: u8(buf, offset + 1),
    hlen,
    hops: u8(buf, offset + 3),
    xid: u32(buf, offset + 4),
    secs: u16(buf, offset + 8),
    flags: u16(buf, offset + 10),
    ciaddr: u32(buf, offset + 12),
    yiaddr: u32(buf, offset + 16),
    siaddr: u32(buf, offset + 20),
    giaddr: u32(buf, offset + 24),
    chaddr: chaddrMac >= 0 ? macToString(chaddrMac) : hex(buf, chaddr, chaddr + Math.min(hlen, CHADDR_LENGTH), ':'),
    chaddrMac,
    magicCookie: u32(buf, offset + FIXED_LENGTH),
    optionCodes: [],
    messageType: null,
    hostname: null,
    requestedIp: null,
    serverId: null,
    parameterRequestList: null,
    maxMessageSize: null,
    vendorClassId: null,
    clientId: null,
    clientFqdn: null,
  };
}

/** Records the fields this sensor uses from one option; values of the wrong length are skipped. */
function readOption(dhcp: Dhcp, code: number, buf: Uint8Array, start: number, end: number): void {
  const length = end - start;
  switch (code) {
    case MESSAGE_TYPE:
      if (length === 1) dhcp.messageType ??= u8(buf, start);
      break;
    case HOSTNAME:
      if (length >= 1) dhcp.hostname ??= latin1(buf, start, end);
      break;
    case REQUESTED_IP:
      if (length === 4) dhcp.requestedIp ??= u32(buf, start);
      break;
    case SERVER_ID:
      if (length === 4) dhcp.serverId ??= u32(buf, start);
      break;
    case PARAMETER_REQUEST_LIST:
      if (dhcp.parameterRequestList === null) {
        const list: number[] = [];
        for (let i = start; i < end; i++) list.push(u8(buf, i));
        dhcp.parameterRequestList = list;
      }
      break;
    case MAX_MESSAGE_SIZE:
      if (length === 2) dhcp.maxMessageSize ??= u16(buf, start);
      break;
    case VENDOR_CLASS_ID:
      if (length >= 1) dhcp.vendorClassId ??= latin1(buf, start, end);
      break;
    case CLIENT_ID:
      if (length >= 2) dhcp.clientId ??= hex(buf, start, end, '');
      break;
    case CLIENT_FQDN:
      dhcp.clientFqdn ??= fqdnName(buf, start, end);
      break;
  }
}

/**
 * Decodes the DHCP message in `buf[offset, offset + length)` (a UDP payload). Returns null if it is
 * shorter than the fixed part and cookie, is not a BOOTREQUEST/BOOTREPLY, lacks the magic cookie, or an
 * option runs past the end or the end option is missing.
 */
export function decode(buf: Uint8Array, offset: number, length: number): Dhcp | null {
  if (offset < 0 || length < OPTIONS_START || offset + length > buf.length) return null;
  const op = u8(buf, offset);
  if (op !== 1 && op !== 2) return null;
  if (u32(buf, offset + FIXED_LENGTH) !== DHCP_MAGIC_COOKIE) return null;
  const dhcp = readFixed(buf, offset);
  const end = offset + length;
  let at = offset + OPTIONS_START;
  // RFC 2132 §2: code 1 octet, length 1 octet, value; pad (0) and end (255) are a lone code octet.
  while (at < end) {
    const code = u8(buf, at);
    if (code === END) return dhcp;
    if (code === PAD) {
      at++;
      continue;
    }
    if (at + 2 > end) return null;
    const valueEnd = at + 2 + u8(buf, at + 1);
    if (valueEnd > end) return null;
    dhcp.optionCodes.push(code);
    readOption(dhcp, code, buf, at + 2, valueEnd);
    at = valueEnd;
  }
  return null; // no end option
}
