/**
 * Bounded TCP reassembly for the identification decoders (DICOM, HL7, …), never for bulk traffic:
 * one direction of one connection is one stream, keyed by `streamKey`. Payload is copied in (the
 * caller's buffer is a capture ring that is reused); segments that arrive ahead of a gap wait in a
 * short queue; retransmitted and overlapping octets are trimmed; sequence numbers compare modulo
 * 2^32 (RFC 9293 §3.4). Every bound is counted when it bites: streams pushed out (least recently
 * used or idle by packet time), streams given up for holding too much or for a gap never filled.
 */
import type { Dissection } from '../dissect.js';
import { L3_IPV4, L3_IPV6, L4_TCP } from '../decoders/registry.js';

export interface TcpStreamOptions {
  /** Streams kept at most; the least recently used goes first. */
  maxStreams: number;
  /** Octets buffered per stream at most (contiguous and queued together); past it the stream is given up. */
  maxBytes: number;
  /** Octets held by all streams together at most; the stream whose segment passes it is given up. */
  maxTotalBytes: number;
  /** A stream without a segment for this long (packet time, ms) is dropped. */
  idleMs: number;
  /** Segments queued ahead of a gap at most; one more and the stream is given up. */
  maxOutOfOrder: number;
}

export const TCP_STREAM_DEFAULTS: Readonly<TcpStreamOptions> = {
  maxStreams: 4096,
  maxBytes: 64 * 1024,
  maxTotalBytes: 32 * 1024 * 1024,
  idleMs: 120_000,
  maxOutOfOrder: 16,
};

export interface TcpStreamCounters {
  /** Streams held now. */
  streams: number;
  /** Streams dropped to make room or for being idle. */
  evicted: number;
  /** Streams given up for holding more than `maxBytes`, or for passing `maxTotalBytes` over all streams. */
  overLimit: number;
  /** Streams given up for a gap that was never filled (a segment the capture missed). */
  gaps: number;
  /** Segments that arrived ahead of a gap and were queued. */
  outOfOrder: number;
}

/** A segment that arrived ahead of the next expected octet. */
interface QueuedSegment {
  seq: number;
  bytes: Uint8Array;
}

interface Stream {
  /** Contiguous octets not yet consumed are `data[start, start + length)`. */
  data: Uint8Array;
  start: number;
  length: number;
  /** Sequence number of the octet after the last one received in order. */
  nextSeq: number;
  /** Octets the parser consumed beyond those buffered: discarded as they arrive. */
  skip: number;
  queue: QueuedSegment[];
  queuedBytes: number;
  lastTs: number;
  /** Given up: no more bytes are kept until `end`. */
  givenUp: boolean;
}

const EMPTY = new Uint8Array(0);
/** The buffer a stream starts with; it doubles as needed up to `maxBytes`. */
const INITIAL_CAPACITY = 2048;

/** `a - b` as a signed 32-bit distance in sequence space (RFC 9293 §3.4). */
function seqDistance(a: number, b: number): number {
  return (a - b) | 0;
}

/** Octets a stream holds: its buffer's capacity and its queued segments. */
function holding(stream: Stream): number {
  return stream.data.length + stream.queuedBytes;
}

/** Clamps an option to [min, max], taking the default when it is not a finite number. */
function bounded(value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.floor(value)));
}

export class TcpStreams {
  readonly options: Readonly<TcpStreamOptions>;
  /** Insertion order is recency: a stream is re-inserted when touched, so the first is the least recently used. */
  private readonly streams = new Map<string, Stream>();
  /** Octets held by all streams: their buffers' capacity and queued segments. */
  private held = 0;
  private evicted = 0;
  private overLimit = 0;
  private gaps = 0;
  private outOfOrder = 0;

  constructor(options: Partial<TcpStreamOptions> = {}) {
    const d = TCP_STREAM_DEFAULTS;
    this.options = {
      // At least one stream; at most a million, so a typo cannot hold gigabytes.
      maxStreams: bounded(options.maxStreams, d.maxStreams, 1, 1 << 20),
      // A DICOM association PDU needs up to 64 KiB; more than 16 MiB per direction is not identification.
      maxBytes: bounded(options.maxBytes, d.maxBytes, 1024, 16 << 20),
      // At least one stream's worth; at most 1 GiB.
      maxTotalBytes: bounded(options.maxTotalBytes, d.maxTotalBytes, 1024, 1 << 30),
      idleMs: bounded(options.idleMs, d.idleMs, 1, 24 * 3_600_000),
      maxOutOfOrder: bounded(options.maxOutOfOrder, d.maxOutOfOrder, 0, 256),
    };
  }

