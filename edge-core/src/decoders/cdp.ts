/**
 * CDP, the Cisco Discovery Protocol, versions 1 and 2: sent to 01:00:0c:cc:cc:cc in an IEEE 802.3
 * frame (the EtherType field a length, 1500 or less) under LLC/SNAP with Cisco's OUI and PID 0x2000.
 * Read from the frame's L2 payload (the LLC header); `end` is the payload's end by the 802.3
 * length, which excludes padding. Used on the identification path, not per packet: returns a fresh
 * plain object with strings, null on anything malformed, and never throws.
 *
 * CDP has no RFC; its layout is Cisco's: a header of version 1, TTL 1 and checksum 2 octets, then
 * TLVs of type 2 and length 2 octets, the length counting the whole TLV. The checksum is reported,
 * not verified.
 */
import { ipv4ToString, ipv6ToString } from './address-text.js';
import { u16, u32, u8 } from './bytes.js';
import { hexText, latin1 } from './octet-text.js';

/** The destination of CDP advertisements, 01:00:0c:cc:cc:cc, as a 48-bit number. */
export const CDP_MULTICAST = 0x01000ccccccc;

// IEEE 802.2 LLC + SNAP header: DSAP 1, SSAP 1, control 1, OUI 3, PID 2.
const SNAP_HEADER_LENGTH = 8;
const SAP_SNAP = 0xaa;
const CONTROL_UI = 0x03;
const OUI_CISCO = 0x00000c;
const PID_CDP = 0x2000;
const CDP_HEADER_LENGTH = 4;
const TLV_HEADER_LENGTH = 4;

// TLV types.
const DEVICE_ID = 0x0001;
const ADDRESSES = 0x0002;
const PORT_ID = 0x0003;
const CAPABILITIES = 0x0004;
const SOFTWARE_VERSION = 0x0005;
const PLATFORM = 0x0006;
const NATIVE_VLAN = 0x000a;
const DUPLEX = 0x000b;
const MANAGEMENT_ADDRESSES = 0x0016;

// Address entries: protocol type 1 (1 NLPID, 2 IEEE 802.2), protocol length 1, protocol, address length 2, address.
const PROTOCOL_NLPID = 1;
const PROTOCOL_802_2 = 2;
const NLPID_IP = 0xcc; // ISO/IEC TR 9577
const SNAP_IPV6 = [0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00, 0x86, 0xdd]; // LLC/SNAP header of EtherType 0x86dd

export interface CdpAddress {
  /** 'ipv4', 'ipv6', or 'other' (then `address` is the protocol and address octets in hex, colon between). */
  kind: 'ipv4' | 'ipv6' | 'other';
  address: string;
}

export interface Cdp {
  /** 1 or 2. */
  version: number;
  /** Seconds the receiver keeps this advertisement. */
  ttl: number;
  checksum: number;
  deviceId: string | null;
  addresses: CdpAddress[];
  portId: string | null;
  /** Capability bits: 0x01 router, 0x02 transparent bridge, 0x04 source-route bridge, 0x08 switch, 0x10 host, 0x20 IGMP, 0x40 repeater, 0x80 VoIP phone, … */
  capabilities: number | null;
  /** The software version text as sent, lines separated by their line ends. */
  softwareVersion: string | null;
  platform: string | null;
  nativeVlan: number | null;
  /** 0 half, 1 full duplex. */
  duplex: number | null;
  managementAddresses: CdpAddress[];
  /** TLV types in the order sent. */
  tlvTypes: number[];
}

function sameOctets(buf: Uint8Array, start: number, expected: readonly number[]): boolean {
  return expected.every((octet, i) => u8(buf, start + i) === octet);
}

