/**
 * Lines of the first bytes a peer sends on a TCP connection, with Telnet option negotiation
 * (RFC 854 IAC commands, RFC 855 subnegotiation) taken out. FTP's control connection is Telnet
 * (RFC 959 §4.1.2); SSH and SMTP streams never start with IAC, so stripping it is harmless there.
 */
import { u8 } from './bytes.js';
import { NEED_MORE, type NeedMore } from './need-more.js';

// RFC 854 Telnet commands.
const IAC = 255;
const SB = 250; // subnegotiation begins, ended by IAC SE
const SE = 240;
const WILL = 251;
const DONT = 254;
const CR = 0x0d;
const LF = 0x0a;
const NUL = 0x00;
const TAB = 0x09;
const DEL = 0x7f;

/** One line: its data octets as latin1 text, line end excluded, and where the next line starts. */
export interface BannerLine {
  text: string;
  /** Offset just after this line's end. */
  next: number;
  /** True if every data octet is printable (no control octet other than TAB, no DEL). */
  printable: boolean;
}

/** The offset after the Telnet command at `at` (an IAC), -1 if it is cut off by `limit`. */
function skipCommand(buf: Uint8Array, at: number, limit: number): number {
  if (at + 2 > limit) return -1;
  const command = u8(buf, at + 1);
  if (command >= WILL && command <= DONT) return at + 3 > limit ? -1 : at + 3; // option negotiation: IAC cmd option
  if (command !== SB) return at + 2; // NOP, DM, BRK, IP, AO, AYT, EC, EL, GA: two octets
  // RFC 855: IAC SB option parameters IAC SE; IAC IAC inside stands for a data 255
  for (let i = at + 2; i + 1 < limit; i++) {
    if (u8(buf, i) !== IAC) continue;
    if (u8(buf, i + 1) === SE) return i + 2;
    i++;
  }
  return -1;
}

/**
 * The line starting at `at`, ending at LF, CR LF or CR NUL (RFC 854's end of line and bare CR).
 * NEED_MORE if `limit` comes first and `final` is false (more of the stream may yet arrive); null
 * if it comes first and `final` is true.
 */
export function readLine(buf: Uint8Array, at: number, limit: number, final: boolean): BannerLine | NeedMore | null {
  const octets: number[] = [];
  let printable = true;
  // Every step consumes at least one octet; the caller's limit bounds the line.
  for (let i = at; i < limit; ) {
    const octet = u8(buf, i);
    if (octet === IAC) {
      if (i + 1 < limit && u8(buf, i + 1) === IAC) {
        octets.push(IAC); // IAC IAC: a data octet 255
        i += 2;
        continue;
      }
      const next = skipCommand(buf, i, limit);
      if (next < 0) break;
      i = next;
      continue;
    }
    if (octet === LF) return { text: Buffer.from(octets).toString('latin1'), next: i + 1, printable };
    if (octet === CR) {
      if (i + 1 >= limit) break;
      const after = u8(buf, i + 1);
      if (after === LF || after === NUL) return { text: Buffer.from(octets).toString('latin1'), next: i + 2, printable };
    }
    if ((octet < 0x20 && octet !== TAB) || octet === DEL) printable = false;
    octets.push(octet);
    i++;
  }
  return final ? null : NEED_MORE;
}
