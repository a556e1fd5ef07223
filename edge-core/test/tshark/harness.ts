/**
 * Field-by-field comparison with Wireshark: a capture is read by tshark and by our decoders, and
 * what each extracts is compared frame by frame in tshark's field names and text forms. Captures
 * come from ../shared/data (third-party, not in the repository); suites skip with a notice where
 * the data or tshark is absent.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LINK_TYPES, createDissection, dissectLink, type Dissection } from '../../src/dissect.js';
import { readCaptureFile } from '../../src/capture/file-reader.js';
import { EdgeError } from '../../src/errors.js';

const HERE = dirname(fileURLToPath(import.meta.url));
/** The shared third-party data folder beside the checkout. */
export const SHARED_DATA = resolve(HERE, '../../../../shared/data');
const TSHARK = '/usr/bin/tshark';
export const HAVE_TSHARK = existsSync(TSHARK);

const notices = new Set<string>();
/** Prints, once, why a suite does not run. */
export function skipNotice(what: string): void {
  if (notices.has(what)) return;
  notices.add(what);
  console.warn(`[skipped] ${what}`);
}

/** Capture files (.pcap, .pcapng) under SHARED_DATA/dir, recursively, sorted; [] if it is absent. */
export function sharedCaptures(dir: string): string[] {
  const root = join(SHARED_DATA, dir);
  if (!existsSync(root)) return [];
  const found: string[] = [];
  const walk = (at: string): void => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(pcap|pcapng)$/.test(name)) found.push(path);
    }
  };
  walk(root);
  return found.sort();
}

/** A capture's file name relative to SHARED_DATA, for messages. */
export function sharedName(path: string): string {
  return relative(SHARED_DATA, path);
}

export interface Frame {
  /** 1-based, as tshark numbers frames. */
  number: number;
  linkType: number;
  bytes: Uint8Array;
  tsMs: number;
}

/**
 * Every frame of a pcap or pcapng file, of any link type `dissectLink` reads. A capture whose last
 * record is cut short (the capture stopped mid-write) gives its whole frames, as tshark does.
 */
export async function readFrames(path: string): Promise<Frame[]> {
  const frames: Frame[] = [];
  try {
    await readCaptureFile(
      path,
      (buf, offset, caplen, tsMs, linkType) => {
        frames.push({ number: frames.length + 1, linkType, bytes: Uint8Array.prototype.slice.call(buf, offset, offset + caplen), tsMs });
      },
      { linkTypes: LINK_TYPES },
    );
  } catch (err) {
    // The reader hands on every whole record before it reports the one cut short.
    const cutShort = err instanceof EdgeError && err.code === 'EDGE_ERR_CAPTURE_FILE' && /: (record|block of) \d+ (bytes )?cut short$/.test(err.message);
    if (!cutShort || frames.length === 0) throw err;
  }
  return frames;
}

/** Field name → values in the order tshark shows them. */
export type Fields = Record<string, string[]>;

export interface TsharkOptions {
  /** `-d` decode-as rules, e.g. `tcp.port==6661,hl7`. */
  decodeAs?: readonly string[];
  /** Two-pass analysis (`-2`): reassembled values land on the frame that completes them. */
  twoPass?: boolean;
  /** `-o` preferences, e.g. `tcp.desegment_tcp_streams:TRUE`. */
  preferences?: readonly string[];
  /** Which occurrences of a repeated field tshark prints: all (default) or the first (e.g. outer headers only). */
  occurrence?: 'all' | 'first';
}

/** Separates occurrences of one field: a control character that no field text contains. */
const AGGREGATOR = '\u001f';

/** What tshark says when a capture's last record is cut short mid-packet. */
const CUT_SHORT = 'appears to have been cut short in the middle of a packet';

/**
 * tshark's standard output for `args`. A capture cut short mid-packet is read as far as it goes:
 * tshark prints every whole frame, then reports the cut and exits with status 2; that output is
 * kept. Any other failure (status 1 for bad arguments, 2 for an unreadable file, …) is thrown.
 */
