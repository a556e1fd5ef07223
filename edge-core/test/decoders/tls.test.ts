import { describe, expect, it } from 'vitest';
import { NEED_MORE } from '../../src/decoders/need-more.js';
import { decode, type TlsFlight } from '../../src/decoders/tls.js';
import { decoderContract } from './contract.js';
import { hex, patch, seededRandom } from './hex.js';
import {
  CLIENT_HELLO_13,
  CLIENT_HELLO_SPLIT,
  FIRST_CERTIFICATE,
  SECOND_CERTIFICATE,
  SERVER_FLIGHT_12,
  SERVER_HELLO_13,
  SERVER_HELLO_13_LENGTH,
} from './tls-fixtures.js';

function flightOf(bytes: Uint8Array, offset = 0): TlsFlight {
  const flight = decode(bytes, offset);
  if (flight === null || flight === NEED_MORE) throw new Error(`not a flight: ${String(flight)}`);
  return flight;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return joined;
}

/**
 * Feeds `stream` to the decoder in the given chunks as a reassembler would: buffer, decode, consume
 * a flight's length, decode again. Lists each message (type and what was read of it) and how the
 * stream ended ('end': all consumed; 'more': waiting; 'not a flight': records that are not a
 * handshake flight, such as ChangeCipherSpec, or a malformed message).
 */
function messagesFed(stream: Uint8Array, cuts: readonly number[]): unknown[] {
  const seen: unknown[] = [];
  let pending: Uint8Array = new Uint8Array(0);
  let from = 0;
  for (const cut of [...cuts, stream.length]) {
    pending = concat(pending, stream.subarray(from, cut));
    from = cut;
    for (;;) {
      if (pending.length === 0) break;
      const flight = decode(pending, 0);
      if (flight === NEED_MORE) break;
      if (flight === null) return [...seen, 'not a flight'];
      for (const type of flight.messageTypes) {
        if (type === 1) seen.push(['client_hello', flight.clientHello]);
        else if (type === 2) seen.push(['server_hello', flight.serverHello]);
        else if (type === 11) seen.push(['certificate', flight.certificates?.map((c) => Array.from(c))]);
        else seen.push([type]);
      }
      pending = pending.slice(flight.length);
    }
  }
  return [...seen, pending.length === 0 ? 'end' : 'more'];
}

const CLIENT_HELLO_13_RECORD = {
  length: CLIENT_HELLO_13.length,
  recordVersion: 0x0301,
  messageTypes: [1],
  clientHello: {
    legacyVersion: 0x0303,
    sessionId: '5e55104e1d000001',
    cipherSuites: [0x2a2a, 0x1301, 0x1302, 0xc02b, 0x002f],
    compressionMethods: [0],
    extensionTypes: [0x2a2a, 0, 16, 43, 13, 10, 11, 23],
    serverName: 'infusion.local',
    alpn: ['h2', 'http/1.1'],
    supportedVersions: [0x3a3a, 0x0304, 0x0303],
    signatureAlgorithms: [0x0403, 0x0804, 0x0401],
    supportedGroups: [0x4a4a, 0x001d, 0x0017],
    ecPointFormats: [0],
  },
  serverHello: null,
  certificates: null,
};

