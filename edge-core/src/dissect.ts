/**
 * Walks one captured Ethernet frame through the layer decoders, dispatching through the registry,
 * and fills one caller-owned reusable Dissection record: no allocation per frame. A frame that is
 * malformed at any layer returns false with the reason in `weird` (an index into WEIRD_NAMES); the
 * layers decoded before it stay filled, so the weird can be counted against the sender.
 */
import { createArp, decode as decodeArp } from './decoders/arp.js';
import { createEthernet, decode as decodeEthernet } from './decoders/ethernet.js';
import { createIcmp, decode as decodeIcmp } from './decoders/icmp.js';
import { createIpv4, decode as decodeIpv4 } from './decoders/ipv4.js';
import { createIpv6, decode as decodeIpv6 } from './decoders/ipv6.js';
import {
  APP_NONE,
  appOfLink,
  appOfTcp,
  appOfTcpPayload,
  appOfUdp,
  L3_ARP,
  L3_IPV4,
  L3_IPV6,
  L3_NONE,
  l3Of,
  L4_ICMP,
  L4_ICMPV6,
  L4_NONE,
  L4_TCP,
  L4_UDP,
  l4Of,
} from './decoders/registry.js';
import { createTcp, decode as decodeTcp } from './decoders/tcp.js';
import { createUdp, decode as decodeUdp, decodeFirstFragment as decodeUdpFirstFragment } from './decoders/udp.js';
import { WEIRD_NONE, WEIRD_TRUNCATED_LINK_HEADER, WEIRD_UNSUPPORTED_LINK_TYPE } from './decoders/weird.js';

export { ipv4ToString, ipv6ToString, macToString } from './decoders/address-text.js';
export * from './decoders/registry.js';
export { WEIRD_NAMES, WEIRD_NONE, type WeirdName } from './decoders/weird.js';

export interface Dissection {
  srcMac: number;
  dstMac: number;
  /** VLAN ids of the first and second tag, or -1. */
  outerVlan: number;
  innerVlan: number;
  /** EtherType after any VLAN tags. */
  etherType: number;
  /** L3 kind (L3_NONE, L3_ARP, L3_IPV4, L3_IPV6) and the offset of its header. */
  l3: number;
  l3Offset: number;
  arpOp: number;
  arpSenderMac: number;
  arpSenderIp: number;
  arpTargetMac: number;
  arpTargetIp: number;
  /** IPv4 source and destination as unsigned 32-bit numbers (0 unless L3_IPV4). */
  ipSrc: number;
  ipDst: number;
  /** Offsets of the 16-octet IPv6 source and destination addresses in the frame (-1 unless L3_IPV6). */
  ip6SrcOffset: number;
  ip6DstOffset: number;
  /** IPv4 TTL or IPv6 hop limit. */
  ttl: number;
  /** IP protocol, or the upper-layer next header after IPv6 extension headers; -1 without IP. */
  ipProto: number;
  /** Any IP fragment; a fragment other than the first has no L4 header and l4 stays L4_NONE. */
  isFragment: boolean;
  /** L4 kind (L4_NONE, L4_TCP, L4_UDP, L4_ICMP, L4_ICMPV6) and the offset of its header. */
  l4: number;
  l4Offset: number;
  /** TCP or UDP ports, 0 otherwise. */
  srcPort: number;
  dstPort: number;
  /** TCP control bits (TCP_SYN, …), seq, ack and window; 0 unless L4_TCP. */
  tcpFlags: number;
  tcpSeq: number;
  tcpAck: number;
  tcpWindow: number;
  /** ICMP or ICMPv6 type and code, -1 otherwise. */
  icmpType: number;
  icmpCode: number;
  /** The innermost payload decoded: after the L4 header, else the L3 payload, else the L2 payload. */
  payloadOffset: number;
  payloadLength: number;
  /** Which identification decoder applies to the payload (APP_NONE, APP_DHCP, …). */
  app: number;
  /** Why dissect returned false (index into WEIRD_NAMES), else WEIRD_NONE. */
  weird: number;
}

export function createDissection(): Dissection {
  const d = {} as Dissection;
  reset(d);
  return d;
}

