/**
 * An error in an asset register file, placed where a person finds it in a spreadsheet: the row
 * (1-based, the header is row 1) and the column by its header name.
 */
import { HubError, type HubErrorCode } from '../errors.js';

export class AssetFileError extends HubError {
  constructor(
    code: HubErrorCode,
    /** Spreadsheet row: the header is row 1, the first asset row 2. Null when the fault is not in one row. */
    readonly row: number | null,
    /** The column's header name, or null when the fault is not in one column. */
    readonly column: string | null,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(code, `${placeOf(row, column)}${detail}`, options);
    this.name = 'AssetFileError';
  }
}

function placeOf(row: number | null, column: string | null): string {
  const parts = [row === null ? '' : `row ${row}`, column === null ? '' : `column ${JSON.stringify(column)}`].filter(Boolean);
  return parts.length ? `${parts.join(', ')}: ` : '';
}
