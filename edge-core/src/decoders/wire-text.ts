/**
 * Text from octets for the stream decoders (TLS names, HTTP header fields). Each takes a range of
 * the caller's buffer through `subarray`, so a view over a capture ring or a reassembly buffer is
 * read in place and in one piece.
 */

/** The octets `buf[start, end)` as a Buffer over the same memory. */
function octets(buf: Uint8Array, start: number, end: number): Buffer {
  const view = buf.subarray(start, Math.max(start, end));
  return Buffer.from(view.buffer, view.byteOffset, view.length);
}

/** `buf[start, end)` as latin1: one character per octet, so the octets can be recovered. */
export function latin1(buf: Uint8Array, start: number, end: number): string {
  return octets(buf, start, end).toString('latin1');
}

/** `buf[start, end)` as lower-case hex, no separators. */
export function hexText(buf: Uint8Array, start: number, end: number): string {
  return octets(buf, start, end).toString('hex');
}
