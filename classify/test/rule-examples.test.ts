import { describe, expect, it } from 'vitest';
import { classify } from '../src/classify.js';
import { exampleProblems, ruleOutputs } from '../src/rules/examples.js';
import { loadRuleSet } from '../src/rules/load.js';

// Loaded without the load-time check, so a failing example is reported here, per rule.
const library = loadRuleSet({ checkExamples: false });

describe.each([...new Set(library.rules.map((r) => r.file))])('%s', (file) => {
  const rules = library.rules.filter((r) => r.file === file);

  it.each(rules.map((r) => [r.id, r] as const))('%s keeps to its examples and counter-examples', (_id, rule) => {
    expect(exampleProblems(rule, library.vendors)).toEqual([]);
  });

  it.each(rules.map((r) => [r.id, r] as const))('%s: each expected value is a candidate of the whole library', (_id, rule) => {
    for (const example of rule.examples) {
      const profile = classify(example.signals, { rules: library });
      for (const [attribute, value] of Object.entries(example.expect)) {
        if (value === null) continue;
        const candidates = profile[attribute as keyof typeof profile].candidates.map((c) => c.value.toLowerCase());
        expect(candidates, `${attribute} of ${JSON.stringify(example.signals)}`).toContain(value.toLowerCase());
      }
    }
  });
});

describe('rule outputs', () => {
  it('are empty when the rule does not apply', () => {
    const rule = library.rules.find((r) => r.id === 'monitor.philips.intellivue');
    expect(rule).toBeDefined();
    expect(ruleOutputs(rule!, [{ signal: 'dhcp.option60', value: 'MSFT 5.0' }], library.vendors).size).toBe(0);
  });
});
