/**
 * One clause of a published version text, as people write them in advisories: `<= 2.3.6`,
 * `2.3.6 and below`, `prior to 3.1`, `A10 < A11`, `Rev B-M`, `12.2.x.x`, `HD23`. A clause becomes
 * an interval (exact versions and closed ranges), a lone lower or upper bound (which
 * `constraint.ts` pairs with its neighbours), `any`, or nothing when the text is not a version.
 */
import type { VersionBound, VersionInterval } from '../model.js';
import { parseVersion } from './compare.js';
import { nextVersion } from './step.js';

export type Clause =
  | { kind: 'any' }
  | { kind: 'interval'; interval: VersionInterval }
  | { kind: 'lower'; bound: VersionBound }
  | { kind: 'upper'; bound: VersionBound }
  | { kind: 'unknown' };

type Operator = '<' | '<=' | '>' | '>=' | '=';
const OPERATOR_SPELLINGS: Partial<Record<string, Operator>> = { '=<': '<=', '=>': '>=', '==': '=' };

/** Words that may stand inside a version (`1.1.3 MR Build 11`, `1.8.4 Service Pack 01`, `4.20 SR1`). */
const VERSION_WORDS = new Set([
  'build', 'sp', 'sr', 'mr', 'service', 'pack', 'release', 'patch', 'update', 'hotfix', 'fix', 'rev', 'revision',
  'alpha', 'beta', 'rc', 'pre', 'preview', 'dev', 'snapshot', 'x',
]);
/** Label words before a version that say nothing about it (`Release 1.3.2`, `Version B.06.18`). */
const LABEL = /^(?:versions?|ver\.?|release|rev(?:ision)?\.?|firmware|software|fw|sw)\s+(?=\S)/i;
const MONTH = /\b(?:jan(?:uary)?|feb(?:ruary)?|march|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b/i;
const NUMERIC_DATE = /\b\d{1,2}\/\d{1,2}\/\d{2,4}\b|\b(?:19|20)\d\d-\d\d-\d\d\b/;

/** Whether the text is a calendar date (`< august 28`, `<8/30/2024`): a date is not a version. */
export function isDate(text: string): boolean {
  return MONTH.test(text) || NUMERIC_DATE.test(text);
}

/**
 * Whether a bare value (no operator) is a catalogue or model number rather than a version: an
 * integer of four or more digits, possibly with one letter, alone or before a model name (`2131`,
 * `24950`, `2490C`, `3002 S3`), a letters-hyphen-digits part number (`MMT-1710`), or one or two
 * letters then five or more digits (`A51200`). Written after an operator, the same shapes are
 * versions (`>= 2003`, `< 012U000040`).
 */
export function isModelNumber(text: string): boolean {
  return /^\d{4,}[a-z]?(?:\s|$)/i.test(text) || /^[a-z]+-\d+/i.test(text) || /^[a-z]{1,2}\d{5,}$/i.test(text);
}

/**
 * Whether `text` reads as one version: it holds a digit (or is a lone letter such as `K`), and
 * every letter run in it is a single letter, written against a digit (`6.3V1L10`, `SR1`), a word
 * versions use (`Build`, `Service Pack`), or the series prefix at its start (`LPI 3.5.12.P30`).
 */
export function isVersionText(text: string): boolean {
  const body = text.trim();
  if (body === '' || isDate(body)) return false;
  if (!/\d/.test(body)) return /^[a-z]$/i.test(body);
  const series = parseVersion(body).series;
  for (const match of body.matchAll(/[a-z]+/gi)) {
    const word = match[0].toLowerCase();
    const at = match.index ?? 0;
    const glued = /\d/.test(body.charAt(at - 1)) || /\d/.test(body.charAt(at + word.length));
    const isSeries = at === 0 && word === series;
    if (word.length > 1 && !glued && !isSeries && !VERSION_WORDS.has(word)) return false;
  }
  return true;
}

/** The label-free value: `Version B.06.18` → `B.06.18`. */
export function withoutLabel(text: string): string {
  return text.trim().replace(LABEL, '').trim();
}

/**
 * A wildcard version as the interval it stands for: `1.x` → [1, 2), `12.2.x.x` → [12.2, 12.3),
 * `5.*` → [5, 6), and a wildcard digit `C.0x` → [C.0, C.10) (C.00 to C.09). Null when `text` has
 * no wildcard.
 */
export function wildcardRange(text: string): { start: string; end: string } | null {
  const dotted = /^(.*?\d)(?:[.\s](?:x|\*))+$/i.exec(text.trim());
  if (dotted) {
    const [, start = ''] = dotted;
    const end = nextVersion(start);
    return end === null ? null : { start, end };
  }
  const digit = /^(.*?)(\d+)x$/i.exec(text.trim());
  if (!digit) return null;
  const [, head = '', digits = '0'] = digit;
  const value = BigInt(digits);
  return { start: `${head}${(value * 10n).toString()}`, end: `${head}${((value + 1n) * 10n).toString()}` };
}

function bound(version: string, inclusive: boolean): VersionBound {
  return { version, inclusive };
}

/** The bound(s) an operator and a value give, wildcards widened to the range they stand for. */
function operatorClause(operator: Operator, value: string): Clause {
  const version = withoutLabel(value);
  if (!isVersionText(version)) return { kind: 'unknown' };
  const wild = wildcardRange(version);
  switch (operator) {
    case '<': return { kind: 'upper', bound: bound(wild ? wild.start : version, false) };
    case '<=': return { kind: 'upper', bound: wild ? bound(wild.end, false) : bound(version, true) };
    case '>': return { kind: 'lower', bound: wild ? bound(wild.end, true) : bound(version, false) };
    case '>=': return { kind: 'lower', bound: bound(wild ? wild.start : version, true) };
    case '=': return exactClause(version);
  }
}

/** One exact version, or the range a wildcard stands for. */
function exactClause(version: string): Clause {
  const wild = wildcardRange(version);
  if (wild) return { kind: 'interval', interval: { start: bound(wild.start, true), end: bound(wild.end, false) } };
  return { kind: 'interval', interval: { start: bound(version, true), end: bound(version, true) } };
}

const PHRASES: readonly [RegExp, Operator][] = [
  [/^(.+?)\s+(?:and|or)\s+(?:below|earlier|prior|older|lower|before)$/i, '<='],
  [/^(.+?)\s+(?:and|or)\s+(?:later|above|newer|higher|after)$/i, '>='],
  [/^(?:all\s+)?(?:versions?\s+)?(?:prior\s+to|before|below|earlier\s+than|older\s+than)\s+(.+)$/i, '<'],
  [/^(?:all\s+)?(?:versions?\s+)?up\s+to\s+(?:and\s+including\s+)?(.+)$/i, '<='],
  [/^(?:all\s+)?(?:versions?\s+)?(?:after|later\s+than|newer\s+than)\s+(.+)$/i, '>'],
];

/** Reads one clause (already split from its neighbours and cleared of asides). */
export function parseClause(text: string): Clause {
  const body = text.replace(/\s+/g, ' ').trim();
  if (/^(?:\*|all|all versions|any|any version)$/i.test(body)) return { kind: 'any' };
  if (isDate(body)) return { kind: 'unknown' };
  const op = /^(<=|>=|==|=<|=>|<|>|=)\s*(.+)$/.exec(body);
  if (op) {
    const [, written = '', value = ''] = op;
    return operatorClause(OPERATOR_SPELLINGS[written] ?? (written as Operator), value);
  }
  for (const [pattern, operator] of PHRASES) {
    const phrase = pattern.exec(body);
    if (phrase) return operatorClause(operator, phrase[1] ?? '');
  }
  const [, low = '', below = '', high = ''] = /^(\S+)\s*(<=|<)\s*(\S+)$/.exec(body) ?? [];
  if (isVersionText(low) && isVersionText(high)) {
    const highWild = wildcardRange(high);
    const end = highWild ? bound(below === '<' ? highWild.start : highWild.end, false) : bound(high, below === '<=');
    return { kind: 'interval', interval: { start: bound(wildcardRange(low)?.start ?? low, true), end } };
  }
  const [, first, last] = /^rev(?:ision)?s?\.?\s+([a-z])\s*(?:-|to|through)\s*([a-z])$/i.exec(body) ?? [];
  if (first && last) return { kind: 'interval', interval: { start: bound(first, true), end: bound(last, true) } };
  const version = withoutLabel(body);
  if (!isVersionText(version) || isModelNumber(version)) return { kind: 'unknown' };
  return exactClause(version);
}