describe('tls decoder', () => {
  it('decodes a TLS 1.3 ClientHello with its extensions, GREASE kept in place', () => {
    expect(decode(CLIENT_HELLO_13, 0)).toEqual(CLIENT_HELLO_13_RECORD);
  });

  it('joins a ClientHello split across two records', () => {
    expect(decode(CLIENT_HELLO_SPLIT, 0)).toEqual({
      length: CLIENT_HELLO_SPLIT.length,
      recordVersion: 0x0303,
      messageTypes: [1],
      clientHello: {
        legacyVersion: 0x0303,
        sessionId: '',
        cipherSuites: [0xc02f, 0x00ff],
        compressionMethods: [0],
        extensionTypes: [5, 0xff01],
        serverName: null,
        alpn: null,
        supportedVersions: null,
        signatureAlgorithms: null,
        supportedGroups: null,
        ecPointFormats: null,
      },
      serverHello: null,
      certificates: null,
    });
  });

  it("decodes a TLS 1.2 server's flight: ServerHello, the certificates' DER, ServerHelloDone", () => {
    const flight = flightOf(SERVER_FLIGHT_12);
    expect(flight).toEqual({
      length: SERVER_FLIGHT_12.length,
      recordVersion: 0x0303,
      messageTypes: [2, 11, 14],
      clientHello: null,
      serverHello: {
        legacyVersion: 0x0303,
        sessionId: '',
        cipherSuite: 0xc02f,
        compressionMethod: 0,
        extensionTypes: [0xff01, 16, 11],
        selectedVersion: null,
        alpn: 'h2',
        helloRetryRequest: false,
      },
      certificates: [hex(FIRST_CERTIFICATE), hex(SECOND_CERTIFICATE)],
    });
    // The certificates are views of the input, where a message lies in one record.
    expect(flight.certificates?.[0]?.buffer).toBe(SERVER_FLIGHT_12.buffer);
  });

  it('ends a flight at ChangeCipherSpec: what follows is encrypted', () => {
    const flight = flightOf(SERVER_HELLO_13);
    expect(flight).toMatchObject({ length: SERVER_HELLO_13_LENGTH, messageTypes: [2] });
    expect(flight.serverHello).toMatchObject({ cipherSuite: 0x1301, selectedVersion: 0x0304, extensionTypes: [43, 51] });
    expect(decode(SERVER_HELLO_13, SERVER_HELLO_13_LENGTH)).toBeNull(); // a ChangeCipherSpec record
  });

  it('recognises a HelloRetryRequest by its random', () => {
    const random = 'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c';
    expect(flightOf(patch(SERVER_HELLO_13, 11, random)).serverHello?.helloRetryRequest).toBe(true);
  });

  it('reads a flight at an offset and bounded by end', () => {
    const framed = concat(hex('aabbcc'), CLIENT_HELLO_13, hex('16 03'));
    expect(decode(framed, 3, 3 + CLIENT_HELLO_13.length)).toEqual(CLIENT_HELLO_13_RECORD);
    expect(decode(framed, 3, 3 + CLIENT_HELLO_13.length - 1)).toBe(NEED_MORE);
    expect(decode(framed, 3, 1_000_000)).toEqual(CLIENT_HELLO_13_RECORD); // end past the buffer: clamped
  });

  it('needs more bytes while a record or message is still arriving', () => {
    expect(decode(new Uint8Array(0), 0)).toBe(NEED_MORE);
    expect(decode(hex('16'), 0)).toBe(NEED_MORE);
    expect(decode(hex('16 0301 00'), 0)).toBe(NEED_MORE);
    expect(decode(CLIENT_HELLO_SPLIT.subarray(0, 46), 0)).toBe(NEED_MORE); // first record whole, message not
  });

  it('rejects what is not a stream of TLS handshake records', () => {
    expect(decode(hex('17 0303 0005 aabbccddee'), 0)).toBeNull(); // application data first
    expect(decode(hex('16 02'), 0)).toBeNull(); // record version major 2
    expect(decode(hex('16 0305'), 0)).toBeNull(); // no TLS 1.4
    expect(decode(hex('16 0303 0000'), 0)).toBeNull(); // RFC 8446 §5.1: no empty handshake fragment
    expect(decode(hex('16 0303 4801'), 0)).toBeNull(); // longer than 2^14 + 2048
    expect(decode(hex('16 0303 0004 01 010001'), 0)).toBeNull(); // a 65 537-octet message
    expect(decode(hex('8080 0103 01'), 0)).toBeNull(); // an SSL 2.0 CLIENT-HELLO
    expect(decode(CLIENT_HELLO_13, -1)).toBeNull();
    expect(decode(CLIENT_HELLO_13, CLIENT_HELLO_13.length + 1)).toBeNull();
  });

  it('rejects a message interrupted by another content type', () => {
    const interrupted = concat(CLIENT_HELLO_SPLIT.subarray(0, 46), hex('15 0303 0002 0228'));
    expect(decode(interrupted, 0)).toBeNull();
  });

  it('rejects a hello that does not frame', () => {
    expect(decode(patch(CLIENT_HELLO_13, 43, '21'), 0)).toBeNull(); // session id of 33 octets
    expect(decode(patch(CLIENT_HELLO_13, 52, '000b'), 0)).toBeNull(); // odd cipher_suites length
    expect(decode(patch(CLIENT_HELLO_13, 66, '005b'), 0)).toBeNull(); // extensions longer than the body
    expect(decode(patch(CLIENT_HELLO_13, 70, '0001'), 0)).toBeNull(); // GREASE extension claims an octet
  });

  it('keeps a hello whose known extension does not frame, without that field', () => {
    const badSni = decode(patch(CLIENT_HELLO_13, 76, '0012'), 0); // server_name list one octet short
    expect(badSni).toMatchObject({ clientHello: { serverName: null, alpn: ['h2', 'http/1.1'] } });
    const oddVersions = decode(patch(CLIENT_HELLO_13, 117, '05'), 0); // supported_versions of 5 octets
    expect(oddVersions).toMatchObject({ clientHello: { supportedVersions: null, extensionTypes: [0x2a2a, 0, 16, 43, 13, 10, 11, 23] } });
  });

  it('keeps the first of a repeated extension', () => {
    const twice = patch(CLIENT_HELLO_13, 154, '0000 0000'); // extended_master_secret → an empty server_name
    expect(decode(twice, 0)).toMatchObject({ clientHello: { serverName: 'infusion.local', extensionTypes: [0x2a2a, 0, 16, 43, 13, 10, 11, 0] } });
  });

  it('returns the messages complete at a record boundary before a malformed one', () => {
    const stream = concat(CLIENT_HELLO_13, hex('16 0303 0004 01 000000')); // an empty ClientHello body
    expect(decode(stream, 0)).toEqual(CLIENT_HELLO_13_RECORD);
    expect(decode(stream, CLIENT_HELLO_13.length)).toBeNull();
  });

  it('gives the same messages for every way the stream is split', () => {
    // A server flight in separate records (its Certificate across two), then ChangeCipherSpec.
    const serverHello = SERVER_FLIGHT_12.subarray(5, 69);
    const certificate = SERVER_FLIGHT_12.subarray(69, 92);
    const stream = concat(
      hex('16 0303 0040'),
      serverHello,
      hex('16 0303 000a'),
      certificate.subarray(0, 10),
      hex('16 0303 0011'),
      certificate.subarray(10),
      hex('0e 000000'), // ServerHelloDone in the same record
      hex('14 0303 0001 01'),
    );
    const whole = messagesFed(stream, []);
    expect(whole.map((m) => (Array.isArray(m) ? m[0] : m))).toEqual(['server_hello', 'certificate', 14, 'not a flight']);
    for (let cut = 1; cut < stream.length; cut++) expect(messagesFed(stream, [cut]), `cut at ${cut}`).toEqual(whole);
    const random = seededRandom(0x5eed_7151);
    for (let n = 0; n < 300; n++) {
      const cuts = Array.from({ length: 1 + Math.floor(random() * 8) }, () => Math.floor(random() * stream.length)).sort((a, b) => a - b);
      expect(messagesFed(stream, cuts), `cuts ${cuts.join(',')}`).toEqual(whole);
    }
    for (const fixture of [CLIENT_HELLO_13, CLIENT_HELLO_SPLIT, SERVER_FLIGHT_12]) {
      const once = messagesFed(fixture, []);
      for (let cut = 1; cut < fixture.length; cut++) expect(messagesFed(fixture, [cut])).toEqual(once);
    }
  });
});

let lastFlight: TlsFlight | null = null;
decoderContract({
  name: 'tls',
  accepts: (buf, offset, end) => {
    const flight = decode(buf, offset, end);
    lastFlight = flight === NEED_MORE ? null : flight;
    return lastFlight !== null;
  },
  result: () => lastFlight,
  cases: [
    { name: 'ClientHello (TLS 1.3)', bytes: CLIENT_HELLO_13, offset: 0 },
    { name: 'ClientHello across two records', bytes: CLIENT_HELLO_SPLIT, offset: 0 },
    { name: 'TLS 1.2 server flight', bytes: SERVER_FLIGHT_12, offset: 0 },
    // The flight is whole once the ServerHello record is; ChangeCipherSpec and data follow it.
    { name: 'TLS 1.3 ServerHello', bytes: SERVER_HELLO_13, offset: 0, declaredLength: SERVER_HELLO_13_LENGTH },
  ],
});
