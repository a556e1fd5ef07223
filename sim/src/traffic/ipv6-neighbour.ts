/**
 * IPv6 start-up of a dual-stack host on its link: MLDv2 join of its solicited-node group (with the
 * hop-by-hop Router Alert), duplicate address detection, a router solicitation and the router's
 * advertisement (RFC 4862 §5.4, RFC 4861 §6.3.7, RFC 3810 §5.2).
 */
import type { Gateway, HospitalDevice, Host } from '../devices.js';
import { hostFrame, type TimedFrame } from '../network.js';
import { ipv6MulticastMac, linkLocalFromMac, solicitedNodeAddress } from '../packets/address.js';
import { ETHERTYPE_IPV6 } from '../packets/ethernet.js';
import {
  ALL_NODES,
  ALL_ROUTERS,
  MLDV2_ROUTERS,
  mldv2Report,
  neighborSolicitation,
  routerAdvertisement,
  routerSolicitation,
} from '../packets/icmpv6.js';
import { NEXT_HEADER_ICMPV6, ipv6Packet } from '../packets/ipv6.js';

/** RFC 4861 §4.1–4.3: neighbour discovery messages are sent with hop limit 255; MLD with 1 (RFC 3810 §5). */
const ND_HOP_LIMIT = 255;
const MLD_HOP_LIMIT = 1;
const ETHERNET_MTU = 1500;

export function ipv6StartFrames(device: HospitalDevice, gateway: Gateway, startMicros: number): TimedFrame[] {
  const linkLocal = linkLocalFromMac(device.mac);
  const solicited = solicitedNodeAddress(linkLocal);
  const routerLinkLocal = linkLocalFromMac(gateway.mac);
  const frames: TimedFrame[] = [];
  /** An ICMPv6 message from `from` to a multicast group, framed to the group's multicast MAC. */
  const send = (ts: number, from: Host, src: string, dst: string, hopLimit: number, message: Uint8Array, routerAlert = false): void => {
    const packet = ipv6Packet({ src, dst, nextHeader: NEXT_HEADER_ICMPV6, hopLimit, payload: message, routerAlert });
    frames.push({ ts, frame: hostFrame(from, ipv6MulticastMac(dst), ETHERTYPE_IPV6, packet, device.vlan) });
  };

  // RFC 4862 §5.4.2: the join is reported from the unspecified address before the link-local address is valid.
  let ts = startMicros;
  send(ts, device, '::', MLDV2_ROUTERS, MLD_HOP_LIMIT, mldv2Report('::', [solicited]), true);
  ts += 300_000;
  send(ts, device, '::', solicited, ND_HOP_LIMIT, neighborSolicitation('::', solicited, linkLocal));
  ts += 1_000_000;
  send(ts, device, linkLocal, ALL_ROUTERS, ND_HOP_LIMIT, routerSolicitation(linkLocal, ALL_ROUTERS, device.mac));
  ts += 1_800;
  const fields = { src: routerLinkLocal, dst: ALL_NODES, mac: gateway.mac, prefix: gateway.ipv6Prefix, mtu: ETHERNET_MTU };
  send(ts, gateway, routerLinkLocal, ALL_NODES, ND_HOP_LIMIT, routerAdvertisement(fields));
  return frames;
}
