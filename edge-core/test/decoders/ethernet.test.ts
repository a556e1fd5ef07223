import { describe, expect, it } from 'vitest';
import { createEthernet, decode } from '../../src/decoders/ethernet.js';
import { WEIRD_NAMES, WEIRD_NONE } from '../../src/decoders/weird.js';
import { DHCP_ACK_QINQ } from './dhcp-frames.js';
import { LLDP } from './frames-ipv6.js';
import { ARP_REQUEST_VLAN, TCP_SYN } from './frames.js';
import { hex } from './hex.js';

const MONITOR = 0x0009fb1a2b3c;
const GATEWAY = 0x00005e000114;

describe('ethernet decoder', () => {
  it('decodes an untagged Ethernet II header', () => {
    const out = createEthernet();
    expect(decode(TCP_SYN, 0, out)).toBe(out);
    expect(out).toEqual({
      dstMac: GATEWAY,
      srcMac: MONITOR,
      outerVlan: -1,
      innerVlan: -1,
      etherType: 0x0800,
      payloadOffset: 14,
      payloadLength: 60,
      weird: WEIRD_NONE,
    });
  });

  it('records the VLAN id of an 802.1Q tag', () => {
    const out = decode(ARP_REQUEST_VLAN, 0, createEthernet());
    expect(out).toMatchObject({ dstMac: 0xffffffffffff, outerVlan: 20, innerVlan: -1, etherType: 0x0806 });
    expect(out).toMatchObject({ payloadOffset: 18, payloadLength: 28 });
  });

  it('records outer and inner VLAN ids of QinQ (0x88a8 over 0x8100)', () => {
    const out = decode(DHCP_ACK_QINQ, 0, createEthernet());
    expect(out).toMatchObject({ srcMac: 0x0050569a0002, dstMac: MONITOR, outerVlan: 100, innerVlan: 20 });
    expect(out).toMatchObject({ etherType: 0x0800, payloadOffset: 22, payloadLength: 302 });
  });

  it('records stacked 0x8100 tags and leaves a third tag as the EtherType', () => {
    const frame = hex('0180c2000000', '0009fb1a2b3c', '8100 a00a', '8100 0fff', '8100 0001', '0800', '45');
    // PCP 5 on the outer tag is not part of the VID; VID 4095 is kept as sent.
    expect(decode(frame, 0, createEthernet())).toMatchObject({
      outerVlan: 10,
      innerVlan: 0xfff,
      etherType: 0x8100,
      payloadOffset: 22,
    });
  });

  it('reports an IEEE 802.3 length field as it is', () => {
    const frame = hex('0180c2000000', '0009fb1a2b3c', '0026', '424203', '0000');
    expect(decode(frame, 0, createEthernet())).toMatchObject({ etherType: 0x26, payloadOffset: 14, payloadLength: 5 });
  });

  it('decodes at an offset into a larger buffer', () => {
    const batch = new Uint8Array(8 + LLDP.length);
    batch.set(LLDP, 8);
    expect(decode(batch, 8, createEthernet())).toMatchObject({ etherType: 0x88cc, payloadOffset: 22, payloadLength: 24 });
  });

  it('names the weird of a cut header and of a cut tag', () => {
    const out = createEthernet();
    expect(decode(TCP_SYN.subarray(0, 13), 0, out)).toBeNull();
    expect(WEIRD_NAMES[out.weird]).toBe('truncated_ethernet');
    expect(decode(ARP_REQUEST_VLAN.subarray(0, 17), 0, out)).toBeNull();
    expect(WEIRD_NAMES[out.weird]).toBe('truncated_vlan');
    expect(decode(DHCP_ACK_QINQ.subarray(0, 21), 0, out)).toBeNull();
    expect(WEIRD_NAMES[out.weird]).toBe('truncated_vlan');
    expect(decode(TCP_SYN, 70, out)).toBeNull();
    expect(decode(TCP_SYN, -1, out)).toBeNull();
  });
});
