/**
 * Ethernet II with up to two VLAN tags: IEEE 802.1Q (TPID 0x8100) and 802.1ad QinQ (service tag
 * 0x88a8, or 0x8100 stacked on 0x8100). A third stacked tag is not unwrapped: its TPID is reported as
 * the EtherType, which no L3 decoder claims.
 */
import { u16, u48 } from './bytes.js';
import { WEIRD_NONE, WEIRD_TRUNCATED_ETHERNET, WEIRD_TRUNCATED_VLAN } from './weird.js';

/** IEEE 802.3 Ethernet II header: destination 6, source 6, EtherType 2. */
export const ETHERNET_HEADER_LENGTH = 14;
/** IEEE 802.1Q tag: TPID 2 (read as the EtherType), TCI 2 (PCP 3 bits, DEI 1, VID 12), EtherType 2. */
const VLAN_TAG_LENGTH = 4;
const TPID_CUSTOMER = 0x8100; // IEEE 802.1Q C-tag
const TPID_SERVICE = 0x88a8; // IEEE 802.1ad S-tag

export interface Ethernet {
  /** Destination MAC address as a 48-bit number. */
  dstMac: number;
  /** Source MAC address as a 48-bit number. */
  srcMac: number;
  /** VLAN id (12 bits) of the first tag, or -1 when untagged. */
  outerVlan: number;
  /** VLAN id of the second (QinQ customer) tag, or -1. */
  innerVlan: number;
  /** EtherType after the tags; values up to 1500 are an IEEE 802.3 length (LLC follows). */
  etherType: number;
  /** Offset of the first octet after the Ethernet header and its tags. */
  payloadOffset: number;
  /** Octets from payloadOffset to the end of the frame (may include padding and FCS). */
  payloadLength: number;
  /** Reason for the last null return, or WEIRD_NONE. */
  weird: number;
}

export function createEthernet(): Ethernet {
  return {
    dstMac: 0,
    srcMac: 0,
    outerVlan: -1,
    innerVlan: -1,
    etherType: 0,
    payloadOffset: 0,
    payloadLength: 0,
    weird: WEIRD_NONE,
  };
}

function isVlanTpid(etherType: number): boolean {
  return etherType === TPID_CUSTOMER || etherType === TPID_SERVICE;
}

/**
 * Decodes the Ethernet header at `offset` into `out`; null (with `out.weird`) if it is cut off.
 * The frame ends at `end` (exclusive); nothing at or beyond it is read.
 */
export function decode(buf: Uint8Array, offset: number, out: Ethernet, end = buf.length): Ethernet | null {
  const limit = end < buf.length ? end : buf.length;
  let at = offset + ETHERNET_HEADER_LENGTH;
  if (offset < 0 || at > limit) {
    out.weird = WEIRD_TRUNCATED_ETHERNET;
    return null;
  }
  out.dstMac = u48(buf, offset); // IEEE 802.3 §3.2.4, 6 octets
  out.srcMac = u48(buf, offset + 6); // §3.2.5, 6 octets
  let etherType = u16(buf, offset + 12); // §3.2.6, 2 octets
  let outerVlan = -1;
  let innerVlan = -1;
  if (isVlanTpid(etherType)) {
    if (at + VLAN_TAG_LENGTH > limit) {
      out.weird = WEIRD_TRUNCATED_VLAN;
      return null;
    }
    outerVlan = u16(buf, at) & 0x0fff; // IEEE 802.1Q §9.6: VID is the low 12 bits of the TCI
    etherType = u16(buf, at + 2);
    at += VLAN_TAG_LENGTH;
    if (isVlanTpid(etherType)) {
      if (at + VLAN_TAG_LENGTH > limit) {
        out.weird = WEIRD_TRUNCATED_VLAN;
        return null;
      }
      innerVlan = u16(buf, at) & 0x0fff;
      etherType = u16(buf, at + 2);
      at += VLAN_TAG_LENGTH;
    }
  }
  out.outerVlan = outerVlan;
  out.innerVlan = innerVlan;
  out.etherType = etherType;
  out.payloadOffset = at;
  out.payloadLength = limit - at;
  out.weird = WEIRD_NONE;
  return out;
}
