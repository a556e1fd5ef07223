/**
 * Predicates of a rule's `when`: a signal test (`{"signal": name | [names] | "@group", "equals" |
 * "prefix" | "contains" | "regex" | "present", "ignoreCase"?}`) or `allOf` / `anyOf` / `not` of them.
 */
import { expandSignals } from '../signals.js';
import { array, fail, object, onlyKeys, regex, text, type Json, type JsonObject, type Place } from './check.js';
import type { LeafPredicate, Predicate } from './types.js';

const OPERATORS = ['equals', 'prefix', 'contains', 'regex', 'present'] as const;
type Operator = (typeof OPERATORS)[number];

/** Longest value a rule looks at; longer values are cut, which bounds the work of every regex. */
export const MAX_MATCHED_LENGTH = 1024;

export class PredicateParser {
  /** Leaves in the order met, depth first. */
  readonly leaves: LeafPredicate[] = [];

  constructor(private readonly place: Place) {}

  parse(field: string, json: Json | undefined, within: 'top' | 'allOf' | 'anyOf' | 'not' = 'top'): Predicate {
    const node = object(this.place, field, json);
    if ('allOf' in node || 'anyOf' in node) return this.group(field, node, 'allOf' in node ? 'allOf' : 'anyOf');
    if ('not' in node) {
      onlyKeys(this.place, field, node, ['not']);
      if (within !== 'allOf') fail(this.place, field, "'not' may only sit directly inside 'allOf', next to a test that matches");
      return { kind: 'not', child: this.parse(`${field}.not`, node['not'], 'not') };
    }
    return this.leaf(field, node);
  }

  private group(field: string, node: JsonObject, kind: 'allOf' | 'anyOf'): Predicate {
    onlyKeys(this.place, field, node, [kind]);
    const items = array(this.place, `${field}.${kind}`, node[kind]);
    if (items.length === 0) fail(this.place, `${field}.${kind}`, 'must not be empty');
    const children = items.map((item, i) => this.parse(`${field}.${kind}[${i}]`, item, kind));
    if (kind === 'allOf' && children.every((c) => c.kind === 'not')) {
      fail(this.place, `${field}.allOf`, "needs at least one test that matches besides 'not'");
    }
    return { kind, children };
  }

  private leaf(field: string, node: JsonObject): LeafPredicate {
    onlyKeys(this.place, field, node, ['signal', ...OPERATORS, 'ignoreCase']);
    const rawSignal = node['signal'];
    const names = Array.isArray(rawSignal)
      ? rawSignal.map((s, i) => text(this.place, `${field}.signal[${i}]`, s))
      : [text(this.place, `${field}.signal`, rawSignal)];
    if (names.length === 0) fail(this.place, `${field}.signal`, 'must name at least one signal');
    const expanded = expandSignals(names);
    if ('unknown' in expanded) fail(this.place, `${field}.signal`, `unknown signal '${expanded.unknown}' (see classify/src/signals.ts)`);
    const operators = OPERATORS.filter((op) => op in node);
    if (operators.length !== 1) fail(this.place, field, `needs exactly one of ${OPERATORS.join(', ')} (has ${operators.length})`);
    const operator = operators[0] as Operator;
    const ignoreCase = node['ignoreCase'] ?? false;
    if (typeof ignoreCase !== 'boolean') fail(this.place, `${field}.ignoreCase`, 'must be true or false');
    const index = this.leaves.length;
    const built = this.test(`${field}.${operator}`, operator, node[operator], ignoreCase);
    const leaf: LeafPredicate = { kind: 'leaf', index, signals: expanded.signals, ...built };
    this.leaves.push(leaf);
    return leaf;
  }

  private test(field: string, operator: Operator, operand: Json | undefined, ignoreCase: boolean): Pick<LeafPredicate, 'regex' | 'test'> {
    if (operator === 'present') {
      if (operand !== true) fail(this.place, field, 'must be true');
      return { regex: null, test: () => true };
    }
    const wanted = text(this.place, field, operand);
    if (operator === 'regex') {
      const pattern = regex(this.place, field, wanted, ignoreCase);
      return { regex: pattern, test: (value) => pattern.test(value) };
    }
    const fold = (s: string): string => (ignoreCase ? s.toLowerCase() : s);
    const target = fold(wanted);
    if (operator === 'equals') return { regex: null, test: (value) => fold(value) === target };
    if (operator === 'prefix') return { regex: null, test: (value) => fold(value).startsWith(target) };
    return { regex: null, test: (value) => fold(value).includes(target) };
  }
}

/** Capture-group names and the count of numbered groups of a compiled pattern. */
export function groupsOf(pattern: RegExp): { count: number; names: string[] } {
  const probe = new RegExp(`${pattern.source}|`, pattern.flags).exec('');
  return { count: probe ? probe.length - 1 : 0, names: Object.keys(probe?.groups ?? {}) };
}