function reset(d: Dissection): void {
  d.srcMac = 0;
  d.dstMac = 0;
  d.outerVlan = -1;
  d.innerVlan = -1;
  d.etherType = 0;
  d.l3 = L3_NONE;
  d.l3Offset = -1;
  d.arpOp = 0;
  d.arpSenderMac = 0;
  d.arpSenderIp = 0;
  d.arpTargetMac = 0;
  d.arpTargetIp = 0;
  d.ipSrc = 0;
  d.ipDst = 0;
  d.ip6SrcOffset = -1;
  d.ip6DstOffset = -1;
  d.ttl = 0;
  d.ipProto = -1;
  d.isFragment = false;
  d.l4 = L4_NONE;
  d.l4Offset = -1;
  d.srcPort = 0;
  d.dstPort = 0;
  d.tcpFlags = 0;
  d.tcpSeq = 0;
  d.tcpAck = 0;
  d.tcpWindow = 0;
  d.icmpType = -1;
  d.icmpCode = -1;
  d.payloadOffset = 0;
  d.payloadLength = 0;
  d.app = APP_NONE;
  d.weird = WEIRD_NONE;
}

// Scratch records, reused for every frame (a worker dissects one frame at a time).
const ethernet = createEthernet();
const arp = createArp();
const ipv4 = createIpv4();
const ipv6 = createIpv6();
const udp = createUdp();
const tcp = createTcp();
const icmp = createIcmp();

function fail(d: Dissection, weird: number): false {
  d.weird = weird;
  return false;
}

/**
 * Dissects the frame occupying `buf[offset, end)` (Ethernet header first) into `d`; false if it is
 * malformed. Offsets recorded in `d` index `buf` itself; nothing at or beyond `end` is read.
 */
export function dissect(buf: Uint8Array, d: Dissection, offset = 0, end = buf.length): boolean {
  reset(d);
  const eth = decodeEthernet(buf, offset, ethernet, end);
  if (eth === null) return fail(d, ethernet.weird);
  d.srcMac = eth.srcMac;
  d.dstMac = eth.dstMac;
  d.outerVlan = eth.outerVlan;
  d.innerVlan = eth.innerVlan;
  d.etherType = eth.etherType;
  d.l3Offset = eth.payloadOffset;
  d.payloadOffset = eth.payloadOffset;
  d.payloadLength = eth.payloadLength;
  d.l3 = l3Of(eth.etherType);
  switch (d.l3) {
    case L3_ARP:
      return dissectArp(buf, eth.payloadOffset, end, d);
    case L3_IPV4:
      return dissectIpv4(buf, eth.payloadOffset, end, d);
    case L3_IPV6:
      return dissectIpv6(buf, eth.payloadOffset, end, d);
    default:
      return dissectOtherLink(buf, d);
  }
}

/** A frame that is not IP or ARP: an IEEE 802.3 LLC frame (CDP) or another EtherType (LLDP). */
function dissectOtherLink(buf: Uint8Array, d: Dissection): boolean {
  // IEEE 802.3: a length (not a type) bounds the LLC PDU; what follows it is padding.
  if (d.etherType <= 1500) d.payloadLength = Math.min(d.payloadLength, d.etherType);
  d.app = appOfLink(d.etherType, buf, d.payloadOffset, d.payloadOffset + d.payloadLength);
  return true;
}

/** tcpdump.org link-layer header types (LINKTYPE_*) that `dissectLink` reads. */
export const LINKTYPE_NULL = 0; // BSD loopback: 4-octet address family in the capturing host's byte order
export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_RAW = 101; // raw IPv4 or IPv6, version from the first nibble
export const LINKTYPE_LOOP = 108; // OpenBSD loopback: address family in network byte order
export const LINKTYPE_LINUX_SLL = 113; // Linux cooked capture v1: 16-octet header, protocol at 14
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_LINUX_SLL2 = 276; // Linux cooked capture v2: 20-octet header, protocol at 0
/** DLT_RAW as some systems number it in savefiles (12 on most BSDs, 14 on OpenBSD). */
const DLT_RAW_BSD = 12;
const DLT_RAW_OPENBSD = 14;

