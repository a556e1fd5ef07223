import { describe, expect, it } from 'vitest';
import { createIpv4, decode } from '../../src/decoders/ipv4.js';
import { WEIRD_NAMES, WEIRD_NONE } from '../../src/decoders/weird.js';
import { DHCP_DISCOVER } from './dhcp-frames.js';
import { IPV4_LATER_FRAGMENT, TCP_ACK_PADDED, TCP_SYN } from './frames.js';
import { hex, patch } from './hex.js';

const IP = 14;

function weirdOf(frame: Uint8Array): string | undefined {
  const out = createIpv4();
  expect(decode(frame, IP, out)).toBeNull();
  return WEIRD_NAMES[out.weird];
}

describe('ipv4 decoder', () => {
  it('decodes a header', () => {
    const out = createIpv4();
    expect(decode(DHCP_DISCOVER, IP, out)).toBe(out);
    expect(out).toEqual({
      headerLength: 20,
      totalLength: 356,
      tos: 0,
      identification: 0,
      ttl: 64,
      protocol: 17,
      src: 0,
      dst: 0xffffffff,
      fragmentOffset: 0,
      moreFragments: false,
      isFragment: false,
      payloadOffset: 34,
      payloadLength: 336,
      weird: WEIRD_NONE,
    });
  });

  it('reads DF without calling the datagram a fragment', () => {
    expect(decode(TCP_SYN, IP, createIpv4())).toMatchObject({
      protocol: 6,
      src: 0x0a140037,
      dst: 0x0a1e000a,
      identification: 0x4d2e,
      isFragment: false,
      payloadLength: 40,
    });
  });

  it('honours the total length, not the Ethernet padding', () => {
    expect(decode(TCP_ACK_PADDED, IP, createIpv4())).toMatchObject({ totalLength: 40, payloadOffset: 34, payloadLength: 20 });
  });

  it('reads a zero total length as the rest of the frame (segmentation offload on the capturing host)', () => {
    const offloaded = patch(TCP_SYN, IP + 2, '0000');
    expect(decode(offloaded, IP, createIpv4())).toMatchObject({ totalLength: TCP_SYN.length - IP, payloadOffset: IP + 20, payloadLength: TCP_SYN.length - IP - 20 });
  });

  it('reports fragment offset and MF', () => {
    expect(decode(IPV4_LATER_FRAGMENT, IP, createIpv4())).toMatchObject({
      fragmentOffset: 1480,
      moreFragments: false,
      isFragment: true,
      protocol: 17,
      payloadLength: 20,
    });
    const first = patch(IPV4_LATER_FRAGMENT, IP + 6, '2000'); // MF set, offset 0
    expect(decode(first, IP, createIpv4())).toMatchObject({ fragmentOffset: 0, moreFragments: true, isFragment: true });
  });

  it('skips options by the IHL', () => {
    // IHL 6: one 4-octet option word (NOP NOP NOP EOL), total length 24 + 4 data octets.
    const withOptions = hex('46 00 001c 0000 0000 40 11 0000 0a140037 0a140001', '01010100', 'c0ffee00');
    expect(decode(withOptions, 0, createIpv4())).toMatchObject({ headerLength: 24, payloadOffset: 24, payloadLength: 4 });
  });

  it('names each malformation', () => {
    expect(weirdOf(patch(TCP_SYN, IP, '65'))).toBe('bad_ipv4_header'); // version 6
    expect(weirdOf(patch(TCP_SYN, IP, '44'))).toBe('bad_ipv4_header'); // IHL 4
    expect(weirdOf(patch(TCP_SYN, IP + 2, '0013'))).toBe('bad_ipv4_length'); // total length 19 < 20
    expect(weirdOf(patch(TCP_SYN, IP + 2, '003d'))).toBe('truncated_ipv4_payload'); // one octet more than captured
    expect(weirdOf(TCP_SYN.subarray(0, IP + 19))).toBe('truncated_ipv4');
    expect(weirdOf(patch(TCP_SYN, IP, '4f').subarray(0, IP + 40))).toBe('truncated_ipv4'); // IHL 15: 60 octets
  });
});
