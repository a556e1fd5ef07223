/**
 * Behaviour summaries: at the end of each interval of capture time, what every device sent — its
 * source addresses, totals, and its conversations (peer, port, transport, role, application) —
 * read from the shard's flow table, whose counters are then started again. Only a station's own
 * packets count: a flow whose source address is not bound to the sending MAC (by ARP or DHCP) was
 * forwarded by a router for a host elsewhere. Runs once per interval, off the per-packet path.
 */
import type { BehaviourPeer, DeviceBehaviour } from '@wardsight/protocol';
import { MAX_BEHAVIOUR_PEERS } from '@wardsight/protocol';
import { ipv4ToString } from '../decoders/address-text.js';
import { APP_NAMES, L3_IPV4 } from '../decoders/registry.js';
import { macKey } from '../fingerprints/identity.js';
import { FLOW_DST, FLOW_KIND, FLOW_MAC_HIGH, FLOW_MAC_LOW, FLOW_PORTS, FLOW_SRC } from './accounting.js';
import { BYTES, FIRST, LAST, PACKETS, type CountingTable } from './counting-table.js';

export const behaviourDefaults = {
  /** Five minutes of capture time: fine enough to place a device and see a scan, few enough messages. */
  intervalMs: 5 * 60_000,
  minIntervalMs: 10_000,
  maxIntervalMs: 60 * 60_000,
};

/** One interval's summaries from one shard. */
export interface IntervalBehaviour {
  intervalStart: number;
  intervalEnd: number;
  devices: DeviceBehaviour[];
}

const IPPROTO_ICMP = 1;
const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;
/** Source addresses listed per device at most (the contract's bound). */
const MAX_ADDRESSES = 16;

function transportOf(proto: number): BehaviourPeer['transport'] {
  if (proto === IPPROTO_TCP) return 'tcp';
  if (proto === IPPROTO_UDP) return 'udp';
  return proto === IPPROTO_ICMP ? 'icmp' : 'other';
}

interface DeviceSum {
  addresses: Set<string>;
  first: number;
  last: number;
  packets: number;
  bytes: number;
  /** Each conversation, with the time of its first packet in the interval. */
  peers: Map<string, BehaviourPeer & { first: number }>;
}

/**
 * Which side of a conversation the sender is on: the lower port is the service's (a client's
 * port is ephemeral, from 1024 or 49152 up); equal ports (NTP, syslog) count as the client's.
 */
function sides(srcPort: number, dstPort: number): { role: BehaviourPeer['role']; port: number } {
  return srcPort < dstPort ? { role: 'server', port: srcPort } : { role: 'client', port: dstPort };
}

/**
 * The interval's summaries, one per device with IPv4 traffic of its own, then restarts the flow
 * counters. `bound(mac, ip)`: whether the address is the station's own.
 */
export function closeInterval(flows: CountingTable, bound: (mac: number, ip: number) => boolean, start: number, end: number): DeviceBehaviour[] {
  const sums = new Map<number, DeviceSum>();
  flows.forEach((slot) => {
    const packets = flows.get(slot, PACKETS);
    if (packets === 0) return;
    const kind = flows.key(slot, FLOW_KIND);
    if (((kind >>> 8) & 0xff) !== L3_IPV4) return;
    const mac = flows.key(slot, FLOW_MAC_HIGH) * 2 ** 32 + flows.key(slot, FLOW_MAC_LOW);
    const src = flows.key(slot, FLOW_SRC);
    if (!bound(mac, src)) return;
    let sum = sums.get(mac);
    if (!sum) {
      sum = { addresses: new Set(), first: Infinity, last: 0, packets: 0, bytes: 0, peers: new Map() };
      sums.set(mac, sum);
    }
    const bytes = flows.get(slot, BYTES);
    const firstRaw = flows.get(slot, FIRST);
    const first = firstRaw < 0 ? flows.get(slot, LAST) : firstRaw;
    sum.addresses.add(ipv4ToString(src));
    sum.first = Math.min(sum.first, first);
    sum.last = Math.max(sum.last, flows.get(slot, LAST));
    sum.packets += packets;
    sum.bytes += bytes;
    const ports = flows.key(slot, FLOW_PORTS);
    const proto = kind & 0xff;
    const { role, port } = proto === IPPROTO_TCP || proto === IPPROTO_UDP ? sides(ports >>> 16, ports & 0xffff) : { role: 'client' as const, port: 0 };
    const app = APP_NAMES[(kind >>> 16) & 0xff];
    const address = ipv4ToString(flows.key(slot, FLOW_DST));
    const transport = transportOf(proto);
    const id = `${address}|${port}|${transport}|${role}|${app ?? ''}`;
    const peer = sum.peers.get(id);
    if (peer) {
      peer.packets += packets;
      peer.bytes += bytes;
      peer.first = Math.min(peer.first, first);
    } else {
      sum.peers.set(id, { address, port, transport, role, ...(app && app !== 'none' ? { app } : {}), packets, bytes, first });
    }
  });
  flows.restart();
  const out: DeviceBehaviour[] = [];
  /** A time clamped to the interval: a flow restarted mid-interval never reports one outside it. */
  const within = (t: number): string => new Date(Math.max(start, Math.min(t, end))).toISOString();
  for (const [mac, sum] of sums) {
    const peers = [...sum.peers.values()]
      .sort((a, b) => b.bytes - a.bytes || b.packets - a.packets)
      .map(({ first, ...peer }): BehaviourPeer => ({ ...peer, firstSeen: within(first) }));
    out.push({
      device: macKey(mac),
      addresses: [...sum.addresses].slice(0, MAX_ADDRESSES),
      firstSeen: within(sum.first),
      lastSeen: within(sum.last),
      packets: sum.packets,
      bytes: sum.bytes,
      peers: peers.slice(0, MAX_BEHAVIOUR_PEERS),
      peersOmitted: Math.max(0, peers.length - MAX_BEHAVIOUR_PEERS),
    });
  }
  return out;
}
