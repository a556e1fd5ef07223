/** TCP segments (RFC 9293) with options and a correct checksum. */
import { concatBytes, checkRange, u16, u32, u8 } from './bytes.js';
import { internetChecksum } from './checksum.js';
import { IP_PROTOCOL_TCP } from './ipv4.js';
import { pseudoHeader } from './udp.js';

/** RFC 9293 §3.1 control bits. */
export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;

export interface TcpFields {
  /** Source and destination IP addresses, for the pseudo-header. */
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  window: number;
  payload?: Uint8Array;
  /** Maximum segment size option (RFC 9293 §3.7.1), sent on SYN segments. */
  mss?: number;
}

/**
 * RFC 9293 §3.1: ports, sequence number, acknowledgment number, data offset / control bits, window,
 * checksum (over the pseudo-header, header and data), urgent pointer, options padded to 32 bits.
 */
export function tcpSegment(fields: TcpFields): Uint8Array {
  checkRange(fields.srcPort, 0xffff, 'TCP source port');
  checkRange(fields.dstPort, 0xffff, 'TCP destination port');
  checkRange(fields.window, 0xffff, 'TCP window');
  const payload = fields.payload ?? new Uint8Array(0);
  const options = fields.mss === undefined ? new Uint8Array(0) : mssOption(fields.mss);
  const headerLength = 20 + options.length;
  const segment = concatBytes([
    u16(fields.srcPort),
    u16(fields.dstPort),
    u32(fields.seq >>> 0),
    u32(fields.ack >>> 0),
    u8((headerLength / 4) << 4), // data offset in 32-bit words; reserved bits 0
    u8(fields.flags),
    u16(fields.window),
    u16(0), // checksum, filled below
    u16(0), // urgent pointer
    options,
    payload,
  ]);
  const checksum = internetChecksum([pseudoHeader(fields.src, fields.dst, segment.length, IP_PROTOCOL_TCP), segment]);
  segment[16] = checksum >>> 8;
  segment[17] = checksum & 0xff;
  return segment;
}

/** RFC 9293 §3.2: kind 2, length 4, 16-bit maximum segment size. */
function mssOption(mss: number): Uint8Array {
  return concatBytes([u8(2), u8(4), u16(mss)]);
}
