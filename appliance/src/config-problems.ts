/**
 * Schema errors (Ajv's, JSON Schema draft 7 keywords) turned into problems a person can act on: one
 * per field, naming the field as it is written in the file (`capture.bufferSizeMB`) and, where the
 * file is known, the line and column. Of the two capture kinds (live or file), only the one the
 * file seems to mean is reported, not the other's complaints.
 */
import type { ErrorObject } from 'ajv';
import { fieldName, type ConfigSource } from './config-source.js';

export interface ConfigProblem {
  /** Dotted path of the field (`''` for the top level). */
  field: string;
  /** What is wrong, after the field name: `must be <= 1024`. */
  message: string;
  line?: number;
  column?: number;
}

/** Path segments of a JSON pointer (RFC 6901 §3, `~1` is `/` and `~0` is `~`). */
export function pointerPath(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Errors that say the object has the wrong shape for a branch (a key it lacks or does not take). */
function isShapeError(e: ErrorObject, branchPointer: string): boolean {
  return e.instancePath === branchPointer && (e.keyword === 'required' || e.keyword === 'additionalProperties');
}

/**
 * Keeps, for each `anyOf`, only the errors of the branch (or the tied branches) the value comes
 * closest to: the fewest missing or unexpected keys. Outer unions are settled before inner ones.
 */
function settleUnions(errors: ErrorObject[]): ErrorObject[] {
  let rest = errors;
  const unions = errors.filter((e) => e.keyword === 'anyOf').sort((a, b) => a.schemaPath.length - b.schemaPath.length);
  for (const union of unions) {
    if (!rest.includes(union)) continue;
    const prefix = `${union.schemaPath}/`;
    const branches = new Map<string, ErrorObject[]>();
    for (const e of rest) {
      if (!e.schemaPath.startsWith(prefix)) continue;
      const branch = e.schemaPath.slice(prefix.length).split('/')[0] ?? '';
      branches.set(branch, [...(branches.get(branch) ?? []), e]);
    }
    const all = [...branches.values()].flat();
    const constants = all.filter((e) => e.keyword === 'const');
    if (constants.length === all.length && all.length > 0) {
      // A union of literals: one problem listing the values it takes.
      const allowed = constants.map((e) => `'${String((e.params as { allowedValue?: unknown }).allowedValue)}'`).join(', ');
      const oneOf: ErrorObject = { ...union, keyword: 'enum', message: `must be one of ${allowed}` };
      rest = rest.filter((e) => e !== union && !all.includes(e));
      rest.push(oneOf);
      continue;
    }
    const shape = (list: ErrorObject[]) => list.filter((e) => isShapeError(e, union.instancePath)).length;
    const best = Math.min(...[...branches.values()].map(shape));
    const tied = [...branches.values()].filter((list) => shape(list) === best);
    rest = rest.filter((e) => e !== union && (!all.includes(e) || tied.flat().includes(e)));
    const missing = tied.flat().map((e) => (e.keyword === 'required' ? (e.params as { missingProperty?: string }).missingProperty : undefined));
    if (tied.length > 1 && missing.every((name) => name !== undefined)) {
      // Each form lacks only the key that names it (neither `interface` nor `file`): one problem.
      rest = rest.filter((e) => !tied.flat().includes(e));
      rest.push({ ...union, keyword: 'required', params: {}, message: `needs one of ${missing.map((n) => `'${n}'`).join(' or ')}` });
    }
  }
  return rest;
}

/** A hint for a YAML habit that trips the schema: an unquoted number where text is expected. */
function typeHint(e: ErrorObject, value: unknown): string {
  if (e.keyword === 'type' && (e.params as { type?: unknown }).type === 'string' && typeof value === 'number') {
    return ` (write it in quotes: "${String(value)}")`;
  }
  return '';
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const segment of path) node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[segment] : undefined;
  return node;
}

/** Text to put after "is not a known field" for `key` at `path` (a likely spelling, say). */
export type UnknownFieldHint = (path: string[], key: string) => string;

interface Described {
  /** The field the problem is about. */
  path: string[];
  /** Where to point: the key (or, with `key: false`, the value) at this path. */
  at: string[];
  key: boolean;
  message: string;
}

function describe(e: ErrorObject, root: unknown, hint: UnknownFieldHint): Described {
  const path = pointerPath(e.instancePath);
  const params = e.params as { missingProperty?: string; additionalProperty?: string };
  if (e.keyword === 'required') {
    // A missing key is pointed at the key of the mapping that should hold it.
    const field = params.missingProperty ? [...path, params.missingProperty] : path;
    return { path: field, at: path, key: true, message: params.missingProperty ? 'is required but missing' : (e.message ?? 'is incomplete') };
  }
  if (e.keyword === 'additionalProperties' && params.additionalProperty) {
    const field = [...path, params.additionalProperty];
    return { path: field, at: field, key: true, message: `is not a known field${hint(path, params.additionalProperty)}` };
  }
  return { path, at: path, key: false, message: `${e.message ?? 'is invalid'}${typeHint(e, valueAt(root, path))}` };
}

/**
 * One problem per distinct complaint, in the order of the file where it is known. A missing key is
 * placed at the key of the mapping that should hold it; an unknown key at the key itself.
 */
export function configProblems(errors: ErrorObject[], root: unknown, hint: UnknownFieldHint, source?: ConfigSource): ConfigProblem[] {
  const seen = new Set<string>();
  const problems: ConfigProblem[] = [];
  for (const e of settleUnions(errors)) {
    const { path, at, key, message } = describe(e, root, hint);
    const field = fieldName(path);
    if (seen.has(`${field} ${message}`)) continue;
    seen.add(`${field} ${message}`);
    const where = source?.locate(at, key);
    problems.push({ field, message, ...(where ? { line: where.line, column: where.column } : {}) });
  }
  return problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

/** `file:line:column: field message`, or without the position when the value has no file. */
export function formatProblem(problem: ConfigProblem, file?: string): string {
  const where = file && problem.line !== undefined ? `${file}:${problem.line}:${problem.column ?? 1}: ` : '';
  return `${where}${problem.field || '(top level)'} ${problem.message}`;
}
