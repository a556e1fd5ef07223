import { describe, expect, it } from 'vitest';
import { decode, type Nbns } from '../../src/decoders/netbios-ns.js';
import { decoderContract } from './contract.js';
import { hex, patch, text } from './hex.js';
import { NBNS_ANSWER, NBNS_NODE_STATUS, NBNS_QUERY, NBNS_REGISTRATION, PACS_SERVER_LABEL } from './netbios-ns-messages.js';

const PACS = { name: 'PACS-SRV01', suffix: 0x20, scope: '' };
const MONITOR = { name: 'MX450-2B3C', suffix: 0x00, scope: '' };

describe('netbios-ns decoder', () => {
  it('decodes a broadcast name query', () => {
    expect(decode(NBNS_QUERY, 0)).toEqual({
      id: 0x80b1,
      isResponse: false,
      opcode: 0,
      nmFlags: 0x11, // RD, B
      rcode: 0,
      questions: [{ name: PACS, type: 0x20, class: 1 }],
      answers: [],
      authorities: [],
      additionals: [],
    } satisfies Nbns);
  });

  it('decodes a positive answer with the address bound to the name', () => {
    expect(decode(NBNS_ANSWER, 0)).toEqual({
      id: 0x80b1,
      isResponse: true,
      opcode: 0,
      nmFlags: 0x50, // AA, RD
      rcode: 0,
      questions: [],
      answers: [
        {
          name: PACS,
          type: 0x20,
          class: 1,
          ttl: 300000,
          addresses: [{ group: false, nodeType: 3, address: '10.20.0.2' }],
          nodeNames: [],
          unitId: null,
        },
      ],
      authorities: [],
      additionals: [],
    } satisfies Nbns);
  });

  it('follows a compression pointer to the question name in a registration', () => {
    const registration = decode(NBNS_REGISTRATION, 0);
    expect(registration).toMatchObject({ opcode: 5, nmFlags: 0x11, questions: [{ name: MONITOR, type: 0x20 }] });
    expect(registration?.additionals).toEqual([
      { name: MONITOR, type: 0x20, class: 1, ttl: 300000, addresses: [{ group: false, nodeType: 0, address: '10.20.0.55' }], nodeNames: [], unitId: null },
    ]);
  });

  it("lists a node status answer's names, their flags and the unit ID", () => {
    expect(decode(NBNS_NODE_STATUS, 0)?.answers).toEqual([
      {
        name: { name: '*' + '\u0000'.repeat(14), suffix: 0, scope: '' },
        type: 0x21,
        class: 1,
        ttl: 0,
        addresses: [],
        nodeNames: [
          { name: 'MX450-2B3C', suffix: 0x00, group: false, flags: 0x0400 },
          { name: 'ICU', suffix: 0x1e, group: true, flags: 0x8400 },
        ],
        unitId: '00:09:fb:1a:2b:3c',
      },
    ]);
  });

  it('reads a NetBIOS scope after the encoded name', () => {
    const scoped = hex('80b1 0110 0001 0000 0000 0000', PACS_SERVER_LABEL, '03' + text('icu') + '00', '0020 0001');
    expect(decode(scoped, 0)?.questions[0]?.name).toEqual({ ...PACS, scope: 'icu' });
  });

  it('keeps what fits of RDATA that does not fill whole entries', () => {
    // one ADDR_ENTRY and two stray octets
    const answer = hex('0000 8500 0000 0001 0000 0000', PACS_SERVER_LABEL + '00', '0020 0001 00000000 0008', '0000 0a140002 ffff');
    expect(decode(answer, 0)?.answers[0]?.addresses).toEqual([{ group: false, nodeType: 0, address: '10.20.0.2' }]);
    // a WACK (opcode 7) carries flags, not addresses
    expect(decode(patch(NBNS_ANSWER, 2, 'bc00'), 0)?.answers[0]?.addresses).toEqual([]);
    // a node status whose statistics are cut short: the names, no unit ID
    const statusCut = patch(NBNS_NODE_STATUS, 54, '0027'); // RDLENGTH 39 = 1 + 2 × 18 + 2
    expect(decode(statusCut.subarray(0, 56 + 39), 0)?.answers[0]).toMatchObject({ nodeNames: [{ name: 'MX450-2B3C' }, { name: 'ICU' }], unitId: null });
  });

  it('rejects names that are not first-level encoded', () => {
    expect(decode(patch(NBNS_QUERY, 13, text('Q')), 0)).toBeNull(); // 'Q' is past 'P'
    expect(decode(patch(NBNS_QUERY, 13, '40'), 0)).toBeNull(); // '@' is before 'A'
    expect(decode(hex('0000 0110 0001 0000 0000 0000', '04' + text('ABCD') + '00', '0020 0001'), 0)).toBeNull(); // 4-letter label
    expect(decode(hex('0000 0110 0001 0000 0000 0000', '00', '0020 0001'), 0)).toBeNull(); // the root name
    expect(decode(hex('0000 0110 0001 0000 0000 0000', 'c00c', '0020 0001'), 0)).toBeNull(); // a pointer loop
  });

  it('rejects a short header and sections that run past the end', () => {
    expect(decode(NBNS_QUERY.subarray(0, 11), 0)).toBeNull();
    expect(decode(patch(NBNS_QUERY, 4, '0002'), 0)).toBeNull();
    expect(decode(patch(NBNS_ANSWER, 54, '0007'), 0)).toBeNull(); // RDLENGTH 7 past the end
    expect(decode(NBNS_QUERY, -1)).toBeNull();
  });
});

let lastPacket: Nbns | null = null;
decoderContract({
  name: 'netbios-ns',
  accepts: (buf, offset, end) => (lastPacket = decode(buf, offset, end)) !== null,
  result: () => lastPacket,
  cases: [
    { name: 'registration with a pointer', bytes: NBNS_REGISTRATION, offset: 0 },
    { name: 'node status', bytes: NBNS_NODE_STATUS, offset: 0 },
  ],
});