/** An address TLV: count 4, then `count` entries; null if an entry runs past `end`. */
function addressList(buf: Uint8Array, start: number, end: number): CdpAddress[] | null {
  if (end - start < 4) return null;
  const count = u32(buf, start);
  const list: CdpAddress[] = [];
  let at = start + 4;
  // Each entry is at least 4 octets, so the count is bounded by the TLV's length.
  for (let i = 0; i < count; i++) {
    if (at + 2 > end) return null;
    const protocolType = u8(buf, at);
    const protocolLength = u8(buf, at + 1);
    const protocolStart = at + 2;
    const lengthAt = protocolStart + protocolLength;
    if (lengthAt + 2 > end) return null;
    const addressStart = lengthAt + 2;
    const addressEnd = addressStart + u16(buf, lengthAt);
    if (addressEnd > end) return null;
    const addressLength = addressEnd - addressStart;
    if (protocolType === PROTOCOL_NLPID && protocolLength === 1 && u8(buf, protocolStart) === NLPID_IP && addressLength === 4) {
      list.push({ kind: 'ipv4', address: ipv4ToString(u32(buf, addressStart)) });
    } else if (protocolType === PROTOCOL_802_2 && protocolLength === 8 && sameOctets(buf, protocolStart, SNAP_IPV6) && addressLength === 16) {
      list.push({ kind: 'ipv6', address: ipv6ToString(buf, addressStart) });
    } else {
      list.push({ kind: 'other', address: `${hexText(buf, protocolStart, lengthAt)}:${hexText(buf, addressStart, addressEnd)}` });
    }
    at = addressEnd;
  }
  return list;
}

/** Records one TLV's value; false if a value the sensor reads is malformed. */
function readTlv(cdp: Cdp, type: number, buf: Uint8Array, start: number, end: number): boolean {
  switch (type) {
    case DEVICE_ID:
      cdp.deviceId ??= latin1(buf, start, end);
      return true;
    case PORT_ID:
      cdp.portId ??= latin1(buf, start, end);
      return true;
    case SOFTWARE_VERSION:
      cdp.softwareVersion ??= latin1(buf, start, end);
      return true;
    case PLATFORM:
      cdp.platform ??= latin1(buf, start, end);
      return true;
    case CAPABILITIES:
      if (end - start !== 4) return false;
      cdp.capabilities ??= u32(buf, start);
      return true;
    case NATIVE_VLAN:
      if (end - start !== 2) return false;
      cdp.nativeVlan ??= u16(buf, start);
      return true;
    case DUPLEX:
      if (end - start !== 1) return false;
      cdp.duplex ??= u8(buf, start);
      return true;
    case ADDRESSES:
    case MANAGEMENT_ADDRESSES: {
      const list = addressList(buf, start, end);
      if (list === null) return false;
      (type === ADDRESSES ? cdp.addresses : cdp.managementAddresses).push(...list);
      return true;
    }
    default:
      return true;
  }
}

/**
 * Decodes the CDP advertisement whose LLC header starts at `offset`, ending at `end`. Returns null
 * if the LLC/SNAP header is not CDP's, the version is not 1 or 2, a TLV runs past `end` or is
 * shorter than its header, a TLV the sensor reads is malformed, or there is no TLV at all.
 */
export function decode(buf: Uint8Array, offset: number, end = buf.length): Cdp | null {
  const limit = Math.min(end, buf.length);
  const start = offset + SNAP_HEADER_LENGTH;
  if (offset < 0 || start + CDP_HEADER_LENGTH > limit) return null;
  // IEEE 802.2 LLC: DSAP, SSAP, control; SNAP (IEEE 802): OUI 3, PID 2
  if (u8(buf, offset) !== SAP_SNAP || u8(buf, offset + 1) !== SAP_SNAP || u8(buf, offset + 2) !== CONTROL_UI) return null;
  if (((u16(buf, offset + 3) << 8) | u8(buf, offset + 5)) !== OUI_CISCO || u16(buf, offset + 6) !== PID_CDP) return null;
  const version = u8(buf, start);
  if (version !== 1 && version !== 2) return null;
  const cdp: Cdp = {
    version,
    ttl: u8(buf, start + 1),
    checksum: u16(buf, start + 2),
    deviceId: null,
    addresses: [],
    portId: null,
    capabilities: null,
    softwareVersion: null,
    platform: null,
    nativeVlan: null,
    duplex: null,
    managementAddresses: [],
    tlvTypes: [],
  };
  let at = start + CDP_HEADER_LENGTH;
  // Type 2, length 2 (header included, so at least 4): every TLV advances `at`.
  while (at < limit) {
    if (at + TLV_HEADER_LENGTH > limit) return null;
    const type = u16(buf, at);
    const length = u16(buf, at + 2);
    if (length < TLV_HEADER_LENGTH || at + length > limit) return null;
    if (!readTlv(cdp, type, buf, at + TLV_HEADER_LENGTH, at + length)) return null;
    cdp.tlvTypes.push(type);
    at += length;
  }
  return cdp.tlvTypes.length > 0 ? cdp : null;
}
