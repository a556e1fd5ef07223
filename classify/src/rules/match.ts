/**
 * Running rules over a device's signals. A rule fires once per way its predicate is met (one
 * binding of signals to its tests); each firing gives the rule's outputs, with the signals that
 * met it as evidence.
 */
import type { Attribute, Evidence, Signal } from '../profile.js';
import type { VendorNames } from '../vendor-names.js';
import { MAX_MATCHED_LENGTH } from './predicate.js';
import { expand, type CaptureLookup } from './template.js';
import type { LeafPredicate, Predicate, Rule, RuleSet } from './types.js';

/** A signal as rules see it: one per name and value, at the highest confidence it was reported with. */
export interface IndexedSignal {
  signal: string;
  value: string;
  /** `value` cut to `MAX_MATCHED_LENGTH`. */
  matched: string;
  confidence: number;
}

export type SignalIndex = ReadonlyMap<string, readonly IndexedSignal[]>;

/** One rule output supported by one binding of signals. */
export interface Firing {
  attribute: Attribute;
  value: string;
  weight: number;
  /**
   * What the support rests on, for counting independent sources: the signal names involved
   * (`dhcp.option60`, `dicom.abstractSyntax+dicom.calledAe`) or `learned:<id>`.
   */
  source: string;
  evidence: Evidence[];
}

interface Hit {
  leaf: LeafPredicate;
  signal: IndexedSignal;
  groups: RegExpExecArray | null;
}

/** Bindings kept per predicate: bounds the cross product of `allOf` over many repeated signals. */
const MAX_BINDINGS = 64;

function attributionOf(signal: Signal): number {
  const c = signal.confidence;
  if (c === undefined) return 1;
  return Number.isFinite(c) ? Math.min(1, Math.max(0, c)) : 0;
}

export function indexSignals(signals: readonly Signal[]): SignalIndex {
  const index = new Map<string, Map<string, IndexedSignal>>();
  for (const s of signals) {
    if (typeof s.signal !== 'string' || typeof s.value !== 'string') continue;
    const confidence = attributionOf(s);
    if (confidence === 0) continue;
    let byValue = index.get(s.signal);
    if (!byValue) index.set(s.signal, (byValue = new Map()));
    const seen = byValue.get(s.value);
    if (!seen || seen.confidence < confidence) {
      byValue.set(s.value, { signal: s.signal, value: s.value, matched: s.value.slice(0, MAX_MATCHED_LENGTH), confidence });
    }
  }
  return new Map([...index].map(([name, byValue]) => [name, [...byValue.values()]]));
}

function bindings(predicate: Predicate, index: SignalIndex): Hit[][] {
  switch (predicate.kind) {
    case 'leaf': {
      const found: Hit[][] = [];
      for (const name of predicate.signals) {
        for (const signal of index.get(name) ?? []) {
          if (found.length >= MAX_BINDINGS) return found;
          if (predicate.regex) {
            const groups = predicate.regex.exec(signal.matched);
            if (groups) found.push([{ leaf: predicate, signal, groups }]);
          } else if (predicate.test(signal.matched)) {
            found.push([{ leaf: predicate, signal, groups: null }]);
          }
        }
      }
      return found;
    }
    case 'anyOf':
      return predicate.children.flatMap((child) => bindings(child, index)).slice(0, MAX_BINDINGS);
    case 'allOf': {
      let combined: Hit[][] = [[]];
      for (const child of predicate.children) {
        const options = bindings(child, index);
        if (options.length === 0) return [];
        combined = combined.flatMap((left) => options.map((right) => [...left, ...right])).slice(0, MAX_BINDINGS);
      }
      return combined;
    }
    case 'not':
      return bindings(predicate.child, index).length === 0 ? [[]] : [];
  }
}

function capturesOf(rule: Rule, hits: readonly Hit[]): CaptureLookup {
  const anchor = hits.find((hit) => hit.leaf.index === rule.captureLeaf);
  return {
    numbered: (n) => anchor?.groups?.[n],
    named: (name) => {
      for (const hit of hits) {
        const text = hit.groups?.groups?.[name];
        if (text !== undefined) return text;
      }
      return undefined;
    },
  };
}

/** Every firing of one rule on these signals. */
export function fireRule(rule: Rule, index: SignalIndex, vendors: VendorNames): Firing[] {
  if (!rule.reads.some((name) => index.has(name))) return [];
  const firings: Firing[] = [];
  for (const hits of bindings(rule.when, index)) {
    if (hits.length === 0) continue;
    const captures = capturesOf(rule, hits);
    const attribution = Math.min(...hits.map((hit) => hit.signal.confidence));
    const source = [...new Set(hits.map((hit) => hit.signal.signal))].sort().join('+');
    for (const output of rule.outputs) {
      const expanded = expand(output.template, captures);
      const value = expanded !== null && output.attribute === 'vendor' ? vendors.normalise(expanded) : expanded;
      if (value === null) continue;
      const weight = output.confidence * attribution;
      const evidence = [...new Set(hits.map((hit) => hit.signal))].map((s) => ({ signal: s.signal, value: s.value, rule: rule.id, weight }));
      firings.push({ attribute: output.attribute, value, weight, source, evidence });
    }
  }
  return firings;
}

/** Every firing of every rule in the set. */
export function fireRules(ruleSet: RuleSet, index: SignalIndex): Firing[] {
  return ruleSet.rules.flatMap((rule) => fireRule(rule, index, ruleSet.vendors));
}
