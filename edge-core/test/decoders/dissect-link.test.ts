import { describe, expect, it } from 'vitest';
import {
  createDissection,
  dissect,
  dissectLink,
  L3_IPV4,
  L3_IPV6,
  L4_TCP,
  LINKTYPE_ETHERNET,
  LINKTYPE_LINUX_SLL,
  LINKTYPE_LINUX_SLL2,
  LINKTYPE_LOOP,
  LINKTYPE_NULL,
  LINKTYPE_RAW,
  WEIRD_NAMES,
  type Dissection,
} from '../../src/dissect.js';
import { IPV6_FIRST_FRAGMENT } from './frames-ipv6.js';
import { TCP_SYN } from './frames.js';
import { hex } from './hex.js';

const ETHERNET_HEADER = 14;
const ipOf = (frame: Uint8Array): Uint8Array => frame.subarray(ETHERNET_HEADER);
const join = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]));

/** What dissection says of the IP layers, without the link layer's own fields. */
function ipView(d: Dissection, base: number): Record<string, number | boolean> {
  return { l3: d.l3, l4: d.l4, ipSrc: d.ipSrc, ipDst: d.ipDst, srcPort: d.srcPort, dstPort: d.dstPort, tcpFlags: d.tcpFlags, payloadOffset: d.payloadOffset - base, payloadLength: d.payloadLength };
}

describe('dissectLink', () => {
  const onEthernet = createDissection();
  dissect(TCP_SYN, onEthernet);
  const expected = ipView(onEthernet, ETHERNET_HEADER);

  it.each([
    // BSD loopback: AF_INET (2) in the capturing host's byte order (little-endian here), then IPv4.
    ['BSD loopback, little-endian family', LINKTYPE_NULL, hex('02000000'), 4],
    ['BSD loopback, big-endian family', LINKTYPE_NULL, hex('00000002'), 4],
    ['OpenBSD loopback (network order)', LINKTYPE_LOOP, hex('00000002'), 4],
    ['raw IP', LINKTYPE_RAW, new Uint8Array(0), 0],
    // Linux cooked v1: packet type 2, ARPHRD_ETHER 1, address length 6, address + 2 pad, protocol 0x0800.
    ['Linux cooked capture', LINKTYPE_LINUX_SLL, hex('0000 0001 0006 0009fb1a2b3c 0000 0800'), 16],
    // Linux cooked v2: protocol 0x0800, reserved, ifindex 2, ARPHRD_ETHER, packet type, address length, address.
    ['Linux cooked capture v2', LINKTYPE_LINUX_SLL2, hex('0800 0000 00000002 0001 00 06 0009fb1a2b3c0000'), 20],
  ])('reads IPv4 behind %s as on Ethernet', (_name, linkType, header, length) => {
    const d = createDissection();
    expect(dissectLink(join(header, ipOf(TCP_SYN)), d, linkType)).toBe(true);
    expect(ipView(d, length)).toEqual(expected);
    expect(d.l3).toBe(L3_IPV4);
    expect(d.l4).toBe(L4_TCP);
    expect(d.srcMac).toBe(0);
  });

  it('reads IPv6 by its version nibble on raw IP and by its family on BSD loopback', () => {
    const d = createDissection();
    expect(dissectLink(ipOf(IPV6_FIRST_FRAGMENT), d, LINKTYPE_RAW)).toBe(true);
    expect(d.l3).toBe(L3_IPV6);
    expect(dissectLink(join(hex('1e000000'), ipOf(IPV6_FIRST_FRAGMENT)), d, LINKTYPE_NULL)).toBe(true); // AF_INET6 30 (Darwin)
    expect(d.l3).toBe(L3_IPV6);
  });

  it('leaves Ethernet to dissect', () => {
    const d = createDissection();
    expect(dissectLink(TCP_SYN, d, LINKTYPE_ETHERNET)).toBe(true);
    expect(ipView(d, ETHERNET_HEADER)).toEqual(expected);
  });

  it('names a cut link header and an unknown link type', () => {
    const d = createDissection();
    expect(dissectLink(hex('0200'), d, LINKTYPE_NULL)).toBe(false);
    expect(WEIRD_NAMES[d.weird]).toBe('truncated_link_header');
    expect(dissectLink(hex('00'.repeat(15)), d, LINKTYPE_LINUX_SLL)).toBe(false);
    expect(WEIRD_NAMES[d.weird]).toBe('truncated_link_header');
    expect(dissectLink(ipOf(TCP_SYN), d, 105)).toBe(false); // IEEE 802.11
    expect(WEIRD_NAMES[d.weird]).toBe('unsupported_link_type');
  });

  it('stops at `end` inside a larger buffer', () => {
    const framed = join(hex('02000000'), ipOf(TCP_SYN), hex('ffffffff'));
    const d = createDissection();
    expect(dissectLink(framed, d, LINKTYPE_NULL, 0, framed.length - 4)).toBe(true);
    expect(ipView(d, 4)).toEqual(expected);
  });
});
