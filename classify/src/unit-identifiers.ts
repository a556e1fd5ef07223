/**
 * Text taken from a device's packets (host names, URLs, DNS names, banners) becomes a learned
 * fingerprint only after whatever names one unit rather than its model is replaced by a placeholder:
 * the device's own MAC in any spelling (whole, or the last two or three octets many makers put in
 * host names: `ESP_07AEFB`, `dchE143`), any other MAC, IPv4 and IPv6 addresses (reverse-lookup names
 * too), UUIDs, long digit runs and long mixed letter-and-digit runs (serials, tokens). What is left —
 * `DCH-S220`, `udhcp 1.21.1`, `/router/firmware/query.aspx?model=…` — names the model and its software.
 */

/** Text longer than this is cut before scrubbing: a token is evidence, not a payload copy. */
export const MAX_TOKEN_TEXT = 160;

const UUID = /[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}/gi;
const MAC_SEPARATED = /\b[0-9a-f]{2}([:-])(?:[0-9a-f]{2}\1){4}[0-9a-f]{2}\b/gi;
/** Cisco's spelling of a MAC address: three dotted groups of four hex digits. */
const MAC_DOTTED = /\b[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}\b/gi;
/** In-addr.arpa and ip6.arpa reverse names, and dotted quads. */
const IPV4 = /\b(?:\d{1,3}\.){3}\d{1,3}\b/g;
const IP6_NIBBLES = /\b(?:[0-9a-f]\.){8,}(?=ip6\.arpa)/gi;
/** RFC 5952 text: eight groups, or fewer around one `::`. */
const IPV6 = /\b(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}\b|(?:\b[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?::(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*\b)?/gi;
/** Six or more digits: serial numbers, timestamps, account numbers. */
const DIGIT_RUN = /\d{6,}/g;
/** Runs of ten or more letters and digits holding at least two digits: serials, tokens, keys. */
const MIXED_RUN = /[0-9a-z]{10,}/gi;
const TWO_DIGITS = /\d.*\d/;
/** C0 controls and DEL: not text. */
function withoutControls(text: string): string {
  let out = '';
  let inRun = false;
  for (const c of text) {
    const code = c.charCodeAt(0);
    const control = code < 0x20 || code === 0x7f;
    if (!control) out += c;
    else if (!inRun) out += ' ';
    inRun = control;
  }
  return out;
}

/** The spellings of one MAC address (12 lower-case hex digits) to remove from text, longest first. */
export function macSpellings(macHex: string): RegExp | null {
  if (!/^[0-9a-f]{12}$/.test(macHex)) return null;
  const octets = macHex.match(/../g) ?? [];
  const separated = (sep: string, from: number): string => octets.slice(from).join(sep);
  const forms = [
    separated('[:.-]?', 0), // 908d78dd0d60, 90:8d:78:dd:0d:60, 90-8d-…
    `${macHex.slice(0, 4)}\\.${macHex.slice(4, 8)}\\.${macHex.slice(8)}`, // 908d.78dd.0d60
    separated('[:.-]?', 3), // dd0d60, dd:0d:60
    separated('[:.-]?', 4), // 0d60
  ];
  return new RegExp(forms.join('|'), 'gi');
}

/** The device's MAC as 12 lower-case hex digits, from a 48-bit number. */
export function macHex(mac: number): string {
  return mac.toString(16).padStart(12, '0');
}

/**
 * `text` with unit-specific identifiers replaced: `<mac>`, `<ip>`, `<uuid>`, `<n>` (long digit
 * runs) and `<id>` (long mixed runs); control characters become a space and the result is cut to
 * MAX_TOKEN_TEXT characters. `ownMac` is the device's MAC spellings (`macSpellings`), if known.
 */
export function scrub(text: string, ownMac: RegExp | null = null): string {
  let t = text.length > MAX_TOKEN_TEXT * 2 ? text.slice(0, MAX_TOKEN_TEXT * 2) : text;
  t = withoutControls(t);
  t = t.replace(UUID, '<uuid>');
  t = t.replace(MAC_SEPARATED, '<mac>');
  t = t.replace(MAC_DOTTED, '<mac>');
  if (ownMac !== null) t = t.replace(ownMac, '<mac>');
  t = t.replace(IP6_NIBBLES, '<ip>.');
  t = t.replace(IPV4, '<ip>');
  t = t.replace(IPV6, (m) => (/\d/.test(m) ? '<ip>' : m));
  t = t.replace(MIXED_RUN, (m) => (TWO_DIGITS.test(m) ? '<id>' : m));
  t = t.replace(DIGIT_RUN, '<n>');
  return t.length > MAX_TOKEN_TEXT ? t.slice(0, MAX_TOKEN_TEXT) : t;
}
