import { describe, expect, it } from 'vitest';
import { createDissection, dissect, dissectLink, LINKTYPE_LINUX_SLL, LINKTYPE_NULL, WEIRD_NAMES } from '../../src/dissect.js';
import { DHCP_DISCOVER } from './dhcp-frames.js';
import { IPV6_FIRST_FRAGMENT, IPV6_LATER_FRAGMENT, IPV6_MLD_HOP_BY_HOP } from './frames-ipv6.js';
import { ARP_REQUEST_VLAN, ICMP_ECHO, TCP_SYN } from './frames.js';
import { patch } from './hex.js';

/** One broken frame per weird: [expected reason, frame]. */
const BROKEN: readonly (readonly [string, Uint8Array])[] = [
  ['truncated_ethernet', TCP_SYN.subarray(0, 12)],
  ['truncated_vlan', ARP_REQUEST_VLAN.subarray(0, 16)],
  ['truncated_arp', ARP_REQUEST_VLAN.subarray(0, 40)],
  ['unsupported_arp', patch(ARP_REQUEST_VLAN, 18, '0006')], // hardware type IEEE 802
  ['truncated_ipv4', TCP_SYN.subarray(0, 30)],
  ['bad_ipv4_header', patch(TCP_SYN, 14, '44')], // IHL 4
  ['bad_ipv4_header', patch(TCP_SYN, 14, '55')], // version 5
  ['bad_ipv4_length', patch(TCP_SYN, 16, '0010')], // total length 16 < IHL 20
  ['truncated_ipv4_payload', TCP_SYN.subarray(0, 73)],
  ['truncated_ipv6', IPV6_MLD_HOP_BY_HOP.subarray(0, 50)],
  ['bad_ipv6_header', patch(IPV6_MLD_HOP_BY_HOP, 14, '40')], // version 4
  ['truncated_ipv6_payload', IPV6_MLD_HOP_BY_HOP.subarray(0, 89)],
  ['truncated_ipv6_ext', patch(IPV6_LATER_FRAGMENT, 18, '0010')], // payload length 16 < routing header 24
  ['bad_ipv6_ext', patch(IPV6_FIRST_FRAGMENT, 54, '00')], // hop-by-hop after destination options
  ['truncated_udp', patch(DHCP_DISCOVER, 16, '001b')], // IPv4 total length 27: 7 octets of UDP
  ['bad_udp_length', patch(DHCP_DISCOVER, 38, '0151')], // UDP length 337 > 336 in the IP payload
  ['truncated_tcp', patch(TCP_SYN, 16, '0030')], // 28 octets of TCP, data offset 10 says 40
  ['bad_tcp_header', patch(TCP_SYN, 46, '30')], // data offset 3
  ['truncated_icmp', patch(ICMP_ECHO, 16, '0017')], // 3 octets of ICMP
];

/** Broken link headers of other link types: [expected reason, frame, link type]. */
const BROKEN_LINK: readonly (readonly [string, Uint8Array, number])[] = [
  ['truncated_link_header', TCP_SYN.subarray(0, 3), LINKTYPE_NULL], // 3 of the 4 octets of the address family
  ['truncated_link_header', TCP_SYN.subarray(0, 15), LINKTYPE_LINUX_SLL], // 15 of 16
  ['unsupported_link_type', TCP_SYN, 105], // IEEE 802.11
];

describe('dissect weirds', () => {
  it.each(BROKEN.map(([name, frame], i) => [name, i, frame] as const))('reports %s (case %i)', (name, _i, frame) => {
    const d = createDissection();
    expect(dissect(frame, d)).toBe(false);
    expect(WEIRD_NAMES[d.weird]).toBe(name);
  });

  it.each(BROKEN_LINK.map(([name, frame, linkType], i) => [name, i, frame, linkType] as const))('reports %s (link case %i)', (name, _i, frame, linkType) => {
    const d = createDissection();
    expect(dissectLink(frame, d, linkType)).toBe(false);
    expect(WEIRD_NAMES[d.weird]).toBe(name);
  });

  it('has a case for every weird name, and each name once in the list', () => {
    expect(new Set([...BROKEN, ...BROKEN_LINK].map(([name]) => name))).toEqual(new Set(WEIRD_NAMES));
    expect(new Set(WEIRD_NAMES).size).toBe(WEIRD_NAMES.length);
  });

  it('keeps the layers decoded before the weird, so it can be counted against the sender', () => {
    const d = createDissection();
    expect(dissect(patch(TCP_SYN, 46, '30'), d)).toBe(false);
    expect(d).toMatchObject({ srcMac: 0x0009fb1a2b3c, ipSrc: 0x0a140037, ipProto: 6, srcPort: 0 });
  });
});
