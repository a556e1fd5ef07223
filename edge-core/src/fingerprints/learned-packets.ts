/**
 * Header-level features of one device's packets, as learned fingerprints use them: what kind each
 * packet is, the IoT Sentinel features of the first packets it sends (Miettinen et al., ICDCS 2017,
 * §IV-A: protocols present, size, port classes, a count of distinct destinations), totals and sizes
 * per direction, and the packet sequence (direction, kind, size class) for edit distance.
 */
import type { Dissection } from '../dissect.js';
import { L3_ARP, L3_IPV4, L3_IPV6, L4_ICMP, L4_ICMPV6, L4_TCP, L4_UDP } from '../decoders/registry.js';
import { u8 } from '../decoders/bytes.js';

/** Packet kinds, most specific layer that is recognised; `PACKET_KINDS[kind]` names them. */
export const PACKET_KINDS = [
  'other', 'llc', 'eapol', 'arp', 'ipv4', 'ipv6', 'icmp', 'icmpv6', 'igmp', 'tcp', 'udp',
  'dhcp', 'dhcpv6', 'dns', 'mdns', 'llmnr', 'nbns', 'ssdp', 'ntp', 'http', 'tls',
] as const;
export type PacketKindName = (typeof PACKET_KINDS)[number];
const KIND = Object.fromEntries(PACKET_KINDS.map((name, i) => [name, i])) as Record<PacketKindName, number>;

const ETHERTYPE_EAPOL = 0x888e; // IEEE 802.1X §11.3
const MAX_802_3_LENGTH = 1500; // IEEE 802.3 §3.2.6: a length, LLC follows
const IP_PROTO_IGMP = 2;

/** UDP service ports (IANA) whose kind is named. */
const UDP_KINDS = new Map<number, number>([
  [53, KIND.dns], [67, KIND.dhcp], [68, KIND.dhcp], [123, KIND.ntp], [137, KIND.nbns],
  [546, KIND.dhcpv6], [547, KIND.dhcpv6], [1900, KIND.ssdp], [5353, KIND.mdns], [5355, KIND.llmnr],
]);

/** What a dissected packet is; `buf` is read only for the first octets of a TCP payload. */
export function packetKind(buf: Uint8Array, d: Dissection): number {
  if (d.etherType === ETHERTYPE_EAPOL) return KIND.eapol;
  if (d.etherType !== 0 && d.etherType <= MAX_802_3_LENGTH) return KIND.llc;
  if (d.l3 === L3_ARP) return KIND.arp;
  if (d.l4 === L4_UDP) return UDP_KINDS.get(d.srcPort) ?? UDP_KINDS.get(d.dstPort) ?? KIND.udp;
  if (d.l4 === L4_TCP) {
    if (d.payloadLength > 0) {
      const first = u8(buf, d.payloadOffset);
      // RFC 8446 §5.1: handshake (22) … application data (23) records, legacy version 3.x.
      if (first >= 20 && first <= 23 && d.payloadLength > 2 && u8(buf, d.payloadOffset + 1) === 3) return KIND.tls;
      if ((first >= 0x41 && first <= 0x5a) || d.srcPort === 80 || d.dstPort === 80) return KIND.http;
    }
    return KIND.tcp;
  }
  if (d.l4 === L4_ICMP) return KIND.icmp;
  if (d.l4 === L4_ICMPV6) return KIND.icmpv6;
  if (d.ipProto === IP_PROTO_IGMP) return KIND.igmp;
  if (d.l3 === L3_IPV4) return KIND.ipv4;
  if (d.l3 === L3_IPV6) return KIND.ipv6;
  return KIND.other;
}

export function kindName(kind: number): PacketKindName {
  return PACKET_KINDS[kind] ?? 'other';
}

/** Packets sent whose IoT Sentinel features are kept (the paper uses the first 12). */
export const FIRST_PACKETS = 12;
/** Packets (both directions) in the sequence compared by edit distance. */
export const SEQUENCE_LENGTH = 64;

/** IoT Sentinel §IV-A port class: 0 none, 1 well-known, 2 registered, 3 dynamic. */
function portClass(port: number, hasPorts: boolean): number {
  if (!hasPorts) return 0;
  return port < 1024 ? 1 : port < 49152 ? 2 : 3;
}

/** Size class for the sequence: octets rounded to powers of two. */
function sizeClass(size: number): number {
  return size <= 0 ? 0 : Math.round(Math.log2(size));
}

