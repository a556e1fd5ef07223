/**
 * The hospital's switched and routed network as the sensors see it. Each floor's switch mirrors
 * every frame that crosses it to that floor's capture; traffic between floors leaves through the
 * sender's router and arrives from the receiver's router, its TTL lowered by both.
 */
import type { Gateway, Host } from './devices.js';
import type { SeededRandom } from './prng.js';
import { BROADCAST_MAC } from './packets/address.js';
import { arpReply, arpRequest } from './packets/arp.js';
import { ETHERTYPE_ARP, ETHERTYPE_IPV4, ethernetFrame } from './packets/ethernet.js';
import { IP_PROTOCOL_TCP, forwardIpv4, ipv4Packet } from './packets/ipv4.js';
import { tcpConnection, type TcpMessage } from './packets/tcp-connection.js';

export interface TimedFrame {
  /** Microseconds since the Unix epoch. */
  ts: number;
  frame: Uint8Array;
}

/** Time a frame takes through the two routers and the core link between floors. */
const ROUTED_DELAY_MICROS = 180;
/** Routers between two floors: the sender's and the receiver's. */
const ROUTED_HOPS = 2;
/** RFC 9293 §3.7.1: MSS for a 1500-byte Ethernet MTU. */
const ETHERNET_MSS = 1460;

export class HospitalNetwork {
  private readonly captures = new Map<string, TimedFrame[]>();
  private readonly gatewayOf = new Map<string, Gateway>();
  private readonly arpCache = new Set<string>();
  private readonly ipIds = new Map<string, number>();
  private readonly ephemeralPorts = new Map<string, number>();

  constructor(
    gateways: readonly Gateway[],
    private readonly random: SeededRandom,
  ) {
    for (const gateway of gateways) {
      this.gatewayOf.set(gateway.floor, gateway);
      this.captures.set(gateway.floor, []);
    }
  }

  /** Puts a frame on a floor's capture. */
  mirror(floor: string, ts: number, frame: Uint8Array): void {
    this.capture(floor).push({ ts, frame });
  }

  /** Records that `host` knows the link address of `ip` (learned from ARP or DHCP). */
  learn(host: Host, ip: string): void {
    this.arpCache.add(`${host.mac}>${ip}`);
  }

  /** Frames of each floor in time order (ties keep the order they were made in). */
  floors(): { floor: string; frames: TimedFrame[] }[] {
    return [...this.captures].map(([floor, frames]) => ({ floor, frames: [...frames].sort((a, b) => a.ts - b.ts) }));
  }

  /** The next IPv4 identification of a host, per host as Windows and most embedded stacks keep it. */
  nextIpId(host: Host): number {
    const id = this.ipIds.get(host.mac) ?? this.random.int(0, 0xffff);
    this.ipIds.set(host.mac, (id + 1) & 0xffff);
    return id;
  }

  /** The next ephemeral port (IANA range 49152..65535, RFC 6335 §6). */
  nextEphemeralPort(host: Host): number {
    const port = this.ephemeralPorts.get(host.mac) ?? this.random.int(49152, 60000);
    this.ephemeralPorts.set(host.mac, port >= 65535 ? 49152 : port + 1);
    return port;
  }

  /**
   * Sends an IPv4 packet from one host to another at `ts`, resolving link addresses first when the
   * sender (or the receiver's router) has not yet; returns when the last frame of it was seen.
   */
  sendIpv4(ts: number, from: Host, to: Host, packet: Uint8Array): number {
    if (from.floor === to.floor) {
      const at = this.resolve(ts, from, to);
      this.mirror(from.floor, at, hostFrame(from, to.mac, ETHERTYPE_IPV4, packet, from.vlan ?? to.vlan));
      return at;
    }
    const out = this.gateway(from.floor);
    const into = this.gateway(to.floor);
    const sent = this.resolve(ts, from, out);
    this.mirror(from.floor, sent, hostFrame(from, out.mac, ETHERTYPE_IPV4, packet, from.vlan));
    const arrived = this.resolve(sent + ROUTED_DELAY_MICROS, into, to);
    this.mirror(to.floor, arrived, hostFrame(into, to.mac, ETHERTYPE_IPV4, forwardIpv4(packet, ROUTED_HOPS), to.vlan));
    return arrived;
  }

  /**
   * One TCP connection from `client` to `server:port` carrying `messages`, starting at `start`.
   * Segments follow each other by a fraction of a millisecond; a new message waits its think time.
   * Returns the time of the last frame.
   */
  tcpSession(start: number, client: Host, server: Host, port: number, messages: readonly TcpMessage[]): number {
    const peer = (host: Host, hostPort: number): Parameters<typeof tcpConnection>[0] => ({
      ip: host.ip,
      port: hostPort,
      isn: this.random.uint32(),
      window: host.tcpWindow,
      mss: ETHERNET_MSS,
    });
    const segments = tcpConnection(peer(client, this.nextEphemeralPort(client)), peer(server, port), messages);
    let ts = start;
    for (const { from, segment, startsMessage } of segments) {
      const [src, dst] = from === 'client' ? [client, server] : [server, client];
      const gap = startsMessage ? this.random.int(2_000, 40_000) : this.random.int(250, 900);
      const packet = ipv4Packet({
        src: src.ip,
        dst: dst.ip,
        protocol: IP_PROTOCOL_TCP,
        id: this.nextIpId(src),
        ttl: src.ttl,
        dontFragment: true,
        payload: segment,
      });
      ts = this.sendIpv4(ts + gap, src, dst, packet);
    }
    return ts;
  }

  /** RFC 826: a broadcast request and the unicast reply, when `from` has not resolved `to` yet. */
  private resolve(ts: number, from: Host, to: Host): number {
    if (this.arpCache.has(`${from.mac}>${to.ip}`)) return ts;
    const vlan = from.vlan ?? to.vlan;
    this.mirror(from.floor, ts, hostFrame(from, BROADCAST_MAC, ETHERTYPE_ARP, arpRequest(from.mac, from.ip, to.ip), vlan));
    const replied = ts + this.random.int(150, 600);
    this.mirror(from.floor, replied, hostFrame(to, from.mac, ETHERTYPE_ARP, arpReply(to.mac, to.ip, from.mac, from.ip), vlan));
    // RFC 826 "Packet Reception": the target merges the requester's binding too.
    this.learn(from, to.ip);
    this.learn(to, from.ip);
    return replied + this.random.int(50, 200);
  }

  private gateway(floor: string): Gateway {
    const gateway = this.gatewayOf.get(floor);
    if (!gateway) throw new RangeError(`no gateway on floor ${floor}`);
    return gateway;
  }

  private capture(floor: string): TimedFrame[] {
    const frames = this.captures.get(floor);
    if (!frames) throw new RangeError(`no capture on floor ${floor}`);
    return frames;
  }
}

/** Ethernet II frame from a host, tagged when its port is seen on a trunk. */
export function hostFrame(from: Host, dst: string, etherType: number, payload: Uint8Array, vlan?: number): Uint8Array {
  const fields = { dst, src: from.mac, etherType, payload };
  return ethernetFrame(vlan === undefined ? fields : { ...fields, vlan: { id: vlan } });
}
