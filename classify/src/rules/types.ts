/** A rule library as loaded and checked: predicates compiled, templates parsed, examples kept. */
import type { Attribute, Signal } from '../profile.js';
import type { VendorNames } from '../vendor-names.js';
import type { Template } from './template.js';

/** One signal test: the signal names it reads and how a value is tested. */
export interface LeafPredicate {
  kind: 'leaf';
  /** Position among the rule's leaves, depth first. */
  index: number;
  signals: readonly string[];
  /** The regular expression when the test is one (its groups feed templates), else null. */
  regex: RegExp | null;
  /** Whether a value passes; for a regex test, use `regex` to get the groups. */
  test(value: string): boolean;
}

export type Predicate =
  | LeafPredicate
  | { kind: 'allOf'; children: readonly Predicate[] }
  | { kind: 'anyOf'; children: readonly Predicate[] }
  | { kind: 'not'; child: Predicate };

export interface RuleOutput {
  attribute: Attribute;
  template: Template;
  confidence: number;
}

export interface RuleExample {
  signals: readonly Signal[];
  /** Per attribute, the value the rule gives, or null for none. */
  expect: Partial<Record<Attribute, string | null>>;
}

export interface Rule {
  id: string;
  description: string;
  /** The public reference the rule rests on. */
  source: string;
  /** Rule file it came from, as `rules/<name>.json`. */
  file: string;
  when: Predicate;
  /** Every signal name its tests read. */
  reads: readonly string[];
  /** Leaf index whose regex groups `${n}` refers to, or -1. */
  captureLeaf: number;
  outputs: readonly RuleOutput[];
  examples: readonly RuleExample[];
  /** Signal sets on which the rule must not fire. */
  counterExamples: readonly (readonly Signal[])[];
}

export interface RuleSet {
  /** Version of each rule file, keyed by `rules/<name>.json`. */
  versions: Readonly<Record<string, string>>;
  rules: readonly Rule[];
  vendors: VendorNames;
}
