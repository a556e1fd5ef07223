/**
 * What a device and its floor's router put on the wire when the device joins the network:
 * DHCP through the router acting as relay (RFC 2131 §4.4, relay per RFC 1542 §4), a gratuitous ARP
 * announcing the address (RFC 5227 §2.3), and ARP for the default gateway (RFC 826).
 * Pure: the same device always yields the same bytes.
 */
import type { Gateway, HospitalDevice } from '../devices.js';
import { hostFrame } from '../network.js';
import { BROADCAST_MAC } from '../packets/address.js';
import { arpReply, arpRequest, gratuitousArp } from '../packets/arp.js';
import {
  DHCP_ACK,
  DHCP_CLIENT_PORT,
  DHCP_OFFER,
  DHCP_SERVER_PORT,
  dhcpDiscover,
  dhcpReply,
  dhcpRequest,
  type DhcpLease,
} from '../packets/dhcp.js';
import { ETHERTYPE_ARP, ETHERTYPE_IPV4 } from '../packets/ethernet.js';
import { IP_PROTOCOL_UDP, ipv4Packet } from '../packets/ipv4.js';
import { udpDatagram } from '../packets/udp.js';

export interface JoinFrame {
  /** Microseconds since the Unix epoch. */
  ts: number;
  frame: Uint8Array;
  sender: 'device' | 'gateway';
}

/** One day, as the central DHCP server leases addresses. */
const LEASE_SECONDS = 86_400;

/** The whole join, both directions, from `startMicros`. */
export function joinFrames(device: HospitalDevice, gateway: Gateway, startMicros: number): JoinFrame[] {
  const seed = fnv1a(device.mac);
  const xid = seed;
  let ipId = seed & 0xffff;
  const lease: DhcpLease = {
    ip: device.ip,
    serverId: gateway.dhcpServer,
    relay: gateway.ip,
    subnetMask: gateway.subnetMask,
    router: gateway.ip,
    leaseSeconds: LEASE_SECONDS,
  };
  const frames: JoinFrame[] = [];
  const fromDevice = (ts: number, dst: string, etherType: number, payload: Uint8Array): void => {
    frames.push({ ts, sender: 'device', frame: hostFrame(device, dst, etherType, payload, device.vlan) });
  };
  const fromGateway = (ts: number, dst: string, etherType: number, payload: Uint8Array): void => {
    frames.push({ ts, sender: 'gateway', frame: hostFrame(gateway, dst, etherType, payload, device.vlan) });
  };
  const clientBroadcast = (message: Uint8Array): Uint8Array => {
    // RFC 2131 §4.1: until it has an address the client sends from 0.0.0.0 to the limited broadcast.
    const udp = udpDatagram({ src: '0.0.0.0', dst: '255.255.255.255', srcPort: DHCP_CLIENT_PORT, dstPort: DHCP_SERVER_PORT, payload: message });
    return ipv4Packet({ src: '0.0.0.0', dst: '255.255.255.255', protocol: IP_PROTOCOL_UDP, id: ipId++ & 0xffff, ttl: device.ttl, payload: udp });
  };
  // RFC 2131 §4.1: the relay answers to the broadcast address when the client set the broadcast bit,
  // otherwise to the offered address and the client's hardware address.
  const replyIp = device.dhcp.broadcast ? '255.255.255.255' : device.ip;
  const replyMac = device.dhcp.broadcast ? BROADCAST_MAC : device.mac;
  const relayReply = (message: Uint8Array, id: number): Uint8Array => {
    const udp = udpDatagram({ src: gateway.ip, dst: replyIp, srcPort: DHCP_SERVER_PORT, dstPort: DHCP_CLIENT_PORT, payload: message });
    return ipv4Packet({ src: gateway.ip, dst: replyIp, protocol: IP_PROTOCOL_UDP, id, ttl: gateway.ttl, payload: udp });
  };
  const identity = { ...device.dhcp, mac: device.mac, hostname: device.hostname };

  let ts = startMicros;
  fromDevice(ts, BROADCAST_MAC, ETHERTYPE_IPV4, clientBroadcast(dhcpDiscover(identity, xid)));
  ts += 2_800;
  fromGateway(ts, replyMac, ETHERTYPE_IPV4, relayReply(dhcpReply(DHCP_OFFER, identity, xid, lease), (seed >>> 16) & 0xffff));
  ts += 12_000;
  fromDevice(ts, BROADCAST_MAC, ETHERTYPE_IPV4, clientBroadcast(dhcpRequest(identity, xid, lease)));
  ts += 2_600;
  fromGateway(ts, replyMac, ETHERTYPE_IPV4, relayReply(dhcpReply(DHCP_ACK, identity, xid, lease), ((seed >>> 16) + 1) & 0xffff));
  ts += 140_000;
  fromDevice(ts, BROADCAST_MAC, ETHERTYPE_ARP, gratuitousArp(device.mac, device.ip));
  ts += 25_000;
  fromDevice(ts, BROADCAST_MAC, ETHERTYPE_ARP, arpRequest(device.mac, device.ip, gateway.ip));
  ts += 700;
  fromGateway(ts, device.mac, ETHERTYPE_ARP, arpReply(gateway.mac, gateway.ip, device.mac, device.ip));
  return frames;
}

/** The frames the device itself sends when it joins (DHCPDISCOVER, DHCPREQUEST, ARP), for injection. */
export function dhcpExchangeFrames(device: HospitalDevice, gateway: Gateway, startTs: bigint | number): { ts: bigint; frame: Uint8Array }[] {
  const start = BigInt(startTs);
  return joinFrames(device, gateway, 0)
    .filter((f) => f.sender === 'device')
    .map((f) => ({ ts: start + BigInt(f.ts), frame: f.frame }));
}

/** FNV-1a, 32 bits: a stable number from a MAC for the transaction id. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}
