/**
 * Text from octets on the identification path. Each takes a range of the caller's buffer through
 * `subarray`, so a view over a capture ring is decoded in place and in one piece.
 */

/** `buf[start, end)` as UTF-8 text (invalid sequences become U+FFFD). */
export function utf8(buf: Uint8Array, start: number, end: number): string {
  const view = buf.subarray(start, Math.max(start, end));
  return Buffer.from(view.buffer, view.byteOffset, view.length).toString('utf8');
}

/** The index of the first `octet` in `buf[start, end)`, or -1. */
export function indexOfOctet(buf: Uint8Array, octet: number, start: number, end: number): number {
  for (let at = start; at < end; at++) if (buf[at] === octet) return at;
  return -1;
}

/** `buf[start, end)` as latin1: one character per octet. */
export function latin1(buf: Uint8Array, start: number, end: number): string {
  const view = buf.subarray(start, Math.max(start, end));
  return Buffer.from(view.buffer, view.byteOffset, view.length).toString('latin1');
}

/** RFC 9110 §5.6.3 whitespace: SP or HTAB. */
export function isBlank(octet: number | undefined): boolean {
  return octet === 0x20 || octet === 0x09;
}
