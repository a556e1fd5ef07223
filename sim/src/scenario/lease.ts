/**
 * A device getting and keeping its address on a floor: DHCP through the floor router acting as
 * relay when it arrives (RFC 2131 §4.4, relay per RFC 1542 §4), a gratuitous ARP announcing the
 * address (RFC 5227 §2.3) and ARP for the gateway (RFC 826); later, renewals unicast to the server
 * at T1 (RFC 2131 §4.4.5).
 */
import type { DhcpProfile } from '../devices.js';
import type { SeededRandom } from '../prng.js';
import { BROADCAST_MAC } from '../packets/address.js';
import { arpReply, arpRequest, gratuitousArp } from '../packets/arp.js';
import {
  DHCP_ACK,
  DHCP_CLIENT_PORT,
  DHCP_OFFER,
  DHCP_REQUEST,
  DHCP_SERVER_PORT,
  dhcpDiscover,
  dhcpMessage,
  dhcpOption,
  dhcpReply,
  dhcpRequest,
  type DhcpClientIdentity,
  type DhcpLease,
} from '../packets/dhcp.js';
import { ETHERTYPE_ARP, ETHERTYPE_IPV4 } from '../packets/ethernet.js';
import { IP_PROTOCOL_UDP, ipv4Packet } from '../packets/ipv4.js';
import { udpDatagram } from '../packets/udp.js';
import { SERVERS } from './site.js';
import type { LocalHost, ScenarioWire } from './wire.js';

/** Twelve hours: clients renew at T1, half of it (RFC 2131 §4.4.5). */
export const LEASE_SECONDS = 43_200;
export const RENEW_MICROS = (LEASE_SECONDS / 2) * 1_000_000;
const SUBNET_MASK = '255.255.255.0';

export interface LeaseHolder {
  host: LocalHost;
  hostname: string;
  dhcp: DhcpProfile;
}

function identity(holder: LeaseHolder): DhcpClientIdentity {
  return { ...holder.dhcp, mac: holder.host.mac, hostname: holder.hostname };
}

/** The whole arrival, both directions, from the DHCPDISCOVER at `start`; returns when its last frame was seen. */
export function joinFloor(wire: ScenarioWire, random: SeededRandom, holder: LeaseHolder, start: number): number {
  const { host } = holder;
  const gateway = wire.gateway(host.floor);
  const xid = random.uint32();
  let ipId = random.int(0, 0xffff);
  const lease: DhcpLease = { ip: host.ip, serverId: SERVERS.dns.ip, relay: gateway.ip, subnetMask: SUBNET_MASK, router: gateway.ip, leaseSeconds: LEASE_SECONDS };
  const client = identity(holder);
  const clientBroadcast = (message: Uint8Array): Uint8Array => {
    // RFC 2131 §4.1: until it has an address the client sends from 0.0.0.0 to the limited broadcast.
    const udp = udpDatagram({ src: '0.0.0.0', dst: '255.255.255.255', srcPort: DHCP_CLIENT_PORT, dstPort: DHCP_SERVER_PORT, payload: message });
    return ipv4Packet({ src: '0.0.0.0', dst: '255.255.255.255', protocol: IP_PROTOCOL_UDP, id: ipId++ & 0xffff, ttl: host.ttl, payload: udp });
  };
  // RFC 2131 §4.1: the relay answers to the broadcast address when the client set the broadcast bit,
  // otherwise to the offered address and the client's hardware address.
  const replyIp = holder.dhcp.broadcast ? '255.255.255.255' : host.ip;
  const replyMac = holder.dhcp.broadcast ? BROADCAST_MAC : host.mac;
  let relayId = random.int(0, 0xffff);
  const relayReply = (message: Uint8Array): Uint8Array => {
    const udp = udpDatagram({ src: gateway.ip, dst: replyIp, srcPort: DHCP_SERVER_PORT, dstPort: DHCP_CLIENT_PORT, payload: message });
    return ipv4Packet({ src: gateway.ip, dst: replyIp, protocol: IP_PROTOCOL_UDP, id: relayId++ & 0xffff, ttl: gateway.ttl, payload: udp });
  };

  let ts = start;
  wire.ethernet(host.floor, ts, host.mac, BROADCAST_MAC, ETHERTYPE_IPV4, clientBroadcast(dhcpDiscover(client, xid)));
  ts += random.int(1_500, 4_000);
  wire.ethernet(host.floor, ts, gateway.mac, replyMac, ETHERTYPE_IPV4, relayReply(dhcpReply(DHCP_OFFER, client, xid, lease)));
  ts += random.int(8_000, 15_000);
  wire.ethernet(host.floor, ts, host.mac, BROADCAST_MAC, ETHERTYPE_IPV4, clientBroadcast(dhcpRequest(client, xid, lease)));
  ts += random.int(1_500, 4_000);
  wire.ethernet(host.floor, ts, gateway.mac, replyMac, ETHERTYPE_IPV4, relayReply(dhcpReply(DHCP_ACK, client, xid, lease)));
  ts += random.int(100_000, 200_000);
  wire.ethernet(host.floor, ts, host.mac, BROADCAST_MAC, ETHERTYPE_ARP, gratuitousArp(host.mac, host.ip));
  ts += random.int(15_000, 40_000);
  wire.ethernet(host.floor, ts, host.mac, BROADCAST_MAC, ETHERTYPE_ARP, arpRequest(host.mac, host.ip, gateway.ip));
  ts += random.int(300, 900);
  wire.ethernet(host.floor, ts, gateway.mac, host.mac, ETHERTYPE_ARP, arpReply(gateway.mac, gateway.ip, host.mac, host.ip));
  // The router learnt the client from the lease it relayed; the client the router from its reply.
  wire.learn(host, gateway.ip);
  wire.learn(gateway, host.ip);
  return ts;
}

/** RFC 2131 §4.3.2 RENEWING: DHCPREQUEST unicast to the server with `ciaddr` set, answered by DHCPACK. */
export function renewLease(wire: ScenarioWire, random: SeededRandom, holder: LeaseHolder, start: number): number {
  const { host } = holder;
  const client = identity(holder);
  const xid = random.uint32();
  const gateway = wire.gateway(host.floor);
  const clientOptions = [
    dhcpOption.messageType(DHCP_REQUEST),
    dhcpOption.clientId(host.mac),
    dhcpOption.hostname(client.hostname),
    dhcpOption.vendorClassId(client.vendorClassId),
    dhcpOption.parameterRequestList(client.parameterRequestList),
  ];
  const request = dhcpMessage({ op: 1, xid, ciaddr: host.ip, chaddr: host.mac, options: clientOptions });
  const ack = dhcpMessage({
    op: 2,
    xid,
    ciaddr: host.ip,
    yiaddr: host.ip,
    chaddr: host.mac,
    options: [
      dhcpOption.messageType(DHCP_ACK),
      dhcpOption.serverId(SERVERS.dns.ip),
      dhcpOption.leaseTime(LEASE_SECONDS),
      dhcpOption.subnetMask(SUBNET_MASK),
      dhcpOption.router(gateway.ip),
    ],
  });
  return wire.exchange(start, host, SERVERS.dns, { client: DHCP_CLIENT_PORT, server: DHCP_SERVER_PORT }, request, ack);
}
