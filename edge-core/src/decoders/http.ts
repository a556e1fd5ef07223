/**
 * HTTP/1.x message heads (RFC 9112 §2-5) at the start of a byte stream (a TCP payload, reassembled
 * where a head spans segments): the request line or status line and the header section up to the
 * blank line. Returns `NEED_MORE` while the head is a valid beginning without its blank line, null
 * once it cannot be HTTP/1.x or has not ended within 8 KiB.
 */
import { u8 } from './bytes.js';
import { NEED_MORE, type NeedMore } from './need-more.js';
import { latin1 } from './octet-text.js';

/** The longest head read: start line and header section with their line ends. */
export const MAX_HEAD_LENGTH = 8 * 1024;
/** Longer than any registered method (RFC 9110 §9; IANA HTTP Method Registry). */
const MAX_METHOD_LENGTH = 32;
/** "HTTP/" DIGIT "." DIGIT (RFC 9112 §2.3). */
const VERSION_LENGTH = 8;

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const HTAB = 0x09;
const COLON = 0x3a;

export interface HttpHead {
  /** Octets of the head from `offset`, through the blank line that ends it. */
  length: number;
  kind: 'request' | 'response';
  /** HTTP-version of the start line, e.g. "HTTP/1.1". */
  version: string;
  /** Request: method and request-target (RFC 9112 §3). */
  method: string | null;
  target: string | null;
  /** Response: status-code (RFC 9112 §4). */
  status: number | null;
  /** The first User-Agent, Server and Host field values (RFC 9110 §10.1.5, §10.2.4, §7.2), OWS trimmed. */
  userAgent: string | null;
  server: string | null;
  host: string | null;
  /** The first Content-Length (RFC 9112 §6.2) if it is digits only, else null. */
  contentLength: number | null;
  /** Transfer-Encoding names chunked (RFC 9112 §7.1): the body is in chunks. */
  chunked: boolean;
}

/** RFC 9110 §5.6.2 tchar. */
function isTokenOctet(octet: number): boolean {
  if (octet >= 0x30 && octet <= 0x39) return true; // DIGIT
  const lower = octet | 0x20;
  if (lower >= 0x61 && lower <= 0x7a) return true; // ALPHA
  return "!#$%&'*+-.^_`|~".includes(String.fromCharCode(octet));
}

function isDigit(octet: number): boolean {
  return octet >= 0x30 && octet <= 0x39;
}

/** What a start line may contain: no controls other than HTAB (obs-text allowed). */
function isLineOctet(octet: number): boolean {
  return octet >= SP ? octet !== 0x7f : octet === HTAB;
}

/**
 * Octets matched at `at` against "HTTP/" DIGIT "." DIGIT, up to `stop`: VERSION_LENGTH when it is
 * all there, fewer when the bytes run out first, -1 on a mismatch.
 */
function versionPrefix(buf: Uint8Array, at: number, stop: number): number {
  const pattern = 'HTTP/#.#';
  for (let i = 0; i < VERSION_LENGTH; i++) {
    if (at + i >= stop) return i;
    const octet = u8(buf, at + i);
    const expected = pattern.charCodeAt(i);
    if (expected === 0x23 ? !isDigit(octet) : octet !== expected) return -1;
  }
  return VERSION_LENGTH;
}

type StartLine = Pick<HttpHead, 'kind' | 'version' | 'method' | 'target' | 'status'>;
/** A valid beginning of a start line that the bytes so far do not complete. */
const PARTIAL = 'partial';

/** RFC 9112 §4: status-line = HTTP-version SP status-code SP [ reason-phrase ]. */
function statusLine(buf: Uint8Array, start: number, stop: number, ended: boolean): StartLine | typeof PARTIAL | null {
  const codeAt = start + VERSION_LENGTH + 1;
  for (let at = start + VERSION_LENGTH; at < Math.min(stop, codeAt + 3); at++) {
    if (at === start + VERSION_LENGTH ? u8(buf, at) !== SP : !isDigit(u8(buf, at))) return null;
  }
  // Some servers end the line after the code, without the SP before an empty reason.
  if (stop > codeAt + 3 && u8(buf, codeAt + 3) !== SP) return null;
  for (let at = codeAt + 4; at < stop; at++) if (!isLineOctet(u8(buf, at))) return null;
  if (!ended || stop < codeAt + 3) return ended ? null : PARTIAL;
  const status = Number(latin1(buf, codeAt, codeAt + 3));
  const version = latin1(buf, start, start + VERSION_LENGTH);
  return { kind: 'response', version, method: null, target: null, status };
}

/** RFC 9112 §3: request-line = method SP request-target SP HTTP-version. */
function requestLine(buf: Uint8Array, start: number, stop: number, ended: boolean): StartLine | typeof PARTIAL | null {
  let at = start;
  while (at < stop && isTokenOctet(u8(buf, at))) at++;
  const methodEnd = at;
  if (methodEnd - start > MAX_METHOD_LENGTH) return null;
  if (at === stop) return ended ? null : PARTIAL;
  if (methodEnd === start || u8(buf, at) !== SP) return null;
  at++;
  while (at < stop && u8(buf, at) > SP && u8(buf, at) !== 0x7f) at++; // request-target: no SP or controls
  const targetEnd = at;
  if (at === stop) return ended ? null : PARTIAL;
  if (targetEnd === methodEnd + 1 || u8(buf, at) !== SP) return null;
  const matched = versionPrefix(buf, at + 1, stop);
  if (matched < 0 || (matched === VERSION_LENGTH && at + 1 + VERSION_LENGTH !== stop)) return null;
  if (matched < VERSION_LENGTH || !ended) return ended ? null : PARTIAL;
  return {
    kind: 'request',
    version: latin1(buf, at + 1, stop),
    method: latin1(buf, start, methodEnd),
    target: latin1(buf, methodEnd + 1, targetEnd),
    status: null,
  };
}

