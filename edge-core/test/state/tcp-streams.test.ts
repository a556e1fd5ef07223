import { describe, expect, it } from 'vitest';
import { NEED_MORE } from '../../src/decoders/need-more.js';
import { createDissection, dissect, L3_IPV6, L4_TCP } from '../../src/dissect.js';
import { streamKey, TCP_STREAM_DEFAULTS, TcpStreams } from '../../src/state/tcp-streams.js';
import { TCP_HL7_PUSH, TCP_SYN } from '../decoders/frames.js';
import { hex, text } from '../decoders/hex.js';
import { deliveries, parseStream, type StreamDecoder } from './stream-splits.js';

const KEY = '4 1 2 3 4';
const ascii = (s: string): Uint8Array => hex(text(s));
const asText = (bytes: Uint8Array | null): string | null => (bytes === null ? null : Buffer.from(bytes).toString('latin1'));

describe('TcpStreams', () => {
  it('joins segments that arrive in order and keeps what the parser has not consumed', () => {
    const streams = new TcpStreams();
    expect(asText(streams.push(KEY, 1000, ascii('abc'), 0))).toBe('abc');
    expect(asText(streams.push(KEY, 1003, ascii('def'), 1))).toBe('abcdef');
    streams.consume(KEY, 2);
    expect(asText(streams.push(KEY, 1006, ascii('g'), 2))).toBe('cdefg');
    streams.consume(KEY, 5);
    expect(streams.push(KEY, 1007, new Uint8Array(0), 3)).toBeNull(); // nothing left to parse
    expect(streams.counters()).toEqual({ streams: 1, evicted: 0, overLimit: 0, gaps: 0, outOfOrder: 0 });
  });

  it('copies the payload: the capture buffer may be reused at once', () => {
    const streams = new TcpStreams();
    const ring = ascii('abc');
    streams.push(KEY, 1, ring, 0);
    ring.fill(0x7a);
    expect(asText(streams.push(KEY, 4, ascii('d'), 0))).toBe('abcd');
  });

  it('holds a segment that arrives ahead of a gap until the gap is filled', () => {
    const streams = new TcpStreams();
    streams.push(KEY, 100, new Uint8Array(0), 0); // the SYN's seq + 1 opens the stream
    expect(streams.push(KEY, 103, ascii('def'), 1)).toBeNull();
    expect(streams.push(KEY, 106, ascii('ghi'), 2)).toBeNull();
    expect(asText(streams.push(KEY, 100, ascii('abc'), 3))).toBe('abcdefghi');
    expect(streams.counters().outOfOrder).toBe(2);
  });

  it('trims retransmitted and overlapping octets', () => {
    const streams = new TcpStreams();
    streams.push(KEY, 0, ascii('abcd'), 0);
    expect(asText(streams.push(KEY, 0, ascii('abcd'), 1))).toBe('abcd'); // retransmission
    expect(asText(streams.push(KEY, 2, ascii('cdef'), 2))).toBe('abcdef'); // overlap
    expect(asText(streams.push(KEY, 1, ascii('b'), 3))).toBe('abcdef'); // old octet inside
    // Queued segments overlapping each other and the in-order data.
    expect(asText(streams.push(KEY, 8, ascii('ijk'), 4))).toBe('abcdef'); // what is contiguous so far
    expect(asText(streams.push(KEY, 7, ascii('hij'), 5))).toBe('abcdef');
    expect(asText(streams.push(KEY, 5, ascii('fgh'), 6))).toBe('abcdefghijk');
  });

  it('compares sequence numbers modulo 2^32 across the wrap (RFC 9293 §3.4)', () => {
    const streams = new TcpStreams();
    streams.push(KEY, 0xffff_fffe, new Uint8Array(0), 0);
    expect(streams.push(KEY, 0x0000_0001, ascii('def'), 1)).toBeNull(); // ahead, past the wrap
    expect(asText(streams.push(KEY, 0xffff_fffe, ascii('abc'), 2))).toBe('abcdef');
    expect(asText(streams.push(KEY, 0xffff_ffff, ascii('bcdefg'), 3))).toBe('abcdefg'); // overlap across it
  });

  it('discards octets the parser consumed before they arrived', () => {
    const streams = new TcpStreams();
    streams.push(KEY, 0, ascii('head'), 0);
    streams.consume(KEY, 4 + 6); // the header announced 6 more octets to skip
    expect(streams.push(KEY, 4, ascii('skip'), 1)).toBeNull();
    expect(asText(streams.push(KEY, 8, ascii('menext'), 2))).toBe('next');
  });

  it('queues a segment beyond a skipped stretch longer than maxBytes', () => {
    const streams = new TcpStreams({ maxBytes: 1024 });
    streams.push(KEY, 0, ascii('head'), 0);
    streams.consume(KEY, 4 + 100_000); // a large PDU the parser does not read
    expect(streams.push(KEY, 100_004, ascii('next'), 1)).toBeNull(); // ahead of the skipped octets
    expect(asText(streams.push(KEY, 4, new Uint8Array(100_000), 2))).toBe('next');
    expect(streams.counters()).toMatchObject({ gaps: 0, overLimit: 0, outOfOrder: 1 });
  });

  it('gives a stream up past maxBytes, counting it, until it is ended', () => {
    const streams = new TcpStreams({ maxBytes: 1024 });
    expect(streams.push(KEY, 0, new Uint8Array(1000), 0)?.length).toBe(1000);
    expect(streams.push(KEY, 1000, new Uint8Array(100), 1)).toBeNull();
    expect(streams.push(KEY, 1100, new Uint8Array(1), 2)).toBeNull();
    expect(streams.counters()).toMatchObject({ streams: 1, overLimit: 1 });
    streams.end(KEY);
    expect(streams.push(KEY, 5000, ascii('new'), 3)?.length).toBe(3);
  });

  it('counts queued octets against maxBytes too', () => {
    const streams = new TcpStreams({ maxBytes: 1024 });
    expect(streams.push(KEY, 0, new Uint8Array(500), 0)?.length).toBe(500);
    expect(streams.push(KEY, 510, new Uint8Array(400), 1)?.length).toBe(500); // queued
    expect(streams.push(KEY, 920, new Uint8Array(150), 2)).toBeNull(); // 500 buffered + 400 queued + 150 > 1024
    expect(streams.counters()).toMatchObject({ overLimit: 1, outOfOrder: 1 });
  });

  it('gives up the stream whose segment takes all streams past maxTotalBytes', () => {
    const streams = new TcpStreams({ maxBytes: 4096, maxTotalBytes: 5000 });
    expect(streams.push('a', 0, new Uint8Array(3000), 0)?.length).toBe(3000); // a 4096-octet buffer
    expect(streams.push('b', 0, new Uint8Array(500), 1)).toBeNull(); // a 2048-octet one would make 6144
    expect(streams.counters()).toMatchObject({ streams: 2, overLimit: 1 });
    expect(streams.push('b', 500, new Uint8Array(1), 2)).toBeNull(); // given up
    streams.consume('a', 3000); // emptied: its buffer is let go
    expect(streams.push('c', 0, new Uint8Array(2000), 3)?.length).toBe(2000);
    expect(streams.counters().overLimit).toBe(1);
  });

  it('gives a stream up when more segments wait on a gap than the queue holds', () => {
    const streams = new TcpStreams({ maxOutOfOrder: 2 });
    streams.push(KEY, 0, new Uint8Array(0), 0);
    streams.push(KEY, 10, ascii('a'), 1);
    streams.push(KEY, 20, ascii('b'), 2);
    expect(streams.push(KEY, 30, ascii('c'), 3)).toBeNull();
    expect(streams.push(KEY, 0, new Uint8Array(40), 4)).toBeNull(); // too late: given up
    expect(streams.counters()).toMatchObject({ gaps: 1, outOfOrder: 2 });
  });

  it('gives up on a segment further ahead than could ever be buffered', () => {
    const streams = new TcpStreams({ maxBytes: 2048 });
    streams.push(KEY, 0, new Uint8Array(0), 0);
    expect(streams.push(KEY, 5000, ascii('far'), 1)).toBeNull();
    expect(streams.counters().gaps).toBe(1);
  });

  it('evicts the least recently used stream when full', () => {
    const streams = new TcpStreams({ maxStreams: 2 });
    streams.push('a', 0, ascii('a'), 0);
    streams.push('b', 0, ascii('b'), 1);
    streams.push('a', 1, ascii('A'), 2); // a is now the most recent
    streams.push('c', 0, ascii('c'), 3); // b goes
    expect(streams.counters()).toMatchObject({ streams: 2, evicted: 1 });
    expect(asText(streams.push('a', 2, ascii('!'), 4))).toBe('aA!');
    expect(asText(streams.push('b', 1, ascii('B'), 5))).toBe('B'); // reopened mid-stream
  });

  it('drops streams idle for longer than idleMs of packet time', () => {
    const streams = new TcpStreams({ idleMs: 1000 });
    streams.push('a', 0, ascii('old'), 0);
    streams.push('b', 0, ascii('b'), 500);
    streams.push('b', 1, ascii('b'), 1400); // a has been idle 1400 ms
    expect(streams.counters()).toMatchObject({ streams: 1, evicted: 1 });
    expect(asText(streams.push('b', 2, ascii('!'), 9000))).toBe('!'); // b itself went idle: a new stream
    expect(streams.counters().evicted).toBe(2);
  });

  it('clamps options to sane bounds and keeps defaults for the rest', () => {
    const streams = new TcpStreams({ maxStreams: 0, maxBytes: 1, idleMs: Number.NaN });
    expect(streams.options).toEqual({ ...TCP_STREAM_DEFAULTS, maxStreams: 1, maxBytes: 1024 });
  });

  it('ignores consume and end on streams it does not hold', () => {
    const streams = new TcpStreams();
    streams.consume('none', 10);
    streams.end('none');
    expect(streams.counters().streams).toBe(0);
  });
});

