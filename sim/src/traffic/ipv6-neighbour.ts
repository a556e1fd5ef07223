/**
 * IPv6 start-up of a dual-stack host on its link: MLDv2 join of its solicited-node group (with the
 * hop-by-hop Router Alert), duplicate address detection, a router solicitation and the router's
 * advertisement (RFC 4862 §5.4, RFC 4861 §6.3.7, RFC 3810 §5.2).
 */
import type { Gateway, HospitalDevice } from '../devices.js';
import { hostFrame, type TimedFrame } from '../network.js';
import { ipv6MulticastMac, linkLocalFromMac, solicitedNodeAddress } from '../packets/address.js';
import { ETHERTYPE_IPV6 } from '../packets/ethernet.js';
import { ALL_NODES, ALL_ROUTERS, MLDV2_ROUTERS, mldv2Report, neighborSolicitation, routerAdvertisement, routerSolicitation } from '../packets/icmpv6.js';
import { NEXT_HEADER_ICMPV6, ipv6Packet } from '../packets/ipv6.js';

/** RFC 4861 §4.1–4.3: neighbour discovery messages are sent with hop limit 255; MLD with 1 (RFC 3810 §5). */
const ND_HOP_LIMIT = 255;
const MLD_HOP_LIMIT = 1;
const ETHERNET_MTU = 1500;

export function ipv6StartFrames(device: HospitalDevice, gateway: Gateway, startMicros: number): TimedFrame[] {
  const linkLocal = linkLocalFromMac(device.mac);
  const solicited = solicitedNodeAddress(linkLocal);
  const routerLinkLocal = linkLocalFromMac(gateway.mac);
  const icmp = (src: string, dst: string, hopLimit: number, payload: Uint8Array, routerAlert = false): Uint8Array =>
    ipv6Packet({ src, dst, nextHeader: NEXT_HEADER_ICMPV6, hopLimit, payload, routerAlert });

  const frames: TimedFrame[] = [];
  let ts = startMicros;
  // RFC 4862 §5.4.2: the join is reported from the unspecified address before the link-local address is valid.
  const report = icmp('::', MLDV2_ROUTERS, MLD_HOP_LIMIT, mldv2Report('::', [solicited]), true);
  frames.push({ ts, frame: hostFrame(device, ipv6MulticastMac(MLDV2_ROUTERS), ETHERTYPE_IPV6, report, device.vlan) });
  ts += 300_000;
  const dad = icmp('::', solicited, ND_HOP_LIMIT, neighborSolicitation('::', solicited, linkLocal));
  frames.push({ ts, frame: hostFrame(device, ipv6MulticastMac(solicited), ETHERTYPE_IPV6, dad, device.vlan) });
  ts += 1_000_000;
  const solicitation = icmp(linkLocal, ALL_ROUTERS, ND_HOP_LIMIT, routerSolicitation(linkLocal, ALL_ROUTERS, device.mac));
  frames.push({ ts, frame: hostFrame(device, ipv6MulticastMac(ALL_ROUTERS), ETHERTYPE_IPV6, solicitation, device.vlan) });
  ts += 1_800;
  const advertisement = routerAdvertisement({ src: routerLinkLocal, dst: ALL_NODES, mac: gateway.mac, prefix: gateway.ipv6Prefix, mtu: ETHERNET_MTU });
  frames.push({
    ts,
    frame: hostFrame(gateway, ipv6MulticastMac(ALL_NODES), ETHERTYPE_IPV6, icmp(routerLinkLocal, ALL_NODES, ND_HOP_LIMIT, advertisement), device.vlan),
  });
  return frames;
}
