/**
 * Hex and printability of octet ranges for the discovery decoders (LLDP, CDP, SNMP, DHCPv6,
 * banners), on the identification path: built once per message, never per packet. Ranges are taken
 * with `subarray`, so a view over a capture ring is read in place.
 */

/** `buf[start, end)` as lower-case hex, octets separated by `separator` (none by default). */
export function hexOctets(buf: Uint8Array, start: number, end: number, separator = ''): string {
  const view = buf.subarray(start, Math.max(start, end));
  const plain = Buffer.from(view.buffer, view.byteOffset, view.length).toString('hex');
  return separator === '' ? plain : plain.replace(/(..)(?!$)/g, `$1${separator}`);
}

/** True if every octet of `buf[start, end)` is printable US-ASCII (0x20-0x7e), TAB, CR or LF. */
export function isPrintableAscii(buf: Uint8Array, start: number, end: number): boolean {
  for (const octet of buf.subarray(start, Math.max(start, end))) {
    if ((octet < 0x20 || octet > 0x7e) && octet !== 0x09 && octet !== 0x0a && octet !== 0x0d) return false;
  }
  return true;
}
