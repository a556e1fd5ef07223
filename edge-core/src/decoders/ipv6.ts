/**
 * IPv6 (RFC 8200) with its extension-header chain: hop-by-hop options (0), routing (43), fragment (44)
 * and destination options (60) are walked, with bounds, to the upper-layer protocol. Other next-header
 * values (AH 51, ESP 50, mobility 135, …) end the walk and are reported as the upper layer.
 */
import { u16, u8 } from './bytes.js';
import {
  WEIRD_BAD_IPV6_EXT,
  WEIRD_BAD_IPV6_HEADER,
  WEIRD_NONE,
  WEIRD_TRUNCATED_IPV6,
  WEIRD_TRUNCATED_IPV6_EXT,
  WEIRD_TRUNCATED_IPV6_PAYLOAD,
} from './weird.js';

/** RFC 8200 §3: the fixed header is 40 octets. */
export const IPV6_HEADER_LENGTH = 40;
const HOP_BY_HOP = 0;
const ROUTING = 43;
const FRAGMENT = 44;
const DESTINATION_OPTIONS = 60;
/** RFC 8200 §4.5: the fragment header is 8 octets. */
const FRAGMENT_HEADER_LENGTH = 8;

export interface Ipv6 {
  trafficClass: number;
  flowLabel: number;
  hopLimit: number;
  /** Offset of the 16-octet source address in the buffer. */
  srcOffset: number;
  /** Offset of the 16-octet destination address. */
  dstOffset: number;
  /** Upper-layer protocol after the extension headers (6 TCP, 17 UDP, 58 ICMPv6, 59 none, …). */
  nextHeader: number;
  /** Octets of extension headers walked. */
  extensionsLength: number;
  /** Fragment offset in octets from a fragment header, else 0. */
  fragmentOffset: number;
  /** M flag of a fragment header. */
  moreFragments: boolean;
  /** True for a fragment other than an atomic one (RFC 6946); only offset 0 carries the L4 header. */
  isFragment: boolean;
  /** Offset of the upper-layer header. */
  payloadOffset: number;
  /** Octets from payloadOffset to the end of the payload length. */
  payloadLength: number;
  weird: number;
}

export function createIpv6(): Ipv6 {
  return {
    trafficClass: 0,
    flowLabel: 0,
    hopLimit: 0,
    srcOffset: 0,
    dstOffset: 0,
    nextHeader: 0,
    extensionsLength: 0,
    fragmentOffset: 0,
    moreFragments: false,
    isFragment: false,
    payloadOffset: 0,
    payloadLength: 0,
    weird: WEIRD_NONE,
  };
}

function reject(out: Ipv6, weird: number): null {
  out.weird = weird;
  return null;
}

/**
 * Decodes the IPv6 header and extension headers at `offset`; null (with `out.weird`) if malformed.
 * The frame ends at `end` (exclusive): a payload length reaching past it is a truncation.
 */
export function decode(buf: Uint8Array, offset: number, out: Ipv6, end = buf.length): Ipv6 | null {
  const limit = end < buf.length ? end : buf.length;
  if (offset < 0 || limit - offset < IPV6_HEADER_LENGTH) return reject(out, WEIRD_TRUNCATED_IPV6);
  const word0 = u16(buf, offset); // Version 4 bits, Traffic Class 8, Flow Label 20
  if (word0 >> 12 !== 6) return reject(out, WEIRD_BAD_IPV6_HEADER);
  const start = offset + IPV6_HEADER_LENGTH;
  const payloadEnd = start + u16(buf, offset + 4); // Payload Length 16 bits: everything after the fixed header
  if (payloadEnd > limit) return reject(out, WEIRD_TRUNCATED_IPV6_PAYLOAD);
  let nextHeader = u8(buf, offset + 6);
  let at = start;
  let fragmentOffset = 0;
  let moreFragments = false;
  let walking = true;
  while (walking) {
    switch (nextHeader) {
      case HOP_BY_HOP:
      case ROUTING:
      case DESTINATION_OPTIONS: {
        // §4.1: hop-by-hop options may only follow the fixed header.
        if (nextHeader === HOP_BY_HOP && at !== start) return reject(out, WEIRD_BAD_IPV6_EXT);
        // §4.3/§4.4/§4.6: Next Header 1 octet, Hdr Ext Len 1 octet in 8-octet units not counting the first 8.
        if (at + 2 > payloadEnd) return reject(out, WEIRD_TRUNCATED_IPV6_EXT);
        const length = (u8(buf, at + 1) + 1) * 8;
        if (at + length > payloadEnd) return reject(out, WEIRD_TRUNCATED_IPV6_EXT);
        nextHeader = u8(buf, at);
        at += length;
        break;
      }
      case FRAGMENT: {
        // §4.5: Next Header 1, Reserved 1, Fragment Offset 13 bits (8-octet units), Res 2, M 1, Identification 4.
        if (at + FRAGMENT_HEADER_LENGTH > payloadEnd) return reject(out, WEIRD_TRUNCATED_IPV6_EXT);
        nextHeader = u8(buf, at);
        const offsetFlags = u16(buf, at + 2);
        fragmentOffset = offsetFlags & 0xfff8; // (field >> 3) × 8 octets
        moreFragments = (offsetFlags & 1) !== 0;
        at += FRAGMENT_HEADER_LENGTH;
        // A later fragment continues the first one's data: nothing after this header is a header.
        if (fragmentOffset !== 0) walking = false;
        break;
      }
      default:
        walking = false;
    }
  }
  out.trafficClass = (word0 >> 4) & 0xff;
  out.flowLabel = ((word0 & 0x0f) << 16) | u16(buf, offset + 2);
  out.hopLimit = u8(buf, offset + 7);
  out.srcOffset = offset + 8;
  out.dstOffset = offset + 24;
  out.nextHeader = nextHeader;
  out.extensionsLength = at - start;
  out.fragmentOffset = fragmentOffset;
  out.moreFragments = moreFragments;
  out.isFragment = moreFragments || fragmentOffset !== 0;
  out.payloadOffset = at;
  out.payloadLength = payloadEnd - at;
  out.weird = WEIRD_NONE;
  return out;
}
