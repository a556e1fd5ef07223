/** Small rule libraries built in the test, on disk (for the loader) or in memory (for matching). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exampleProblems } from '../src/rules/examples.js';
import type { Json } from '../src/rules/check.js';
import { parseRuleFile } from '../src/rules/rule-file.js';
import type { RuleSet } from '../src/rules/types.js';
import { parseVendorFile } from '../src/rules/vendor-file.js';

/** Two makers and one module maker: enough for vendor outputs and OUI folding. */
export const VENDORS = {
  version: 'test-1',
  rules: [
    { id: 'vendor.philips', name: 'Philips', source: 'IEEE registry', match: ['^philips\\b'], examples: ['Philips Patient Monitoring'] },
    { id: 'vendor.ge', name: 'GE Healthcare', source: 'IEEE registry', match: ['^ge health ?care\\b', '^gehc$'], examples: ['GE Healthcare', 'GEHC'] },
    { id: 'vendor.intel', name: 'Intel', source: 'IEEE registry', match: ['^intel corporat'], examples: ['Intel Corporate'], nicOnly: true },
  ],
};

/** A rule with every required field; `overrides` replace or add fields. */
export function aRule(overrides: Record<string, Json> = {}): Record<string, Json> {
  return {
    id: 'test.intellivue',
    description: 'IntelliVue monitors',
    source: 'Philips IntelliVue instructions for use',
    confidence: 0.9,
    when: { signal: 'dhcp.option60', regex: 'IntelliVue (MX\\d{3})' },
    then: { vendor: 'Philips', category: 'patient-monitor', model: 'IntelliVue ${1}' },
    examples: [
      { signals: [{ signal: 'dhcp.option60', value: 'Philips IntelliVue MX450' }], expect: { vendor: 'Philips', category: 'patient-monitor', model: 'IntelliVue MX450' } },
    ],
    ...overrides,
  };
}

/** Writes `files` (name → JSON document) into a fresh directory; `cleanup` removes it. */
export function ruleDirectory(files: Record<string, unknown>): { directory: string; cleanup(): void } {
  const directory = mkdtempSync(join(tmpdir(), 'wardsight-rules-'));
  for (const [name, doc] of Object.entries(files)) writeFileSync(join(directory, name), typeof doc === 'string' ? doc : JSON.stringify(doc));
  return { directory, cleanup: () => rmSync(directory, { recursive: true, force: true }) };
}

/** A rule set from rule objects, parsed as the loader parses them and checked against their examples. */
export function ruleSetOf(rules: Record<string, Json>[]): RuleSet {
  const { vendors } = parseVendorFile('rules/vendors.json', VENDORS as unknown as Json);
  const parsed = parseRuleFile('rules/test.json', { version: 'test-1', rules } as Json, vendors);
  for (const rule of parsed.rules) {
    const problems = exampleProblems(rule, vendors);
    if (problems.length > 0) throw new Error(`${rule.id}: ${problems.join('; ')}`);
  }
  return { versions: { 'rules/test.json': 'test-1' }, rules: parsed.rules, vendors };
}
