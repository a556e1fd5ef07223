import { describe, expect, it } from 'vitest';
import { decode, type HttpHead, MAX_HEAD_LENGTH } from '../../src/decoders/http.js';
import { NEED_MORE } from '../../src/decoders/need-more.js';
import { decoderContract } from './contract.js';
import { hex, seededRandom, text } from './hex.js';
import { FOLDED, REQUEST, RESPONSE, RESPONSE_HEAD } from './http-fixtures.js';

function head(bytes: Uint8Array, offset = 0): HttpHead {
  const decoded = decode(bytes, offset);
  if (decoded === null || decoded === NEED_MORE) throw new Error(`not a head: ${String(decoded)}`);
  return decoded;
}

describe('http decoder', () => {
  it('decodes a request line and the fields used to identify the client', () => {
    expect(decode(REQUEST, 0)).toEqual({
      length: REQUEST.length,
      kind: 'request',
      version: 'HTTP/1.1',
      method: 'GET',
      target: '/library/v2/drugs.xml',
      status: null,
      userAgent: 'Alaris-PC/12.1.2 (8015)',
      server: null,
      host: 'dl.icu.example:8080',
      contentLength: null,
      chunked: false,
    });
  });

  it('decodes a status line, the first Server and Content-Length, and stops at the blank line', () => {
    expect(decode(RESPONSE, 0)).toEqual({
      length: RESPONSE_HEAD.length,
      kind: 'response',
      version: 'HTTP/1.0',
      method: null,
      target: null,
      status: 200,
      userAgent: null,
      server: 'lighttpd/1.4.35',
      host: null,
      contentLength: 5,
      chunked: false,
    });
  });

  it('accepts bare LF line ends, a status line without reason, and joins a folded line', () => {
    expect(head(FOLDED)).toMatchObject({ length: FOLDED.length, status: 404, server: 'Embedded WebServer/2.0' });
  });

  it('notes a chunked body and ignores a Content-Length that is not digits', () => {
    const chunked = hex(text('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\nContent-Length: 1e3\r\n\r\n'));
    expect(head(chunked)).toMatchObject({ chunked: true, contentLength: null });
  });

  it('needs more bytes until the blank line', () => {
    for (let length = 0; length < REQUEST.length; length++) expect(decode(REQUEST.subarray(0, length), 0)).toBe(NEED_MORE);
    expect(decode(hex(text('HTT')), 0)).toBe(NEED_MORE); // may yet be "HTTP/1.1 …" or a method named HTTP…
  });

  it('rejects what cannot be an HTTP/1.x head as soon as it shows', () => {
    expect(decode(hex('16 0301'), 0)).toBeNull(); // a TLS record
    expect(decode(hex(text('GET /')), 0)).toBe(NEED_MORE);
    expect(decode(hex(text('GET / HTTP/2.0\r\n\r\n')), 0)).toMatchObject({ version: 'HTTP/2.0' }); // the grammar's digits
    expect(decode(hex(text('GET / RTSP/1.0\r\n')), 0)).toBeNull(); // another protocol's version
    expect(decode(hex(text('GET  / HTTP/1.1\r\n')), 0)).toBeNull(); // two SPs: an empty target
    expect(decode(hex(text('GET / HTTP/1.1 x\r\n')), 0)).toBeNull(); // text after the version
    expect(decode(hex(text('GET / HTTP/1.1\r\nNo colon here\r\n\r\n')), 0)).toBeNull();
    expect(decode(hex(text('GET / HTTP/1.1\r\n folded first\r\n\r\n')), 0)).toBeNull(); // obs-fold without a field
    expect(decode(hex(text('GET / HTTP/1.1\r\nBad name: x\r\n\r\n')), 0)).toBeNull(); // SP in a field name
    expect(decode(hex(text('HTTP/1.1 2x0 OK\r\n')), 0)).toBeNull();
    expect(decode(hex(text('HTTP/1.1 200OK\r\n')), 0)).toBeNull();
    expect(decode(hex(text('HTTP/1.1 200 O'), '00'), 0)).toBeNull(); // a NUL in the reason phrase
    expect(decode(hex(text('G'.repeat(33) + ' / HTTP/1.1\r\n')), 0)).toBeNull(); // a method longer than any
    expect(decode(REQUEST, -1)).toBeNull();
    expect(decode(REQUEST, REQUEST.length + 1)).toBeNull();
  });

  it('gives up on a head without its blank line within 8 KiB', () => {
    const long = hex(text('GET / HTTP/1.1\r\n'), text(`X-Pad: ${'a'.repeat(MAX_HEAD_LENGTH)}\r\n\r\n`));
    expect(decode(long.subarray(0, MAX_HEAD_LENGTH - 1), 0)).toBe(NEED_MORE);
    expect(decode(long.subarray(0, MAX_HEAD_LENGTH), 0)).toBeNull();
    expect(decode(long, 0)).toBeNull();
    expect(decode(hex(text('G'.repeat(MAX_HEAD_LENGTH))), 0)).toBeNull(); // no line end at all
  });

  it('reads a head at an offset, bounded by end', () => {
    const framed = hex('aabb', Buffer.from(REQUEST).toString('hex'), text('GET / HTTP/1.1\r\n'));
    expect(decode(framed, 2, 2 + REQUEST.length)).toMatchObject({ length: REQUEST.length, method: 'GET' });
    expect(decode(framed, 2, 2 + REQUEST.length - 1)).toBe(NEED_MORE);
  });

  it('gives the same answer for every way the head is split', () => {
    const random = seededRandom(0x5eed_4771);
    for (const fixture of [REQUEST, RESPONSE, FOLDED]) {
      const whole = decode(fixture, 0);
      for (let n = 0; n < 200; n++) {
        // A reassembler appends segments and decodes after each one; the first answer that is not
        // NEED_MORE must be the answer for the whole stream.
        let answer: ReturnType<typeof decode> = NEED_MORE;
        for (let have = 0; answer === NEED_MORE && have < fixture.length; ) {
          have = Math.min(fixture.length, have + 1 + Math.floor(random() * 24));
          answer = decode(fixture.subarray(0, have), 0);
        }
        expect(answer).toEqual(whole);
      }
    }
  });
});

let lastHead: HttpHead | null = null;
decoderContract({
  name: 'http',
  accepts: (buf, offset, end) => {
    const decoded = decode(buf, offset, end);
    lastHead = decoded === NEED_MORE ? null : decoded;
    return lastHead !== null;
  },
  result: () => lastHead,
  cases: [
    { name: 'request', bytes: REQUEST, offset: 0 },
    { name: 'response with a body', bytes: RESPONSE, offset: 0, declaredLength: RESPONSE_HEAD.length },
    { name: 'bare LF and obs-fold', bytes: FOLDED, offset: 0 },
  ],
});
