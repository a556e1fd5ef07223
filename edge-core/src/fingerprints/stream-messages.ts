/**
 * The first message of a TCP payload, whole: read in place from the segment when it fits (the
 * common case, no copy), else gathered across segments by the bounded reassembler until the
 * decoder has it all. Only flows with a message in progress are looked up by key, so bulk
 * traffic on the same ports costs a gate check and nothing more.
 */
import { NEED_MORE, type NeedMore } from '../decoders/need-more.js';
import { TCP_FIN, TCP_RST, TCP_SYN } from '../decoders/tcp.js';
import type { Dissection } from '../dissect.js';
import { streamKey, TcpStreams, type TcpStreamOptions } from '../state/tcp-streams.js';

export type StreamDecoder<T> = (buf: Uint8Array, offset: number, end: number) => T | NeedMore | null;

/** A message still arriving is given up after this long without completing (packet time). */
const PENDING_MS = 30_000;

export class StreamMessages {
  private readonly streams: TcpStreams;
  /** Flows with a message in progress → when it started. */
  private readonly pending = new Map<string, number>();

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
    if (this.pending.size > 0) {
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
      if (this.streams.push(key, this.seqOf(d), buf.subarray(start, end), ts) !== null) this.pending.set(key, ts);
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
    this.pending.delete(key);
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

  /** Messages in progress. */
  get inProgress(): number {
    return this.pending.size;
  }
}
