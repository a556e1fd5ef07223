/** IPv6 packets (RFC 8200): the fixed header and, optionally, a Hop-by-Hop Options header. */
import { concatBytes, checkRange, u16, u8 } from './bytes.js';
import { ipv6Bytes } from './address.js';

export const NEXT_HEADER_HOP_BY_HOP = 0;
export const NEXT_HEADER_TCP = 6;
export const NEXT_HEADER_UDP = 17;
export const NEXT_HEADER_ICMPV6 = 58;

export interface Ipv6Fields {
  src: string;
  dst: string;
  /** The upper-layer protocol carried (after any extension header). */
  nextHeader: number;
  hopLimit: number;
  payload: Uint8Array;
  /** Adds a Hop-by-Hop Options header carrying a Router Alert (RFC 2711), as MLD reports need. */
  routerAlert?: boolean;
  trafficClass?: number;
  flowLabel?: number;
}

/** RFC 8200 §3: version 6, traffic class (8), flow label (20), payload length, next header, hop limit, addresses. */
export function ipv6Packet(fields: Ipv6Fields): Uint8Array {
  checkRange(fields.hopLimit, 0xff, 'IPv6 hop limit');
  const trafficClass = fields.trafficClass ?? 0;
  const flowLabel = fields.flowLabel ?? 0;
  checkRange(trafficClass, 0xff, 'IPv6 traffic class');
  checkRange(flowLabel, 0xfffff, 'IPv6 flow label');
  const extension = fields.routerAlert ? hopByHopRouterAlert(fields.nextHeader) : new Uint8Array(0);
  const payloadLength = extension.length + fields.payload.length;
  const firstWord = ((6 << 28) | (trafficClass << 20) | flowLabel) >>> 0;
  return concatBytes([
    u16(firstWord >>> 16),
    u16(firstWord & 0xffff),
    u16(payloadLength),
    u8(fields.routerAlert ? NEXT_HEADER_HOP_BY_HOP : fields.nextHeader),
    u8(fields.hopLimit),
    ipv6Bytes(fields.src),
    ipv6Bytes(fields.dst),
    extension,
    fields.payload,
  ]);
}

/**
 * RFC 8200 §4.3: next header, Hdr Ext Len (in 8-octet units, not counting the first 8), options.
 * RFC 2711 §2.1: Router Alert option type 5, length 2, value 0 (MLD). PadN fills to 8 octets.
 */
function hopByHopRouterAlert(nextHeader: number): Uint8Array {
  return Uint8Array.of(nextHeader, 0, 0x05, 0x02, 0x00, 0x00, 0x01, 0x00);
}
