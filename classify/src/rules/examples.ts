/** A rule's own test vectors: what it must give on its examples, and that it stays quiet on its counter-examples. */
import type { Attribute, Signal } from '../profile.js';
import type { VendorNames } from '../vendor-names.js';
import { fireRule, indexSignals } from './match.js';
import type { Rule } from './types.js';

/** What each attribute came out as when the rule alone ran on these signals. */
export function ruleOutputs(rule: Rule, signals: readonly Signal[], vendors: VendorNames): Map<Attribute, Set<string>> {
  const produced = new Map<Attribute, Set<string>>();
  for (const firing of fireRule(rule, indexSignals(signals), vendors)) {
    let values = produced.get(firing.attribute);
    if (!values) produced.set(firing.attribute, (values = new Set()));
    values.add(firing.value);
  }
  return produced;
}

/** Each way the rule departs from its examples, in words; empty when it keeps to them all. */
export function exampleProblems(rule: Rule, vendors: VendorNames): string[] {
  const problems: string[] = [];
  const show = (values: Set<string> | undefined): string => (values ? [...values].map((v) => `'${v}'`).join(', ') : 'nothing');
  rule.examples.forEach((example, i) => {
    const produced = ruleOutputs(rule, example.signals, vendors);
    for (const [attribute, expected] of Object.entries(example.expect) as [Attribute, string | null][]) {
      const got = produced.get(attribute);
      const ok = expected === null ? got === undefined : got !== undefined && got.size === 1 && got.has(expected);
      if (!ok) problems.push(`examples[${i}]: ${attribute} should be ${expected === null ? 'nothing' : `'${expected}'`}, is ${show(got)}`);
    }
    for (const [attribute, got] of produced) {
      if (!(attribute in example.expect)) problems.push(`examples[${i}]: gives ${attribute} ${show(got)}, which the example does not expect`);
    }
  });
  rule.counterExamples.forEach((signals, i) => {
    const produced = ruleOutputs(rule, signals, vendors);
    if (produced.size > 0) {
      problems.push(`counterExamples[${i}]: fires (${[...produced].map(([a, v]) => `${a} ${show(v)}`).join('; ')})`);
    }
  });
  return problems;
}
