/**
 * Syslog over UDP 514 (RFC 5426): the RFC 5424 format and the older BSD format RFC 3164 describes,
 * which most embedded devices still send. The sender's host name and application (often the
 * product's daemon names) identify it. Identification path: a fresh plain object with strings; never
 * throws. Without a valid PRI the datagram is not syslog (null); a header in neither format leaves
 * the fields null and the text after the PRI as the message (RFC 3164 §4.3.3 treats such a message
 * the same way).
 */
import { u8 } from './bytes.js';
import { indexOfOctet, utf8 } from './octet-text.js';

const LESS_THAN = 0x3c;
const GREATER_THAN = 0x3e;
/** RFC 5424 §6.2.1: PRIVAL is at most 191 (facility 23 × 8 + severity 7). */
const MAX_PRIORITY = 191;
const NILVALUE = '-';
/** RFC 5424 §6.4: a UTF-8 MSG starts with a byte order mark. */
const BOM = '\ufeff';

export type SyslogFormat = 'rfc5424' | 'rfc3164' | 'unknown';

export interface Syslog {
  format: SyslogFormat;
  /** PRIVAL (RFC 5424 §6.2.1): facility × 8 + severity. */
  priority: number;
  /** 0 kernel, 1 user, 3 daemon, 4 auth, 16–23 local0–local7, … */
  facility: number;
  /** 0 emergency … 7 debug. */
  severity: number;
  /** RFC 5424 VERSION (1); null otherwise. */
  version: number | null;
  /** As sent: RFC 5424 §6.2.3 `2003-10-11T22:14:15.003Z`, RFC 3164 §4.1.2 `Oct 11 22:14:15`. */
  timestamp: string | null;
  hostname: string | null;
  /** RFC 5424 APP-NAME, or the RFC 3164 TAG. */
  appName: string | null;
  /** RFC 5424 PROCID, or the `[pid]` after an RFC 3164 TAG. */
  procId: string | null;
  /** RFC 5424 MSGID. */
  msgId: string | null;
  /** The free-form text (after STRUCTURED-DATA, or after the TAG), trailing line ends and NULs removed. */
  message: string | null;
}

type Header = Pick<Syslog, 'format' | 'version' | 'timestamp' | 'hostname' | 'appName' | 'procId' | 'msgId' | 'message'>;

/** RFC 5424 §6: PRINTUSASCII fields of bounded length, or the NILVALUE. */
const PRINTABLE = /^[!-~]+$/;
const RFC5424_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2})$/;
/** RFC 3164 §4.1.2: `Mmm dd hh:mm:ss`, the day padded with a space. */
const RFC3164_TIMESTAMP = /^(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ 1-3]\d \d{2}:\d{2}:\d{2}$/;
/** RFC 3164 §4.1.3 TAG (alphanumeric, at most 32), an optional `[pid]`, then the CONTENT. */
const RFC3164_TAG = /^([A-Za-z0-9_.\-/]{1,32})(?:\[([^\]]{1,128})\])?:? ?/;

function field(token: string | undefined, maxLength: number): string | null | undefined {
  if (token === undefined || token.length > maxLength || !PRINTABLE.test(token)) return undefined;
  return token === NILVALUE ? null : token;
}

/** The text without trailing CR, LF and NUL (a loop: a regular expression would backtrack on long runs). */
function trimEnd(text: string): string {
  let stop = text.length;
  while (stop > 0 && (text[stop - 1] === '\r' || text[stop - 1] === '\n' || text[stop - 1] === '\0')) stop--;
  return text.slice(0, stop);
}

/** RFC 5424 §6.3: NILVALUE or SD-ELEMENTs (`[id param="value"]…`, `\]` escaped); where MSG starts, or -1. */
function skipStructuredData(text: string, at: number): number {
  if (text[at] === NILVALUE) return at + 1;
  let pos = at;
  while (text[pos] === '[') {
    pos++;
    while (pos < text.length && text[pos] !== ']') pos += text[pos] === '\\' ? 2 : 1;
    if (pos >= text.length) return -1;
    pos++;
  }
  return pos === at ? -1 : pos;
}

