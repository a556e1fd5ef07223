/**
 * Service banners: the first line a server (or client) sends on a TCP connection. An SSH
 * identification string (RFC 4253 §4.2), an FTP (RFC 959 §4.2) or SMTP (RFC 5321 §4.2) reply such
 * as the 220 greeting, multi-line replies included, or any other first printable line, such as a
 * Telnet login banner once RFC 854 option negotiation is taken out. Used on the identification path:
 * returns a fresh plain object with strings, NEED_MORE until a line end arrives, null when the first
 * 1 KiB holds no printable line (not a banner). Never throws.
 */
import { readLine, type BannerLine } from './banner-lines.js';
import { NEED_MORE, type NeedMore } from './need-more.js';

/** The most of a stream read for a banner; RFC 4253 §4.2 caps an SSH identification at 255. */
export const BANNER_LIMIT = 1024;

const SSH_PREFIX = 'SSH-';
/** RFC 959 §4.2 / RFC 5321 §4.2: three digits, then SP (last line), '-' (more lines follow) or the end. */
const REPLY_LINE = /^([1-5][0-9][0-9])([ -]|$)/;

export type BannerKind = 'ssh' | 'reply' | 'text';

export interface Banner {
  /** ssh: an SSH identification string; reply: an FTP/SMTP reply; text: any other line (Telnet and the like). */
  kind: BannerKind;
  /** The first printable line as sent, line end removed (for a reply, its first line, code included). */
  line: string;
  /** SSH protoversion ("2.0", "1.99"), softwareversion, and comments (null when none were sent). */
  sshProtocol: string | null;
  sshSoftware: string | null;
  sshComments: string | null;
  /** The reply code (220 service ready; 421 or 554 refused). */
  replyCode: number | null;
  /** The reply's text, one entry per line, code and separator removed. */
  replyText: string[] | null;
  /** Octets of the stream the banner took, from `offset` through its last line end. */
  length: number;
}

function banner(kind: BannerKind, line: string, length: number): Banner {
  return { kind, line, sshProtocol: null, sshSoftware: null, sshComments: null, replyCode: null, replyText: null, length };
}

/** RFC 4253 §4.2: SSH-protoversion-softwareversion SP comments; null if a part is missing. */
function sshBanner(line: BannerLine, length: number): Banner | null {
  const rest = line.text.slice(SSH_PREFIX.length);
  const dash = rest.indexOf('-');
  if (dash <= 0) return null;
  const space = rest.indexOf(' ', dash + 1);
  const software = space < 0 ? rest.slice(dash + 1) : rest.slice(dash + 1, space);
  if (software === '') return null;
  const ssh = banner('ssh', line.text, length);
  ssh.sshProtocol = rest.slice(0, dash);
  ssh.sshSoftware = software;
  ssh.sshComments = space < 0 ? null : rest.slice(space + 1);
  return ssh;
}

/**
 * An FTP/SMTP reply starting with `first`: a '-' after the code means more lines follow, up to one
 * that starts with the code and a space (or is the code alone). Past the 1 KiB cap, the lines so
 * far are returned.
 */
function replyBanner(buf: Uint8Array, first: BannerLine, code: string, offset: number, limit: number, capped: boolean): Banner | NeedMore | null {
  const texts = [first.text.slice(4)];
  let next = first.next;
  let last = first.text.length <= 3 || first.text[3] === ' ';
  // Every line consumes at least one octet of the capped range.
  while (!last) {
    const line = readLine(buf, next, limit, capped);
    if (line === NEED_MORE) return NEED_MORE;
    if (line === null) break;
    next = line.next;
    last = line.text === code || line.text.startsWith(`${code} `);
    texts.push(line.text.startsWith(code) && line.text.length > 3 ? line.text.slice(4) : line.text);
  }
  const reply = banner('reply', first.text, next - offset);
  reply.replyCode = Number(code);
  reply.replyText = texts;
  return reply;
}

/**
 * Decodes the banner at the start of a stream, `buf[offset, end)`, reading at most BANNER_LIMIT
 * octets. Blank lines and lines with control octets before the first printable line are skipped.
 */
export function decode(buf: Uint8Array, offset: number, end = buf.length): Banner | NeedMore | null {
  const available = Math.min(end, buf.length);
  if (offset < 0 || offset > available) return null;
  const capped = available - offset >= BANNER_LIMIT;
  const limit = capped ? offset + BANNER_LIMIT : available;
  // Every line consumes at least one octet of the capped range.
  for (let at = offset; ; ) {
    const line = readLine(buf, at, limit, capped);
    if (line === null || line === NEED_MORE) return line;
    at = line.next;
    if (!line.printable || line.text.trim() === '') continue;
    if (line.text.startsWith(SSH_PREFIX)) return sshBanner(line, at - offset);
    const reply = REPLY_LINE.exec(line.text);
    if (reply?.[1] !== undefined) return replyBanner(buf, line, reply[1], offset, limit, capped);
    return banner('text', line.text, at - offset);
  }
}
