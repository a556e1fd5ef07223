import { describe, expect, it } from 'vitest';
import { integerValue, oidText, readElement, unsignedText } from '../../src/decoders/snmp-ber.js';
import { decode, type Snmp } from '../../src/decoders/snmp.js';
import { decoderContract } from './contract.js';
import { hex, seededRandom, text } from './hex.js';
import { SNMP_IN_FRAME_OFFSET, SNMP_RESPONSE_FRAME, SNMP_V1_TRAP, SNMP_V2C_RESPONSE, SNMP_V3_ENCRYPTED, SNMP_V3_REPORT } from './snmp-messages.js';

/** An SNMPv2c GetRequest for `varBinds` (whole VarBind SEQUENCEs, hex), community "public". */
function getRequest(...varBinds: string[]): Uint8Array {
  const list = hex(...varBinds);
  const pdu = Uint8Array.from([...hex('020101 020100 020100', '30'), list.length, ...list]);
  const body = Uint8Array.from([...hex('020101', '0406', text('public'), 'a0'), pdu.length, ...pdu]);
  return Uint8Array.from([0x30, body.length, ...body]);
}

describe('snmp decoder', () => {
  it('decodes an SNMPv2c response with every value type', () => {
    expect(decode(SNMP_V2C_RESPONSE, 0)).toEqual({
      version: 1,
      community: 'public',
      v3: null,
      pduType: 'response',
      requestId: 0x1a2b3c4d,
      errorStatus: 0,
      errorIndex: 0,
      trap: null,
      varBinds: [
        { oid: '1.3.6.1.2.1.1.1.0', type: 'octets', value: 'Infusion pump IP-200 fw 3.1', hex: false },
        { oid: '1.3.6.1.2.1.1.2.0', type: 'oid', value: '1.3.6.1.4.1.32473.1.1', hex: false },
        { oid: '1.3.6.1.2.1.1.3.0', type: 'timeTicks', value: '123456', hex: false },
        { oid: '1.3.6.1.2.1.2.2.1.6.1', type: 'octets', value: '0009fb1a2b3c', hex: true },
        { oid: '1.3.6.1.2.1.4.20.1.1.10.20.0.55', type: 'ipAddress', value: '10.20.0.55', hex: false },
        { oid: '1.3.6.1.2.1.2.2.1.10.1', type: 'counter32', value: '4294967295', hex: false },
        { oid: '1.3.6.1.2.1.1.7.0', type: 'integer', value: 72, hex: false },
        { oid: '1.3.6.1.2.1.31.1.1.1.6.1', type: 'counter64', value: '18446744073709551615', hex: false },
        { oid: '1.3.6.1.2.1.1.9.0', type: 'noSuchInstance', value: null, hex: false },
      ],
    } satisfies Snmp);
  });

  it('decodes the message inside its frame, reading only to `end`', () => {
    expect(decode(SNMP_RESPONSE_FRAME, SNMP_IN_FRAME_OFFSET)).toEqual(decode(SNMP_V2C_RESPONSE, 0));
    expect(decode(SNMP_RESPONSE_FRAME, SNMP_IN_FRAME_OFFSET, SNMP_RESPONSE_FRAME.length - 1)).toBeNull();
  });

  it('decodes an SNMPv1 trap', () => {
    expect(decode(SNMP_V1_TRAP, 0)).toMatchObject({
      version: 0,
      pduType: 'trap',
      requestId: null,
      trap: { enterprise: '1.3.6.1.4.1.32473.1.1', agentAddress: '10.20.0.40', genericTrap: 6, specificTrap: 2, timeStamp: '6000' },
      varBinds: [{ oid: '1.3.6.1.4.1.32473.1.2.1.0', type: 'octets', value: 'Occlusion alarm', hex: false }],
    });
  });

  it('decodes an SNMPv3 header with its plaintext report', () => {
    expect(decode(SNMP_V3_REPORT, 0)).toEqual({
      version: 3,
      community: null,
      v3: {
        msgId: 12345,
        maxSize: 65507,
        flags: 0,
        securityModel: 3,
        engineId: '80007ed9030009fb1a2b3c',
        engineBoots: 1,
        engineTime: 300,
        userName: 'monitor',
        contextEngineId: '80007ed9030009fb1a2b3c',
        contextName: '',
        encrypted: false,
      },
      pduType: 'report',
      requestId: 12345,
      errorStatus: 0,
      errorIndex: 0,
      trap: null,
      varBinds: [{ oid: '1.3.6.1.6.3.15.1.1.4.0', type: 'counter32', value: '1', hex: false }],
    } satisfies Snmp);
  });

  it('returns the header of an encrypted SNMPv3 message, without a PDU', () => {
    expect(decode(SNMP_V3_ENCRYPTED, 0)).toMatchObject({
      version: 3,
      v3: { msgId: 12346, flags: 3, engineId: '80007ed9030009fb1a2b3c', userName: 'monitor', contextEngineId: null, encrypted: true },
      pduType: null,
      varBinds: [],
    });
  });

  it('reads a GetRequest, negative integers, opaque and unknown values', () => {
    const message = getRequest(
      '3009 06032b0601 0202ff38', // 1.3.6.1 = INTEGER -200
      '300a 06032b0601 4403010203', // Opaque
      '3008 06032b0601 a50100', // a constructed context tag: other
      '3007 06032b0601 0500', // NULL
    );
    expect(decode(message, 0)?.varBinds).toEqual([
      { oid: '1.3.6.1', type: 'integer', value: -200, hex: false },
      { oid: '1.3.6.1', type: 'opaque', value: '010203', hex: false },
      { oid: '1.3.6.1', type: 'other', value: '00', hex: false },
      { oid: '1.3.6.1', type: 'null', value: null, hex: false },
    ]);
    expect(decode(message, 0)?.pduType).toBe('get');
  });

  it('ignores octets after the message', () => {
    expect(decode(Uint8Array.from([...SNMP_V1_TRAP, 0, 0]), 0)?.pduType).toBe('trap');
  });

  it.each([
    ['an indefinite length', hex('3080 020101 0000')],
    ['a length past the end', SNMP_V1_TRAP.subarray(0, SNMP_V1_TRAP.length - 1)],
    ['version 2 (SNMPv2u)', getRequest('3007 06032b0601 0500').map((o, i) => (i === 4 ? 2 : o))],
    ['a community that is not an OCTET STRING', hex('300b 020101 0200 a004 020100 3000')],
    ['an unknown PDU tag', hex('3010 020101 0406', text('public'), 'af03 020100')],
    ['a PDU without its variable-bindings', hex('3018 020101 0406', text('public'), 'a20b 020101 020100 020100 0400')],
    ['a name cut inside a sub-identifier', getRequest('3007 06032b0681 0500')],
    ['a value missing', getRequest('3005 06032b0601')],
    ['a v3 message without msgGlobalData', hex('3006 020103 0401 00')],
    ['a v3 msgFlags of 2 octets', hex('3017 020103 300e 020101 020200ff 04020000 020103 0400 3000')],
  ])('rejects %s', (_name, message) => {
    expect(decode(message, 0)).toBeNull();
  });

  it('never throws on mutations of a full response', () => {
    const random = seededRandom(0x5a1);
    for (let n = 0; n < 20_000; n++) {
      const mutated = SNMP_V2C_RESPONSE.slice();
      for (let f = 0; f < 3; f++) mutated[Math.floor(random() * mutated.length)] = random() * 256;
      decode(mutated, 0);
    }
  });
});

