/**
 * LLDP (IEEE 802.1AB-2016 §8): the LLDPDU carried in an Ethernet frame of EtherType 0x88cc, read from
 * the frame's L2 payload. Used on the identification path, not per packet: returns a fresh plain
 * object with strings, null on anything malformed, and never throws.
 *
 * The first three TLVs must be Chassis ID, Port ID and Time To Live (§8.2). The End Of LLDPDU TLV
 * is optional since the 2016 edition (§8.4): the TLVs are read until it or until `end`, and a TLV
 * that runs past `end` makes the LLDPDU malformed. A TLV that appears twice keeps its first value.
 */
import { ipv4ToString, ipv6ToString, macToString } from './address-text.js';
import { u16, u32, u48, u8 } from './bytes.js';
import { hexText, latin1 } from './octet-text.js';

export const ETHERTYPE_LLDP = 0x88cc;

// §8.4 Table 8-1: TLV type values.
const END_OF_LLDPDU = 0;
const CHASSIS_ID = 1;
const PORT_ID = 2;
const TIME_TO_LIVE = 3;
const PORT_DESCRIPTION = 4;
const SYSTEM_NAME = 5;
const SYSTEM_DESCRIPTION = 6;
const SYSTEM_CAPABILITIES = 7;
const MANAGEMENT_ADDRESS = 8;
const ORGANIZATIONALLY_SPECIFIC = 127;

/** How an ID's octets read: a MAC address, a network address (IANA family octet first), opaque octets, or text. */
type IdForm = 'mac' | 'network' | 'opaque';
/** §8.5.2.2 chassis ID subtypes that are not text. */
const CHASSIS_ID_FORMS = new Map<number, IdForm>([
  [4, 'mac'],
  [5, 'network'],
]);
/** §8.5.3.2 port ID subtypes that are not text; 6 is an RFC 3046 agent circuit ID. */
const PORT_ID_FORMS = new Map<number, IdForm>([
  [3, 'mac'],
  [4, 'network'],
  [6, 'opaque'],
]);

// IANA Address Family Numbers, as used by §8.5.2.3, §8.5.3.3 and §8.5.9.3.
export const AFN_IPV4 = 1;
export const AFN_IPV6 = 2;
export const AFN_802 = 6;

/** §8.5.9: one management address. */
export interface LldpManagementAddress {
  /** Management address subtype: an IANA address family number (1 IPv4, 2 IPv6, 6 IEEE 802). */
  family: number;
  /** Dotted IPv4, RFC 5952 IPv6, a colon-separated MAC, or lower-case hex for other families. */
  address: string;
  /** §8.5.9.5 interface numbering subtype: 1 unknown, 2 ifIndex, 3 system port number. */
  interfaceSubtype: number;
  /** §8.5.9.6 interface number. */
  interfaceNumber: number;
}

/** §8.6: an organizationally specific TLV, its information string kept as a byte range. */
export interface LldpOrganizationTlv {
  /** Organizationally unique identifier, 24 bits (0x0080c2 IEEE 802.1, 0x00120f IEEE 802.3, 0x0012bb TIA). */
  oui: number;
  subtype: number;
  /** Offset in the buffer and length of the information string after OUI and subtype. */
  offset: number;
  length: number;
}

export interface Lldp {
  /** §8.5.2.2: 1 chassis component, 2 interface alias, 3 port component, 4 MAC address, 5 network address, 6 interface name, 7 locally assigned. */
  chassisIdSubtype: number;
  /** The chassis ID as text (see `idText`). */
  chassisId: string;
  /** §8.5.3.2: 1 interface alias, 2 port component, 3 MAC address, 4 network address, 5 interface name, 6 agent circuit ID, 7 locally assigned. */
  portIdSubtype: number;
  portId: string;
  /** §8.5.4 time to live, seconds (0: forget this agent). */
  ttl: number;
  portDescription: string | null;
  systemName: string | null;
  systemDescription: string | null;
  /** §8.5.8 system capabilities and enabled capabilities, bit maps (bit 0 other, 1 repeater, 2 bridge, 3 WLAN AP, 4 router, 5 telephone, 6 DOCSIS, 7 station only, …). */
  capabilities: number | null;
  enabledCapabilities: number | null;
  managementAddresses: LldpManagementAddress[];
  organizationTlvs: LldpOrganizationTlv[];
  /** TLV types in the order sent, End Of LLDPDU excluded. */
  tlvTypes: number[];
  /** True when an End Of LLDPDU TLV closed the TLVs (§8.5.1); false when they ran to `end`. */
  ended: boolean;
}

/** A network address (IANA family octet, then the address) or other address as text. */
function addressText(buf: Uint8Array, family: number, start: number, end: number): string {
  const length = end - start;
  if (family === AFN_IPV4 && length === 4) return ipv4ToString(u32(buf, start));
  if (family === AFN_IPV6 && length === 16) return ipv6ToString(buf, start);
  if (family === AFN_802 && length === 6) return macToString(u48(buf, start));
  return hexText(buf, start, end);
}

/** A chassis or port ID (after its subtype octet) as text; a MAC or network address of the wrong length as hex. */
function idText(buf: Uint8Array, form: IdForm | undefined, start: number, end: number): string {
  if (form === undefined) return latin1(buf, start, end);
  if (form === 'mac' && end - start === 6) return macToString(u48(buf, start));
  if (form === 'network' && end - start >= 2) return addressText(buf, u8(buf, start), start + 1, end);
  return hexText(buf, start, end);
}

