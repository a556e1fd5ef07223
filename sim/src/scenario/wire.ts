/**
 * The network of the simulated day as the floor sensors see it. A floor's switch mirrors every
 * frame that crosses it: between two hosts of the floor directly, and to or from anything else
 * through the floor's router, so a server's or the internet's answers arrive with the router's MAC
 * as source and their TTL lowered by the hops they made. Frames go to a sink as they are made.
 */
import type { SeededRandom } from '../prng.js';
import { BROADCAST_MAC } from '../packets/address.js';
import { arpReply, arpRequest } from '../packets/arp.js';
import { ETHERTYPE_ARP, ETHERTYPE_IPV4, ethernetFrame } from '../packets/ethernet.js';
import { IP_PROTOCOL_TCP, IP_PROTOCOL_UDP, forwardIpv4, ipv4Packet } from '../packets/ipv4.js';
import { tcpConnection, type TcpMessage, type TcpPeer } from '../packets/tcp-connection.js';
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, tcpSegment } from '../packets/tcp.js';
import { udpDatagram } from '../packets/udp.js';
import type { FloorId } from './site.js';

export interface Stack {
  /** Initial IPv4 TTL of the host's stack. */
  ttl: number;
  /** TCP receive window it advertises. */
  tcpWindow: number;
}

/** A host whose frames cross a floor's switch. */
export interface LocalHost extends Stack {
  ip: string;
  mac: string;
  floor: FloorId;
}

/** A host beyond the floor routers: a data-centre server or an internet address. */
export interface RemoteHost extends Stack {
  ip: string;
  /** Routers between it and a floor's switch. */
  hops: number;
}

export type WireHost = LocalHost | RemoteHost;

export type FrameSink = (floor: FloorId, ts: number, frame: Uint8Array) => void;

export interface TcpTiming {
  /** When each application message (of either side, in order) starts; the rest follow their think time. */
  messageTimes?: readonly (number | undefined)[];
  /** When the client starts closing; otherwise soon after the last message. */
  closeAt?: number;
}

export interface TcpResult {
  /** When the server's SYN-ACK was seen. */
  synAck: number;
  /** When the connection's last frame was seen. */
  last: number;
}

/** RFC 9293 §3.7.1: MSS for a 1500-byte Ethernet MTU. */
const ETHERNET_MSS = 1460;
/** Windows and Linux re-resolve a neighbour after minutes without confirmation; one figure for both. */
const LOCAL_ARP_LIFETIME_MICROS = 600_000_000;
/** Ephemeral ports (RFC 6335 §6). */
const EPHEMERAL_FIRST = 49152;
const EPHEMERAL_LAST = 65535;

export function isLocal(host: WireHost): host is LocalHost {
  return 'mac' in host;
}

export class ScenarioWire {
  private readonly gateways = new Map<FloorId, LocalHost>();
  /** Who knows whose link address, until when: `floor|mac>ip`. */
  private readonly neighbours = new Map<string, number>();
  private readonly ipIds = new Map<string, number>();
  private readonly ports = new Map<string, number>();

  constructor(
    gateways: readonly LocalHost[],
    private readonly random: SeededRandom,
    private readonly sink: FrameSink,
  ) {
    for (const gateway of gateways) this.gateways.set(gateway.floor, gateway);
  }

  gateway(floor: FloorId): LocalHost {
    const gateway = this.gateways.get(floor);
    if (!gateway) throw new RangeError(`no router on floor ${floor}`);
    return gateway;
  }

  /** Records that `host` knows the link address of `ip` (from ARP or a DHCP lease). */
  learn(host: LocalHost, ip: string, until = Number.POSITIVE_INFINITY): void {
    this.neighbours.set(`${host.floor}|${host.mac}>${ip}`, until);
  }

  /** Puts one Ethernet frame on a floor's switch. */
  ethernet(floor: FloorId, ts: number, src: string, dst: string, etherType: number, payload: Uint8Array): void {
    this.sink(floor, ts, ethernetFrame({ dst, src, etherType, payload }));
  }