function runTshark(args: readonly string[]): string {
  try {
    return execFileSync(TSHARK, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    // execFileSync's error carries the exit status and, with an encoding, both outputs as text.
    const { status, stdout, stderr } = err as { status?: number | null; stdout?: unknown; stderr?: unknown };
    const cutShort = status === 2 && typeof stdout === 'string' && stdout !== '' && typeof stderr === 'string' && stderr.includes(CUT_SHORT);
    if (cutShort) return stdout;
    throw err;
  }
}

/**
 * tshark's values of `fields` for every frame of `path`: frame number → the fields it has (frames
 * with none are left out). Every occurrence is kept, in order.
 */
export function tsharkFields(path: string, fields: readonly string[], options: TsharkOptions = {}): Map<number, Fields> {
  const args = ['-r', path, '-n', '-T', 'fields', '-E', `occurrence=${options.occurrence === 'first' ? 'f' : 'a'}`, '-E', `aggregator=${AGGREGATOR}`, '-E', 'separator=/t', '-e', 'frame.number'];
  for (const field of fields) args.push('-e', field);
  for (const rule of options.decodeAs ?? []) args.push('-d', rule);
  for (const pref of options.preferences ?? []) args.push('-o', pref);
  if (options.twoPass) args.push('-2');
  const out = runTshark(args);
  const rows = new Map<number, Fields>();
  for (const line of out.split('\n')) {
    if (line === '') continue;
    const cells = line.split('\t');
    const row: Fields = {};
    let any = false;
    fields.forEach((field, i) => {
      const cell = cells[i + 1] ?? '';
      if (cell === '') return;
      row[field] = cell.split(AGGREGATOR);
      any = true;
    });
    if (any) rows.set(Number(cells[0]), row);
  }
  return rows;
}

export interface Extractor extends TsharkOptions {
  /** The tshark fields this extractor answers for. */
  fields: readonly string[];
  /**
   * Called for every frame in order (`dissected` false when dissectLink rejected it). Returns our
   * values in tshark's field names and text forms, or null when the frame carries none.
   */
  frame(frame: Frame, d: Dissection, dissected: boolean): Fields | null;
  /**
   * Why a frame is left out of the comparison (a class of frame we knowingly read differently, e.g.
   * the headers an ICMP error quotes), or null to compare it. Left-out frames are counted by reason.
   */
  skip?(frame: Frame, d: Dissection, dissected: boolean): string | null;
  /**
   * tshark's values of `field` in the text form `frame` returns (tshark pads AE titles, names UIDs,
   * prints raw segments…); identity when absent. Every normalisation is a documented text form, never a value.
   */
  normalise?(field: string, tshark: readonly string[]): string[];
}

export interface Disagreement {
  file: string;
  frame: number;
  field: string;
  tshark: string[];
  ours: string[];
}

export interface Comparison {
  frames: number;
  /** Field values (frame × field) both sides were compared on, agreeing or not. */
  compared: number;
  disagreements: Disagreement[];
  /** Frames left out by `Extractor.skip`, by reason. */
  skipped: Record<string, number>;
  /** Compared field values that agree only once tshark's text form is normalised. */
  normalised: number;
}

/** Runs `extractor` and tshark over one capture and lists every field on which they differ. */
export function compareCapture(path: string, extractor: Extractor): Promise<Comparison> {
  return compareWith(path, tsharkFields(path, extractor.fields, extractor), extractor);
}

/** Compares `extractor` over the frames of `path` with tshark's values read some other way (e.g. from its JSON output). */
export async function compareWith(path: string, theirs: Map<number, Fields>, extractor: Extractor): Promise<Comparison> {
  const frames = await readFrames(path);
  const d = createDissection();
  const disagreements: Disagreement[] = [];
  let compared = 0;
  let normalised = 0;
  const skipped: Record<string, number> = {};
  const file = sharedName(path);
  for (const frame of frames) {
    const dissected = dissectLink(frame.bytes, d, frame.linkType);
    const reason = extractor.skip?.(frame, d, dissected) ?? null;
    if (reason !== null) {
      skipped[reason] = (skipped[reason] ?? 0) + 1;
      continue;
    }
    const ours = extractor.frame(frame, d, dissected) ?? {};
    const tshark = theirs.get(frame.number) ?? {};
    for (const field of extractor.fields) {
      const raw = tshark[field] ?? [];
      const a = extractor.normalise !== undefined && raw.length > 0 ? extractor.normalise(field, raw) : raw;
      const b = ours[field] ?? [];
      if (a.length === 0 && b.length === 0) continue;
      compared += 1;
      const same = (x: readonly string[]): boolean => x.length === b.length && x.every((v, i) => v === b[i]);
      if (!same(a)) disagreements.push({ file, frame: frame.number, field, tshark: a, ours: b });
      else if (a !== raw && !same(raw)) normalised += 1;
    }
  }
  return { frames: frames.length, compared, disagreements, skipped, normalised };
}

/** An explained exception: where we knowingly differ from tshark, and why. */
export interface Exception {
  file: string;
  frame: number;
  field: string;
  reason: string;
}

/** The disagreements not covered by an exception, and the exceptions that matched nothing (stale). */
export function unexplained(disagreements: readonly Disagreement[], exceptions: readonly Exception[]): { open: Disagreement[]; stale: Exception[] } {
  const key = (x: { file: string; frame: number; field: string }): string => `${x.file}#${x.frame}#${x.field}`;
  const excepted = new Set(exceptions.map(key));
  const seen = new Set(disagreements.map(key));
  return { open: disagreements.filter((x) => !excepted.has(key(x))), stale: exceptions.filter((x) => !seen.has(key(x))) };
}
