/**
 * What every feed parser shares: an empty document to fill, JSON read with the place of a syntax
 * error, and JSON pointers for the place of a problem inside a document.
 */
import { parse as parseTolerant, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { FeedDocument, FeedKind, FeedProblem } from '../model.js';

/** A document of `kind` read from `file`, holding nothing yet. */
export function emptyDocument(kind: FeedKind, file: string): FeedDocument {
  return { kind, file, advisories: [], vulnerabilities: [], kev: [], epss: [], sboms: [], mds2: [], problems: [] };
}

/** A JSON pointer (RFC 6901) to a place inside a document: `pointer('vulnerabilities', 3, 'cve')`. */
export function pointer(...parts: (string | number)[]): string {
  return parts.map((part) => `/${String(part).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** The line and column (both from 1) of a character offset in `text`. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

export type JsonResult = { ok: true; value: unknown } | { ok: false; problem: FeedProblem };

/**
 * Parses JSON text; on a syntax error the problem names the line and column where reading stopped,
 * so the person can open the file at that place.
 */
export function readJson(text: string, file: string): JsonResult {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch {
    // JSON.parse does not always say where it stopped; a tolerant parser finds the first fault.
    const errors: ParseError[] = [];
    parseTolerant(body, errors, { allowTrailingComma: false, disallowComments: true });
    const first = errors[0];
    const at = lineAndColumn(body, first?.offset ?? body.length);
    const what = first ? printParseErrorCode(first.error) : 'UnexpectedEndOfInput';
    return { ok: false, problem: { file, place: `line ${at.line}, column ${at.column}`, message: `not well-formed JSON (${what})` } };
  }
}

/** A plain object (not an array, not null), for reading untrusted JSON. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` when it is a string, else undefined. */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** `value` when it is an array, else []. */
export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
