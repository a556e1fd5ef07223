/**
 * tshark 4.0's text forms for the discovery fields, so our values can be compared as tshark prints
 * them with `-T fields` (default `-E escape=y`).
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** RFC 8415 §11.2: DUID-LLT time counts seconds from 2000-01-01T00:00:00Z. */
const DUID_EPOCH_SECONDS = 946_684_800;

/**
 * An ASCII-decoded string field as printed: cut at the first NUL (a C string), each octet above
 * 0x7f replaced by U+FFFD (ENC_ASCII), then TAB, LF, CR and FF escaped by the field printer.
 */
export function tsharkString(latin1: string): string {
  const nul = latin1.indexOf('\0');
  return (nul < 0 ? latin1 : latin1.slice(0, nul))
    .replace(/[\u0080-\u00ff]/g, '\ufffd')
    .replace(/[\t\n\r\f]/g, (c) => ({ '\t': '\\t', '\n': '\\n', '\r': '\\r', '\f': '\\f' })[c] ?? c);
}

/** A string the dissector adds one line at a time (tvb_find_line_end: CR LF, LF or CR ends a line). */
export function tsharkLines(latin1: string): string[] {
  const lines = latin1.split(/\r\n|\r|\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines.map(tsharkString);
}

/** Octets (as latin1 text) in tshark's FT_BYTES form: lower-case hex, no separators. */
export function tsharkBytes(latin1: string): string {
  return Buffer.from(latin1, 'latin1').toString('hex');
}

/** An FT_ABSOLUTE_TIME shown in UTC: `Mar 25, 2022 13:35:15.000000000 UTC`. */
export function tsharkUtc(epochSeconds: number): string {
  const t = new Date(epochSeconds * 1000);
  const two = (n: number): string => String(n).padStart(2, '0');
  const day = String(t.getUTCDate()).padStart(2, ' ');
  return `${MONTHS[t.getUTCMonth()] ?? '?'} ${day}, ${t.getUTCFullYear()} ${two(t.getUTCHours())}:${two(t.getUTCMinutes())}:${two(t.getUTCSeconds())}.000000000 UTC`;
}

/** A DUID-LLT time (RFC 8415 §11.2) as tshark shows it. */
export function duidTime(seconds: number): string {
  return tsharkUtc(DUID_EPOCH_SECONDS + seconds);
}

/** Adds `values` under `field` unless there are none. */
export function put(row: Record<string, string[]>, field: string, values: readonly string[]): void {
  if (values.length > 0) row[field] = [...(row[field] ?? []), ...values];
}
