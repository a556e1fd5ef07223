/**
 * The first octets of each direction of a device's TCP connections, in sequence order (RFC 9293
 * §3.4), so that a hello or request head cut over several segments is read whole. Segments that do
 * not continue the prefix where it ends (retransmissions, segments after a gap) are left out: a
 * prefix stops at the first hole. Offline feature extraction only.
 */
import { TCP_ACK, TCP_SYN } from '../decoders/tcp.js';
import type { Dissection } from '../dissect.js';

/** Octets kept per direction: enough for the hellos and heads read from them. */
export const STREAM_PREFIX = 16 * 1024;
/** Directions followed per capture. */
export const MAX_STREAMS = 4096;

export interface StreamPrefix {
  /** True for the direction the device sends. */
  sent: boolean;
  /** Server-side port of the connection: the destination of the first SYN, else the lower port. */
  servicePort: number;
  bytes: Uint8Array;
}

interface Growing {
  sent: boolean;
  servicePort: number;
  next: number;
  chunks: Uint8Array[];
  length: number;
  closed: boolean;
}

/** Collects stream prefixes, one per connection direction. */
export class StreamPrefixes {
  private readonly streams = new Map<string, Growing>();
  private readonly servicePorts = new Map<string, number>();

  /**
   * One TCP segment of the device's, `sent` by it or received; `src` and `dst` are address texts
   * (keys only).
   */
  add(buf: Uint8Array, d: Dissection, sent: boolean, src: string, dst: string): void {
    const key = `${src}|${d.srcPort}|${dst}|${d.dstPort}`;
    const connection = d.srcPort < d.dstPort || (d.srcPort === d.dstPort && src < dst) ? key : `${dst}|${d.dstPort}|${src}|${d.srcPort}`;
    const isSyn = (d.tcpFlags & TCP_SYN) !== 0;
    if (isSyn && !this.servicePorts.has(connection)) this.servicePorts.set(connection, (d.tcpFlags & TCP_ACK) !== 0 ? d.srcPort : d.dstPort);
    let stream = this.streams.get(key);
    if (stream === undefined) {
      if (this.streams.size >= MAX_STREAMS) return;
      const servicePort = this.servicePorts.get(connection) ?? Math.min(d.srcPort, d.dstPort);
      // RFC 9293 §3.4: the SYN occupies one sequence number; data starts after it.
      stream = { sent, servicePort, next: isSyn ? (d.tcpSeq + 1) >>> 0 : d.tcpSeq, chunks: [], length: 0, closed: false };
      this.streams.set(key, stream);
    }
    if (stream.closed || d.payloadLength === 0) return;
    if (d.tcpSeq !== stream.next) {
      // Earlier data again is a retransmission; later data leaves a hole the prefix cannot cross,
      // unless nothing is kept yet (the first data segment was not captured): then it starts here.
      const ahead = (d.tcpSeq - stream.next) >>> 0;
      if (ahead >= 0x80000000) return;
      if (stream.length > 0) {
        stream.closed = true;
        return;
      }
      stream.next = d.tcpSeq;
    }
    const take = Math.min(d.payloadLength, STREAM_PREFIX - stream.length);
    stream.chunks.push(buf.slice(d.payloadOffset, d.payloadOffset + take));
    stream.length += take;
    stream.next = (stream.next + d.payloadLength) >>> 0;
    if (stream.length >= STREAM_PREFIX) stream.closed = true;
  }

  /** The prefixes with data, in the order their streams were first seen. */
  prefixes(): StreamPrefix[] {
    const out: StreamPrefix[] = [];
    for (const s of this.streams.values()) {
      if (s.length === 0) continue;
      const bytes = new Uint8Array(s.length);
      let at = 0;
      for (const chunk of s.chunks) {
        bytes.set(chunk, at);
        at += chunk.length;
      }
      out.push({ sent: s.sent, servicePort: s.servicePort, bytes });
    }
    return out;
  }
}
