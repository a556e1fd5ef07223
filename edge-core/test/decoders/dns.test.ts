import { describe, expect, it } from 'vitest';
import { decode, type Dns } from '../../src/decoders/dns.js';
import { decoderContract } from './contract.js';
import { DNS_QUERY, label, MDNS_QU_QUERY, MDNS_RESPONSE } from './dns-messages.js';
import { hex, patch } from './hex.js';

/** A message of one question with QNAME written as `name` (hex), for the name-reading cases. */
function questionWith(name: string): Uint8Array {
  return hex('0000 0000 0001 0000 0000 0000', name, '0001 0001');
}

describe('dns decoder', () => {
  it('decodes a unicast query with an EDNS(0) OPT record', () => {
    expect(decode(DNS_QUERY, 0)).toEqual({
      id: 0x1a2b,
      flags: 0x0100,
      isResponse: false,
      opcode: 0,
      rcode: 0,
      questions: [{ name: 'pump-17.icu.example', type: 1, class: 1, unicastResponse: false }],
      answers: [],
      authorities: [],
      // OPT keeps its CLASS whole: the payload size, not a class with a cache-flush bit
      additionals: [{ name: '', type: 41, class: 4096, cacheFlush: false, ttl: 0, data: null }],
    } satisfies Dns);
  });

  it('decodes a DNS-SD answer: compressed names, cache-flush bits, SRV, TXT attributes, addresses', () => {
    const service = 'Monitor 12._ipp._tcp.local';
    expect(decode(MDNS_RESPONSE, 0)).toEqual({
      id: 0,
      flags: 0x8400,
      isResponse: true,
      opcode: 0,
      rcode: 0,
      questions: [],
      answers: [
        { name: '_ipp._tcp.local', type: 12, class: 1, cacheFlush: false, ttl: 4500, data: { kind: 'ptr', target: service } },
        {
          name: service,
          type: 33,
          class: 1,
          cacheFlush: true,
          ttl: 120,
          data: { kind: 'srv', priority: 0, weight: 0, port: 631, target: 'mon12.local' },
        },
        {
          name: service,
          type: 16,
          class: 1,
          cacheFlush: true,
          ttl: 4500,
          data: {
            kind: 'txt',
            strings: ['txtvers=1', 'ty=Patient Monitor', 'note', '=x', 'TY=dup', ''],
            attributes: [
              { key: 'txtvers', value: '1' },
              { key: 'ty', value: 'Patient Monitor' },
              { key: 'note', value: null },
            ],
          },
        },
        { name: 'mon12.local', type: 1, class: 1, cacheFlush: true, ttl: 120, data: { kind: 'a', address: '10.20.0.55' } },
      ],
      authorities: [],
      additionals: [
        { name: 'mon12.local', type: 28, class: 1, cacheFlush: true, ttl: 120, data: { kind: 'aaaa', address: 'fe80::209:fbff:fe1a:2b3c' } },
        { name: 'mon12.local', type: 47, class: 1, cacheFlush: true, ttl: 120, data: null },
      ],
    } satisfies Dns);
  });

  it('masks the mDNS unicast-response bit off QCLASS', () => {
    expect(decode(MDNS_QU_QUERY, 0)?.questions).toEqual([{ name: '_http._tcp.local', type: 12, class: 1, unicastResponse: true }]);
  });

  it('reads only [offset, end) and ignores octets after the last record', () => {
    const framed = new Uint8Array(DNS_QUERY.length + 6);
    framed.set(DNS_QUERY, 4);
    expect(decode(framed, 4, 4 + DNS_QUERY.length)).toEqual(decode(DNS_QUERY, 0));
    expect(decode(framed, 4)).toEqual(decode(DNS_QUERY, 0)); // two trailing zero octets left unread
    expect(decode(framed, 4, 4 + DNS_QUERY.length - 1)).toBeNull();
    expect(decode(DNS_QUERY, 0, DNS_QUERY.length + 100)).toEqual(decode(DNS_QUERY, 0)); // end clamped
    expect(decode(DNS_QUERY, -1)).toBeNull();
  });

  it('ends compression loops and runaway names as malformed', () => {
    expect(decode(questionWith('c00c'), 0)).toBeNull(); // a pointer to itself
    expect(decode(hex('0000 0000 0001 0000 0000 0000', 'c00e', 'c00c'), 0)).toBeNull(); // two pointing at each other
    expect(decode(questionWith('c0ff'), 0)).toBeNull(); // a pointer past the end
    expect(decode(questionWith('c0'), 0)).toBeNull(); // a pointer cut in half
    const long = questionWith(label('a'.repeat(63)).repeat(4) + '00'); // 4 × 64 + 1 = 257 octets
    expect(decode(long, 0)).toBeNull();
    const longest = questionWith(label('a'.repeat(63)).repeat(3) + label('a'.repeat(61)) + '00'); // 255 octets
    expect(decode(longest, 0)?.questions[0]?.name).toHaveLength(253);
  });

  it('follows a pointer chain and a pointer forward, and rejects retired label types', () => {
    // question 2's name points at question 1's, which points forward at the label "x" at 24
    const chain = hex('0000 0000 0002 0000 0000 0000', 'c018 0001 0001', 'c00c 0001 0001', label('x') + '00');
    expect(decode(chain, 0)?.questions.map((q) => q.name)).toEqual(['x', 'x']);
    expect(decode(questionWith('41' + '00'.repeat(9)), 0)).toBeNull(); // 01 prefix: extended label (RFC 6891 §5)
    expect(decode(questionWith('81' + '00'), 0)).toBeNull(); // 10 prefix: reserved
    expect(decode(hex('0000 0000 0001 0000 0000 0000', '05 6162'), 0)).toBeNull(); // a label longer than what is left
  });

  it('keeps labels as UTF-8 and dots inside a label as they are', () => {
    const name = '0e' + 'e28098' /* ‘ */ + '4a6f2773' + '2e' + '6970686f6e65' + '00';
    expect(decode(questionWith(name), 0)?.questions[0]?.name).toBe('\u2018Jo\'s.iphone');
  });

  it('rejects sections that run past the end, and an RDLENGTH past the end', () => {
    expect(decode(patch(DNS_QUERY, 4, '0002'), 0)).toBeNull(); // two questions announced, one sent
    expect(decode(patch(DNS_QUERY, 10, '0002'), 0)).toBeNull(); // two additionals announced
    expect(decode(patch(MDNS_RESPONSE, 62, '00ff'), 0)).toBeNull(); // SRV RDLENGTH 255
    expect(decode(DNS_QUERY.subarray(0, 11), 0)).toBeNull(); // header cut short
  });

  it('leaves RDATA that does not fit its type unread but keeps the record', () => {
    const shortA = patch(MDNS_RESPONSE, 145, '0003'); // A with RDLENGTH 3: the next record starts a byte early
    expect(decode(shortA, 0)).toBeNull(); // … and so no longer parses
    const a5 = hex('0000 8400 0000 0001 0000 0000', label('m') + '00', '0001 0001 00000078 0005', '0a14003700');
    expect(decode(a5, 0)?.answers[0]).toMatchObject({ name: 'm', type: 1, data: null });
    const txtOverrun = hex('0000 8400 0000 0001 0000 0000', '00', '0010 0001 00000078 0003', '05 6162');
    expect(decode(txtOverrun, 0)?.answers[0]).toMatchObject({ type: 16, data: null });
    const ptrLoop = hex('0000 8400 0000 0001 0000 0000', '00', '000c 0001 00000078 0002', 'c017');
    expect(decode(ptrLoop, 0)?.answers[0]).toMatchObject({ type: 12, data: null });
    const srvNoTarget = hex('0000 8400 0000 0001 0000 0000', '00', '0021 0001 00000078 0006', '0000 0000 0277');
    expect(decode(srvNoTarget, 0)?.answers[0]).toMatchObject({ type: 33, data: null });
    // RDLENGTH 1 holds only the length octet of "ab": the name runs out of its RDATA
    const ptrPastRdata = hex('0000 8400 0000 0001 0000 0000', '00', '000c 0001 00000078 0001', label('ab') + '00');
    expect(decode(ptrPastRdata, 0)?.answers[0]).toMatchObject({ type: 12, data: null });
  });
});

let lastMessage: Dns | null = null;
decoderContract({
  name: 'dns',
  accepts: (buf, offset, end) => (lastMessage = decode(buf, offset, end)) !== null,
  result: () => lastMessage,
  cases: [
    { name: 'query with OPT', bytes: DNS_QUERY, offset: 0 },
    { name: 'mDNS DNS-SD answer', bytes: MDNS_RESPONSE, offset: 0 },
  ],
});
