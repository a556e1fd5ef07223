/** ICMPv6 messages of IPv6 neighbour discovery (RFC 4861) and MLDv2 reports (RFC 3810). */
import { concatBytes, u16, u32, u8 } from './bytes.js';
import { ipv6Bytes, macBytes } from './address.js';
import { internetChecksum } from './checksum.js';
import { NEXT_HEADER_ICMPV6 } from './ipv6.js';
import { pseudoHeader } from './udp.js';

/** RFC 3810 §5.2.14: reports go to all MLDv2-capable routers. */
export const MLDV2_ROUTERS = 'ff02::16';
export const ALL_ROUTERS = 'ff02::2';
export const ALL_NODES = 'ff02::1';

const ROUTER_SOLICITATION = 133;
const ROUTER_ADVERTISEMENT = 134;
const NEIGHBOR_SOLICITATION = 135;
const MLDV2_REPORT = 143;

/** RFC 3810 §5.2.12: CHANGE_TO_EXCLUDE_MODE with no sources, i.e. "join this group". */
const CHANGE_TO_EXCLUDE_MODE = 4;

/** RFC 4443 §2.1 / §2.3: type, code, checksum over the IPv6 pseudo-header and the message. */
function icmpv6Message(src: string, dst: string, type: number, body: Uint8Array): Uint8Array {
  const message = concatBytes([u8(type), u8(0), u16(0), body]);
  const checksum = internetChecksum([pseudoHeader(src, dst, message.length, NEXT_HEADER_ICMPV6), message]);
  message[2] = checksum >>> 8;
  message[3] = checksum & 0xff;
  return message;
}

/** RFC 4861 §4.6.1: source link-layer address option, type 1, length 1 (in units of 8 octets). */
function sourceLinkLayer(mac: string): Uint8Array {
  return concatBytes([u8(1), u8(1), macBytes(mac)]);
}

/** RFC 4861 §4.1: Router Solicitation to all-routers, with the source link-layer address. */
export function routerSolicitation(src: string, dst: string, mac: string): Uint8Array {
  return icmpv6Message(src, dst, ROUTER_SOLICITATION, concatBytes([u32(0), sourceLinkLayer(mac)]));
}

export interface RouterAdvertisementFields {
  src: string;
  dst: string;
  mac: string;
  /** The on-link /64 prefix announced for stateless autoconfiguration. */
  prefix: string;
  mtu: number;
}

/**
 * RFC 4861 §4.2: cur hop limit, M/O flags, router lifetime, reachable time, retrans timer; options:
 * source link-layer address, MTU (§4.6.4) and prefix information (§4.6.2, on-link and autonomous).
 */
export function routerAdvertisement(fields: RouterAdvertisementFields): Uint8Array {
  const prefixInformation = concatBytes([u8(3), u8(4), u8(64), u8(0xc0), u32(2592000), u32(604800), u32(0), ipv6Bytes(fields.prefix)]);
  const mtuOption = concatBytes([u8(5), u8(1), u16(0), u32(fields.mtu)]);
  const body = concatBytes([u8(64), u8(0), u16(1800), u32(0), u32(0), sourceLinkLayer(fields.mac), mtuOption, prefixInformation]);
  return icmpv6Message(fields.src, fields.dst, ROUTER_ADVERTISEMENT, body);
}

/**
 * RFC 4861 §4.3: Neighbor Solicitation for a target; from the unspecified address (duplicate address
 * detection, RFC 4862 §5.4.2) it carries no source link-layer option.
 */
export function neighborSolicitation(src: string, dst: string, target: string, mac?: string): Uint8Array {
  const options = src === '::' || mac === undefined ? new Uint8Array(0) : sourceLinkLayer(mac);
  return icmpv6Message(src, dst, NEIGHBOR_SOLICITATION, concatBytes([u32(0), ipv6Bytes(target), options]));
}

/** RFC 3810 §5.2: MLDv2 report to ff02::16 joining each group (one multicast address record each). */
export function mldv2Report(src: string, groups: readonly string[]): Uint8Array {
  const records = groups.map((group) => concatBytes([u8(CHANGE_TO_EXCLUDE_MODE), u8(0), u16(0), ipv6Bytes(group)]));
  return icmpv6Message(src, MLDV2_ROUTERS, MLDV2_REPORT, concatBytes([u16(0), u16(groups.length), ...records]));
}
