/**
 * Hand-made QUIC Initial packets (RFC 9000 §17.2.2), protected as a client or server would
 * (./quic-protect.ts), carrying the TLS fixtures' hellos in CRYPTO frames.
 */
import { QUIC_V1, QUIC_V2 } from '../../src/decoders/quic-keys.js';
import { hex } from './hex.js';
import { cryptoFrame, protectInitial } from './quic-protect.js';
import { CLIENT_HELLO_13, SERVER_HELLO_13 } from './tls-fixtures.js';

export const DCID = hex('8394c8f03e515708'); // RFC 9001 Appendix A's connection ID
export const SCID = hex('c0ffee01');

/** The fixtures' handshake messages without their TLS record headers (RFC 9001 §4.1.3: no records in QUIC). */
export const CLIENT_HELLO = CLIENT_HELLO_13.subarray(5);
export const SERVER_HELLO = SERVER_HELLO_13.subarray(5, 103);

/** One client Initial with the whole ClientHello, then PADDING. */
export const CLIENT_INITIAL = protectInitial({
  version: QUIC_V1,
  dcid: DCID,
  scid: SCID,
  packetNumber: 0,
  payload: Uint8Array.from([...cryptoFrame(0, CLIENT_HELLO), ...new Uint8Array(40)]),
});

/**
 * Two coalesced client Initials whose CRYPTO frames come out of order, with PING, PADDING and an
 * ACK between them, as browsers send to defeat middleboxes.
 */
export const SCATTERED = Uint8Array.from([
  ...protectInitial({
    version: QUIC_V2,
    dcid: DCID,
    scid: SCID,
    packetNumber: 1,
    payload: Uint8Array.from([0x01, ...cryptoFrame(100, CLIENT_HELLO.subarray(100)), 0x00, 0x00, ...hex('02 05 00 00 00')]),
  }),
  ...protectInitial({
    version: QUIC_V2,
    dcid: DCID,
    scid: SCID,
    packetNumber: 2,
    payload: Uint8Array.from([...cryptoFrame(40, CLIENT_HELLO.subarray(40, 120)), 0x01, ...cryptoFrame(0, CLIENT_HELLO.subarray(0, 40))]),
  }),
]);

/** Where the first of the coalesced packets ends: after its 2-octet Length field and what it counts. */
export const FIRST_PACKET_LENGTH = (() => {
  const lengthAt = 1 + 4 + 1 + DCID.length + 1 + SCID.length + 1; // first octet, version, CIDs, token length
  return lengthAt + 2 + ((((SCATTERED[lengthAt] ?? 0) & 0x3f) << 8) | (SCATTERED[lengthAt + 1] ?? 0));
})();

/** The server's Initial: keys from the client's first DCID, its own DCID the client's SCID. */
export const SERVER_INITIAL = protectInitial({ version: QUIC_V1, dcid: SCID, scid: hex('5e7e'), packetNumber: 0, payload: cryptoFrame(0, SERVER_HELLO), fromServer: true, keyDcid: DCID });
