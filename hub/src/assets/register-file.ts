/**
 * Reads a CMMS export (CSV, RFC 4180 with the mapping's delimiter) into asset rows. The whole file is
 * checked before anything is kept: the first fault stops the import with an error that names the
 * row as a spreadsheet numbers it (header = row 1; a quoted value spanning lines is still one row)
 * and the column by its header name.
 */
import { isIP } from 'node:net';
import { parse } from 'csv-parse/sync';
import { CsvError } from 'csv-parse';
import { AssetFileError } from './file-error.js';
import { assetKey, normaliseMac, type AssetField } from './fields.js';
import { criticalityFor, type AssetMapping } from './mapping.js';

export const registerFileDefaults = {
  /** Large hospitals list tens of thousands of assets; an export far past that is not one. */
  maxBytes: 16 * 1024 * 1024,
  maxRows: 200_000,
  maxValueLength: 256,
} as const;

/** One asset row of the file, its values trimmed and normalised, the blank ones left out. */
export interface AssetRow {
  /** Spreadsheet row number (the header is row 1). */
  row: number;
  /** Record key: `tag:<asset tag>` or `serial:<serial number>`. */
  key: string;
  values: Partial<Record<AssetField, string>>;
}

/** C0 control characters and DEL: a line break or tab has no place in these fields. */
const hasControl = (text: string): boolean => [...text].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

/** Parses and checks the whole file; throws AssetFileError at the first fault. */
export function readRegisterFile(csv: string, mapping: AssetMapping): AssetRow[] {
  if (Buffer.byteLength(csv, 'utf8') > registerFileDefaults.maxBytes) {
    throw new AssetFileError('HUB_ERR_ASSET_SIZE', null, null, `the file is over ${registerFileDefaults.maxBytes / 1024 / 1024} MiB; split the export`);
  }
  const records = parseRecords(csv, mapping.delimiter);
  const header = (records[0] ?? []).map((name) => name.trim());
  const columnOf = headerIndex(header, mapping);
  if (records.length - 1 > registerFileDefaults.maxRows) {
    throw new AssetFileError('HUB_ERR_ASSET_SIZE', null, null, `the file has ${records.length - 1} rows; at most ${registerFileDefaults.maxRows} are read at once`);
  }
  const rows: AssetRow[] = [];
  const firstRowOf = new Map<string, number>();
  for (let i = 1; i < records.length; i++) {
    const record = records[i] ?? [];
    const row = i + 1;
    // A blank line (or one of delimiters only) is a blank spreadsheet row: skipped, still counted.
    if (record.every((value) => !value.trim())) continue;
    if (record.length !== header.length) throw columnCountError(row, record.length, header);
    const values: AssetRow['values'] = {};
    for (const [field, index] of columnOf) {
      const value = readValue(field, (record[index] ?? '').trim(), row, header[index] ?? '', mapping);
      if (value) values[field] = value;
    }
    const key = assetKey(values.assetTag, values.serialNumber);
    const keyColumn = mapping.columns.assetTag ?? mapping.columns.serialNumber ?? null;
    if (!key) throw new AssetFileError('HUB_ERR_ASSET_NO_KEY', row, keyColumn, 'this row has neither an asset tag nor a serial number; the hub keeps each asset under one of them');
    const earlier = firstRowOf.get(key);
    if (earlier !== undefined) {
      const what = values.assetTag ? `asset tag ${values.assetTag}` : `serial number ${values.serialNumber ?? ''} (no asset tag)`;
      const column = values.assetTag ? (mapping.columns.assetTag ?? null) : (mapping.columns.serialNumber ?? null);
      throw new AssetFileError('HUB_ERR_ASSET_DUPLICATE', row, column, `${what} is also on row ${earlier}; each asset may appear once`);
    }
    firstRowOf.set(key, row);
    rows.push({ row, key, values });
  }
  return rows;
}

