/**
 * The FIRST EPSS daily file (`epss_scores-YYYY-MM-DD.csv.gz`): an optional comment line
 * `#model_version:v2025.03.14,score_date:2025-08-25T00:00:00+0000`, the header
 * `cve,epss,percentile`, then one row per CVE. Columns are found by their header names; a row that
 * cannot be read (a malformed CVE id, a number outside 0..1) is a problem `line N` and the rest reads.
 */
import { constants, gunzipSync } from 'node:zlib';
import type { EpssScore, FeedDocument, FeedProblem } from '../model.js';
import { emptyDocument } from './document.js';

const CVE_ID = /^CVE-\d{4}-\d{4,}$/;
/** RFC 1952 §2.3.1: every gzip member starts with ID1 = 0x1f, ID2 = 0x8b. */
const GZIP_MAGIC = [0x1f, 0x8b] as const;

/** Where the columns the scores need sit in a row. */
interface Columns {
  cve: number;
  epss: number;
  percentile: number;
}

/** True when `bytes` start with the gzip magic number. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1];
}

/**
 * Reads EPSS scores from a file's bytes, gunzipping them first when they are gzip. A truncated or
 * damaged gzip stream is a problem; whatever could be inflated before the damage still reads.
 */
export function parseEpssBytes(bytes: Uint8Array, file: string): FeedDocument {
  if (!isGzip(bytes)) return parseEpss(new TextDecoder().decode(bytes), file);
  let inflated: Buffer;
  try {
    inflated = gunzipSync(bytes);
  } catch (error) {
    // A sync flush hands back what was inflated before the stream broke off.
    let partial: Buffer = Buffer.alloc(0);
    try {
      partial = gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH });
    } catch {
      // The header itself is unreadable: nothing to recover.
    }
    // The row after the last line end may be cut mid-number: it is left out rather than misread.
    const whole = partial.subarray(0, partial.lastIndexOf(0x0a) + 1);
    const doc = parseEpss(new TextDecoder().decode(whole), file);
    const reason = error instanceof Error ? error.message : String(error);
    doc.problems.unshift({ file, place: `gzip stream, byte ${bytes.length}`, message: `the gzip data is damaged or cut short (${reason}); ${doc.epss.length} scores were read before it` });
    return doc;
  }
  return parseEpss(new TextDecoder().decode(inflated), file);
}

/** Reads EPSS scores from CSV text (LF or CRLF line ends, fields optionally quoted). */
export function parseEpss(body: string, file: string): FeedDocument {
  const doc = emptyDocument('epss', file);
  const lines = (body.charCodeAt(0) === 0xfeff ? body.slice(1) : body).split(/\r?\n/);
  let model: string | undefined;
  let date: string | undefined;
  let columns: Columns | undefined;
  const seen = new Set<string>();
  for (let index = 0; index < lines.length; index++) {
    const line = (lines[index] ?? '').trim();
    const place = `line ${index + 1}`;
    if (line === '') continue;
    if (line.startsWith('#')) {
      const comment = readComment(line);
      model = comment.get('model_version') ?? model;
      date = comment.get('score_date') ?? date;
      continue;
    }
    const fields = splitCsvLine(line);
    if (columns === undefined) {
      columns = readHeader(fields);
      if (columns !== undefined) continue;
      if (!CVE_ID.test((fields[0] ?? '').toUpperCase())) {
        doc.problems.push({ file, place, message: 'no header line with cve, epss and percentile columns; nothing was read' });
        return doc;
      }
      columns = { cve: 0, epss: 1, percentile: 2 };
      doc.problems.push({ file, place, message: 'no header line; columns read in the published order cve,epss,percentile' });
    }
    const score = readRow(fields, columns, file, place, doc.problems);
    if (score === null) continue;
    if (seen.has(score.cve)) {
      doc.problems.push({ file, place, message: `${score.cve} is scored twice; the first score is kept` });
      continue;
    }
    seen.add(score.cve);
    if (date !== undefined) score.date = date;
    if (model !== undefined) score.model = model;
    doc.epss.push(score);
  }
  if (columns === undefined) doc.problems.push({ file, place: 'line 1', message: 'no EPSS header or scores found' });
  return doc;
}

/** The `key:value` pairs of the comment line (values may hold colons, as times do). */
function readComment(line: string): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const part of line.slice(1).split(',')) {
    const colon = part.indexOf(':');
    if (colon > 0) pairs.set(part.slice(0, colon).trim(), part.slice(colon + 1).trim());
  }
  return pairs;
}

/** The column positions named by a header row, or undefined when the row is not the header. */
function readHeader(fields: string[]): Columns | undefined {
  const names = fields.map((field) => field.trim().toLowerCase());
  const cve = names.indexOf('cve');
  const epss = names.indexOf('epss');
  const percentile = names.indexOf('percentile');
  return cve >= 0 && epss >= 0 && percentile >= 0 ? { cve, epss, percentile } : undefined;
}

/** One score row, or null with a problem naming the line. */
function readRow(fields: string[], columns: Columns, file: string, place: string, problems: FeedProblem[]): EpssScore | null {
  const cve = (fields[columns.cve] ?? '').trim().toUpperCase();
  if (!CVE_ID.test(cve)) {
    problems.push({ file, place, message: `"${fields[columns.cve] ?? ''}" is not a CVE id; row skipped` });
    return null;
  }
  const epss = readProbability(fields[columns.epss]);
  const percentile = readProbability(fields[columns.percentile]);
  if (epss === null || percentile === null) {
    const bad = epss === null ? `epss "${fields[columns.epss] ?? ''}"` : `percentile "${fields[columns.percentile] ?? ''}"`;
    problems.push({ file, place, message: `${cve}: ${bad} is not a number from 0 to 1; row skipped` });
    return null;
  }
  return { cve, epss, percentile };
}

/** A number in 0..1 written in decimal or exponent form, or null. */
function readProbability(field: string | undefined): number | null {
  const trimmed = field?.trim() ?? '';
  if (!/^[+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return value >= 0 && value <= 1 ? value : null;
}

/** The fields of one CSV line (RFC 4180: fields may be quoted, a doubled quote is a quote). */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') {
        quoted = false;
      } else {
        field += char;
      }
    } else if (char === '"') {
      quoted = true;
    } else if (char === ',') {
      fields.push(field);
      field = '';
    } else {
      field += char;
    }
  }
  fields.push(field);
  return fields;
}