  /** Sends an IPv4 packet from one host to another; returns when its last frame was seen. */
  sendIpv4(ts: number, from: WireHost, to: WireHost, packet: Uint8Array): number {
    if (isLocal(from) && isLocal(to) && from.floor === to.floor) {
      const at = this.resolve(ts, from, to);
      this.ethernet(from.floor, at, from.mac, to.mac, ETHERTYPE_IPV4, packet);
      return at;
    }
    let at = ts;
    if (isLocal(from)) {
      const out = this.gateway(from.floor);
      at = this.resolve(at, from, out);
      this.ethernet(from.floor, at, from.mac, out.mac, ETHERTYPE_IPV4, packet);
    }
    if (isLocal(to)) {
      const into = this.gateway(to.floor);
      // RFC 1812 §5.3.1: every router on the way lowers the TTL by one.
      const hops = isLocal(from) ? 2 : from.hops;
      at = this.resolve(isLocal(from) ? at + this.random.int(120, 300) : at, into, to);
      this.ethernet(to.floor, at, into.mac, to.mac, ETHERTYPE_IPV4, forwardIpv4(packet, hops));
    }
    if (!isLocal(from) && !isLocal(to)) throw new RangeError(`${from.ip} → ${to.ip} never crosses a floor`);
    return at;
  }

  /** One IPv4 datagram carrying UDP; returns when it was seen. */
  udp(ts: number, from: WireHost, to: WireHost, srcPort: number, dstPort: number, payload: Uint8Array): number {
    const datagram = udpDatagram({ src: from.ip, dst: to.ip, srcPort, dstPort, payload });
    const packet = ipv4Packet({ src: from.ip, dst: to.ip, protocol: IP_PROTOCOL_UDP, id: this.nextIpId(from, to), ttl: from.ttl, payload: datagram });
    return this.sendIpv4(ts, from, to, packet);
  }

  /** A UDP request and its answer (DNS, NTP, SIP, a DHCP renewal); returns when the answer was seen. */
  exchange(ts: number, client: WireHost, server: WireHost, ports: { client: number; server: number }, request: Uint8Array, response: Uint8Array): number {
    const asked = this.udp(ts, client, server, ports.client, ports.server, request);
    return this.udp(asked + this.latency(client, server) + this.random.int(100, 2_000), server, client, ports.server, ports.client, response);
  }

  /**
   * A whole TCP connection from `client` to `server:port` carrying `messages`, from its SYN at
   * `start` to the last ACK of the close.
   */
  tcp(start: number, client: WireHost, server: WireHost, port: number, messages: readonly TcpMessage[], timing: TcpTiming = {}): TcpResult {
    const peer = (host: WireHost, hostPort: number): TcpPeer => ({ ip: host.ip, port: hostPort, isn: this.random.uint32(), window: host.tcpWindow, mss: ETHERNET_MSS });
    const segments = tcpConnection(peer(client, this.nextPort(client)), peer(server, port), messages);
    let ts = start;
    let synAck = start;
    let message = 0;
    let previous: 'client' | 'server' = 'client';
    let closing = false;
    segments.forEach(({ from, segment, startsMessage }, i) => {
      const [src, dst] = from === 'client' ? [client, server] : [server, client];
      if (i > 0) {
        const turn = from === previous ? this.random.int(15, 120) : this.latency(client, server);
        if (startsMessage) {
          const planned = timing.messageTimes?.[message];
          message += 1;
          const think = from === 'client' ? this.random.int(1_000, 20_000) : this.random.int(500, 15_000);
          ts = planned === undefined ? ts + turn + think : Math.max(ts + turn, planned);
        } else if (!closing && ((segment[13] ?? 0) & TCP_FIN) !== 0) {
          closing = true;
          ts = timing.closeAt === undefined ? ts + turn + this.random.int(1_000, 30_000) : Math.max(ts + turn, timing.closeAt);
        } else {
          ts += turn;
        }
      }
      previous = from;
      const packet = ipv4Packet({ src: src.ip, dst: dst.ip, protocol: IP_PROTOCOL_TCP, id: this.nextIpId(src, dst), ttl: src.ttl, dontFragment: true, payload: segment });
      ts = this.sendIpv4(ts, src, dst, packet);
      if (i === 1) synAck = ts;
    });
    return { synAck, last: ts };
  }

