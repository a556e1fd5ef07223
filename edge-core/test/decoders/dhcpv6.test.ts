import { describe, expect, it } from 'vitest';
import { readDuid } from '../../src/decoders/dhcpv6-duid.js';
import { decode, type Dhcpv6 } from '../../src/decoders/dhcpv6.js';
import { decoderContract } from './contract.js';
import { DHCPV6_IN_FRAME_OFFSET, DHCPV6_RELAY_FORW, DHCPV6_RELAY_FRAME, DHCPV6_SOLICIT, DHCPV6_SOLICIT_CLIENT_ID_ONLY, DHCPV6_SOLICIT_FRAME } from './dhcpv6-messages.js';
import { hex, seededRandom, text } from './hex.js';

/** A SOLICIT with transaction-id 0x000001 and `options`. */
function solicit(...options: string[]): Uint8Array {
  return hex('01 000001', ...options);
}

const CLIENT_ID = '0001 000a 0003 0001 0009fb1a2b3d';

describe('dhcpv6 decoder', () => {
  it('decodes a SOLICIT with the options used to identify the client', () => {
    expect(decode(DHCPV6_SOLICIT, 0)).toEqual({
      messageType: 1,
      transactionId: 0x5a3c1f,
      relays: [],
      optionCodes: [1, 8, 3, 6, 15, 16, 17, 39],
      clientId: {
        type: 1,
        hex: '000100012a3b4c5d0009fb1a2b3c',
        hardwareType: 1,
        time: 0x2a3b4c5d,
        linkLayerAddress: '00:09:fb:1a:2b:3c',
        enterpriseNumber: null,
        identifier: null,
        uuid: null,
      },
      serverId: null,
      requestedOptions: [23, 24, 39],
      userClasses: ['icu'],
      vendorClasses: [{ enterpriseNumber: 32473, data: ['MX450-monitor'] }],
      vendorOptionEnterprises: [32473],
      fqdn: 'mx450-2b3c.icu.example',
      iaNaAddresses: ['2001:db8:14::37'],
    } satisfies Dhcpv6);
  });

  it('decodes the messages inside their frames', () => {
    expect(decode(DHCPV6_SOLICIT_FRAME, DHCPV6_IN_FRAME_OFFSET)).toEqual(decode(DHCPV6_SOLICIT, 0));
    expect(decode(DHCPV6_RELAY_FRAME, DHCPV6_IN_FRAME_OFFSET)).toEqual(decode(DHCPV6_RELAY_FORW, 0));
  });

  it('decodes the message a relay agent forwards, keeping the relay header', () => {
    expect(decode(DHCPV6_RELAY_FORW, 0)).toMatchObject({
      messageType: 1,
      transactionId: 0xaabbcc,
      relays: [{ messageType: 12, hopCount: 0, linkAddress: '2001:db8:14::1', peerAddress: 'fe80::209:fbff:fe1a:2b3d' }],
      optionCodes: [1],
      clientId: { type: 3, hardwareType: 1, linkLayerAddress: '00:09:fb:1a:2b:3d', time: null },
    });
  });

  it('decodes relays nested in relays, outermost first', () => {
    const inner = DHCPV6_RELAY_FORW;
    const outer = Uint8Array.from([...hex('0c 01', '20010db8001e00000000000000000001', '20010db8001400000000000000000001', '0009'), inner.length >> 8, inner.length & 0xff, ...inner]);
    expect(decode(outer, 0)?.relays.map((r) => r.hopCount)).toEqual([1, 0]);
  });

  it('reads DUID-EN and DUID-UUID', () => {
    expect(readDuid(hex('0002 00007ed9 0a0b0c'), 0, 9)).toMatchObject({ type: 2, enterpriseNumber: 32473, identifier: '0a0b0c', hardwareType: null });
    expect(readDuid(hex('0004 00112233445566778899aabbccddeeff'), 0, 18)).toMatchObject({ type: 4, uuid: '00112233445566778899aabbccddeeff' });
    expect(readDuid(hex('0009 0102'), 0, 4)).toMatchObject({ type: 9, hex: '00090102', linkLayerAddress: null });
  });

  it('keeps a server identifier, several vendor classes and a partial FQDN', () => {
    const message = solicit(
      CLIENT_ID,
      '0002 000e 0001 0001 00000001 00000c9f0a14', // server ID, DUID-LLT
      '0010 000c 00000137 0003', text('abc'), '0001', text('d'), // vendor class 311 with two items
      '0010 0004 00007ed9', // vendor class 32473, no items
      '0027 0006 00 04', text('pump'), // FQDN: a partial name (no root label)
    );
    expect(decode(message, 0)).toMatchObject({
      serverId: { type: 1, linkLayerAddress: '00:00:0c:9f:0a:14' },
      vendorClasses: [
        { enterpriseNumber: 311, data: ['abc', 'd'] },
        { enterpriseNumber: 32473, data: [] },
      ],
      fqdn: 'pump',
    });
  });

  it.each([
    ['no option', solicit()],
    ['an option past the end', solicit('0001 000b 0003 0001 0009fb1a2b3d')],
    ['a partial option header', solicit(CLIENT_ID, '00')],
    ['a DUID-LLT too short for its time', solicit('0001 0006 0001 0001 0000')],
    ['a DUID-UUID of 15 octets', solicit('0001 0011 0004 00112233445566778899aabbccddee')],
    ['an ORO of odd length', solicit(CLIENT_ID, '0006 0003 001700')],
    ['a user class item past its option', solicit(CLIENT_ID, '000f 0004 0003 6963')],
    ['a vendor class without its enterprise number', solicit(CLIENT_ID, '0010 0002 0000')],
    ['an FQDN label past its option', solicit(CLIENT_ID, '0027 0004 00 05 6162')],
    ['an FQDN with a compression pointer (RFC 4704 §4.2: none allowed)', solicit(CLIENT_ID, '0027 0003 00 c00c')],
    ['an IA_NA shorter than its fixed part', solicit(CLIENT_ID, '0003 0008 0000000000000000')],
    ['an IA address too short', solicit(CLIENT_ID, '0003 0010 1a2b3c4d 00000000 00000000 0005 0000')],
    ['a relay message without a Relay Message option', DHCPV6_RELAY_FORW.subarray(0, 42)],
    ['a relay header cut short', DHCPV6_RELAY_FORW.subarray(0, 30)],
    ['a client/server header cut short', hex('01 0000')],
  ])('rejects %s', (_name, message) => {
    expect(decode(message, 0)).toBeNull();
  });

  it('rejects relays nested deeper than any relay chain', () => {
    let message: Uint8Array = DHCPV6_SOLICIT_CLIENT_ID_ONLY;
    for (let depth = 0; depth < 33; depth++) {
      message = Uint8Array.from([...hex('0c 00', '00'.repeat(32), '0009'), message.length >> 8, message.length & 0xff, ...message]);
    }
    expect(decode(message, 0)).toBeNull();
  });

  it('never throws on mutations of a full SOLICIT', () => {
    const random = seededRandom(0xd6);
    for (let n = 0; n < 20_000; n++) {
      const mutated = DHCPV6_SOLICIT.slice();
      for (let f = 0; f < 3; f++) mutated[Math.floor(random() * mutated.length)] = random() * 256;
      decode(mutated, 0);
    }
  });
});

let last: Dhcpv6 | null = null;
decoderContract({
  name: 'dhcpv6',
  accepts: (buf, offset, end) => (last = decode(buf, offset, end)) !== null,
  result: () => last,
  cases: [
    { name: 'SOLICIT with a client ID only', bytes: DHCPV6_SOLICIT_CLIENT_ID_ONLY, offset: 0 },
    { name: 'RELAY-FORW', bytes: DHCPV6_RELAY_FORW, offset: 0 },
  ],
});