  /**
   * Adds the segment whose first payload octet has sequence number `seq`, seen at packet time `ts`
   * (ms). Returns the contiguous octets buffered for that direction — a view valid until the next
   * call on this object — or null when there are none (a gap before any, or all consumed) or the
   * stream was given up.
   * The first segment seen opens the stream at its `seq`; pushing an empty payload opens it without
   * data, so for a SYN pass its seq + 1 and data arriving out of order from the start still lines up.
   */
  push(key: string, seq: number, payload: Uint8Array, ts: number): Uint8Array | null {
    this.expireIdle(ts);
    let stream = this.streams.get(key);
    if (stream !== undefined && ts - stream.lastTs > this.options.idleMs) {
      this.remove(key, stream);
      this.evicted++;
      stream = undefined;
    }
    if (stream === undefined) {
      stream = this.open(key, seq >>> 0, ts);
    } else {
      // Re-insert: most recently used last.
      this.streams.delete(key);
      this.streams.set(key, stream);
      if (ts > stream.lastTs) stream.lastTs = ts;
    }
    if (stream.givenUp) return null;
    if (payload.length > 0) {
      const before = holding(stream);
      this.accept(stream, seq >>> 0, payload);
      this.held += holding(stream) - before;
      if (this.held > this.options.maxTotalBytes && !stream.givenUp) {
        this.held -= holding(stream);
        this.giveUp(stream);
        this.overLimit++;
      }
    }
    if (stream.givenUp || stream.length === 0) return null;
    return stream.data.subarray(stream.start, stream.start + stream.length);
  }

  /**
   * The parser used `n` octets from the front. More than are buffered is allowed: the rest are
   * discarded as they arrive (a PDU the parser skips without reading).
   */
  consume(key: string, n: number): void {
    const stream = this.streams.get(key);
    if (stream === undefined || stream.givenUp || !(n > 0)) return;
    const count = Math.floor(n);
    if (count < stream.length) {
      stream.start += count;
      stream.length -= count;
      return;
    }
    stream.skip += count - stream.length;
    stream.start = 0;
    stream.length = 0;
    if (stream.data.length > INITIAL_CAPACITY) {
      // Emptied: let a buffer grown for one large message go.
      this.held -= stream.data.length;
      stream.data = EMPTY;
    }
  }

  /** Forgets the stream (its connection closed, or its parser is done with it). */
  end(key: string): void {
    const stream = this.streams.get(key);
    if (stream !== undefined) this.remove(key, stream);
  }

  counters(): TcpStreamCounters {
    return { streams: this.streams.size, evicted: this.evicted, overLimit: this.overLimit, gaps: this.gaps, outOfOrder: this.outOfOrder };
  }

  private open(key: string, seq: number, ts: number): Stream {
    while (this.streams.size >= this.options.maxStreams) {
      const oldest = this.streams.keys().next();
      if (oldest.done === true) break;
      const victim = this.streams.get(oldest.value);
      if (victim !== undefined) this.remove(oldest.value, victim);
      this.evicted++;
    }
    const stream: Stream = { data: EMPTY, start: 0, length: 0, nextSeq: seq, skip: 0, queue: [], queuedBytes: 0, lastTs: ts, givenUp: false };
    this.streams.set(key, stream);
    return stream;
  }

  /** Drops the least recently used streams while they are idle at packet time `ts`. */
  private expireIdle(ts: number): void {
    for (const [key, stream] of this.streams) {
      if (ts - stream.lastTs <= this.options.idleMs) return;
      this.remove(key, stream);
      this.evicted++;
    }
  }

