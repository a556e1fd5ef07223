/**
 * DHCPv6 (RFC 8415): client/server messages (§8) and relay messages (§9), whose relayed message is
 * decoded in turn. Used on the identification path, not per packet: returns a fresh plain object with
 * strings, null on anything malformed, and never throws. An option that appears twice keeps its
 * first value, except those that are lists (vendor classes, vendor options, IA_NA addresses).
 */
import { ipv6ToString } from './address-text.js';
import { u16, u32, u8 } from './bytes.js';
import { readDuid, type Duid } from './dhcpv6-duid.js';
import { latin1 } from './octet-text.js';

export type { Duid } from './dhcpv6-duid.js';

// §7.3 message types.
const RELAY_FORW = 12;
const RELAY_REPL = 13;
/** §8: msg-type 1, transaction-id 3. */
const CLIENT_SERVER_HEADER = 4;
/** §9: msg-type 1, hop-count 1, link-address 16, peer-address 16. */
const RELAY_HEADER = 34;
/** §21.1: option-code 2, option-len 2. */
const OPTION_HEADER = 4;
/** Relay agents stop at HOP_COUNT_LIMIT 8 (§7.6); deeper nesting is not a relay chain. */
const MAX_RELAY_DEPTH = 32;

// §21 option codes (FQDN: RFC 4704 §4).
const OPTION_CLIENTID = 1;
const OPTION_SERVERID = 2;
const OPTION_IA_NA = 3;
const OPTION_IAADDR = 5;
const OPTION_ORO = 6;
const OPTION_RELAY_MSG = 9;
const OPTION_USER_CLASS = 15;
const OPTION_VENDOR_CLASS = 16;
const OPTION_VENDOR_OPTS = 17;
const OPTION_CLIENT_FQDN = 39;

/** §9: one relay agent's header, outermost first. */
export interface Dhcpv6Relay {
  /** 12 RELAY-FORW, 13 RELAY-REPL. */
  messageType: number;
  hopCount: number;
  linkAddress: string;
  peerAddress: string;
}

/** §21.16: one Vendor Class option. */
export interface Dhcpv6VendorClass {
  enterpriseNumber: number;
  /** Each vendor-class-data item as latin1 text. */
  data: string[];
}

export interface Dhcpv6 {
  /** The client/server message's type (1 SOLICIT, 2 ADVERTISE, 3 REQUEST, … 11 INFORMATION-REQUEST), inside any relay headers. */
  messageType: number;
  transactionId: number;
  relays: Dhcpv6Relay[];
  /** The client/server message's option codes in the order sent. */
  optionCodes: number[];
  clientId: Duid | null;
  serverId: Duid | null;
  /** §21.7 Option Request Option: the codes in order. */
  requestedOptions: number[] | null;
  /** §21.15 User Class: each user-class-data item as latin1 text. */
  userClasses: string[] | null;
  vendorClasses: Dhcpv6VendorClass[];
  /** §21.17 Vendor-specific Information: the enterprise number of each. */
  vendorOptionEnterprises: number[];
  /** RFC 4704 Client FQDN: the domain name, labels joined by dots (a partial name as sent). */
  fqdn: string | null;
  /** §21.6 IA Address options inside §21.4 IA_NA options. */
  iaNaAddresses: string[];
}

type OptionVisitor = (code: number, start: number, end: number) => boolean;

/** Visits every option in `[start, end)` (§21.1); false if one runs past `end` or the visitor rejects it. */
function forEachOption(buf: Uint8Array, start: number, end: number, visit: OptionVisitor): boolean {
  // Every option takes at least its 4-octet header, so the walk ends.
  for (let at = start; at < end; ) {
    if (at + OPTION_HEADER > end) return false;
    const valueEnd = at + OPTION_HEADER + u16(buf, at + 2);
    if (valueEnd > end || !visit(u16(buf, at), at + OPTION_HEADER, valueEnd)) return false;
    at = valueEnd;
  }
  return true;
}

/** Items of a 2-octet length and data, back to back (§21.15 user class, §21.16 vendor class data). */
function lengthPrefixedItems(buf: Uint8Array, start: number, end: number): string[] | null {
  const items: string[] = [];
  for (let at = start; at < end; ) {
    if (at + 2 > end) return null;
    const itemEnd = at + 2 + u16(buf, at);
    if (itemEnd > end) return null;
    items.push(latin1(buf, at + 2, itemEnd));
    at = itemEnd;
  }
  return items;
}

/** RFC 4704 §4.2: flags 1, then a domain name in RFC 1035 §3.1 wire form, no compression. */
function fqdnName(buf: Uint8Array, start: number, end: number): string | null {
  if (end - start < 1) return null;
  const labels: string[] = [];
  for (let at = start + 1; at < end; ) {
    const length = u8(buf, at);
    if (length === 0) break; // root label: fully qualified
    if (length > 63 || at + 1 + length > end) return null;
    labels.push(latin1(buf, at + 1, at + 1 + length));
    at += 1 + length;
  }
  return labels.join('.');
}

