/**
 * A passive TCP signature from a SYN or SYN-ACK: what the sender's stack chose before any
 * application spoke. Initial TTL (the observed TTL rounded up to the usual starting values), window,
 * MSS, window scale and the option kinds in order (RFC 9293 §3.2, RFC 7323) make the signature
 * `<ttl>:<window>:<mss>:<wscale>:<options>`, e.g. `64:64240:1460:7:MSS,SACK,TS,NOP,WS`; `-` stands for
 * an option not sent. Read once per connection, not per packet.
 */
import { u16, u8 } from '../decoders/bytes.js';
import { TCP_ACK, TCP_MIN_HEADER_LENGTH, TCP_SYN } from '../decoders/tcp.js';

/** Starting TTLs in use (RFC 1700's 64 and stacks' 32, 128, 255); an observed TTL is rounded up to one. */
const INITIAL_TTLS = [32, 64, 128, 255] as const;

// RFC 9293 §3.2 option kinds, RFC 7323 window scale and timestamps, RFC 2018 SACK-permitted.
const EOL = 0;
const NOP = 1;
const MSS = 2;
const WINDOW_SCALE = 3;
const OPTION_NAMES = new Map<number, string>([
  [EOL, 'EOL'],
  [NOP, 'NOP'],
  [MSS, 'MSS'],
  [WINDOW_SCALE, 'WS'],
  [4, 'SACK'], // SACK-permitted, the only SACK option a SYN carries
  [5, 'SACKBLK'],
  [8, 'TS'],
  [30, 'MPTCP'], // RFC 8684
  [34, 'TFO'], // RFC 7413 fast open cookie
]);

export interface TcpSignature {
  /** True for a SYN-ACK (the server's answer), false for a SYN. */
  synAck: boolean;
  /** The observed TTL or hop limit rounded up to 32, 64, 128 or 255. */
  initialTtl: number;
  /** The window field as sent (a SYN's window is never scaled, RFC 7323 §2.2). */
  window: number;
  mss: number | null;
  windowScale: number | null;
  /** Option names in the order sent (EOL ends the list; what follows it is padding); unknown kinds as their number. */
  options: string[];
  /** `<ttl>:<window>:<mss>:<wscale>:<options>`. */
  text: string;
}

/** The usual starting TTL an observed TTL (or hop limit) was sent with. */
export function initialTtl(observed: number): number {
  return INITIAL_TTLS.find((ttl) => observed <= ttl) ?? 255;
}

/**
 * The signature of the SYN or SYN-ACK whose TCP header starts at `offset` (ending by `end`), sent
 * with IP TTL `ttl`. Null if it is not a SYN, the header is cut off, or an option is malformed.
 */
export function tcpSignature(buf: Uint8Array, offset: number, end: number, ttl: number): TcpSignature | null {
  const limit = Math.min(end, buf.length);
  if (offset < 0 || offset + TCP_MIN_HEADER_LENGTH > limit) return null;
  const headerLength = (u8(buf, offset + 12) >> 4) * 4; // RFC 9293 §3.1 Data Offset, 32-bit words
  const flags = u8(buf, offset + 13);
  if ((flags & TCP_SYN) === 0 || headerLength < TCP_MIN_HEADER_LENGTH || offset + headerLength > limit) return null;
  const signature: TcpSignature = {
    synAck: (flags & TCP_ACK) !== 0,
    initialTtl: initialTtl(ttl),
    window: u16(buf, offset + 14),
    mss: null,
    windowScale: null,
    options: [],
    text: '',
  };
  const optionsEnd = offset + headerLength;
  // RFC 9293 §3.2: EOL and NOP are one octet; every other option is kind, length (>= 2), data.
  for (let at = offset + TCP_MIN_HEADER_LENGTH; at < optionsEnd; ) {
    const kind = u8(buf, at);
    signature.options.push(OPTION_NAMES.get(kind) ?? String(kind));
    if (kind === EOL) break;
    if (kind === NOP) {
      at++;
      continue;
    }
    const length = at + 1 < optionsEnd ? u8(buf, at + 1) : 0;
    if (length < 2 || at + length > optionsEnd) return null;
    if (kind === MSS && length === 4) signature.mss ??= u16(buf, at + 2);
    if (kind === WINDOW_SCALE && length === 3) signature.windowScale ??= u8(buf, at + 2);
    at += length;
  }
  signature.text = `${signature.initialTtl}:${signature.window}:${signature.mss ?? '-'}:${signature.windowScale ?? '-'}:${signature.options.join(',')}`;
  return signature;
}
