import { describe, expect, it } from 'vitest';
import { BANNER_LIMIT, decode, type Banner } from '../../src/decoders/banner.js';
import { NEED_MORE } from '../../src/decoders/need-more.js';
import { decoderContract } from './contract.js';
import { hex, text } from './hex.js';

const SSH_SERVER = hex(text('SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.6'), '0d0a'); // RFC 4253 §4.2, CR LF

const FTP_GREETING = hex(
  text('220-PACS archive FTP'), '0d0a', // RFC 959 §4.2: code, '-': more lines follow
  text('220-Authorised use only'), '0d0a',
  text('220 Ready'), '0d0a', // code, SP: the last line
);

/** Telnet option negotiation (RFC 854), a blank line, the banner, then a prompt without a line end. */
const TELNET_LOGIN = hex(
  'fffd01', // IAC DO ECHO
  'fffb03', // IAC WILL SUPPRESS-GO-AHEAD
  'fffa1801fff0', // IAC SB TERMINAL-TYPE SEND IAC SE (RFC 1091)
  '0d0a', // blank line
  text('Bedside monitor BM-5'), '0d00', // CR NUL: RFC 854's bare carriage return ends the line too
  text('login: '),
);
const TELNET_BANNER_LENGTH = TELNET_LOGIN.length - 'login: '.length;

function bannerOf(bytes: Uint8Array): Banner | typeof NEED_MORE | null {
  return decode(bytes, 0);
}

describe('banner decoder', () => {
  it('splits an SSH identification string (RFC 4253 §4.2)', () => {
    expect(bannerOf(SSH_SERVER)).toEqual({
      kind: 'ssh',
      line: 'SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.6',
      sshProtocol: '2.0',
      sshSoftware: 'OpenSSH_8.9p1',
      sshComments: 'Ubuntu-3ubuntu0.6',
      replyCode: null,
      replyText: null,
      length: SSH_SERVER.length,
    } satisfies Banner);
  });

  it('reads an SSH 1.99 server without comments, ended by LF alone', () => {
    expect(bannerOf(hex(text('SSH-1.99-Cisco-1.25'), '0a', '00000010'))).toMatchObject({
      sshProtocol: '1.99',
      sshSoftware: 'Cisco-1.25',
      sshComments: null,
      length: 20,
    });
  });

  it('reads a multi-line FTP greeting to its last line', () => {
    expect(bannerOf(FTP_GREETING)).toMatchObject({
      kind: 'reply',
      line: '220-PACS archive FTP',
      replyCode: 220,
      replyText: ['PACS archive FTP', 'Authorised use only', 'Ready'],
      length: FTP_GREETING.length,
    });
  });

  it('reads a one-line SMTP greeting and a refusal', () => {
    expect(bannerOf(hex(text('220 mail.icu.example ESMTP Postfix'), '0d0a'))).toMatchObject({ replyCode: 220, replyText: ['mail.icu.example ESMTP Postfix'] });
    expect(bannerOf(hex(text('554'), '0d0a'))).toMatchObject({ replyCode: 554, replyText: [''] });
  });

  it('takes the first printable line after Telnet negotiation and blank lines', () => {
    expect(bannerOf(TELNET_LOGIN)).toMatchObject({ kind: 'text', line: 'Bedside monitor BM-5', length: TELNET_BANNER_LENGTH });
  });

  it('skips a line with control octets (a screen-clearing escape) before the banner', () => {
    expect(bannerOf(hex('1b5b324a0d0a', text('Welcome'), '0d0a'))).toMatchObject({ kind: 'text', line: 'Welcome' });
  });

  it('keeps IAC IAC as a data octet 255', () => {
    expect(bannerOf(hex(text('a'), 'ffff', text('b'), '0d0a'))).toMatchObject({ line: 'a\u00ffb' });
  });

  it('asks for more on every split before the banner is complete', () => {
    for (const [bytes, complete] of [
      [SSH_SERVER, SSH_SERVER.length],
      [FTP_GREETING, FTP_GREETING.length],
      [TELNET_LOGIN, TELNET_BANNER_LENGTH],
    ] as const) {
      const whole = bannerOf(bytes);
      for (let length = 0; length < complete; length++) expect(bannerOf(bytes.subarray(0, length)), `cut to ${length}`).toBe(NEED_MORE);
      for (let length = complete; length <= bytes.length; length++) expect(bannerOf(bytes.subarray(0, length))).toEqual(whole);
    }
  });

  it('gives up after 1 KiB without a printable line', () => {
    expect(decode(new Uint8Array(BANNER_LIMIT), 0)).toBeNull(); // NULs, no line end
    expect(decode(hex(text('x').repeat(BANNER_LIMIT)), 0)).toBeNull();
    expect(decode(hex(text('x').repeat(BANNER_LIMIT - 1)), 0)).toBe(NEED_MORE);
    expect(decode(hex('0102030a'.repeat(BANNER_LIMIT / 4)), 0)).toBeNull(); // lines, none printable
  });

  it('returns the lines of a multi-line reply read within 1 KiB', () => {
    const longReply = hex(text('220-start'), '0d0a', (text('220-more text here') + '0d0a').repeat(60));
    expect(decode(longReply, 0)).toMatchObject({ replyCode: 220, replyText: expect.arrayContaining(['start']) as unknown });
    const banner = decode(longReply, 0);
    expect(banner !== null && banner !== NEED_MORE && banner.length <= BANNER_LIMIT).toBe(true);
  });

  it.each([
    ['an SSH string without software version', hex(text('SSH-2.0'), '0d0a')],
    ['an SSH string with an empty protocol version', hex(text('SSH--x'), '0d0a')],
    ['an SSH string with an empty software version', hex(text('SSH-2.0- comment'), '0d0a')],
  ])('rejects %s', (_name, bytes) => {
    expect(bannerOf(bytes)).toBeNull();
  });

  it('reads only up to `end`', () => {
    expect(decode(SSH_SERVER, 0, SSH_SERVER.length - 1)).toBe(NEED_MORE);
    expect(decode(SSH_SERVER, 4)).toMatchObject({ kind: 'text', line: '2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.6' });
  });
});

let last: Banner | typeof NEED_MORE | null = null;
decoderContract({
  name: 'banner',
  accepts: (buf, offset, end) => {
    last = decode(buf, offset, end);
    return last !== null && last !== NEED_MORE;
  },
  result: () => last,
  cases: [
    { name: 'SSH server', bytes: SSH_SERVER, offset: 0 },
    { name: 'multi-line FTP greeting', bytes: FTP_GREETING, offset: 0 },
    { name: 'Telnet login', bytes: TELNET_LOGIN, offset: 0, declaredLength: TELNET_BANNER_LENGTH },
  ],
});