/** RFC 5424 §6.2: VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP SD [SP MSG]. */
function read5424(text: string): Header | null {
  const parts = text.split(' ', 6);
  const [version, timestamp, hostname, appName, procId, msgId] = parts;
  if (version === undefined || !/^[1-9]\d{0,2}$/.test(version)) return null;
  if (timestamp === undefined || (timestamp !== NILVALUE && !RFC5424_TIMESTAMP.test(timestamp))) return null;
  const fields = [field(hostname, 255), field(appName, 48), field(procId, 128), field(msgId, 32)];
  if (fields.includes(undefined)) return null;
  const sdStart = parts.reduce((sum, p) => sum + p.length + 1, 0);
  const msgStart = skipStructuredData(text, sdStart);
  if (msgStart < 0 || (msgStart < text.length && text[msgStart] !== ' ')) return null;
  const rest = text.slice(msgStart + 1);
  return {
    format: 'rfc5424',
    version: Number(version),
    timestamp: timestamp === NILVALUE ? null : timestamp,
    hostname: fields[0] ?? null,
    appName: fields[1] ?? null,
    procId: fields[2] ?? null,
    msgId: fields[3] ?? null,
    message: msgStart >= text.length ? null : trimEnd(rest.startsWith(BOM) ? rest.slice(1) : rest),
  };
}

/**
 * RFC 3164 §4.1.2: TIMESTAMP SP HOSTNAME SP, then the MSG (§4.1.3: TAG and CONTENT). Many senders
 * leave out the HOSTNAME: a token ending in `:` or holding `[` is taken as the TAG instead.
 */
function read3164(text: string): Header | null {
  const timestamp = text.slice(0, 15);
  if (!RFC3164_TIMESTAMP.test(timestamp) || text[15] !== ' ') return null;
  let rest = text.slice(16);
  const space = rest.indexOf(' ');
  const first = space < 0 ? rest : rest.slice(0, space);
  let hostname: string | null = null;
  if (first !== '' && !first.endsWith(':') && !first.includes('[') && space >= 0) {
    hostname = first;
    rest = rest.slice(space + 1);
  }
  const tag = RFC3164_TAG.exec(rest);
  return {
    format: 'rfc3164',
    version: null,
    timestamp,
    hostname,
    appName: tag?.[1] ?? null,
    procId: tag?.[2] ?? null,
    msgId: null,
    message: trimEnd(tag === null ? rest : rest.slice(tag[0].length)),
  };
}

/**
 * Decodes the syslog message in `buf[offset, end)` (a UDP payload; `end` is clamped to the buffer).
 * Null unless it starts with a PRI: `<`, 1–3 digits of at most 191, `>` (RFC 5424 §6.2.1).
 */
export function decode(buf: Uint8Array, offset: number, end = buf.length): Syslog | null {
  const limit = Math.min(end, buf.length);
  if (offset < 0 || limit - offset < 3 || u8(buf, offset) !== LESS_THAN) return null;
  const close = indexOfOctet(buf, GREATER_THAN, offset + 1, Math.min(limit, offset + 5));
  if (close < offset + 2) return null;
  let priority = 0;
  for (let at = offset + 1; at < close; at++) {
    const digit = u8(buf, at) - 0x30;
    if (digit < 0 || digit > 9) return null;
    priority = priority * 10 + digit;
  }
  if (priority > MAX_PRIORITY) return null;
  const text = utf8(buf, close + 1, limit);
  const header = read5424(text) ?? read3164(text);
  return {
    priority,
    facility: priority >> 3,
    severity: priority & 7,
    ...(header ?? {
      format: 'unknown',
      version: null,
      timestamp: null,
      hostname: null,
      appName: null,
      procId: null,
      msgId: null,
      message: trimEnd(text),
    }),
  };
}
