import { describe, expect, it } from 'vitest';
import { decode, type Cdp } from '../../src/decoders/cdp.js';
import { decoderContract } from './contract.js';
import { CDP_DEVICE_ID_ONLY, CDP_PHONE, L2_PAYLOAD_OFFSET } from './discovery-frames.js';
import { hex, seededRandom, text } from './hex.js';

/** LLC/SNAP and a CDP v2 header, then `tlvs`: a PDU read from offset 0. */
function pdu(...tlvs: string[]): Uint8Array {
  return hex('aaaa03 00000c 2000', '02 b4 0000', ...tlvs);
}

describe('cdp decoder', () => {
  it('decodes an IP phone advertisement', () => {
    expect(decode(CDP_PHONE, L2_PAYLOAD_OFFSET)).toEqual({
      version: 2,
      ttl: 180,
      checksum: 0x2c34,
      deviceId: 'SEP001B54112233',
      addresses: [{ kind: 'ipv4', address: '10.20.0.40' }],
      portId: 'Port 1',
      capabilities: 0x490,
      softwareVersion: 'Cisco IP Phone\r\nSIP 14.1(1)',
      platform: 'Cisco IP Phone 8845',
      nativeVlan: 20,
      duplex: 1,
      managementAddresses: [{ kind: 'ipv4', address: '10.20.0.40' }],
      tlvTypes: [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0a, 0x0b, 0x16],
    } satisfies Cdp);
  });

  it('reads advertisements with a device ID only, in versions 2 and 1', () => {
    expect(decode(CDP_DEVICE_ID_ONLY, L2_PAYLOAD_OFFSET)).toMatchObject({ version: 2, deviceId: 'icu-phone-0012', platform: null, tlvTypes: [1] });
    expect(decode(pdu('0001 0006', text('R1')).map((octet, i) => (i === 8 ? 1 : octet)), 0)).toMatchObject({ version: 1, deviceId: 'R1' });
  });

  it('reads IPv6 and other protocols in an address list', () => {
    const message = pdu(
      '0002 0034', // addresses, length 52
      '00000003', // 3 entries
      '02 08 aaaa0300000086dd 0010 20010db8001400000000000000000028', // IEEE 802.2 + SNAP IPv6
      '01 01 cc 0004 0a140028', // NLPID IP
      '01 01 81 0002 0102', // NLPID 0x81 (CLNP)
    );
    expect(decode(message, 0)?.addresses).toEqual([
      { kind: 'ipv6', address: '2001:db8:14::28' },
      { kind: 'ipv4', address: '10.20.0.40' },
      { kind: 'other', address: '81:0102' },
    ]);
  });

  it('keeps unknown TLVs in the type list only', () => {
    expect(decode(pdu('0001 0005 41', '0009 0008 00000000'), 0)).toMatchObject({ deviceId: 'A', tlvTypes: [1, 9] });
  });

  it('reads only up to `end`: the 802.3 length, not the padding after it', () => {
    const padded = Uint8Array.from([...CDP_DEVICE_ID_ONLY, 0, 0, 0, 0, 0, 0]);
    expect(decode(padded, L2_PAYLOAD_OFFSET)).toBeNull(); // padding read as a TLV header
    expect(decode(padded, L2_PAYLOAD_OFFSET, CDP_DEVICE_ID_ONLY.length)).toMatchObject({ deviceId: 'icu-phone-0012' });
  });

  it.each([
    ['another SNAP protocol (DTP, PID 0x2004)', hex('aaaa03 00000c 2004', '02 b4 0000', '0001 0005 41')],
    ['another OUI', hex('aaaa03 00000d 2000', '02 b4 0000', '0001 0005 41')],
    ['plain LLC (no SNAP)', hex('424203 00000c 2000', '02 b4 0000', '0001 0005 41')],
    ['version 3', hex('aaaa03 00000c 2000', '03 b4 0000', '0001 0005 41')],
    ['no TLV', pdu()],
    ['a TLV shorter than its header', pdu('0001 0003 41')],
    ['a TLV past the end', pdu('0001 0009 41')],
    ['a partial TLV header', pdu('0001 0005 41', '00')],
    ['capabilities of 2 octets', pdu('0004 0006 0001')],
    ['a native VLAN of 1 octet', pdu('000a 0005 14')],
    ['an address list whose count overruns it', pdu('0002 0011 00000002 01 01 cc 0004 0a140028')],
    ['an address past its entry', pdu('0002 0011 00000001 01 01 cc 0005 0a140028')],
  ])('rejects %s', (_name, message) => {
    expect(decode(message, 0)).toBeNull();
  });

  it('never throws on mutations of a full advertisement', () => {
    const random = seededRandom(0xcd9);
    for (let n = 0; n < 20_000; n++) {
      const mutated = CDP_PHONE.slice();
      for (let f = 0; f < 3; f++) mutated[Math.floor(random() * mutated.length)] = random() * 256;
      decode(mutated, L2_PAYLOAD_OFFSET);
    }
  });
});

let last: Cdp | null = null;
decoderContract({
  name: 'cdp',
  accepts: (buf, offset, end) => (last = decode(buf, offset, end)) !== null,
  result: () => last,
  cases: [{ name: 'device ID only', bytes: CDP_DEVICE_ID_ONLY, offset: L2_PAYLOAD_OFFSET }],
});
