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
  appOfTcp,
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
import { WEIRD_NONE } from './decoders/weird.js';

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
      if (!d.isFragment) d.app = appOfTcp(t.srcPort, t.dstPort);
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