function parseRecords(csv: string, delimiter: string): string[][] {
  let header: string[] | null = null;
  try {
    return parse(csv, {
      delimiter,
      bom: true,
      // Column counts are checked here, to name the row and column at fault.
      relax_column_count: true,
      // Registers write inch marks in unquoted values (`15" monitor`), as spreadsheets accept; a
      // quote that opens a value must still close.
      relax_quotes: true,
      on_record: (record: string[]) => {
        header ??= record.map((name) => name.trim());
        return record;
      },
    }) as string[][];
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    const detail = err as CsvError & { records?: number; column?: number | string | null };
    const row = (detail.records ?? 0) + 1;
    const index = typeof detail.column === 'number' ? detail.column : null;
    const known = header as string[] | null;
    const column = index === null ? null : (known?.[index] ?? (row === 1 ? null : `column ${index + 1}`));
    if (err.code === 'CSV_QUOTE_NOT_CLOSED') {
      throw new AssetFileError('HUB_ERR_ASSET_QUOTE', row, column, 'a value opens a double quote that is never closed, so the rest of the file would be one value; close the quote or double it ("") inside the value', { cause: err });
    }
    throw new AssetFileError('HUB_ERR_ASSET_CSV', row, column, `${err.message}; a value holding quotes must be quoted as a whole, with each quote doubled ("")`, { cause: err });
  }
}

/** Where each mapped field sits in the header; a mapped column must be there exactly once. */
function headerIndex(header: string[], mapping: AssetMapping): Map<AssetField, number> {
  if (!header.length || header.every((name) => !name)) throw new AssetFileError('HUB_ERR_ASSET_HEADER', 1, null, 'the file is empty; its first row must name the columns');
  const out = new Map<AssetField, number>();
  for (const [field, name] of Object.entries(mapping.columns) as [AssetField, string][]) {
    const index = header.indexOf(name);
    if (index < 0) {
      const shown = header.slice(0, 30).map((h) => JSON.stringify(h)).join(', ');
      throw new AssetFileError('HUB_ERR_ASSET_HEADER', 1, name, `the mapping reads ${field} from this column, but the header has no such column (it has ${shown}${header.length > 30 ? ', …' : ''})`);
    }
    if (header.indexOf(name, index + 1) >= 0) throw new AssetFileError('HUB_ERR_ASSET_HEADER', 1, name, 'the header has two columns of this name, so the mapping cannot tell which one holds the value');
    out.set(field, index);
  }
  return out;
}

function columnCountError(row: number, count: number, header: string[]): AssetFileError {
  if (count < header.length) {
    return new AssetFileError('HUB_ERR_ASSET_COLUMN_COUNT', row, header[count] ?? null, `the row ends before this column: ${count} values where the header has ${header.length} columns`);
  }
  return new AssetFileError(
    'HUB_ERR_ASSET_COLUMN_COUNT',
    row,
    header[header.length - 1] ?? null,
    `the row has ${count} values where the header has ${header.length} columns, more than there are after this last column; quote any value that holds the delimiter`,
  );
}

function readValue(field: AssetField, raw: string, row: number, column: string, mapping: AssetMapping): string | undefined {
  if (!raw) return undefined;
  if (raw.length > registerFileDefaults.maxValueLength) throw new AssetFileError('HUB_ERR_ASSET_VALUE', row, column, `the value is ${raw.length} characters long; at most ${registerFileDefaults.maxValueLength}`);
  if (hasControl(raw)) throw new AssetFileError('HUB_ERR_ASSET_VALUE', row, column, `the ${field} value holds a line break or another control character`);
  switch (field) {
    case 'mac': {
      const mac = normaliseMac(raw);
      if (!mac) throw new AssetFileError('HUB_ERR_ASSET_MAC', row, column, `${JSON.stringify(raw)} is not a MAC address; write six hex pairs such as 00:09:FB:12:34:56`);
      return mac;
    }
    case 'criticality': {
      const ours = criticalityFor(mapping, raw);
      if (ours) return ours;
      const known = [...mapping.criticality.keys(), 'critical', 'high', 'medium', 'low'];
      throw new AssetFileError('HUB_ERR_ASSET_CRITICALITY', row, column, `${JSON.stringify(raw)} is not a criticality the mapping knows (${[...new Set(known)].join(', ')}); add it under criticality in the mapping`);
    }
    case 'ip':
      if (!isIP(raw)) throw new AssetFileError('HUB_ERR_ASSET_VALUE', row, column, `${JSON.stringify(raw)} is not an IPv4 or IPv6 address`);
      return raw.toLowerCase();
    default:
      return raw;
  }
}
