/**
 * The TLS hellos of QUIC connections in a capture, for the tshark comparison: each UDP datagram
 * that starts with a long-header packet is read as QUIC Initial packets; a connection (its two UDP
 * endpoints) takes its keys from the Destination Connection ID of the first client Initial seen
 * (RFC 9001 §5.2), and each side's CRYPTO frames are gathered until its hello is whole.
 */
import { needsMore } from '../../src/decoders/need-more.js';
import { decodeCryptoHello, type QuicHello } from '../../src/decoders/quic-crypto.js';
import { decodeInitials, type CryptoFrame } from '../../src/decoders/quic-initial.js';

interface Side {
  frames: CryptoFrame[];
  /** The hello was read (or found malformed): nothing more to gather. */
  done: boolean;
}

interface Connection {
  client: string;
  keyDcid: Uint8Array;
  sides: { client: Side; server: Side };
}

/** Octets gathered per side at most: a hello spans a few packets. */
const MAX_GATHERED = 64 * 1024;

export class QuicHellos {
  private readonly connections = new Map<string, Connection>();

  /**
   * Reads one UDP payload sent from endpoint `src` to `dst` (address and port as text). Returns
   * the hello this datagram completes, or null.
   */
  datagram(src: string, dst: string, payload: Uint8Array): QuicHello | null {
    const key = src < dst ? `${src} ${dst}` : `${dst} ${src}`;
    let connection = this.connections.get(key);
    const fromServer = connection !== undefined && connection.client !== src;
    const packets = decodeInitials(payload, 0, payload.length, connection?.keyDcid ?? null, fromServer);
    if (packets === null) return null;
    if (connection === undefined) {
      const first = packets[0];
      if (first === undefined) return null;
      connection = { client: src, keyDcid: Buffer.from(first.dcid, 'hex'), sides: { client: { frames: [], done: false }, server: { frames: [], done: false } } };
      this.connections.set(key, connection);
    }
    const side = fromServer ? connection.sides.server : connection.sides.client;
    if (side.done) return null;
    for (const packet of packets) side.frames.push(...packet.crypto);
    const hello = decodeCryptoHello(side.frames);
    if (needsMore(hello)) {
      if (side.frames.reduce((n, f) => n + f.data.length, 0) > MAX_GATHERED) side.done = true;
      return null;
    }
    side.done = true;
    return hello;
  }
}