/** §21.4 IA_NA: IAID 4, T1 4, T2 4, options; §21.6 IA Address: address 16, lifetimes 8, options. */
function readIaNa(message: Dhcpv6, buf: Uint8Array, start: number, end: number): boolean {
  if (end - start < 12) return false;
  return forEachOption(buf, start + 12, end, (code, from, to) => {
    if (code !== OPTION_IAADDR) return true;
    if (to - from < 24) return false;
    message.iaNaAddresses.push(ipv6ToString(buf, from));
    return true;
  });
}

/** Records one option of a client/server message; false if an option the sensor reads is malformed. */
function readOption(message: Dhcpv6, code: number, buf: Uint8Array, start: number, end: number): boolean {
  message.optionCodes.push(code);
  switch (code) {
    case OPTION_CLIENTID:
    case OPTION_SERVERID: {
      const duid = readDuid(buf, start, end); // §21.2, §21.3
      if (duid === null) return false;
      if (code === OPTION_CLIENTID) message.clientId ??= duid;
      else message.serverId ??= duid;
      return true;
    }
    case OPTION_IA_NA:
      return readIaNa(message, buf, start, end);
    case OPTION_ORO: {
      if ((end - start) % 2 !== 0) return false; // §21.7: 2 octets per requested code
      if (message.requestedOptions !== null) return true;
      const codes: number[] = [];
      for (let at = start; at < end; at += 2) codes.push(u16(buf, at));
      message.requestedOptions = codes;
      return true;
    }
    case OPTION_USER_CLASS: {
      const items = lengthPrefixedItems(buf, start, end);
      if (items === null) return false;
      message.userClasses ??= items;
      return true;
    }
    case OPTION_VENDOR_CLASS: {
      const data = end - start < 4 ? null : lengthPrefixedItems(buf, start + 4, end); // enterprise-number 4, items
      if (data === null) return false;
      message.vendorClasses.push({ enterpriseNumber: u32(buf, start), data });
      return true;
    }
    case OPTION_VENDOR_OPTS:
      if (end - start < 4) return false; // enterprise-number 4, option-data
      message.vendorOptionEnterprises.push(u32(buf, start));
      return true;
    case OPTION_CLIENT_FQDN: {
      const name = fqdnName(buf, start, end);
      if (name === null) return false;
      message.fqdn ??= name;
      return true;
    }
    default:
      return true;
  }
}

/** The (first) Relay Message option's value range inside a relay message's options, or null. */
function relayedMessage(buf: Uint8Array, start: number, end: number): { start: number; end: number } | null {
  const relayed = { start: -1, end: -1 };
  const wellFormed = forEachOption(buf, start, end, (code, from, to) => {
    if (code === OPTION_RELAY_MSG && relayed.start < 0) {
      relayed.start = from;
      relayed.end = to;
    }
    return true;
  });
  return wellFormed && relayed.start >= 0 ? relayed : null;
}

/**
 * Decodes the DHCPv6 message in `buf[offset, end)` (a UDP payload). Returns null if a header or
 * option runs past its end, a relay message lacks its Relay Message option, relays nest deeper than
 * any relay chain, an option the sensor reads is malformed, or the message has no option at all.
 */
export function decode(buf: Uint8Array, offset: number, end = buf.length): Dhcpv6 | null {
  let start = offset;
  let stop = Math.min(end, buf.length);
  const relays: Dhcpv6Relay[] = [];
  if (start < 0) return null;
  for (let depth = 0; start < stop && (u8(buf, start) === RELAY_FORW || u8(buf, start) === RELAY_REPL); depth++) {
    if (depth === MAX_RELAY_DEPTH || stop - start < RELAY_HEADER) return null;
    // §9: msg-type 1, hop-count 1, link-address 16, peer-address 16, options
    relays.push({ messageType: u8(buf, start), hopCount: u8(buf, start + 1), linkAddress: ipv6ToString(buf, start + 2), peerAddress: ipv6ToString(buf, start + 18) });
    const inner = relayedMessage(buf, start + RELAY_HEADER, stop);
    if (inner === null) return null;
    start = inner.start;
    stop = inner.end;
  }
  if (stop - start < CLIENT_SERVER_HEADER) return null;
  const message: Dhcpv6 = {
    messageType: u8(buf, start), // §8: msg-type 1
    transactionId: (u16(buf, start + 1) << 8) | u8(buf, start + 3), // transaction-id 3
    relays,
    optionCodes: [],
    clientId: null,
    serverId: null,
    requestedOptions: null,
    userClasses: null,
    vendorClasses: [],
    vendorOptionEnterprises: [],
    fqdn: null,
    iaNaAddresses: [],
  };
  const wellFormed = forEachOption(buf, start + CLIENT_SERVER_HEADER, stop, (code, from, to) => readOption(message, code, buf, from, to));
  return wellFormed && message.optionCodes.length > 0 ? message : null;
}
