import { describe, expect, it } from 'vitest';
import { createIcmp, decode } from '../../src/decoders/icmp.js';
import { WEIRD_NAMES, WEIRD_NONE } from '../../src/decoders/weird.js';
import { IPV6_MLD_HOP_BY_HOP } from './frames-ipv6.js';
import { ICMP_ECHO } from './frames.js';

describe('icmp decoder', () => {
  it('decodes an ICMP echo request', () => {
    const out = createIcmp();
    expect(decode(ICMP_ECHO, 34, out)).toBe(out);
    expect(out).toEqual({ type: 8, code: 0, payloadOffset: 38, payloadLength: 12, weird: WEIRD_NONE });
  });

  it('decodes an ICMPv6 MLDv2 report', () => {
    expect(decode(IPV6_MLD_HOP_BY_HOP, 62, createIcmp())).toMatchObject({ type: 143, code: 0, payloadLength: 24 });
  });

  it('stops at `end` and names a cut header', () => {
    const out = createIcmp();
    expect(decode(ICMP_ECHO, 34, out, 40)).toMatchObject({ payloadLength: 2 });
    expect(decode(ICMP_ECHO, 34, out, 37)).toBeNull();
    expect(WEIRD_NAMES[out.weird]).toBe('truncated_icmp');
  });
});
