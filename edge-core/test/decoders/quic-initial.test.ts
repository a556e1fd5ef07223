import { describe, expect, it } from 'vitest';
import { NEED_MORE } from '../../src/decoders/need-more.js';
import { cryptoPrefix, decodeCryptoHello } from '../../src/decoders/quic-crypto.js';
import { decodeInitials, type QuicInitialPacket } from '../../src/decoders/quic-initial.js';
import { initialKeys, QUIC_V1, QUIC_V2 } from '../../src/decoders/quic-keys.js';
import { decode as decodeTls } from '../../src/decoders/tls.js';
import { decoderContract } from './contract.js';
import { hex, patch } from './hex.js';
import { CLIENT_HELLO, CLIENT_INITIAL, DCID, FIRST_PACKET_LENGTH, SCATTERED, SCID, SERVER_INITIAL } from './quic-fixtures.js';
import { protectInitial } from './quic-protect.js';
import { CLIENT_HELLO_13 } from './tls-fixtures.js';

/** What the TLS decoder reads from the same ClientHello over TCP. */
const CLIENT_HELLO_RECORD = (() => {
  const flight = decodeTls(CLIENT_HELLO_13, 0);
  return flight !== null && flight !== NEED_MORE ? flight.clientHello : null;
})();

function packets(bytes: Uint8Array, keyDcid: Uint8Array | null = null, fromServer = false): QuicInitialPacket[] {
  const decoded = decodeInitials(bytes, 0, bytes.length, keyDcid, fromServer);
  if (decoded === null) throw new Error('no Initial packets');
  return decoded;
}

describe('QUIC Initial keys', () => {
  it('match RFC 9001 Appendix A.1 and RFC 9369 Appendix A.1', () => {
    const text = (k: ReturnType<typeof initialKeys>): string[] => [k?.key, k?.iv, k?.hp].map((b) => b?.toString('hex') ?? '');
    expect(text(initialKeys(QUIC_V1, DCID, false))).toEqual(['1f369613dd76d5467730efcbe3b1a22d', 'fa044b2f42a3fd3b46fb255c', '9f50449e04a0e810283a1e9933adedd2']);
    expect(text(initialKeys(QUIC_V1, DCID, true))).toEqual(['cf3a5331653c364c88f0f379b6067e37', '0ac1493ca1905853b0bba03e', 'c206b8d9b9f0f37644430b490eeaa314']);
    expect(text(initialKeys(QUIC_V2, DCID, false))).toEqual(['8b1a0bc121284290a29e0971b5cd045d', '91f73e2351d8fa91660e909f', '45b95e15235d6f45a6b19cbcb0294ba9']);
    expect(initialKeys(0x0a0a0a0a, DCID, false)).toBeNull(); // a version-negotiation GREASE version
  });
});

describe('QUIC Initial decoder', () => {
  it("reads a client Initial's CRYPTO frame through its protection", () => {
    expect(packets(CLIENT_INITIAL)).toEqual([{ version: QUIC_V1, dcid: '8394c8f03e515708', scid: 'c0ffee01', packetNumber: 0, crypto: [{ offset: 0, data: Buffer.from(CLIENT_HELLO) }] }]);
  });

  it('reads coalesced QUIC v2 packets and puts a scattered ClientHello together', () => {
    const read = packets(SCATTERED);
    expect(read.map((p) => [p.version, p.packetNumber, p.crypto.map((c) => c.offset)])).toEqual([
      [QUIC_V2, 1, [100]],
      [QUIC_V2, 2, [40, 0]],
    ]);
    const frames = read.flatMap((p) => p.crypto);
    expect(Buffer.from(cryptoPrefix(frames))).toEqual(Buffer.from(CLIENT_HELLO));
    expect(decodeCryptoHello(frames)).toEqual({ clientHello: CLIENT_HELLO_RECORD, serverHello: null });
    expect(decodeCryptoHello(frames.slice(1))).toBe(NEED_MORE); // offsets 40-119 and 0-39: the rest is missing
  });

  it("reads a server's Initial with the client's first DCID only", () => {
    expect(decodeInitials(SERVER_INITIAL, 0)).toBeNull(); // keys from its own DCID do not open it
    const read = packets(SERVER_INITIAL, DCID, true);
    expect(decodeCryptoHello(read.flatMap((p) => p.crypto))).toMatchObject({ clientHello: null, serverHello: { cipherSuite: 0x1301, selectedVersion: 0x0304 } });
  });

  it('returns null for what it cannot read', () => {
    expect(decodeInitials(patch(CLIENT_INITIAL, 60, 'ff'), 0)).toBeNull(); // ciphertext altered: not authentic
    expect(decodeInitials(CLIENT_INITIAL.subarray(0, CLIENT_INITIAL.length - 1), 0)).toBeNull(); // Length past the end
    expect(decodeInitials(hex('40 0102030405060708'), 0)).toBeNull(); // a short header packet
    expect(decodeInitials(hex('c0 00000000 08 8394c8f03e515708 00 0000 0001'), 0)).toBeNull(); // version negotiation
    expect(decodeInitials(patch(CLIENT_INITIAL, 1, '0a0a0a0a'), 0)).toBeNull(); // a version without Initial keys
    expect(decodeInitials(patch(CLIENT_INITIAL, 5, '15'), 0)).toBeNull(); // a 21-octet connection ID
    const stream = protectInitial({ version: QUIC_V1, dcid: DCID, scid: SCID, packetNumber: 3, payload: hex('08 00 01 61') }); // a STREAM frame
    expect(decodeInitials(stream, 0)).toBeNull();
    expect(decodeInitials(CLIENT_INITIAL, -1)).toBeNull();
    expect(decodeInitials(CLIENT_INITIAL, CLIENT_INITIAL.length)).toBeNull();
  });

  it('takes the hello only from a CRYPTO stream that starts with one', () => {
    expect(decodeCryptoHello([])).toBe(NEED_MORE);
    expect(decodeCryptoHello([{ offset: 0, data: hex('0b 000000') }])).toBeNull(); // a Certificate first
    expect(decodeCryptoHello([{ offset: 0, data: hex('01 010001') }])).toBeNull(); // longer than any hello
    expect(decodeCryptoHello([{ offset: 0, data: hex('01 000001 00') }])).toBeNull(); // a malformed hello
    // Overlapping and repeated frames are joined once.
    const overlapping = [
      { offset: 0, data: CLIENT_HELLO.subarray(0, 60) },
      { offset: 0, data: CLIENT_HELLO.subarray(0, 30) },
      { offset: 50, data: CLIENT_HELLO.subarray(50) },
    ];
    expect(decodeCryptoHello(overlapping)).toEqual({ clientHello: CLIENT_HELLO_RECORD, serverHello: null });
  });
});

let lastPackets: QuicInitialPacket[] | null = null;
decoderContract({
  name: 'quic-initial',
  accepts: (buf, offset, end) => (lastPackets = decodeInitials(buf, offset, end)) !== null,
  result: () => lastPackets,
  cases: [
    { name: 'client Initial', bytes: CLIENT_INITIAL, offset: 0 },
    // The first packet is read on its own once it is whole, before the second is.
    { name: 'coalesced v2 Initials', bytes: SCATTERED, offset: 0, declaredLength: FIRST_PACKET_LENGTH },
  ],
});
