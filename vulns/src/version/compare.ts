/**
 * Firmware and software version comparison for the free-text versions makers publish
 * (`B.06.18`, `4.26.10m`, `V2.1 build 45`, `012U000040`, `BT06`, `L81`). Generic semver libraries
 * fail on these; here a version is cut into tokens — runs of digits and runs of letters — and two
 * versions are compared token by token: numbers as numbers (`2.8.123e` after `2.8.75`), letters
 * as letters, case-insensitively, a leading `v` ignored. The raw string is kept beside the tokens.
 *
 * The order is total and decided by these rules, in this order, at the first position where the
 * two token lists differ:
 * - number against number: by value (`10` after `9`, leading zeros ignored, any length);
 * - word against word: pre-release words first, then alphabetically (`b` after `a`, so
 *   `B.06.18` after `A.01.00`);
 * - number against word: a pre-release word (`dev`, `snapshot`, `alpha`, `beta`, `pre`,
 *   `preview`, `rc`, in that order) comes before any number, any other word after it (a letter
 *   where the other version has a number marks a build of that release: `2.4A` after `2.4.1`);
 * - a missing token counts as the number `0`: `1.0` == `1.0.0`, `1.0.1` after `1.0`,
 *   `4.26.10m` after `4.26.10`, `1.3.1 Build 13` after `1.3.1`, `1.0 beta` before `1.0`.
 * Ranking every token as pre-release word < number < other word keeps the order transitive.
 *
 * Wildcards (`1.x`, `12.2.x.x`) are not versions but ranges: `x` is an ordinary word here, and
 * `version/constraint.ts` turns a wildcard into an interval before any comparison.
 *
 * A version that starts with letters written against its first digits (`L81`, `U61`, `BT06`,
 * `SV20.1`, `HD 16`, `GEH-1.1`) names a *series*: makers use such prefixes for product lines or regional
 * builds that are not successive releases. `parseVersion` reports the series so that a constraint
 * can refuse to order versions of different series; the comparison itself still orders them
 * alphabetically. A single letter followed by a separator (`B.06.18`, `C.00.04`) is a release
 * letter, not a series.
 */

/** One token of a version: a run of digits, or a run of letters (lower-cased). */
export type VersionToken =
  | { kind: 'number'; digits: string }
  | { kind: 'word'; text: string };

/** A version as written and as understood. */
export interface ParsedVersion {
  raw: string;
  tokens: VersionToken[];
  /** The letters that name the version's series (`l` for `L81`, `bt` for `BT06`), where there is one. */
  series?: string;
}

const PRE_RELEASE = ['dev', 'snapshot', 'alpha', 'beta', 'pre', 'preview', 'rc'];
const TOKEN = /\d+|[a-z]+/g;
const SERIES = /^([a-z]+)[ -]?\d/;

/** Cuts a version string into digit and letter tokens, ignoring case, separators and a leading `v`. */
export function parseVersion(raw: string): ParsedVersion {
  const body = raw.trim().toLowerCase().replace(/^v(?=\d)/, '');
  const tokens: VersionToken[] = [];
  for (const match of body.matchAll(TOKEN)) {
    const part = match[0];
    if (/^\d/.test(part)) tokens.push({ kind: 'number', digits: part.replace(/^0+(?=\d)/, '') });
    else tokens.push({ kind: 'word', text: part });
  }
  const series = SERIES.exec(body)?.[1];
  return series === undefined ? { raw, tokens } : { raw, tokens, series };
}

/** Whether a token is a word that marks a pre-release (`beta`, `rc`…), which sorts before a release. */
export function isPreRelease(token: VersionToken): boolean {
  return token.kind === 'word' && PRE_RELEASE.includes(token.text);
}

const ZERO: VersionToken = { kind: 'number', digits: '0' };

/** The token's class: pre-release word 0, number 1, any other word 2. */
function rank(token: VersionToken): number {
  if (token.kind === 'number') return 1;
  return isPreRelease(token) ? 0 : 2;
}

function compareTokens(a: VersionToken, b: VersionToken): number {
  const byRank = rank(a) - rank(b);
  if (byRank !== 0) return byRank;
  if (a.kind === 'number' && b.kind === 'number') {
    if (a.digits.length !== b.digits.length) return a.digits.length - b.digits.length;
    return a.digits < b.digits ? -1 : a.digits > b.digits ? 1 : 0;
  }
  if (a.kind === 'word' && b.kind === 'word') {
    const byRelease = PRE_RELEASE.indexOf(a.text) - PRE_RELEASE.indexOf(b.text);
    if (byRelease !== 0) return byRelease;
    return a.text < b.text ? -1 : a.text > b.text ? 1 : 0;
  }
  return 0;
}

/** Compares two parsed versions: negative when `a` comes first, 0 when equal, positive when after. */
export function compareParsed(a: ParsedVersion, b: ParsedVersion): number {
  const length = Math.max(a.tokens.length, b.tokens.length);
  for (let i = 0; i < length; i++) {
    const order = compareTokens(a.tokens[i] ?? ZERO, b.tokens[i] ?? ZERO);
    if (order !== 0) return Math.sign(order);
  }
  return 0;
}

/**
 * Compares two version strings as firmware versions: negative when `a` is the earlier, 0 when
 * they are the same version (`1.0` and `V1.0.0`), positive when `a` is the later.
 */
export function compareVersions(a: string, b: string): number {
  return compareParsed(parseVersion(a), parseVersion(b));
}
