/**
 * Text from octets on the identification path (names, banners, header fields, identifiers): built
 * once per message, never per packet. Each takes a range of the caller's buffer through `subarray`,
 * so a view over a capture ring or a reassembly buffer is read in place and in one piece.
 */

/** The octets `buf[start, end)` as a Buffer over the same memory. */
function octets(buf: Uint8Array, start: number, end: number): Buffer {
  const view = buf.subarray(start, Math.max(start, end));
  return Buffer.from(view.buffer, view.byteOffset, view.length);
}

/** `buf[start, end)` as UTF-8 text (invalid sequences become U+FFFD). */
export function utf8(buf: Uint8Array, start: number, end: number): string {
  return octets(buf, start, end).toString('utf8');
}

/** `buf[start, end)` as latin1: one character per octet, so the octets can be recovered. */
export function latin1(buf: Uint8Array, start: number, end: number): string {
  return octets(buf, start, end).toString('latin1');
}

/** `buf[start, end)` as lower-case hex, octets separated by `separator` (none by default). */
export function hexText(buf: Uint8Array, start: number, end: number, separator = ''): string {
  const plain = octets(buf, start, end).toString('hex');
  return separator === '' ? plain : plain.replace(/(..)(?!$)/g, `$1${separator}`);
}

/** The index of the first `octet` in `buf[start, end)`, or -1. */
export function indexOfOctet(buf: Uint8Array, octet: number, start: number, end: number): number {
  for (let at = start; at < end; at++) if (buf[at] === octet) return at;
  return -1;
}

/** RFC 9110 §5.6.3 whitespace: SP or HTAB. */
export function isBlank(octet: number | undefined): boolean {
  return octet === 0x20 || octet === 0x09;
}

/** True if every octet of `buf[start, end)` is printable US-ASCII (0x20-0x7e), TAB, CR or LF. */
export function isPrintableAscii(buf: Uint8Array, start: number, end: number): boolean {
  for (const octet of buf.subarray(start, Math.max(start, end))) {
    if ((octet < 0x20 || octet > 0x7e) && octet !== 0x09 && octet !== 0x0a && octet !== 0x0d) return false;
  }
  return true;
}
