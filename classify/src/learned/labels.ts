/**
 * Labels tables: CSV (RFC 4180: quoted fields, doubled quotes, CRLF or LF) with a `file` column
 * (the capture, relative to a folder), one or more label columns, and optionally `device_mac`, the
 * device to learn in that capture (else the one that sends most).
 */
import { LearnedModelError } from './model-errors.js';

/** One labelled capture. */
export interface LabelledCapture {
  /** The `file` column as written. */
  file: string;
  label: string;
  /** The `device_mac` column, or null. */
  mac: string | null;
  /** The unit column's value (which physical unit), or null. */
  unit: string | null;
  /** Line of the table it came from (1 is the header). */
  line: number;
}

export interface LabelsOptions {
  labelColumn: string;
  /** Column telling units of one class apart (for splits by unit), if any. */
  unitColumn?: string | null;
  /** Names the table in errors. */
  source?: string;
}

export const FILE_COLUMN = 'file';
export const MAC_COLUMN = 'device_mac';

function fail(source: string, detail: string): never {
  throw new LearnedModelError('CLASSIFY_ERR_LABELS', `${source}: ${detail}`);
}

/** The rows of a CSV text, each a list of fields, with the line each row starts on. */
export function parseCsv(text: string, source = 'labels table'): { fields: string[]; line: number }[] {
  const rows: { fields: string[]; line: number }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let at = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a byte-order mark is not part of the first name
  const endRow = (): void => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '')) rows.push({ fields, line: rowLine });
    fields = [];
    field = '';
  };
  for (; at < text.length; at++) {
    const c = text[at];
    if (quoted) {
      if (c === '"' && text[at + 1] === '"') {
        field += '"';
        at++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[at + 1] === '\n') at++;
      endRow();
      line++;
      rowLine = line;
    } else field += c;
  }
  if (quoted) fail(source, `line ${rowLine}: a quoted field is not closed`);
  if (field !== '' || fields.length > 0) endRow();
  return rows;
}

/** Reads a labels table; rows with an empty label are left out (`skipped` counts them). */
export function readLabels(text: string, options: LabelsOptions): { captures: LabelledCapture[]; skipped: number; columns: string[] } {
  const source = options.source ?? 'labels table';
  const rows = parseCsv(text, source);
  const header = rows[0];
  if (header === undefined) fail(source, 'is empty');
  const columns = header.fields.map((c) => c.trim());
  const column = (name: string, required: boolean): number => {
    const i = columns.indexOf(name);
    if (i < 0 && required) fail(source, `has no column "${name}" (columns: ${columns.join(', ')})`);
    return i;
  };
  const fileAt = column(FILE_COLUMN, true);
  const labelAt = column(options.labelColumn, true);
  const macAt = column(MAC_COLUMN, false);
  const unitAt = options.unitColumn ? column(options.unitColumn, true) : -1;
  const captures: LabelledCapture[] = [];
  let skipped = 0;
  for (const row of rows.slice(1)) {
    if (row.fields.length !== columns.length) fail(source, `line ${row.line}: ${row.fields.length} fields, the header has ${columns.length}`);
    const file = (row.fields[fileAt] ?? '').trim();
    const label = (row.fields[labelAt] ?? '').trim();
    if (file === '') fail(source, `line ${row.line}: the "${FILE_COLUMN}" column is empty`);
    if (label === '') {
      skipped++;
      continue;
    }
    const mac = macAt >= 0 ? (row.fields[macAt] ?? '').trim() : '';
    const unit = unitAt >= 0 ? (row.fields[unitAt] ?? '').trim() : '';
    captures.push({ file, label, mac: mac === '' ? null : mac, unit: unit === '' ? null : unit, line: row.line });
  }
  if (captures.length === 0) fail(source, `no row has a value in "${options.labelColumn}"`);
  return { captures, skipped, columns };
}