/** Link types `dissectLink` reads; any other is not decoded. */
export const LINK_TYPES: readonly number[] = [
  LINKTYPE_NULL,
  LINKTYPE_ETHERNET,
  LINKTYPE_RAW,
  LINKTYPE_LOOP,
  LINKTYPE_LINUX_SLL,
  LINKTYPE_IPV4,
  LINKTYPE_IPV6,
  LINKTYPE_LINUX_SLL2,
  DLT_RAW_BSD,
  DLT_RAW_OPENBSD,
];

// BSD address families of IPv4 and IPv6 (AF_INET6 differs between the BSDs, Darwin and Linux).
const AF_INET = 2;
const AF_INET6 = new Set([10, 24, 28, 30]);

/** The EtherType an L3 payload starting at `at` is, from its IP version nibble (0 if neither). */
function etherTypeOfIp(buf: Uint8Array, at: number, end: number): number {
  if (at >= end) return 0;
  const version = (buf[at] ?? 0) >> 4;
  return version === 4 ? 0x0800 : version === 6 ? 0x86dd : 0;
}

/** An address family value as an EtherType (0 if not IP). */
function etherTypeOfFamily(family: number): number {
  if (family === AF_INET) return 0x0800;
  return AF_INET6.has(family) ? 0x86dd : 0;
}

/**
 * Dissects a frame of any link type in `LINK_TYPES` (Ethernet goes to `dissect`): the link header
 * is skipped and the L3 packet dissected as on Ethernet, with the MAC addresses left 0. A link type
 * not listed returns false with the weird `unsupported_link_type`; a link header cut short, with
 * `truncated_link_header`.
 */
export function dissectLink(buf: Uint8Array, d: Dissection, linkType: number, offset = 0, end = buf.length): boolean {
  if (linkType === LINKTYPE_ETHERNET) return dissect(buf, d, offset, end);
  reset(d);
  const limit = end < buf.length ? end : buf.length;
  let at = offset;
  let etherType: number;
  switch (linkType) {
    case LINKTYPE_NULL:
    case LINKTYPE_LOOP: {
      if (limit - offset < 4) return fail(d, WEIRD_TRUNCATED_LINK_HEADER);
      const be = (((buf[offset] ?? 0) << 24) | ((buf[offset + 1] ?? 0) << 16) | ((buf[offset + 2] ?? 0) << 8) | (buf[offset + 3] ?? 0)) >>> 0;
      const le = (((buf[offset + 3] ?? 0) << 24) | ((buf[offset + 2] ?? 0) << 16) | ((buf[offset + 1] ?? 0) << 8) | (buf[offset] ?? 0)) >>> 0;
      // LINKTYPE_NULL is in the capturing host's order: the smaller reading is the family.
      etherType = etherTypeOfFamily(linkType === LINKTYPE_LOOP ? be : Math.min(be, le));
      at = offset + 4;
      break;
    }
    case LINKTYPE_RAW:
    case DLT_RAW_BSD:
    case DLT_RAW_OPENBSD:
    case LINKTYPE_IPV4:
    case LINKTYPE_IPV6:
      etherType = etherTypeOfIp(buf, offset, limit);
      break;
    case LINKTYPE_LINUX_SLL:
      if (limit - offset < 16) return fail(d, WEIRD_TRUNCATED_LINK_HEADER);
      etherType = ((buf[offset + 14] ?? 0) << 8) | (buf[offset + 15] ?? 0);
      at = offset + 16;
      break;
    case LINKTYPE_LINUX_SLL2:
      if (limit - offset < 20) return fail(d, WEIRD_TRUNCATED_LINK_HEADER);
      etherType = ((buf[offset] ?? 0) << 8) | (buf[offset + 1] ?? 0);
      at = offset + 20;
      break;
    default:
      return fail(d, WEIRD_UNSUPPORTED_LINK_TYPE);
  }
  d.etherType = etherType;
  d.l3Offset = at;
  d.payloadOffset = at;
  d.payloadLength = limit - at;
  d.l3 = l3Of(etherType);
  switch (d.l3) {
    case L3_ARP:
      return dissectArp(buf, at, limit, d);
    case L3_IPV4:
      return dissectIpv4(buf, at, limit, d);
    case L3_IPV6:
      return dissectIpv6(buf, at, limit, d);
    default:
      return true;
  }
}

