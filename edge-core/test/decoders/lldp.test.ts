import { describe, expect, it } from 'vitest';
import { decode, type Lldp } from '../../src/decoders/lldp.js';
import { decoderContract } from './contract.js';
import { L2_PAYLOAD_OFFSET, LLDP_MANDATORY_ONLY, LLDP_SWITCH } from './discovery-frames.js';
import { LLDP } from './frames-ipv6.js';
import { hex, seededRandom, text } from './hex.js';

/** An LLDPDU: the mandatory TLVs of LLDP_MANDATORY_ONLY, then `tlvs`. */
function lldpdu(...tlvs: string[]): Uint8Array {
  return Uint8Array.from([...LLDP_MANDATORY_ONLY.subarray(L2_PAYLOAD_OFFSET), ...hex(...tlvs)]);
}

describe('lldp decoder', () => {
  it('decodes a switch port advertisement', () => {
    expect(decode(LLDP_SWITCH, L2_PAYLOAD_OFFSET)).toEqual({
      chassisIdSubtype: 4,
      chassisId: '00:00:0c:9f:0a:00',
      portIdSubtype: 5,
      portId: 'Gi1/0/12',
      ttl: 120,
      portDescription: 'ICU bed 12',
      systemName: 'icu-sw-03',
      systemDescription: 'ExampleOS 15.2\nward switch',
      capabilities: 0x14,
      enabledCapabilities: 0x04,
      managementAddresses: [{ family: 1, address: '10.20.0.3', interfaceSubtype: 2, interfaceNumber: 12 }],
      organizationTlvs: [{ oui: 0x0080c2, subtype: 1, offset: 115, length: 2 }],
      tlvTypes: [1, 2, 3, 4, 5, 6, 7, 8, 127],
      ended: true,
    } satisfies Lldp);
  });

  it('accepts the mandatory TLVs alone, without End Of LLDPDU (802.1AB-2016 §8.4)', () => {
    expect(decode(LLDP_MANDATORY_ONLY, L2_PAYLOAD_OFFSET)).toMatchObject({
      chassisId: '00:09:fb:1a:2b:3c',
      portIdSubtype: 3,
      portId: '00:09:fb:1a:2b:3d',
      ttl: 120,
      systemName: null,
      tlvTypes: [1, 2, 3],
      ended: false,
    });
  });

  it('stops at End Of LLDPDU and ignores the Ethernet padding after it', () => {
    const padded = Uint8Array.from([...LLDP, ...hex('ff'.repeat(20))]);
    expect(decode(padded, L2_PAYLOAD_OFFSET)).toMatchObject({ ended: true, tlvTypes: [1, 2, 3] });
  });

  it('reads network-address IDs, IPv6 and IEEE 802 management addresses, and opaque circuit IDs', () => {
    const pdu = hex(
      '0206 05 01 0a140003', // chassis ID: network address, IPv4 10.20.0.3
      '0405 06 c0ffee01', // port ID: agent circuit ID (opaque)
      '0602 0000', // TTL 0: forget this agent
      '1018 11 02 20010db8001400000000000000000003 03 00000005 00', // management address IPv6, port 5
      '100e 07 06 00000c9f0a00 01 00000000 00', // management address IEEE 802
      '1207', text('unknown'), // type 9, reserved: skipped
    );
    expect(decode(pdu, 0)).toMatchObject({
      chassisIdSubtype: 5,
      chassisId: '10.20.0.3',
      portIdSubtype: 6,
      portId: 'c0ffee01',
      ttl: 0,
      managementAddresses: [
        { family: 2, address: '2001:db8:14::3', interfaceSubtype: 3, interfaceNumber: 5 },
        { family: 6, address: '00:00:0c:9f:0a:00', interfaceSubtype: 1, interfaceNumber: 0 },
      ],
      tlvTypes: [1, 2, 3, 8, 8, 9],
      ended: false,
    });
  });

  it('keeps the first of a repeated system name', () => {
    expect(decode(lldpdu('0a02', text('s1'), '0a02', text('s2'), '0000'), 0)?.systemName).toBe('s1');
  });

  it.each([
    ['a TLV that runs past the end', lldpdu('0a09', text('short'))],
    ['a lone octet after the last TLV', lldpdu('0a')],
    ['a missing time to live', hex('0207 04 0009fb1a2b3c', '0407 03 0009fb1a2b3d', '0000')],
    ['the port ID first', hex('0407 03 0009fb1a2b3d', '0207 04 0009fb1a2b3c', '0602 0078')],
    ['a chassis ID without its ID', hex('0201 04', '0407 03 0009fb1a2b3d', '0602 0078')],
    ['a second chassis ID', lldpdu('0207 04 0009fb1a2b3c')],
    ['capabilities of 3 octets', lldpdu('0e03 001400')],
    ['a management address string longer than its TLV', lldpdu('1008 09 01 0a140003 02 00')],
    ['a management address OID past its TLV', lldpdu('100c 05 01 0a140003 02 0000000c 05')],
    ['an organizationally specific TLV without its subtype', lldpdu('fe03 0080c2')],
    ['no TLV at all', hex('')],
    ['End Of LLDPDU before the time to live', hex('0207 04 0009fb1a2b3c', '0000')],
  ])('rejects %s', (_name, pdu) => {
    expect(decode(pdu, 0)).toBeNull();
  });

  it('reads only up to `end`', () => {
    expect(decode(LLDP_SWITCH, L2_PAYLOAD_OFFSET, L2_PAYLOAD_OFFSET + 24)).toMatchObject({ tlvTypes: [1, 2, 3], ended: false });
    expect(decode(LLDP_SWITCH, L2_PAYLOAD_OFFSET, L2_PAYLOAD_OFFSET + 23)).toBeNull();
  });

  it('never throws on mutations of a full advertisement', () => {
    const random = seededRandom(0x11d9);
    for (let n = 0; n < 20_000; n++) {
      const mutated = LLDP_SWITCH.slice();
      for (let f = 0; f < 3; f++) mutated[Math.floor(random() * mutated.length)] = random() * 256;
      decode(mutated, L2_PAYLOAD_OFFSET);
    }
  });
});

let last: Lldp | null = null;
decoderContract({
  name: 'lldp',
  accepts: (buf, offset, end) => (last = decode(buf, offset, end)) !== null,
  result: (base) => last && { ...last, organizationTlvs: last.organizationTlvs.map((t) => ({ ...t, offset: t.offset - base })) },
  cases: [{ name: 'mandatory TLVs only', bytes: LLDP_MANDATORY_ONLY, offset: L2_PAYLOAD_OFFSET }],
});