  /**
   * A lone SYN to `port` (a probe), answered by RST-ACK when the target `refuses` (RFC 9293
   * §3.10.7.1: a closed port resets); returns when the last frame was seen.
   */
  probe(ts: number, client: WireHost, server: WireHost, port: number, refuses: boolean): number {
    const clientPort = this.nextPort(client);
    const isn = this.random.uint32();
    const syn = tcpSegment({ src: client.ip, dst: server.ip, srcPort: clientPort, dstPort: port, seq: isn, ack: 0, flags: TCP_SYN, window: client.tcpWindow, mss: ETHERNET_MSS });
    const sent = this.sendIpv4(ts, client, server, this.tcpPacket(client, server, syn));
    if (!refuses) return sent;
    const rst = tcpSegment({ src: server.ip, dst: client.ip, srcPort: port, dstPort: clientPort, seq: 0, ack: (isn + 1) >>> 0, flags: TCP_RST | TCP_ACK, window: 0 });
    return this.sendIpv4(sent + this.latency(client, server), server, client, this.tcpPacket(server, client, rst));
  }

  /** The next ephemeral port of a host, as its stack hands them out in turn. */
  nextPort(host: WireHost): number {
    const key = isLocal(host) ? host.mac : host.ip;
    const port = this.ports.get(key) ?? this.random.int(EPHEMERAL_FIRST, 60_000);
    this.ports.set(key, port >= EPHEMERAL_LAST ? EPHEMERAL_FIRST : port + 1);
    return port;
  }

  /** RFC 826: a broadcast request and the unicast reply, unless `from` still knows `to`. */
  private resolve(ts: number, from: LocalHost, to: LocalHost): number {
    const known = this.neighbours.get(`${from.floor}|${from.mac}>${to.ip}`);
    if (known !== undefined && known > ts) return ts;
    this.ethernet(from.floor, ts, from.mac, BROADCAST_MAC, ETHERTYPE_ARP, arpRequest(from.mac, from.ip, to.ip));
    const replied = ts + this.random.int(150, 600);
    this.ethernet(from.floor, replied, to.mac, from.mac, ETHERTYPE_ARP, arpReply(to.mac, to.ip, from.mac, from.ip));
    // RFC 826 "Packet Reception": the target merges the requester's binding too.
    const until = replied + LOCAL_ARP_LIFETIME_MICROS;
    this.learn(from, to.ip, this.isGateway(to) ? Number.POSITIVE_INFINITY : until);
    this.learn(to, from.ip, this.isGateway(to) ? Number.POSITIVE_INFINITY : until);
    return replied + this.random.int(50, 200);
  }

  private isGateway(host: LocalHost): boolean {
    return this.gateways.get(host.floor)?.mac === host.mac;
  }

  /** One-way time between the two ends: a switch, a routed hop to the data centre, or the internet. */
  private latency(a: WireHost, b: WireHost): number {
    const hops = Math.max(isLocal(a) ? 0 : a.hops, isLocal(b) ? 0 : b.hops);
    if (hops === 0) return this.random.int(80, 300);
    if (hops <= 2) return this.random.int(250, 900);
    return this.random.int(12_000, 35_000);
  }

  /** IPv4 identification counted per destination, as Linux does for connected sockets (RFC 6864 §4.1 allows it). */
  private nextIpId(from: WireHost, to: WireHost): number {
    const key = `${isLocal(from) ? from.mac : from.ip}>${to.ip}`;
    const id = this.ipIds.get(key) ?? this.random.int(0, 0xffff);
    this.ipIds.set(key, (id + 1) & 0xffff);
    return id;
  }

  private tcpPacket(from: WireHost, to: WireHost, segment: Uint8Array): Uint8Array {
    return ipv4Packet({ src: from.ip, dst: to.ip, protocol: IP_PROTOCOL_TCP, id: this.nextIpId(from, to), ttl: from.ttl, dontFragment: true, payload: segment });
  }
}