  private accept(stream: Stream, seq: number, payload: Uint8Array): void {
    const ahead = seqDistance(seq, stream.nextSeq);
    if (ahead <= 0) {
      this.append(stream, payload, -ahead);
      this.drainQueue(stream);
      return;
    }
    // Ahead of a gap: queue a copy, unless it could never be reached within the bounds (octets the
    // parser skips are never buffered, so the reach is counted from the end of the skip).
    const reach = Math.max(0, ahead - stream.skip) + payload.length;
    if (stream.queue.length >= this.options.maxOutOfOrder || reach > this.options.maxBytes) {
      this.giveUp(stream);
      this.gaps++;
      return;
    }
    if (stream.length + stream.queuedBytes + payload.length > this.options.maxBytes) {
      this.giveUp(stream);
      this.overLimit++;
      return;
    }
    stream.queue.push({ seq, bytes: payload.slice() });
    stream.queuedBytes += payload.length;
    this.outOfOrder++;
  }

  /** Appends `payload` less its first `already` octets (received before), honouring a pending skip. */
  private append(stream: Stream, payload: Uint8Array, already: number): void {
    if (already >= payload.length) return; // a retransmission: nothing new
    let from = already;
    const fresh = payload.length - from;
    stream.nextSeq = (stream.nextSeq + fresh) >>> 0;
    if (stream.skip > 0) {
      const skipped = Math.min(stream.skip, fresh);
      stream.skip -= skipped;
      from += skipped;
    }
    const count = payload.length - from;
    if (count === 0) return;
    if (stream.length + stream.queuedBytes + count > this.options.maxBytes) {
      this.giveUp(stream);
      this.overLimit++;
      return;
    }
    this.makeRoom(stream, count);
    stream.data.set(payload.subarray(from), stream.start + stream.length);
    stream.length += count;
  }

  /** Ensures `count` more octets fit after the buffered ones: compacting first, else growing. */
  private makeRoom(stream: Stream, count: number): void {
    const needed = stream.length + count;
    if (stream.start + needed <= stream.data.length) return;
    if (needed <= stream.data.length) {
      stream.data.copyWithin(0, stream.start, stream.start + stream.length);
    } else {
      let capacity = Math.max(INITIAL_CAPACITY, stream.data.length);
      while (capacity < needed) capacity *= 2;
      const grown = new Uint8Array(Math.min(capacity, this.options.maxBytes));
      grown.set(stream.data.subarray(stream.start, stream.start + stream.length));
      stream.data = grown;
    }
    stream.start = 0;
  }

  /** Moves queued segments that the in-order data has reached into the buffer. */
  private drainQueue(stream: Stream): void {
    let progressed = true;
    while (progressed && stream.queue.length > 0 && !stream.givenUp) {
      progressed = false;
      for (let i = 0; i < stream.queue.length; i++) {
        const segment = stream.queue[i];
        if (segment === undefined) continue;
        const ahead = seqDistance(segment.seq, stream.nextSeq);
        if (ahead > 0) continue;
        stream.queue.splice(i, 1);
        stream.queuedBytes -= segment.bytes.length;
        this.append(stream, segment.bytes, -ahead);
        progressed = true;
        break;
      }
    }
  }

  private remove(key: string, stream: Stream): void {
    this.held -= holding(stream);
    this.streams.delete(key);
  }

  private giveUp(stream: Stream): void {
    stream.givenUp = true;
    stream.data = EMPTY;
    stream.start = 0;
    stream.length = 0;
    stream.queue = [];
    stream.queuedBytes = 0;
  }
}

/**
 * The key of one direction of a TCP connection: addresses and ports from source to destination.
 * IPv4 addresses as numbers, IPv6 ones as hex of their 16 octets in `buf`; '' when `d` is not TCP
 * over IP.
 */
export function streamKey(buf: Uint8Array, d: Dissection): string {
  if (d.l4 !== L4_TCP) return '';
  if (d.l3 === L3_IPV4) return `4 ${d.ipSrc} ${d.srcPort} ${d.ipDst} ${d.dstPort}`;
  if (d.l3 === L3_IPV6 && d.ip6SrcOffset >= 0 && d.ip6DstOffset >= 0 && d.ip6DstOffset + 16 <= buf.length) {
    return `6 ${addressHex(buf, d.ip6SrcOffset)} ${d.srcPort} ${addressHex(buf, d.ip6DstOffset)} ${d.dstPort}`;
  }
  return '';
}

function addressHex(buf: Uint8Array, at: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + at, 16).toString('hex');
}
