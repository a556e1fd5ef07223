/**
 * SSDP, the discovery step of UPnP (UPnP Device Architecture 2.0 §1): HTTP messages over UDP 1900
 * (HTTPU). Devices advertise with NOTIFY, control points search with M-SEARCH and devices answer
 * with `HTTP/1.1 200 OK`; the headers name the device's software (SERVER), identity (USN), type
 * (NT, ST) and description URL (LOCATION). Identification path: a fresh plain object with strings;
 * never throws. A message whose start line is none of the three, whose header block does not end in
 * an empty line within the datagram, or with a header line that is not `name: value` gives null.
 */
import { isBlank, latin1, utf8 } from './octet-text.js';

const CR = 0x0d;
const LF = 0x0a;
const COLON = 0x3a;
/** A bound on header lines read; UDA 2.0 messages carry about ten. */
const MAX_HEADERS = 100;

export type SsdpKind = 'notify' | 'search' | 'response';

export interface Ssdp {
  /** NOTIFY (§1.2 advertisement), M-SEARCH (§1.3.2 search) or a search response (§1.3.3). */
  kind: SsdpKind;
  /** The response's status code (200), else null. */
  statusCode: number | null;
  /** SERVER (§1.2.2, §1.3.3): `OS/version UPnP/2.0 product/version`. */
  server: string | null;
  /** USN (§1.2.2): unique service name, `uuid:device-UUID[::type]`. */
  usn: string | null;
  /** NT (§1.2.2): notification type, the advertised device or service type. */
  nt: string | null;
  /** NTS (§1.2.2): `ssdp:alive`, `ssdp:byebye` or `ssdp:update`. */
  nts: string | null;
  /** ST (§1.3.2, §1.3.3): search target. */
  st: string | null;
  /** LOCATION (§1.2.2): URL of the root device description. */
  location: string | null;
  /** USER-AGENT (§1.3.2): the control point's `OS/version UPnP/2.0 product/version`. */
  userAgent: string | null;
}

/** Header names (lower case, as compared) → the record field they fill. */
const FIELDS = new Map<string, 'server' | 'usn' | 'nt' | 'nts' | 'st' | 'location' | 'userAgent'>([
  ['server', 'server'],
  ['usn', 'usn'],
  ['nt', 'nt'],
  ['nts', 'nts'],
  ['st', 'st'],
  ['location', 'location'],
  ['user-agent', 'userAgent'],
]);

/** The end of the line starting at `at` (its CR or LF), or -1 if no LF comes before `end`. */
function lineEnd(buf: Uint8Array, at: number, end: number): number {
  for (let pos = at; pos < end; pos++) {
    if (buf[pos] === LF) return pos > at && buf[pos - 1] === CR ? pos - 1 : pos;
  }
  return -1;
}

/** Where the next line starts after a line ending at `stop` (past its CR LF or LF). */
function nextLine(buf: Uint8Array, stop: number): number {
  return buf[stop] === CR ? stop + 2 : stop + 1;
}

/** RFC 9112 §3 request line or §4 status line, as SSDP uses them; null for anything else. */
function readStartLine(text: string): Pick<Ssdp, 'kind' | 'statusCode'> | null {
  const parts = text.split(' ');
  const [first, second, third] = parts;
  if (first === 'NOTIFY' || first === 'M-SEARCH') {
    if (parts.length !== 3 || second === '' || !third?.startsWith('HTTP/')) return null;
    return { kind: first === 'NOTIFY' ? 'notify' : 'search', statusCode: null };
  }
  if (first?.startsWith('HTTP/') && second !== undefined && /^\d{3}$/.test(second)) {
    return { kind: 'response', statusCode: Number(second) };
  }
  return null;
}

/**
 * Decodes the SSDP message in `buf[offset, end)` (a UDP payload; `end` is clamped to the buffer).
 * Header names are matched without regard to case; values are trimmed of blanks; a header sent
 * twice keeps its first value; a body after the empty line is not read.
 */
export function decode(buf: Uint8Array, offset: number, end = buf.length): Ssdp | null {
  const limit = Math.min(end, buf.length);
  if (offset < 0 || offset >= limit) return null;
  const startEnd = lineEnd(buf, offset, limit);
  if (startEnd < 0) return null;
  const start = readStartLine(latin1(buf, offset, startEnd));
  if (start === null) return null;
  const ssdp: Ssdp = { ...start, server: null, usn: null, nt: null, nts: null, st: null, location: null, userAgent: null };
  let at = nextLine(buf, startEnd);
  for (let headers = 0; headers <= MAX_HEADERS; headers++) {
    const stop = lineEnd(buf, at, limit);
    if (stop < 0) return null; // the header block is cut short
    if (stop === at) return ssdp; // the empty line that ends the headers
    // RFC 9112 §5.1 field line: name ":" OWS value OWS; a folded line (RFC 9112 §5.2) is skipped
    if (!isBlank(buf[at])) {
      let colon = at;
      while (colon < stop && buf[colon] !== COLON && !isBlank(buf[colon])) colon++;
      if (colon === stop || colon === at || buf[colon] !== COLON) return null; // a field name is a token
      const field = FIELDS.get(latin1(buf, at, colon).toLowerCase());
      if (field !== undefined && ssdp[field] === null) {
        let from = colon + 1;
        let to = stop;
        while (from < to && isBlank(buf[from])) from++;
        while (to > from && isBlank(buf[to - 1])) to--;
        ssdp[field] = utf8(buf, from, to);
      }
    }
    at = nextLine(buf, stop);
  }
  return null; // more header lines than any SSDP message carries
}
