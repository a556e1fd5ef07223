/** ARP (RFC 826) for Ethernet hardware and IPv4 protocol addresses only. */
import { u16, u32, u48, u8 } from './bytes.js';
import { WEIRD_NONE, WEIRD_TRUNCATED_ARP, WEIRD_UNSUPPORTED_ARP } from './weird.js';

/** RFC 826 packet with hln 6 and pln 4: 8 octets of types and lengths, then 6 + 4 + 6 + 4. */
export const ARP_LENGTH = 28;
const HTYPE_ETHERNET = 1; // ar$hrd, RFC 826 / IANA ARP hardware type 1
const PTYPE_IPV4 = 0x0800; // ar$pro, an EtherType

export interface Arp {
  /** ar$op: 1 request, 2 reply (IANA ARP operation codes). */
  op: number;
  senderMac: number;
  /** IPv4 address as an unsigned 32-bit number. */
  senderIp: number;
  targetMac: number;
  targetIp: number;
  weird: number;
}

export function createArp(): Arp {
  return { op: 0, senderMac: 0, senderIp: 0, targetMac: 0, targetIp: 0, weird: WEIRD_NONE };
}

/** Decodes an Ethernet/IPv4 ARP packet at `offset`, ending by `end`; null (with `out.weird`) otherwise. */
export function decode(buf: Uint8Array, offset: number, out: Arp, end = buf.length): Arp | null {
  if (offset < 0 || offset + ARP_LENGTH > (end < buf.length ? end : buf.length)) {
    out.weird = WEIRD_TRUNCATED_ARP;
    return null;
  }
  // RFC 826: ar$hrd 2, ar$pro 2, ar$hln 1, ar$pln 1, ar$op 2
  if (
    u16(buf, offset) !== HTYPE_ETHERNET ||
    u16(buf, offset + 2) !== PTYPE_IPV4 ||
    u8(buf, offset + 4) !== 6 ||
    u8(buf, offset + 5) !== 4
  ) {
    out.weird = WEIRD_UNSUPPORTED_ARP;
    return null;
  }
  out.op = u16(buf, offset + 6);
  out.senderMac = u48(buf, offset + 8); // ar$sha, hln = 6 octets
  out.senderIp = u32(buf, offset + 14); // ar$spa, pln = 4 octets
  out.targetMac = u48(buf, offset + 18); // ar$tha
  out.targetIp = u32(buf, offset + 24); // ar$tpa
  out.weird = WEIRD_NONE;
  return out;
}
