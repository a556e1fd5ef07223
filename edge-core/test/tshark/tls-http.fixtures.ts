/**
 * Our hand-made TLS and HTTP fixtures as connections tshark can read: the decoder fixtures, split
 * over TCP segments the way the decoders must cope with, a server flight carrying the hand-built
 * X.509 certificates, and QUIC Initial datagrams, so that tshark checks those too.
 */
import { FOLDED, REQUEST, RESPONSE } from '../decoders/http-fixtures.js';
import { CLIENT_INITIAL, SERVER_INITIAL } from '../decoders/quic-fixtures.js';
import { CLIENT_HELLO_13, CLIENT_HELLO_SPLIT, SERVER_FLIGHT_12 } from '../decoders/tls-fixtures.js';
import { PUMP_CERTIFICATE, SELF_SIGNED_CA } from '../fingerprints/x509-fixtures.js';
import type { Exception } from './harness.js';
import { connectionFrames } from './medical-frames.js';

export interface FixtureConnection {
  name: string;
  /** Ethernet frames, in order. */
  frames: Uint8Array[];
  /** Field values compared (frame × field). */
  compared: number;
  /** Exceptions, the file being the written capture. */
  exceptions: Omit<Exception, 'file'>[];
}

function u24(n: number): Uint8Array {
  return Uint8Array.of((n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (joined.set(p, at), at + p.length), 0);
  return joined;
}

/** A handshake record (RFC 8446 §5.1: type 22, TLS 1.2) holding one message (§4: type, u24 length, body). */
function handshakeRecord(type: number, body: Uint8Array): Uint8Array {
  const message = concat(Uint8Array.of(type), u24(body.length), body);
  return concat(Uint8Array.of(0x16, 0x03, 0x03, message.length >> 8, message.length & 0xff), message);
}

/** RFC 5246 §7.4.2 Certificate: certificate_list<0..2^24-1> of ASN.1Cert<1..2^24-1>. */
function certificateRecord(...ders: Uint8Array[]): Uint8Array {
  const list = concat(...ders.flatMap((der) => [u24(der.length), der]));
  return handshakeRecord(11, concat(u24(list.length), list));
}

/**
 * Ethernet/IPv4/UDP frames between a client (10.20.0.55:49300) and a server (10.30.0.10:443),
 * checksums 0 (not verified by tshark or our dissector).
 */
function datagramFrames(datagrams: readonly { fromClient: boolean; payload: Uint8Array }[]): Uint8Array[] {
  const client = [10, 20, 0, 55];
  const server = [10, 30, 0, 10];
  return datagrams.map(({ fromClient, payload }) => {
    const [src, dst] = fromClient ? [client, server] : [server, client];
    const [srcPort, dstPort] = fromClient ? [49300, 443] : [443, 49300];
    const udpLength = 8 + payload.length;
    const header = [
      ...[0, 0, 0x5e, 0, 1, 0x14], ...[0, 9, 0xfb, 0x1a, 0x2b, 0x3c], 0x08, 0x00, // Ethernet II, IPv4
      0x45, 0x00, (20 + udpLength) >> 8, (20 + udpLength) & 0xff, 0, 1, 0x40, 0, 64, 17, 0, 0, ...src, ...dst, // IPv4, DF, TTL 64, UDP
      srcPort >> 8, srcPort & 0xff, dstPort >> 8, dstPort & 0xff, udpLength >> 8, udpLength & 0xff, 0, 0, // UDP
    ];
    return concat(Uint8Array.from(header), payload);
  });
}

/** SERVER_FLIGHT_12's ServerHello message (after its record header, before its Certificate). */
const SERVER_HELLO_MESSAGE = SERVER_FLIGHT_12.subarray(5, 69);

export function fixtureConnections(): FixtureConnection[] {
  const serverHello = concat(Uint8Array.of(0x16, 0x03, 0x03, 0x00, SERVER_HELLO_MESSAGE.length), SERVER_HELLO_MESSAGE);
  const certificates = certificateRecord(PUMP_CERTIFICATE, SELF_SIGNED_CA);
  const serverHelloDone = handshakeRecord(14, new Uint8Array(0));
  return [
    {
      name: 'tls-certificates',
      frames: connectionFrames(443, [
        { fromClient: true, payload: CLIENT_HELLO_13.subarray(0, 50) }, // a record split across segments
        { fromClient: true, payload: CLIENT_HELLO_13.subarray(50) },
        { fromClient: false, payload: concat(serverHello, certificates.subarray(0, 100)) },
        { fromClient: false, payload: concat(certificates.subarray(100), serverHelloDone) },
      ]),
      compared: 9,
      exceptions: [],
    },
    {
      name: 'tls-hello-in-two-records',
      frames: connectionFrames(8443, [{ fromClient: true, payload: CLIENT_HELLO_SPLIT }]),
      compared: 2,
      exceptions: [],
    },
    {
      name: 'http',
      frames: connectionFrames(80, [
        { fromClient: true, payload: REQUEST.subarray(0, 30) }, // a head split across segments
        { fromClient: true, payload: REQUEST.subarray(30) },
        { fromClient: false, payload: RESPONSE },
        { fromClient: true, payload: REQUEST },
        { fromClient: false, payload: FOLDED },
      ]),
      compared: 8,
      exceptions: [
        ...[2, 4].map((frame) => ({ frame, field: 'http.user_agent', reason: 'tshark keeps the trailing whitespace; RFC 9110 §5.5 leaves it out of the field value, and so do we' })),
        { frame: 3, field: 'http.server', reason: 'the response has two Server fields: tshark shows both, we keep the first (RFC 9110 §10.2.4 allows one)' },
        { frame: 5, field: 'http.server', reason: 'obs-fold: tshark shows the first line only; we join the folded line with a space (RFC 9112 §5.2)' },
      ],
    },
    {
      name: 'quic',
      frames: datagramFrames([
        // (The QUIC v2 fixture is left out: Wireshark 4.0 predates RFC 9369.)
        { fromClient: true, payload: CLIENT_INITIAL },
        { fromClient: false, payload: SERVER_INITIAL },
      ]),
      compared: 6,
      exceptions: [],
    },
  ];
}
