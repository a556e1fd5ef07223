/**
 * Runs a stream decoder (DICOM, HL7, …) over bytes delivered through TcpStreams in pieces, so a
 * test can show it gives the same answer for every way the bytes are split and ordered.
 */
import { needsMore, type NeedMore } from '../../src/decoders/need-more.js';
import { TcpStreams } from '../../src/state/tcp-streams.js';
import { seededRandom } from '../decoders/hex.js';

/** A decoder of one message at `offset`; `size` is how many octets the message took. */
export type StreamDecoder<T extends { size: number }> = (buf: Uint8Array, offset: number, end?: number) => T | NeedMore | null;

/** What a stream yielded: its messages in order, and whether it then hit bytes that were not one. */
export interface StreamOutcome<T> {
  messages: T[];
  malformed: boolean;
}

export interface Piece {
  /** Offset of the piece in the stream. */
  at: number;
  bytes: Uint8Array;
}

const KEY = 'test stream';
/** An initial sequence number close to 2^32, so every split also crosses the wrap (RFC 9293 §3.4). */
const ISN = 0xffff_ff00;

/** Feeds `pieces` (in the order given) and decodes every message as soon as it is complete. */
export function parseStream<T extends { size: number }>(decode: StreamDecoder<T>, pieces: readonly Piece[], streams = new TcpStreams()): StreamOutcome<T> {
  const outcome: StreamOutcome<T> = { messages: [], malformed: false };
  streams.push(KEY, ISN, new Uint8Array(0), 0); // as a SYN opens the stream
  for (const piece of pieces) {
    const bytes = streams.push(KEY, (ISN + piece.at) >>> 0, piece.bytes, 0);
    if (bytes === null || outcome.malformed) continue;
    let at = 0;
    for (;;) {
      const result = decode(bytes, at);
      if (needsMore(result)) break;
      if (result === null) {
        outcome.malformed = true;
        break;
      }
      outcome.messages.push(result);
      at += result.size;
    }
    streams.consume(KEY, at);
  }
  return outcome;
}

/** `bytes` cut at the given offsets (ascending), as pieces in stream order. */
export function cut(bytes: Uint8Array, cuts: readonly number[]): Piece[] {
  const pieces: Piece[] = [];
  let from = 0;
  for (const to of [...cuts, bytes.length]) {
    if (to > from) pieces.push({ at: from, bytes: bytes.slice(from, to) });
    from = Math.max(from, to);
  }
  return pieces;
}

/**
 * Ways to deliver `bytes`: whole; cut once at every offset; one octet at a time; `randomSplits`
 * seeded random cuts into 2 to 12 pieces, some delivered out of order or with a piece sent twice.
 */
export function* deliveries(bytes: Uint8Array, randomSplits = 200): Generator<[name: string, pieces: Piece[]]> {
  yield ['whole', cut(bytes, [])];
  for (let i = 1; i < bytes.length; i++) yield [`cut at ${i}`, cut(bytes, [i])];
  yield ['octet by octet', cut(bytes, Array.from({ length: bytes.length }, (_, i) => i))];
  const random = seededRandom(0x5711_7000 + bytes.length);
  for (let n = 0; n < randomSplits; n++) {
    const count = 1 + Math.floor(random() * 11);
    const cuts = Array.from({ length: count }, () => Math.floor(random() * bytes.length)).sort((a, b) => a - b);
    const pieces = cut(bytes, cuts);
    const style = random();
    if (style < 0.3 && pieces.length > 2) {
      // Swap two neighbours: the later one waits in the out-of-order queue.
      const i = Math.floor(random() * (pieces.length - 1));
      const a = pieces[i]!;
      pieces[i] = pieces[i + 1]!;
      pieces[i + 1] = a;
    } else if (style < 0.6 && pieces.length > 1) {
      // Retransmit a piece, and overlap the next one with it.
      const i = Math.floor(random() * (pieces.length - 1));
      const piece = pieces[i]!;
      const next = pieces[i + 1]!;
      const overlapFrom = piece.at + Math.floor(piece.bytes.length / 2);
      pieces.splice(i + 1, 0, piece, { at: overlapFrom, bytes: bytes.slice(overlapFrom, next.at + next.bytes.length) });
    }
    yield [`random ${n}: ${pieces.map((p) => `${p.at}+${p.bytes.length}`).join(' ')}`, pieces];
  }
}
