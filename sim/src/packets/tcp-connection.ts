/**
 * A whole TCP connection as its segments: three-way handshake, application messages each way
 * split at the MSS with delayed acknowledgments, and an orderly close (RFC 9293 §3.5, §3.6).
 */
import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_SYN, tcpSegment } from './tcp.js';

export type TcpSide = 'client' | 'server';

export interface TcpPeer {
  ip: string;
  port: number;
  /** Initial sequence number. */
  isn: number;
  window: number;
  /** Maximum segment size this side advertises in its SYN. */
  mss: number;
}

export interface TcpMessage {
  from: TcpSide;
  payload: Uint8Array;
}

export interface TcpConnectionSegment {
  from: TcpSide;
  /** The TCP header and data, checksummed for the peers' addresses. */
  segment: Uint8Array;
  /** True for the first segment of an application message: where a caller puts think time. */
  startsMessage: boolean;
}

/** RFC 1122 §4.2.3.2: a receiver acknowledges at least every second full-sized segment. */
const SEGMENTS_PER_ACK = 2;

export function tcpConnection(
  client: TcpPeer,
  server: TcpPeer,
  messages: readonly TcpMessage[],
  closedBy: TcpSide = 'client',
): TcpConnectionSegment[] {
  const peers = { client, server };
  const next = { client: (client.isn + 1) >>> 0, server: (server.isn + 1) >>> 0 };
  const out: TcpConnectionSegment[] = [];
  const send = (from: TcpSide, flags: number, payload?: Uint8Array, startsMessage = false, syn = false): void => {
    const me = peers[from];
    const them = peers[other(from)];
    const seq = syn ? me.isn : next[from];
    const ack = flags & TCP_ACK ? next[other(from)] : 0;
    const fields = { src: me.ip, dst: them.ip, srcPort: me.port, dstPort: them.port, seq, ack, flags, window: me.window };
    const segment = tcpSegment(syn ? { ...fields, mss: me.mss } : { ...fields, payload });
    if (!syn) next[from] = (next[from] + (payload?.length ?? 0) + (flags & TCP_FIN ? 1 : 0)) >>> 0;
    out.push({ from, segment, startsMessage });
  };

  // RFC 9293 §3.5 Figure 6: SYN, SYN-ACK, ACK.
  send('client', TCP_SYN, undefined, false, true);
  send('server', TCP_SYN | TCP_ACK, undefined, false, true);
  send('client', TCP_ACK);

  const segmentSize = Math.min(client.mss, server.mss);
  for (const message of messages) {
    const chunks = splitAt(message.payload, segmentSize);
    chunks.forEach((chunk, i) => {
      const last = i === chunks.length - 1;
      send(message.from, TCP_ACK | (last ? TCP_PSH : 0), chunk, i === 0);
      if (last || (i + 1) % SEGMENTS_PER_ACK === 0) send(other(message.from), TCP_ACK);
    });
  }

  // RFC 9293 §3.6: FIN from the closing side, FIN from the other, final ACK.
  send(closedBy, TCP_FIN | TCP_ACK);
  send(other(closedBy), TCP_FIN | TCP_ACK);
  send(closedBy, TCP_ACK);
  return out;
}

function other(side: TcpSide): TcpSide {
  return side === 'client' ? 'server' : 'client';
}

function splitAt(payload: Uint8Array, size: number): Uint8Array[] {
  if (payload.length === 0) return [payload];
  const chunks: Uint8Array[] = [];
  for (let offset = 0; offset < payload.length; offset += size) chunks.push(payload.subarray(offset, offset + size));
  return chunks;
}
