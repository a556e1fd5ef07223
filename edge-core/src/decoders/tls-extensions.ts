/**
 * The TLS hello extensions this sensor reads (RFC 8446 §4.2 and the RFCs that define each one).
 * Each reader takes the extension_data range and returns null when the contents do not frame, so
 * a hello with one odd extension still yields the rest (the extension list itself must frame).
 */
import { u16, u8 } from './bytes.js';
import { latin1 } from './octet-text.js';

/** IANA TLS ExtensionType values. */
export const EXT_SERVER_NAME = 0; // RFC 6066 §3
export const EXT_SUPPORTED_GROUPS = 10; // RFC 8446 §4.2.7 (RFC 8422 §5.1.1 elliptic_curves)
export const EXT_EC_POINT_FORMATS = 11; // RFC 8422 §5.1.2
export const EXT_SIGNATURE_ALGORITHMS = 13; // RFC 8446 §4.2.3
export const EXT_ALPN = 16; // RFC 7301 §3.1
export const EXT_SUPPORTED_VERSIONS = 43; // RFC 8446 §4.2.1

/** RFC 6066 §3: NameType host_name. */
const HOST_NAME = 0;

/**
 * RFC 8701 §2: GREASE values for cipher suites, extensions, groups, signature algorithms and
 * versions are 0x0A0A, 0x1A1A, … 0xFAFA: both octets equal, low nibble 0xA.
 */
export function isGrease(value: number): boolean {
  return (value & 0x0f0f) === 0x0a0a && value >> 8 === (value & 0xff);
}

/**
 * A vector of 16-bit values behind a `prefix`-octet length (RFC 8446 §3.4) that exactly fills
 * `buf[start, end)`; null if it does not or has an odd length.
 */
export function u16Vector(buf: Uint8Array, start: number, end: number, prefix: 1 | 2): number[] | null {
  if (end - start < prefix) return null;
  const length = prefix === 1 ? u8(buf, start) : u16(buf, start);
  const first = start + prefix;
  if (first + length !== end || length % 2 !== 0) return null;
  const values: number[] = [];
  for (let at = first; at < end; at += 2) values.push(u16(buf, at));
  return values;
}

/** A vector of octets behind a one-octet length that exactly fills `buf[start, end)`, else null. */
export function u8Vector(buf: Uint8Array, start: number, end: number): number[] | null {
  if (end - start < 1 || start + 1 + u8(buf, start) !== end) return null;
  const values: number[] = [];
  for (let at = start + 1; at < end; at++) values.push(u8(buf, at));
  return values;
}

/**
 * RFC 6066 §3 server_name: ServerNameList<1..2^16-1> of { NameType (1), HostName<1..2^16-1> }.
 * The first host_name, or null if there is none or the list does not frame. Empty extension data
 * (a server's acknowledgement) has no name either.
 */
export function serverName(buf: Uint8Array, start: number, end: number): string | null {
  if (end - start < 2 || start + 2 + u16(buf, start) !== end) return null;
  let name: string | null = null;
  for (let at = start + 2; at < end; ) {
    if (end - at < 3) return null;
    const nameEnd = at + 3 + u16(buf, at + 1);
    if (nameEnd > end) return null;
    if (name === null && u8(buf, at) === HOST_NAME) name = latin1(buf, at + 3, nameEnd);
    at = nameEnd;
  }
  return name;
}

/**
 * RFC 7301 §3.1: ProtocolNameList<2..2^16-1> of ProtocolName<1..2^8-1>, each as raw text (latin1,
 * one character per octet). An empty name is kept as ''; null if the list does not frame.
 */
export function alpnProtocols(buf: Uint8Array, start: number, end: number): string[] | null {
  if (end - start < 2 || start + 2 + u16(buf, start) !== end) return null;
  const names: string[] = [];
  for (let at = start + 2; at < end; ) {
    const nameEnd = at + 1 + u8(buf, at);
    if (nameEnd > end) return null;
    names.push(latin1(buf, at + 1, nameEnd));
    at = nameEnd;
  }
  return names;
}
