import { describe, expect, it } from 'vitest';
import { createIpv6, decode } from '../../src/decoders/ipv6.js';
import { WEIRD_NAMES, WEIRD_NONE } from '../../src/decoders/weird.js';
import { IPV6_FIRST_FRAGMENT, IPV6_LATER_FRAGMENT, IPV6_MLD_HOP_BY_HOP } from './frames-ipv6.js';
import { patch } from './hex.js';

const IP = 14;

function weirdOf(frame: Uint8Array): string | undefined {
  const out = createIpv6();
  expect(decode(frame, IP, out)).toBeNull();
  return WEIRD_NAMES[out.weird];
}

describe('ipv6 decoder', () => {
  it('walks a hop-by-hop header to ICMPv6', () => {
    const out = createIpv6();
    expect(decode(IPV6_MLD_HOP_BY_HOP, IP, out)).toBe(out);
    expect(out).toEqual({
      trafficClass: 0,
      flowLabel: 0,
      hopLimit: 1,
      srcOffset: 22,
      dstOffset: 38,
      nextHeader: 58,
      extensionsLength: 8,
      fragmentOffset: 0,
      moreFragments: false,
      isFragment: false,
      payloadOffset: 62,
      payloadLength: 28,
      weird: WEIRD_NONE,
    });
  });

  it('walks destination options and a first fragment header to UDP', () => {
    expect(decode(IPV6_FIRST_FRAGMENT, IP, createIpv6())).toMatchObject({
      nextHeader: 17,
      extensionsLength: 16,
      fragmentOffset: 0,
      moreFragments: true,
      isFragment: true,
      payloadOffset: 70,
      payloadLength: 24,
    });
  });

  it('stops at the header of a later fragment', () => {
    expect(decode(IPV6_LATER_FRAGMENT, IP, createIpv6())).toMatchObject({
      nextHeader: 17,
      extensionsLength: 32,
      fragmentOffset: 1232,
      moreFragments: false,
      isFragment: true,
      payloadOffset: 86,
      payloadLength: 16,
    });
  });

  it('does not count an atomic fragment (offset 0, M 0) as a fragment', () => {
    const atomic = patch(IPV6_FIRST_FRAGMENT, 64, '0000');
    expect(decode(atomic, IP, createIpv6())).toMatchObject({ isFragment: false, nextHeader: 17 });
  });

  it('reads traffic class and flow label', () => {
    const marked = patch(IPV6_MLD_HOP_BY_HOP, IP, '6b8abcde'); // traffic class 0xb8 (EF), flow 0xabcde
    expect(decode(marked, IP, createIpv6())).toMatchObject({ trafficClass: 0xb8, flowLabel: 0xabcde });
  });

  it('names each malformation', () => {
    expect(weirdOf(patch(IPV6_MLD_HOP_BY_HOP, IP, '40'))).toBe('bad_ipv6_header');
    expect(weirdOf(IPV6_MLD_HOP_BY_HOP.subarray(0, IP + 39))).toBe('truncated_ipv6');
    expect(weirdOf(patch(IPV6_MLD_HOP_BY_HOP, IP + 4, '0025'))).toBe('truncated_ipv6_payload');
    // Payload length 8 leaves no room for the 24-octet routing header.
    expect(weirdOf(patch(IPV6_LATER_FRAGMENT, IP + 4, '0008'))).toBe('truncated_ipv6_ext');
    // Payload length 1: not even the routing header's first two octets.
    expect(weirdOf(patch(IPV6_LATER_FRAGMENT, IP + 4, '0001'))).toBe('truncated_ipv6_ext');
    // Payload length 28 ends inside the fragment header.
    expect(weirdOf(patch(IPV6_LATER_FRAGMENT, IP + 4, '001c'))).toBe('truncated_ipv6_ext');
    // Destination options announcing hop-by-hop next: only allowed straight after the fixed header.
    expect(weirdOf(patch(IPV6_FIRST_FRAGMENT, 54, '00'))).toBe('bad_ipv6_ext');
  });
});
