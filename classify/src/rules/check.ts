/** Field checks for the rule files, with messages that name the file, the rule and the field. */
import { ClassifyError, type ClassifyErrorCode } from '../errors.js';

/** Where in the rule files a value sits: `rules/dicom.json`, rule `dicom.root.ge`, field `when.regex`. */
export interface Place {
  file: string;
  rule?: string;
  code: ClassifyErrorCode;
}

export function fail(place: Place, field: string, problem: string): never {
  const rule = place.rule === undefined ? '' : ` rule '${place.rule}'`;
  const at = field === '' ? '' : ` ${field}`;
  throw new ClassifyError(place.code, `${place.file}:${rule}${at}: ${problem}`);
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = Record<string, Json>;

export function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A rule's id for error messages, before the rule is checked: its `id` if it is a string, else `#<position>`. */
export function idOf(raw: Json | undefined, position: number): string {
  return isObject(raw) && typeof raw['id'] === 'string' ? raw['id'] : `#${position}`;
}

export function object(place: Place, field: string, value: Json | undefined): JsonObject {
  if (!isObject(value)) fail(place, field, value === undefined ? 'is missing' : 'must be an object');
  return value;
}

export function array(place: Place, field: string, value: Json | undefined): Json[] {
  if (!Array.isArray(value)) fail(place, field, value === undefined ? 'is missing' : 'must be an array');
  return value;
}

export function text(place: Place, field: string, value: Json | undefined): string {
  if (typeof value !== 'string') fail(place, field, value === undefined ? 'is missing' : 'must be a string');
  if (value.trim() === '') fail(place, field, 'must not be empty');
  return value;
}

export function probability(place: Place, field: string, value: Json | undefined): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(place, field, value === undefined ? 'is missing' : 'must be a number');
  if (value <= 0 || value > 1) fail(place, field, `must be above 0 and at most 1 (is ${value})`);
  return value;
}

/** Rejects keys the schema does not know, so a misspelt field is not silently ignored. */
export function onlyKeys(place: Place, field: string, value: JsonObject, allowed: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) fail(place, field === '' ? key : `${field}.${key}`, `is not a known field (expected one of: ${allowed.join(', ')})`);
  }
}

/** Compiles a regular expression, failing with the engine's own complaint. */
export function regex(place: Place, field: string, source: string, ignoreCase: boolean): RegExp {
  try {
    return new RegExp(source, ignoreCase ? 'iu' : 'u');
  } catch (error) {
    return fail(place, field, `invalid regular expression /${source}/: ${error instanceof Error ? error.message : String(error)}`);
  }
}
