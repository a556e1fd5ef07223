import { describe, expect, it } from 'vitest';
import { createTcp, decode, TCP_ACK, TCP_PSH, TCP_SYN as SYN } from '../../src/decoders/tcp.js';
import { WEIRD_NAMES, WEIRD_NONE } from '../../src/decoders/weird.js';
import { TCP_ACK_PADDED, TCP_HL7_PUSH, TCP_SYN } from './frames.js';
import { patch } from './hex.js';

const TCP = 34;

describe('tcp decoder', () => {
  it('decodes a SYN with options', () => {
    const out = createTcp();
    expect(decode(TCP_SYN, TCP, out)).toBe(out);
    expect(out).toEqual({
      srcPort: 49152,
      dstPort: 2575,
      seq: 0x6b8b4567,
      ack: 0,
      headerLength: 40,
      flags: SYN,
      window: 64240,
      urgentPointer: 0,
      payloadOffset: 74,
      payloadLength: 0,
      weird: WEIRD_NONE,
    });
  });

  it('finds the payload after the header', () => {
    const out = decode(TCP_HL7_PUSH, TCP, createTcp());
    expect(out).toMatchObject({ flags: TCP_PSH | TCP_ACK, ack: 0x1c2d3e50, payloadOffset: 54, payloadLength: 22 });
    const payload = TCP_HL7_PUSH.subarray(54, 54 + 22);
    expect(Buffer.from(payload).toString('latin1')).toBe(`\x0b${'MSH|^~\\&|MX450|ICU'}\r\x1c\r`);
  });

  it('stops at `end`, leaving out Ethernet padding', () => {
    expect(decode(TCP_ACK_PADDED, TCP, createTcp(), 54)).toMatchObject({ flags: TCP_ACK, payloadLength: 0 });
  });

  it('names each malformation', () => {
    const out = createTcp();
    expect(decode(patch(TCP_SYN, TCP + 12, '40'), TCP, out)).toBeNull(); // data offset 4
    expect(WEIRD_NAMES[out.weird]).toBe('bad_tcp_header');
    expect(decode(patch(TCP_SYN, TCP + 12, 'f0'), TCP, out)).toBeNull(); // data offset 15: 60 octets
    expect(WEIRD_NAMES[out.weird]).toBe('truncated_tcp');
    expect(decode(TCP_SYN, TCP, out, TCP + 19)).toBeNull();
    expect(WEIRD_NAMES[out.weird]).toBe('truncated_tcp');
  });
});