function dissectArp(buf: Uint8Array, at: number, end: number, d: Dissection): boolean {
  const a = decodeArp(buf, at, arp, end);
  if (a === null) return fail(d, arp.weird);
  d.arpOp = a.op;
  d.arpSenderMac = a.senderMac;
  d.arpSenderIp = a.senderIp;
  d.arpTargetMac = a.targetMac;
  d.arpTargetIp = a.targetIp;
  d.payloadLength = 0;
  return true;
}

function dissectIpv4(buf: Uint8Array, at: number, end: number, d: Dissection): boolean {
  const ip = decodeIpv4(buf, at, ipv4, end);
  if (ip === null) return fail(d, ipv4.weird);
  d.ipSrc = ip.src;
  d.ipDst = ip.dst;
  d.ttl = ip.ttl;
  d.ipProto = ip.protocol;
  d.isFragment = ip.isFragment;
  return dissectL4(buf, ip.payloadOffset, ip.payloadOffset + ip.payloadLength, ip.protocol, ip.fragmentOffset, d);
}

function dissectIpv6(buf: Uint8Array, at: number, end: number, d: Dissection): boolean {
  const ip = decodeIpv6(buf, at, ipv6, end);
  if (ip === null) return fail(d, ipv6.weird);
  d.ip6SrcOffset = ip.srcOffset;
  d.ip6DstOffset = ip.dstOffset;
  d.ttl = ip.hopLimit;
  d.ipProto = ip.nextHeader;
  d.isFragment = ip.isFragment;
  return dissectL4(buf, ip.payloadOffset, ip.payloadOffset + ip.payloadLength, ip.nextHeader, ip.fragmentOffset, d);
}

function dissectL4(
  buf: Uint8Array,
  start: number,
  end: number,
  protocol: number,
  fragmentOffset: number,
  d: Dissection,
): boolean {
  d.payloadOffset = start;
  d.payloadLength = end - start;
  if (fragmentOffset !== 0) return true; // a later fragment carries data only
  d.l4 = l4Of(protocol);
  d.l4Offset = start;
  switch (d.l4) {
    case L4_UDP: {
      const u = d.isFragment ? decodeUdpFirstFragment(buf, start, udp, end) : decodeUdp(buf, start, udp, end);
      if (u === null) return fail(d, udp.weird);
      d.srcPort = u.srcPort;
      d.dstPort = u.dstPort;
      d.payloadOffset = u.payloadOffset;
      d.payloadLength = u.payloadLength;
      if (!d.isFragment) d.app = appOfUdp(u.srcPort, u.dstPort);
      return true;
    }
    case L4_TCP: {
      const t = decodeTcp(buf, start, tcp, end);
      if (t === null) return fail(d, tcp.weird);
      d.srcPort = t.srcPort;
      d.dstPort = t.dstPort;
      d.tcpFlags = t.flags;
      d.tcpSeq = t.seq;
      d.tcpAck = t.ack;
      d.tcpWindow = t.window;
      d.payloadOffset = t.payloadOffset;
      d.payloadLength = t.payloadLength;
      if (!d.isFragment) {
        d.app = appOfTcp(t.srcPort, t.dstPort);
        if (d.app === APP_NONE && t.payloadLength > 0) d.app = appOfTcpPayload(buf, t.payloadOffset, t.payloadOffset + t.payloadLength);
      }
      return true;
    }
    case L4_ICMP:
    case L4_ICMPV6: {
      const c = decodeIcmp(buf, start, icmp, end);
      if (c === null) return fail(d, icmp.weird);
      d.icmpType = c.type;
      d.icmpCode = c.code;
      d.payloadOffset = c.payloadOffset;
      d.payloadLength = c.payloadLength;
      return true;
    }
    default:
      return true;
  }
}
