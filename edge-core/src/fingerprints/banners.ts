/**
 * The first line a service (or an SSH client) sends: SSH identification strings, FTP and SMTP
 * greetings, Telnet login banners. They name the software and often its version and OS. One
 * banner per sender and port is read per refresh interval; the rest of the session is not looked at.
 */
import { decode as decodeBanner, type Banner } from '../decoders/banner.js';
import { APP_FTP, APP_SMTP, APP_SSH, APP_TELNET, appOfTcpPort } from '../decoders/registry.js';
import type { Dissection } from '../dissect.js';
import type { AppHandler, SenderFacts } from './app-facts.js';
import { SeenFacts } from './seen-facts.js';
import type { StreamMessages } from './stream-messages.js';

const SELF_STATED = 0.9;
const BANNER_READ = 4;

/** RFC 4253 §4.2: `SSH-` starts an identification string, from either side. */
function startsSsh(buf: Uint8Array, at: number, end: number): boolean {
  return end - at >= 4 && buf[at] === 0x53 && buf[at + 1] === 0x53 && buf[at + 2] === 0x48 && buf[at + 3] === 0x2d;
}

/** RFC 959 §4.2 / RFC 5321 §4.2: a greeting is reply 220. */
function startsGreeting(buf: Uint8Array, at: number, end: number): boolean {
  return end - at >= 4 && buf[at] === 0x32 && buf[at + 1] === 0x32 && buf[at + 2] === 0x30;
}

/** Telnet (RFC 854): option negotiation (IAC, 0xFF) or text. */
function startsTelnet(buf: Uint8Array, at: number, end: number): boolean {
  const first = buf[at] ?? 0;
  return end > at && (first === 0xff || (first >= 0x20 && first < 0x7f) || first === 0x0d || first === 0x0a);
}

interface BannerKind {
  attribute: string;
  /** Which side's first line is read: the server's (from its port) or either (SSH). */
  fromServer: boolean;
  starts: (buf: Uint8Array, at: number, end: number) => boolean;
}

const KINDS: Record<number, BannerKind> = {
  [APP_SSH]: { attribute: 'ssh.banner', fromServer: false, starts: startsSsh },
  [APP_FTP]: { attribute: 'ftp.banner', fromServer: true, starts: startsGreeting },
  [APP_SMTP]: { attribute: 'smtp.banner', fromServer: true, starts: startsGreeting },
  [APP_TELNET]: { attribute: 'telnet.banner', fromServer: true, starts: startsTelnet },
};

function report(kind: BannerKind, banner: Banner, facts: SenderFacts): void {
  if (banner.line === '') return;
  facts.found(kind.attribute, banner.line, kind.attribute, `${kind.attribute.split('.')[0] ?? ''} banner: ${banner.line}`, SELF_STATED);
}

/** Whether the segment may start a banner of its application (SSH, FTP, SMTP, Telnet). */
export function startsBanner(buf: Uint8Array, at: number, end: number, d: Dissection): boolean {
  return KINDS[d.app]?.starts(buf, at, end) ?? false;
}

export function bannerHandler(streams: StreamMessages, refreshMs: number): AppHandler {
  const read = new SeenFacts(1 << 14);
  return (buf, d, ts, facts) => {
    const kind = KINDS[d.app];
    // A greeting comes from the service's side: the segment's source port is the service's.
    if (kind === undefined || (kind.fromServer && appOfTcpPort(d.srcPort) !== d.app)) return;
    const hi = Math.floor(d.srcMac / 2 ** 32);
    const lo = d.srcMac >>> 0;
    if (read.fresh(hi, lo, d.srcPort, BANNER_READ, ts, refreshMs)) return;
    streams.read(buf, d, ts, kind.starts, decodeBanner, (banner) => {
      read.mark(hi, lo, d.srcPort, BANNER_READ, ts);
      report(kind, banner, facts);
    });
  };
}
