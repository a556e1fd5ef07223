/**
 * CPE name matching (NISTIR 7696): each attribute of a source name (a vulnerability's criterion)
 * is compared with the same attribute of a target name (what a device is known by), giving
 * SUPERSET, SUBSET, EQUAL, DISJOINT or UNDEFINED (Table 6-2); the name relations follow from the
 * attribute relations (§6.2). A criterion matches a target when the source is a superset of the
 * target: every attribute SUPERSET or EQUAL.
 *
 * Versions are compared here as CPE compares them, as strings: `1.2` and `1.2.0` are DISJOINT. This
 * is deliberate. Version ranges belong to the NVD `cpeMatch` bounds (`versionStartIncluding`…),
 * which `match/configuration.ts` checks with the firmware version comparator; an ordering inside
 * the CPE comparison would answer a question the name does not ask.
 */
import { CPE_ATTRIBUTES, type Cpe, type CpeAttribute, type CpeValue } from './parse.js';

export type CpeRelation = 'SUPERSET' | 'SUBSET' | 'EQUAL' | 'DISJOINT' | 'UNDEFINED';

/** The relation of each attribute of a source name to the same attribute of a target name. */
export type CpeComparison = Record<CpeAttribute, CpeRelation>;

function hasWildcards(value: CpeValue): boolean {
  return value.kind === 'text' && (value.before !== '' || value.after !== '');
}

/** How many characters a wildcard run stands for at most: `*` any number, each `?` one. */
function reach(run: string): number {
  return run === '*' ? Number.POSITIVE_INFINITY : run.length;
}

/**
 * Whether a source string with wildcards at its ends covers a literal target (NISTIR 7696 §6.1.3,
 * `compareStrings`): the literal part must occur in the target with no more characters before
 * and after it than the wildcards allow. As in NIST's reference code, `?` stands for at most one
 * character.
 */
function wildcardCovers(source: { text: string; before: string; after: string }, target: string): boolean {
  const before = reach(source.before);
  const after = reach(source.after);
  for (let index = 0; index + source.text.length <= target.length && index <= before; index++) {
    if (!target.startsWith(source.text, index)) continue;
    if (target.length - index - source.text.length <= after) return true;
  }
  return false;
}

function sameValue(a: CpeValue, b: CpeValue): boolean {
  if (a.kind !== 'text' || b.kind !== 'text') return a.kind === b.kind;
  return a.text === b.text && a.before === b.before && a.after === b.after;
}

/** The relation of one source attribute value to one target value (NISTIR 7696 Table 6-2). */
export function compareCpeValues(source: CpeValue, target: CpeValue): CpeRelation {
  if (hasWildcards(target)) return 'UNDEFINED';
  if (sameValue(source, target)) return 'EQUAL';
  if (source.kind === 'any') return 'SUPERSET';
  if (target.kind === 'any') return 'SUBSET';
  if (source.kind === 'na' || target.kind === 'na') return 'DISJOINT';
  // Both are strings now, the target without wildcards: only a source wildcard can cover it.
  return hasWildcards(source) && wildcardCovers(source, target.text) ? 'SUPERSET' : 'DISJOINT';
}

/** Compares two names attribute by attribute (NISTIR 7696 §6.2, `compare_wfns`). */
export function compareCpes(source: Cpe, target: Cpe): CpeComparison {
  const entries = CPE_ATTRIBUTES.map((attribute) => [attribute, compareCpeValues(source[attribute], target[attribute])] as const);
  return Object.fromEntries(entries) as CpeComparison;
}

function every(comparison: CpeComparison, allowed: CpeRelation[]): boolean {
  return CPE_ATTRIBUTES.every((attribute) => allowed.includes(comparison[attribute]));
}

/** CPE_DISJOINT: some attribute is DISJOINT, so no thing is named by both. */
export function isDisjoint(comparison: CpeComparison): boolean {
  return CPE_ATTRIBUTES.some((attribute) => comparison[attribute] === 'DISJOINT');
}

/** CPE_EQUAL: every attribute EQUAL. */
export function isEqual(comparison: CpeComparison): boolean {
  return every(comparison, ['EQUAL']);
}

/** CPE_SUBSET: the source is a subset of the target, every attribute SUBSET or EQUAL. */
export function isSubset(comparison: CpeComparison): boolean {
  return every(comparison, ['SUBSET', 'EQUAL']);
}

/** CPE_SUPERSET: the source is a superset of the target, every attribute SUPERSET or EQUAL. */
export function isSuperset(comparison: CpeComparison): boolean {
  return every(comparison, ['SUPERSET', 'EQUAL']);
}

/**
 * The relation of two whole names, checked in the order EQUAL, SUPERSET, SUBSET, DISJOINT;
 * UNDEFINED where none holds (a wildcard in the target, or attributes pulling different ways).
 */
export function relateCpes(source: Cpe, target: Cpe): CpeRelation {
  const comparison = compareCpes(source, target);
  if (isEqual(comparison)) return 'EQUAL';
  if (isSuperset(comparison)) return 'SUPERSET';
  if (isSubset(comparison)) return 'SUBSET';
  if (isDisjoint(comparison)) return 'DISJOINT';
  return 'UNDEFINED';
}

/** CPE Name Matching: the criterion names a set that holds the target (criterion ⊇ target). */
export function cpeMatches(criterion: Cpe, target: Cpe): boolean {
  return isSuperset(compareCpes(criterion, target));
}
