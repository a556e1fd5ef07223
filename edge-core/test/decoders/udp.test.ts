import { describe, expect, it } from 'vitest';
import { createUdp, decode, decodeFirstFragment } from '../../src/decoders/udp.js';
import { WEIRD_NAMES, WEIRD_NONE } from '../../src/decoders/weird.js';
import { DHCP_DISCOVER } from './dhcp-frames.js';
import { IPV6_FIRST_FRAGMENT } from './frames-ipv6.js';
import { patch } from './hex.js';

const UDP = 34;

describe('udp decoder', () => {
  it('decodes a datagram', () => {
    const out = createUdp();
    expect(decode(DHCP_DISCOVER, UDP, out)).toBe(out);
    expect(out).toEqual({ srcPort: 68, dstPort: 67, length: 336, payloadOffset: 42, payloadLength: 328, weird: WEIRD_NONE });
  });

  it('keeps to its length field when the IP payload is longer', () => {
    const shorter = patch(DHCP_DISCOVER, UDP + 4, '0010'); // 8 + 8 octets of data
    expect(decode(shorter, UDP, createUdp())).toMatchObject({ length: 16, payloadLength: 8 });
  });

  it('reads no further than `end`', () => {
    const out = createUdp();
    expect(decode(DHCP_DISCOVER, UDP, out, DHCP_DISCOVER.length - 1)).toBeNull();
    expect(WEIRD_NAMES[out.weird]).toBe('bad_udp_length');
    expect(decode(DHCP_DISCOVER, UDP, out, UDP + 7)).toBeNull();
    expect(WEIRD_NAMES[out.weird]).toBe('truncated_udp');
    expect(decode(DHCP_DISCOVER, UDP, out, DHCP_DISCOVER.length + 100)).toBe(out); // clamped to the buffer
  });

  it('rejects a length field below the header size', () => {
    const out = createUdp();
    expect(decode(patch(DHCP_DISCOVER, UDP + 4, '0007'), UDP, out)).toBeNull();
    expect(WEIRD_NAMES[out.weird]).toBe('bad_udp_length');
  });

  it('reads the header of a first fragment, whose length field covers later fragments', () => {
    const out = createUdp();
    expect(decode(IPV6_FIRST_FRAGMENT, 70, out)).toBeNull();
    expect(decodeFirstFragment(IPV6_FIRST_FRAGMENT, 70, out)).toEqual({
      srcPort: 49153,
      dstPort: 514,
      length: 1408,
      payloadOffset: 78,
      payloadLength: 16,
      weird: WEIRD_NONE,
    });
    expect(decodeFirstFragment(IPV6_FIRST_FRAGMENT, 70, out, 77)).toBeNull();
  });
});
