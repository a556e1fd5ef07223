/** Ethernet II frames, optionally tagged with an IEEE 802.1Q VLAN tag. */
import { concatBytes, checkRange, u16 } from './bytes.js';
import { macBytes } from './address.js';

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;
export const ETHERTYPE_VLAN = 0x8100;
export const ETHERTYPE_IPV6 = 0x86dd;

/** IEEE 802.3 §3.2.8: a frame is at least 64 bytes with its 4-byte FCS, so 60 without it. */
const MIN_FRAME_WITHOUT_FCS = 60;

export interface VlanTag {
  /** 12-bit VLAN identifier, 1..4094 (0 and 4095 are reserved, IEEE 802.1Q §9.6). */
  id: number;
  /** 3-bit priority code point. */
  priority?: number;
}

export interface EthernetFrameFields {
  dst: string;
  src: string;
  etherType: number;
  payload: Uint8Array;
  vlan?: VlanTag;
}

/**
 * IEEE 802.3 §3.1.1 / RFC 894: destination (6), source (6), EtherType (2), payload; short frames are
 * padded with zeros as a switch's mirror port shows them (the FCS is not captured).
 */
export function ethernetFrame(fields: EthernetFrameFields): Uint8Array {
  const parts = [macBytes(fields.dst), macBytes(fields.src)];
  if (fields.vlan) {
    checkRange(fields.vlan.id, 4094, 'VLAN id');
    const priority = fields.vlan.priority ?? 0;
    checkRange(priority, 7, 'VLAN priority');
    // IEEE 802.1Q §9.6: TPID 0x8100, then TCI = PCP (3 bits) | DEI (1 bit, 0) | VID (12 bits).
    parts.push(u16(ETHERTYPE_VLAN), u16((priority << 13) | fields.vlan.id));
  }
  parts.push(u16(fields.etherType), fields.payload);
  const frame = concatBytes(parts);
  if (frame.length >= MIN_FRAME_WITHOUT_FCS) return frame;
  const padded = new Uint8Array(MIN_FRAME_WITHOUT_FCS);
  padded.set(frame);
  return padded;
}