describe('streamKey', () => {
  it('names one direction of an IPv4 connection by addresses and ports', () => {
    const d = createDissection();
    expect(dissect(TCP_SYN, d)).toBe(true);
    const forward = streamKey(TCP_SYN, d);
    expect(forward).toBe(`4 ${0x0a140037} ${d.srcPort} ${d.ipDst} 2575`);
    [d.ipSrc, d.ipDst, d.srcPort, d.dstPort] = [d.ipDst, d.ipSrc, d.dstPort, d.srcPort];
    expect(streamKey(TCP_SYN, d)).not.toBe(forward);
  });

  it('names an IPv6 connection by its addresses as hex', () => {
    const d = createDissection();
    const frame = new Uint8Array(54);
    frame.set(hex('20010db8000000000000000000000001'), 22);
    frame.set(hex('20010db8000000000000000000000002'), 38);
    Object.assign(d, { l3: L3_IPV6, l4: L4_TCP, ip6SrcOffset: 22, ip6DstOffset: 38, srcPort: 49152, dstPort: 104 });
    expect(streamKey(frame, d)).toBe('6 20010db8000000000000000000000001 49152 20010db8000000000000000000000002 104');
  });

  it('is empty for anything but TCP', () => {
    const d = createDissection();
    expect(streamKey(TCP_HL7_PUSH, d)).toBe('');
  });
});

/** Records of a 1-octet length (0 is malformed) and that many octets: the simplest stream protocol. */
const lengthPrefixed: StreamDecoder<{ size: number; body: string }> = (buf, offset, end = buf.length) => {
  if (offset >= end) return NEED_MORE;
  const length = buf[offset] ?? 0;
  if (length === 0) return null;
  if (end - offset < 1 + length) return NEED_MORE;
  return { size: 1 + length, body: Buffer.from(buf.subarray(offset + 1, offset + 1 + length)).toString('latin1') };
};

describe('a stream parser over TcpStreams', () => {
  const stream = hex('03', text('abc'), '01', text('d'), '05', text('efghi'), '02', text('jk'), '00', text('junk'));
  const whole = parseStream(lengthPrefixed, [{ at: 0, bytes: stream }]);

  it('reads every record, then stops at the malformed one', () => {
    expect(whole).toEqual({ messages: ['abc', 'd', 'efghi', 'jk'].map((body) => ({ size: body.length + 1, body })), malformed: true });
  });

  it('gives the same answer for every way the bytes are split, reordered or retransmitted', () => {
    for (const [name, pieces] of deliveries(stream, 500)) {
      expect(parseStream(lengthPrefixed, pieces), name).toEqual(whole);
    }
  });
});