/** The start line in `buf[start, stop)` (its line end excluded); `ended` if a line end follows. */
function startLine(buf: Uint8Array, start: number, stop: number, ended: boolean): StartLine | typeof PARTIAL | null {
  const matched = versionPrefix(buf, start, stop);
  if (matched === VERSION_LENGTH) return statusLine(buf, start, stop, ended);
  // "HTTP" is also a valid start of a method token: a short prefix may yet be either.
  if (matched >= 0 && !ended) return PARTIAL;
  return requestLine(buf, start, stop, ended);
}

/** The index of the next LF in `buf[at, stop)`, or -1. */
function nextLineFeed(buf: Uint8Array, at: number, stop: number): number {
  for (let i = at; i < stop; i++) if (u8(buf, i) === LF) return i;
  return -1;
}

/** The end of a line's content: before the CR of a CRLF, else at the bare LF (RFC 9112 §2.2). */
function contentEnd(buf: Uint8Array, start: number, lineFeed: number): number {
  return lineFeed > start && u8(buf, lineFeed - 1) === CR ? lineFeed - 1 : lineFeed;
}

/** Decodes the HTTP/1.x head at the start of the stream `buf[offset, end)`. */
export function decode(buf: Uint8Array, offset: number, end = buf.length): HttpHead | NeedMore | null {
  const limit = Math.min(end, buf.length);
  if (offset < 0 || offset > limit) return null;
  const stop = Math.min(limit, offset + MAX_HEAD_LENGTH);
  const firstFeed = nextLineFeed(buf, offset, stop);
  // Without its LF yet, a line's last octet may be the CR of its CRLF.
  const lineStop = firstFeed >= 0 ? contentEnd(buf, offset, firstFeed) : stop > offset && u8(buf, stop - 1) === CR ? stop - 1 : stop;
  const line = startLine(buf, offset, lineStop, firstFeed >= 0);
  if (line === null) return null;
  if (line === PARTIAL) return stop - offset >= MAX_HEAD_LENGTH ? null : NEED_MORE;
  const head: HttpHead = { length: 0, ...line, userAgent: null, server: null, host: null, contentLength: null, chunked: false };
  const fields = readFields(head, buf, firstFeed + 1, stop);
  if (fields === null) return null;
  if (fields < 0) return stop - offset >= MAX_HEAD_LENGTH ? null : NEED_MORE;
  head.length = fields - offset;
  return head;
}

/**
 * RFC 9112 §5: field lines from `at` to the blank line; returns the offset after the blank line,
 * -1 if the bytes end first, null on a line that is not a field line.
 */
function readFields(head: HttpHead, buf: Uint8Array, at: number, stop: number): number | null {
  let fieldLines = 0;
  let folding: string | null = null; // the field whose value an obs-fold line extends, if recorded
  while (at < stop) {
    const feed = nextLineFeed(buf, at, stop);
    if (feed < 0) return -1;
    const lineEnd = contentEnd(buf, at, feed);
    if (lineEnd === at) return feed + 1; // the blank line
    const first = u8(buf, at);
    if (first === SP || first === HTAB) {
      // RFC 9112 §5.2 obs-fold: the line continues the previous field line's value.
      if (fieldLines === 0) return null;
      if (folding !== null) foldInto(head, folding, trimmed(buf, at, lineEnd));
    } else {
      let colon = at;
      while (colon < lineEnd && isTokenOctet(u8(buf, colon))) colon++;
      if (colon === at || colon === lineEnd || u8(buf, colon) !== COLON) return null;
      const name = latin1(buf, at, colon).toLowerCase();
      folding = readField(head, name, trimmed(buf, colon + 1, lineEnd)) ? name : null;
      fieldLines++;
    }
    at = feed + 1;
  }
  return -1;
}

/** A field value without its leading and trailing OWS (RFC 9110 §5.5). */
function trimmed(buf: Uint8Array, start: number, end: number): string {
  let from = start;
  let to = end;
  while (from < to && (u8(buf, from) === SP || u8(buf, from) === HTAB)) from++;
  while (to > from && (u8(buf, to - 1) === SP || u8(buf, to - 1) === HTAB)) to--;
  return latin1(buf, from, to);
}

/** Records the first occurrence of each field this sensor uses; true if this one was recorded. */
function readField(head: HttpHead, name: string, value: string): boolean {
  switch (name) {
    case 'user-agent':
      if (head.userAgent !== null) return false;
      head.userAgent = value;
      return true;
    case 'server':
      if (head.server !== null) return false;
      head.server = value;
      return true;
    case 'host':
      if (head.host !== null) return false;
      head.host = value;
      return true;
    case 'content-length':
      if (head.contentLength !== null || !/^\d{1,15}$/.test(value)) return false;
      head.contentLength = Number(value);
      return true;
    case 'transfer-encoding':
      if (/(?:^|,)\s*chunked\s*(?:;|,|$)/i.test(value)) head.chunked = true;
      return false;
    default:
      return false;
  }
}

/** RFC 9112 §5.2: a folded line joins the value with one SP. */
function foldInto(head: HttpHead, name: string, more: string): void {
  if (more === '') return;
  if (name === 'user-agent' && head.userAgent !== null) head.userAgent = head.userAgent === '' ? more : `${head.userAgent} ${more}`;
  else if (name === 'server' && head.server !== null) head.server = head.server === '' ? more : `${head.server} ${more}`;
}
