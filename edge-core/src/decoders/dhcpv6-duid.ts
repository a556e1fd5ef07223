/**
 * DHCP Unique Identifiers (RFC 8415 §11; DUID-UUID from RFC 6355): how a DHCPv6 client or server
 * names itself, stable across interfaces and reboots; DUID-LLT and DUID-LL carry a MAC address.
 */
import { u16, u32 } from './bytes.js';
import { hexText } from './octet-text.js';

// §11.1 DUID types.
export const DUID_LLT = 1;
export const DUID_EN = 2;
export const DUID_LL = 3;
export const DUID_UUID = 4;

const UUID_LENGTH = 16; // RFC 6355 §4

export interface Duid {
  /** 1 DUID-LLT, 2 DUID-EN, 3 DUID-LL, 4 DUID-UUID; other values are kept as `hex` only. */
  type: number;
  /** The whole DUID, type included, as lower-case hex. */
  hex: string;
  /** DUID-LLT and DUID-LL: IANA hardware type (1 Ethernet). */
  hardwareType: number | null;
  /** DUID-LLT: seconds since 2000-01-01T00:00:00Z, modulo 2^32 (§11.2). */
  time: number | null;
  /** DUID-LLT and DUID-LL: the link-layer address, colon-separated lower-case hex. */
  linkLayerAddress: string | null;
  /** DUID-EN: the vendor's IANA private enterprise number (§11.3). */
  enterpriseNumber: number | null;
  /** DUID-EN: the vendor-assigned identifier, lower-case hex. */
  identifier: string | null;
  /** DUID-UUID: the 16-octet UUID, lower-case hex. */
  uuid: string | null;
}

/**
 * The DUID in `buf[start, end)`; null if shorter than its type needs. §11.1: at most 128 octets
 * after the type, but longer ones are kept, as receivers must not reject them on length alone.
 */
export function readDuid(buf: Uint8Array, start: number, end: number): Duid | null {
  if (end - start < 2) return null;
  const duid: Duid = {
    type: u16(buf, start), // §11.1: DUID-Type 2 octets
    hex: hexText(buf, start, end),
    hardwareType: null,
    time: null,
    linkLayerAddress: null,
    enterpriseNumber: null,
    identifier: null,
    uuid: null,
  };
  const body = start + 2;
  switch (duid.type) {
    case DUID_LLT: // §11.2: hardware type 2, time 4, link-layer address
      if (end - body < 6) return null;
      duid.hardwareType = u16(buf, body);
      duid.time = u32(buf, body + 2);
      duid.linkLayerAddress = hexText(buf, body + 6, end, ':');
      break;
    case DUID_EN: // §11.3: enterprise number 4, identifier
      if (end - body < 4) return null;
      duid.enterpriseNumber = u32(buf, body);
      duid.identifier = hexText(buf, body + 4, end);
      break;
    case DUID_LL: // §11.4: hardware type 2, link-layer address
      if (end - body < 2) return null;
      duid.hardwareType = u16(buf, body);
      duid.linkLayerAddress = hexText(buf, body + 2, end, ':');
      break;
    case DUID_UUID: // RFC 6355 §4: UUID 16
      if (end - body !== UUID_LENGTH) return null;
      duid.uuid = hexText(buf, body, end);
      break;
  }
  return duid;
}