/** §8.5.9: address string length 1, subtype 1, address, interface subtype 1, number 4, OID length 1, OID. */
function managementAddress(buf: Uint8Array, start: number, end: number): LldpManagementAddress | null {
  if (end - start < 1) return null;
  const stringLength = u8(buf, start); // §8.5.9.2: subtype + address, 2..32
  if (stringLength < 2 || stringLength > 32) return null;
  const addressEnd = start + 1 + stringLength;
  if (addressEnd + 6 > end) return null;
  const oidLength = u8(buf, addressEnd + 5); // §8.5.9.7: 0..128
  if (oidLength > 128 || addressEnd + 6 + oidLength > end) return null;
  const family = u8(buf, start + 1); // §8.5.9.3
  return {
    family,
    address: addressText(buf, family, start + 2, addressEnd), // §8.5.9.4
    interfaceSubtype: u8(buf, addressEnd), // §8.5.9.5
    interfaceNumber: u32(buf, addressEnd + 1), // §8.5.9.6
  };
}

function readMandatory(lldp: Lldp, index: number, type: number, buf: Uint8Array, start: number, end: number): boolean {
  const length = end - start;
  if (index === 0) {
    // §8.5.2: chassis ID subtype 1, chassis ID 1..255
    if (type !== CHASSIS_ID || length < 2) return false;
    const subtype = u8(buf, start);
    lldp.chassisIdSubtype = subtype;
    lldp.chassisId = idText(buf, CHASSIS_ID_FORMS.get(subtype), start + 1, end);
    return true;
  }
  if (index === 1) {
    // §8.5.3: port ID subtype 1, port ID 1..255
    if (type !== PORT_ID || length < 2) return false;
    const subtype = u8(buf, start);
    lldp.portIdSubtype = subtype;
    lldp.portId = idText(buf, PORT_ID_FORMS.get(subtype), start + 1, end);
    return true;
  }
  // §8.5.4: time to live 2 octets
  if (type !== TIME_TO_LIVE || length < 2) return false;
  lldp.ttl = u16(buf, start);
  return true;
}

/** Records one optional TLV; false if its value is malformed. */
function readOptional(lldp: Lldp, type: number, buf: Uint8Array, start: number, end: number): boolean {
  switch (type) {
    case CHASSIS_ID:
    case PORT_ID:
    case TIME_TO_LIVE:
      return false; // §8.2: each only once, in the first three places
    case PORT_DESCRIPTION: // §8.5.5, 0..255 octets
      lldp.portDescription ??= latin1(buf, start, end);
      return true;
    case SYSTEM_NAME: // §8.5.6
      lldp.systemName ??= latin1(buf, start, end);
      return true;
    case SYSTEM_DESCRIPTION: // §8.5.7
      lldp.systemDescription ??= latin1(buf, start, end);
      return true;
    case SYSTEM_CAPABILITIES: // §8.5.8: system capabilities 2, enabled capabilities 2
      if (end - start !== 4) return false;
      lldp.capabilities ??= u16(buf, start);
      lldp.enabledCapabilities ??= u16(buf, start + 2);
      return true;
    case MANAGEMENT_ADDRESS: {
      const address = managementAddress(buf, start, end);
      if (address === null) return false;
      lldp.managementAddresses.push(address);
      return true;
    }
    case ORGANIZATIONALLY_SPECIFIC: // §8.6: OUI 3, subtype 1, information string 0..507
      if (end - start < 4) return false;
      lldp.organizationTlvs.push({ oui: (u16(buf, start) << 8) | u8(buf, start + 2), subtype: u8(buf, start + 3), offset: start + 4, length: end - start - 4 });
      return true;
    default:
      return true; // reserved types 9..126: skipped by length
  }
}

function emptyLldp(): Lldp {
  return {
    chassisIdSubtype: 0,
    chassisId: '',
    portIdSubtype: 0,
    portId: '',
    ttl: 0,
    portDescription: null,
    systemName: null,
    systemDescription: null,
    capabilities: null,
    enabledCapabilities: null,
    managementAddresses: [],
    organizationTlvs: [],
    tlvTypes: [],
    ended: false,
  };
}

/**
 * Decodes the LLDPDU in `buf[offset, end)` (the payload of an EtherType 0x88cc frame). Returns null
 * if a TLV runs past `end`, the mandatory TLVs are missing or out of order, or a TLV the sensor
 * reads has a malformed value.
 */
export function decode(buf: Uint8Array, offset: number, end = buf.length): Lldp | null {
  const limit = Math.min(end, buf.length);
  if (offset < 0 || offset >= limit) return null;
  const lldp = emptyLldp();
  let at = offset;
  let index = 0;
  // §8.4: each TLV is type 7 bits, length 9 bits, then `length` octets; every TLV advances `at`.
  while (at < limit) {
    if (at + 2 > limit) return null;
    const header = u16(buf, at);
    const type = header >> 9;
    const valueStart = at + 2;
    const valueEnd = valueStart + (header & 0x1ff);
    if (valueEnd > limit) return null;
    if (type === END_OF_LLDPDU) {
      lldp.ended = true;
      break;
    }
    const valid = index < 3 ? readMandatory(lldp, index, type, buf, valueStart, valueEnd) : readOptional(lldp, type, buf, valueStart, valueEnd);
    if (!valid) return null;
    lldp.tlvTypes.push(type);
    index++;
    at = valueEnd;
  }
  return index >= 3 ? lldp : null;
}
