/**
 * Version constraints as published, read into unions of intervals, and the test whether a device's
 * version lies inside one. Three sources write them: CSAF product trees in free text (`<= 2.3.6`,
 * `2.3.6 and below`, `>= 4.4 | <= 4.12`, `vers:all/*`, `1.1 | 1.2 | 1.4`, `12.2.x.x`), CVE JSON 5
 * `versions[]` entries, and NVD's `versionStart/End…` bounds.
 *
 * Reading free text: parenthesised asides (`(end-of-life Nov 2017)`, `(Wireless Battery Modules
 * …)`) and trailing conditions (`on Windows 8.1`, `running on …`, `model 35700BAX`) are set aside;
 * a labelled firmware version (`Version A, Firmware A.03.09`) is taken as the version; the rest
 * is split on `|` (and, inside one part, on ` / `, ` and `, commas, or spaces between dotted
 * versions) into clauses. A lower bound followed by an upper bound is ONE interval (`>= 4.4 |
 * <= 4.12` is 4.4..4.12); other bounds stand alone (`<= U61 |<= L81` is two). A text with a part
 * that is not a version — a date, a model number, a product name — is not understood as a whole.
 *
 * Series: an interval whose bounds all carry one letter series (`L81`, `BT06`) speaks only of
 * versions of that series, and an interval without series only of versions without one; against
 * versions of another series it is silent. Release letters (`B.06.18`) are no series: Philips
 * publishes A, B, C… revisions in order, so `< B.06.18` does cover `A.01.00`.
 */
import type { VersionBound, VersionConstraint, VersionInterval } from '../model.js';
import { type Clause, parseClause, wildcardRange, withoutLabel } from './clause.js';
import { compareParsed, compareVersions, parseVersion, type ParsedVersion } from './compare.js';

const NOT_UNDERSTOOD = (raw: string): VersionConstraint => ({ raw, any: false, intervals: [], understood: false });
const CONDITION = /\s+(?:on|running on|with|integrated into|model)\s+.*$/i;

/** Removes parenthesised asides, nested or left unclosed (`6.x (Modules (16 | 17)` → `6.x`). */
function withoutAsides(text: string): string {
  let body = text;
  for (let previous = ''; previous !== body;) {
    previous = body;
    body = body.replace(/\([^()]*\)/g, ' ');
  }
  const open = body.indexOf('(');
  return (open >= 0 ? body.slice(0, open) : body).replace(/\s+/g, ' ').trim();
}

/** The clauses of one `|`-separated part, or null when the part is not versions. */
function partClauses(part: string): Clause[] | null {
  const body = part.replace(CONDITION, '').trim();
  if (body === '') return [];
  const listed = withoutLabel(body).split(' ');
  if (listed.length > 1 && listed.every((word) => /^\d+(?:\.\d+)+$/.test(word))) return listed.map(parseClause);
  const whole = parseClause(body);
  if (whole.kind !== 'unknown') return [whole];
  const pieces = body.split(/\s+\/\s+|\s+and\s+|\s*,\s*/).filter((piece) => piece !== '');
  if (pieces.length > 1) {
    const clauses = pieces.map(parseClause);
    if (clauses.every((clause) => clause.kind !== 'unknown')) return clauses;
  }
  return null;
}

/** Pairs lone bounds into intervals: a lower bound followed by an upper bound at or above it is one interval. */
function assemble(raw: string, clauses: readonly Clause[]): VersionConstraint {
  const intervals: VersionInterval[] = [];
  let lower: VersionBound | undefined;
  const flush = (): void => {
    if (lower) intervals.push({ start: lower });
    lower = undefined;
  };
  if (clauses.some((clause) => clause.kind === 'unknown')) return NOT_UNDERSTOOD(raw);
  if (clauses.some((clause) => clause.kind === 'any')) return { raw, any: true, intervals: [], understood: true };
  for (const clause of clauses) {
    switch (clause.kind) {
      case 'interval': flush(); intervals.push(clause.interval); break;
      case 'lower': flush(); lower = clause.bound; break;
      case 'upper':
        if (lower && compareVersions(lower.version, clause.bound.version) <= 0) intervals.push({ start: lower, end: clause.bound });
        else {
          flush();
          intervals.push({ end: clause.bound });
        }
        lower = undefined;
        break;
    }
  }
  flush();
  return intervals.length === 0 ? NOT_UNDERSTOOD(raw) : { raw, any: false, intervals, understood: true };
}

/** Reads a `vers:` URI (github.com/package-url/vers-spec): `vers:all/*`, `vers:generic/>=1.0|<2.0`. */
function parseVers(raw: string, body: string): VersionConstraint {
  const slash = body.indexOf('/');
  const constraints = slash < 0 ? '' : body.slice(slash + 1).trim();
  if (constraints === '*') return { raw, any: true, intervals: [], understood: true };
  if (constraints === '' || constraints.includes('!=')) return NOT_UNDERSTOOD(raw);
  const clauses = constraints.split('|').map((item): Clause => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(item.trim());
    } catch {
      return { kind: 'unknown' };
    }
    return parseClause(/^[<>=]/.test(decoded) ? decoded : `=${decoded}`);
  });
  return assemble(raw, clauses);
}

/**
 * Reads a published version text into a constraint (see the file comment for what is read and
 * how). Texts that are not versions come back with `understood: false`, never as a guess.
 */