describe('snmp BER reading (X.690)', () => {
  it('reads the first two arcs packed in the first sub-identifier', () => {
    const oid = (field: string): string | null => {
      const bytes = hex(field);
      return oidText(bytes, 0, bytes.length);
    };
    expect(oid('2b')).toBe('1.3');
    expect(oid('00')).toBe('0.0');
    expect(oid('8837')).toBe('2.999');
    expect(oid('2b8f')).toBeNull(); // cut inside a sub-identifier
    expect(oid('')).toBeNull();
  });

  it('reads integers in two’s complement and unsigned types as written', () => {
    const bytes = hex('ff7f 0080 ffffffffffffffffff');
    expect(integerValue(bytes, 0, 1)).toBe(-1);
    expect(integerValue(bytes, 0, 2)).toBe(-129);
    expect(integerValue(bytes, 2, 4)).toBe(128);
    expect(integerValue(bytes, 4, 13)).toBe(-1);
    expect(integerValue(bytes, 4, 4)).toBeNull();
    expect(unsignedText(bytes, 4, 12)).toBe('18446744073709551615');
  });

  it('reads long-form lengths and rejects the high-tag-number form', () => {
    expect(readElement(hex('0482000100'), 0, 5)).toEqual({ tag: 4, start: 4, end: 5 });
    expect(readElement(hex('1f0100'), 0, 3)).toBeNull();
    expect(readElement(hex('04840000000100'), 0, 7)).toBeNull(); // 4 length octets: no SNMP message is that long
  });
});

let last: Snmp | null = null;
decoderContract({
  name: 'snmp',
  accepts: (buf, offset, end) => (last = decode(buf, offset, end)) !== null,
  result: () => last,
  cases: [
    { name: 'v2c response', bytes: SNMP_V2C_RESPONSE, offset: 0 },
    { name: 'v1 trap', bytes: SNMP_V1_TRAP, offset: 0 },
    { name: 'v3 encrypted', bytes: SNMP_V3_ENCRYPTED, offset: 0 },
  ],
});
