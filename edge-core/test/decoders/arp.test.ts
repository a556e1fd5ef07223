import { describe, expect, it } from 'vitest';
import { createArp, decode } from '../../src/decoders/arp.js';
import { WEIRD_NAMES, WEIRD_NONE } from '../../src/decoders/weird.js';
import { ARP_REQUEST_VLAN } from './frames.js';
import { patch } from './hex.js';

const ARP_OFFSET = 18;

describe('arp decoder', () => {
  it('decodes an Ethernet/IPv4 request', () => {
    const out = createArp();
    expect(decode(ARP_REQUEST_VLAN, ARP_OFFSET, out)).toBe(out);
    expect(out).toEqual({
      op: 1,
      senderMac: 0x0009fb1a2b3c,
      senderIp: 0x0a140037, // 10.20.0.55
      targetMac: 0,
      targetIp: 0x0a140001, // 10.20.0.1
      weird: WEIRD_NONE,
    });
  });

  it('decodes a reply', () => {
    const reply = patch(ARP_REQUEST_VLAN, ARP_OFFSET + 6, '0002');
    expect(decode(reply, ARP_OFFSET, createArp())?.op).toBe(2);
  });

  it('rejects other hardware or protocol types and address lengths', () => {
    const out = createArp();
    for (const [at, field] of [
      [0, '0006'], // ar$hrd 6 IEEE 802
      [2, '86dd'], // ar$pro IPv6
      [4, '08'], // ar$hln 8
      [5, '10'], // ar$pln 16
    ] as const) {
      expect(decode(patch(ARP_REQUEST_VLAN, ARP_OFFSET + at, field), ARP_OFFSET, out)).toBeNull();
      expect(WEIRD_NAMES[out.weird]).toBe('unsupported_arp');
    }
  });

  it('names a cut packet', () => {
    const out = createArp();
    expect(decode(ARP_REQUEST_VLAN.subarray(0, 45), ARP_OFFSET, out)).toBeNull();
    expect(WEIRD_NAMES[out.weird]).toBe('truncated_arp');
  });
});