interface Direction {
  packets: number;
  octets: number;
  squares: number;
  min: number;
  max: number;
}

function direction(): Direction {
  return { packets: 0, octets: 0, squares: 0, min: 0, max: 0 };
}

function add(dir: Direction, size: number): void {
  dir.min = dir.packets === 0 ? size : Math.min(dir.min, size);
  dir.max = Math.max(dir.max, size);
  dir.packets += 1;
  dir.octets += size;
  dir.squares += size * size;
}

/** Accumulates one device's packets, sent and received, in capture order. */
export class PacketProfile {
  private readonly sent = direction();
  private readonly received = direction();
  private readonly sentKinds = new Uint32Array(PACKET_KINDS.length);
  private readonly first: number[][] = [];
  private readonly destinations = new Set<string>();
  private readonly remotes = new Set<string>();
  private readonly remotePorts = new Set<number>();
  readonly sequence: string[] = [];
  private firstMs = Number.NaN;
  private lastMs = Number.NaN;
  private lastSentMs = Number.NaN;

  /**
   * One packet of the device: `sent` by it or received; `remote` names the other end (an address
   * text: only counted, never kept as a feature).
   */
  add(buf: Uint8Array, d: Dissection, size: number, tsMs: number, sent: boolean, remote: string): void {
    const kind = packetKind(buf, d);
    if (Number.isNaN(this.firstMs)) this.firstMs = tsMs;
    this.lastMs = tsMs;
    if (this.sequence.length < SEQUENCE_LENGTH) this.sequence.push(`${sent ? '>' : '<'}${kindName(kind)}${sizeClass(size)}`);
    if (!sent) {
      add(this.received, size);
      return;
    }
    add(this.sent, size);
    this.sentKinds[kind] = (this.sentKinds[kind] ?? 0) + 1;
    if (remote !== '') this.remotes.add(remote);
    const hasPorts = d.l4 === L4_TCP || d.l4 === L4_UDP;
    if (hasPorts) this.remotePorts.add(d.dstPort);
    if (this.first.length < FIRST_PACKETS) {
      if (remote !== '') this.destinations.add(remote);
      const ipOptions = d.l3 === L3_IPV4 && d.l4Offset - d.l3Offset > 20 ? 1 : 0;
      const rawData = d.payloadLength > 0 && (kind === KIND.tcp || kind === KIND.udp) ? 1 : 0;
      const gap = Number.isNaN(this.lastSentMs) ? -1 : tsMs - this.lastSentMs;
      this.first.push([kind, size, portClass(d.srcPort, hasPorts), portClass(d.dstPort, hasPorts), this.destinations.size, ipOptions, rawData, gap]);
    }
    this.lastSentMs = tsMs;
  }

  /** The numeric features, always the same names in the same order. */
  numbers(): Record<string, number> {
    const out: Record<string, number> = {};
    const describe = (prefix: string, dir: Direction): void => {
      const mean = dir.packets > 0 ? dir.octets / dir.packets : 0;
      out[`${prefix}.packets`] = dir.packets;
      out[`${prefix}.octets`] = dir.octets;
      out[`${prefix}.size.mean`] = mean;
      out[`${prefix}.size.sd`] = dir.packets > 0 ? Math.sqrt(Math.max(0, dir.squares / dir.packets - mean * mean)) : 0;
      out[`${prefix}.size.min`] = dir.min;
      out[`${prefix}.size.max`] = dir.max;
    };
    describe('sent', this.sent);
    describe('received', this.received);
    const total = this.sent.packets || 1;
    PACKET_KINDS.forEach((name, kind) => {
      out[`sent.share.${name}`] = (this.sentKinds[kind] ?? 0) / total;
    });
    out['sent.remotes'] = this.remotes.size;
    out['sent.remote-ports'] = this.remotePorts.size;
    const seconds = Number.isNaN(this.firstMs) ? 0 : (this.lastMs - this.firstMs) / 1000;
    out['duration.s'] = seconds;
    out['sent.per-s'] = seconds > 0 ? this.sent.packets / seconds : 0;
    const names = ['kind', 'size', 'src-port-class', 'dst-port-class', 'destinations', 'ip-options', 'raw-data', 'gap-ms'];
    for (let i = 0; i < FIRST_PACKETS; i++) {
      const row = this.first[i];
      names.forEach((name, j) => {
        out[`first.${i}.${name}`] = row?.[j] ?? -1;
      });
    }
    return out;
  }
}
