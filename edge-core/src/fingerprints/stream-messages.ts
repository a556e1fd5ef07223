/**
 * The first message of a TCP payload, whole: read in place from the segment when it fits (the
 * common case, no copy), else gathered across segments by the bounded reassembler until the
 * decoder has it all. Only flows with a message in progress are looked up by key, so bulk
 * traffic on the same ports costs a gate check and nothing more.
 */
import { NEED_MORE, type NeedMore } from '../decoders/need-more.js';
import { L3_IPV4 } from '../decoders/registry.js';
import { TCP_FIN, TCP_RST, TCP_SYN } from '../decoders/tcp.js';
import type { Dissection } from '../dissect.js';
import { mix32 } from '../state/counting-table.js';
import { streamKey, TcpStreams, type TcpStreamOptions } from '../state/tcp-streams.js';

export type StreamDecoder<T> = (buf: Uint8Array, offset: number, end: number) => T | NeedMore | null;

/** A message still arriving is given up after this long without completing (packet time). */
const PENDING_MS = 30_000;

/** One direction of a flow as a number: addresses and ports hashed (equal flows, equal hashes). */
function flowHash(buf: Uint8Array, d: Dissection): number {
  let hash = mix32(((d.srcPort << 16) | d.dstPort) ^ 0x5bd1e995);
  if (d.l3 === L3_IPV4) return mix32(mix32(hash ^ d.ipSrc) ^ d.ipDst);
  for (let i = 0; i < 16; i++) hash = Math.imul(hash ^ (buf[d.ip6SrcOffset + i] ?? 0) ^ ((buf[d.ip6DstOffset + i] ?? 0) << 8), 0x01000193);
  return hash >>> 0;
}

export class StreamMessages {
  private readonly streams: TcpStreams;
  /** Flows with a message in progress → when it started. */
  private readonly pending = new Map<string, number>();
  /** The same flows by a numeric hash (→ how many share it), so that other segments are passed over without building a key. */
  private readonly pendingHashes = new Map<number, number>();
  private readonly hashOf = new Map<string, number>();

  constructor(options: Partial<TcpStreamOptions> = {}) {
    this.streams = new TcpStreams(options);
  }

  /**
   * Reads the message the segment starts or continues. `starts` is a cheap look at the first
   * octets, asked only of flows with nothing in progress: false, and the segment is not looked at
   * further. `onMessage` gets each whole, well-formed message.
   */
  read<T>(buf: Uint8Array, d: Dissection, ts: number, starts: (buf: Uint8Array, at: number, end: number) => boolean, decode: StreamDecoder<T>, onMessage: (message: T) => void): void {
    const start = d.payloadOffset;
    const end = start + d.payloadLength;
    if (this.pending.size > 0 && this.pendingHashes.has(flowHash(buf, d))) {
      const key = streamKey(buf, d);
      const since = this.pending.get(key);
      if (since !== undefined) {
        this.continueMessage(key, since, buf, d, ts, decode, onMessage);
        return;
      }
    }
    if (d.payloadLength === 0 || !starts(buf, start, end)) return;
    const message = decode(buf, start, end);
    if (message === NEED_MORE) {
      const key = streamKey(buf, d);
      if (this.streams.push(key, this.seqOf(d), buf.subarray(start, end), ts) !== null) {
        this.pending.set(key, ts);
        const hash = flowHash(buf, d);
        this.pendingHashes.set(hash, (this.pendingHashes.get(hash) ?? 0) + 1);
        this.hashOf.set(key, hash);
      }
      this.expire(ts);
    } else if (message !== null) onMessage(message);
  }

  private continueMessage<T>(key: string, since: number, buf: Uint8Array, d: Dissection, ts: number, decode: StreamDecoder<T>, onMessage: (message: T) => void): void {
    const closing = (d.tcpFlags & (TCP_FIN | TCP_RST)) !== 0;
    const bytes = d.payloadLength > 0 ? this.streams.push(key, this.seqOf(d), buf.subarray(d.payloadOffset, d.payloadOffset + d.payloadLength), ts) : null;
    if (bytes !== null) {
      const message = decode(bytes, 0, bytes.length);
      if (message === NEED_MORE && !closing && ts - since < PENDING_MS) return;
      this.finish(key);
      if (message !== null && message !== NEED_MORE) onMessage(message);
      return;
    }
    if (closing || ts - since >= PENDING_MS) this.finish(key);
  }

  private finish(key: string): void {
    if (this.pending.delete(key)) {
      const hash = this.hashOf.get(key) ?? 0;
      this.hashOf.delete(key);
      const left = (this.pendingHashes.get(hash) ?? 1) - 1;
      if (left > 0) this.pendingHashes.set(hash, left);
      else this.pendingHashes.delete(hash);
    }
    this.streams.end(key);
  }

  /** Drops messages that never completed (their flows went quiet), oldest first. */
  private expire(ts: number): void {
    for (const [key, since] of this.pending) {
      if (ts - since < PENDING_MS) break;
      this.finish(key);
    }
  }

  /** A SYN's own sequence number is not data's (RFC 9293 §3.4). */
  private seqOf(d: Dissection): number {
    return (d.tcpFlags & TCP_SYN) !== 0 ? (d.tcpSeq + 1) >>> 0 : d.tcpSeq;
  }

  /** Whether this segment's flow has a message in progress (a hash probe; no key is built). */
  continuing(buf: Uint8Array, d: Dissection): boolean {
    return this.pending.size > 0 && this.pendingHashes.has(flowHash(buf, d));
  }

  /** A gate for a stream protocol: a segment that starts one of its messages, or continues one. */
  gate(starts: (buf: Uint8Array, at: number, end: number) => boolean): (buf: Uint8Array, at: number, end: number, d: Dissection) => boolean {
    return (buf, at, end, d) => starts(buf, at, end) || this.continuing(buf, d);
  }

  /** Messages in progress. */
  get inProgress(): number {
    return this.pending.size;
  }
}