export function parseConstraint(raw: string): VersionConstraint {
  let body = raw.replace(/\s+/g, ' ').trim();
  if (/^vers:/i.test(body)) return parseVers(raw, body);
  if (/^\(.*\)$/.test(body)) body = body.slice(1, -1).trim();
  const firmware = /\bfirmware:?\s+([^\s,;|()]+)/i.exec(body);
  if (firmware?.[1]) body = firmware[1];
  body = withoutAsides(body);
  if (body === '') return NOT_UNDERSTOOD(raw);
  const clauses: Clause[] = [];
  for (const part of body.split('|')) {
    const read = partClauses(part.trim());
    if (read === null) return NOT_UNDERSTOOD(raw);
    clauses.push(...read);
  }
  return assemble(raw, clauses);
}

/** The letter series all the interval's bounds share (`''` when none has one), or null when they differ. */
function intervalSeries(interval: VersionInterval): string | null {
  const series = [interval.start, interval.end]
    .filter((b): b is VersionBound => b !== undefined)
    .map((b) => parseVersion(b.version).series ?? '');
  return series.every((s) => s === series[0]) ? (series[0] ?? '') : null;
}

/** Whether the interval holds the version; null when the interval speaks of another series. */
function intervalContains(interval: VersionInterval, version: ParsedVersion): boolean | null {
  if (!interval.start && !interval.end) return true;
  const series = intervalSeries(interval);
  if (series !== null && series !== (version.series ?? '')) return null;
  if (interval.start) {
    const order = compareParsed(version, parseVersion(interval.start.version));
    if (order < 0 || (order === 0 && !interval.start.inclusive)) return false;
  }
  if (interval.end) {
    const order = compareParsed(version, parseVersion(interval.end.version));
    if (order > 0 || (order === 0 && !interval.end.inclusive)) return false;
  }
  return true;
}

/**
 * Whether `version` satisfies the constraint: true when an interval holds it, false when an
 * interval that speaks of its series leaves it out and none holds it, null when nothing can be
 * said (the constraint was not understood, the version is blank, or only other series are named).
 */
export function containsVersion(c: VersionConstraint, version: string): boolean | null {
  if (!c.understood) return null;
  if (c.any) return true;
  const parsed = parseVersion(version);
  if (parsed.tokens.length === 0) return null;
  let answer: boolean | null = null;
  for (const interval of c.intervals) {
    const inside = intervalContains(interval, parsed);
    if (inside === true) return true;
    if (inside === false) answer = false;
  }
  return answer;
}

/** A CVE JSON 5 `affected[].versions[]` entry (CVE JSON 5.1 `versions` item). */
export interface Cve5VersionEntry {
  version?: string;
  lessThan?: string;
  lessThanOrEqual?: string;
  versionType?: string;
  status?: string;
}

/** Start values that mean "from the first version" in CVE JSON 5 ranges. */
const NO_START = new Set(['', '0', '*', 'unspecified', 'n/a', 'all']);

/**
 * The versions one CVE JSON 5 entry names: with `lessThan` / `lessThanOrEqual`, the range from
 * `version` (`0`, `*` or `unspecified` meaning from the first) to that end (`*` meaning no end,
 * `5.*` up to the 5 series' end); without, the `version` text read as `parseConstraint` reads
 * free text. Git commit ranges (`versionType: git`) cannot be ordered and are not understood.
 * The entry's `status` is the caller's to read: this is only which versions.
 */
export function constraintFromCve5(entry: Cve5VersionEntry): VersionConstraint {
  const start = entry.version?.trim() ?? '';
  const endText = (entry.lessThan ?? entry.lessThanOrEqual)?.trim();
  if (endText === undefined) return start === '' ? NOT_UNDERSTOOD(start) : parseConstraint(start);
  const fromFirst = NO_START.has(start.toLowerCase());
  const operator = entry.lessThan !== undefined ? '<' : '<=';
  const raw = `${fromFirst ? '' : `>= ${start}, `}${operator} ${endText}`;
  if (entry.versionType === 'git') return NOT_UNDERSTOOD(raw);
  const interval: VersionInterval = fromFirst ? {} : { start: { version: start, inclusive: true } };
  if (endText !== '*') {
    const wild = wildcardRange(endText);
    if (wild) interval.end = { version: operator === '<' ? wild.start : wild.end, inclusive: false };
    else interval.end = { version: endText, inclusive: operator === '<=' };
  }
  if (!interval.start && !interval.end) return { raw, any: true, intervals: [], understood: true };
  return { raw, any: false, intervals: [interval], understood: true };
}

/** NVD `cpeMatch` range bounds (`versionStartIncluding` … `versionEndExcluding`), names shortened. */
export interface VersionBounds {
  startIncluding?: string;
  startExcluding?: string;
  endIncluding?: string;
  endExcluding?: string;
}

/**
 * The interval NVD's bounds describe. With no bound at all it is every version: NVD then puts the
 * version in the CPE itself, which the caller reads with `parseConstraint` instead.
 */
export function constraintFromBounds(bounds: VersionBounds): VersionConstraint {
  const interval: VersionInterval = {};
  const parts: string[] = [];
  const start = bounds.startIncluding ?? bounds.startExcluding;
  if (start !== undefined) {
    interval.start = { version: start, inclusive: bounds.startIncluding !== undefined };
    parts.push(`${interval.start.inclusive ? '>=' : '>'} ${start}`);
  }
  const end = bounds.endIncluding ?? bounds.endExcluding;
  if (end !== undefined) {
    interval.end = { version: end, inclusive: bounds.endIncluding !== undefined };
    parts.push(`${interval.end.inclusive ? '<=' : '<'} ${end}`);
  }
  if (parts.length === 0) return { raw: '*', any: true, intervals: [], understood: true };
  return { raw: parts.join(', '), any: false, intervals: [interval], understood: true };
}
