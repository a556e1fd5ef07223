import { afterEach, describe, expect, it } from 'vitest';
import { ClassifyError } from '../src/errors.js';
import { defaultRuleSet, loadRuleSet } from '../src/rules/load.js';
import type { Json } from '../src/rules/check.js';
import { aRule, ruleDirectory, VENDORS } from './rule-fixtures.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** Loads a directory holding the test vendors and `files`; returns the error it fails with. */
function loadError(files: Record<string, unknown>, withVendors = true): ClassifyError {
  const { directory, cleanup } = ruleDirectory(withVendors ? { 'vendors.json': VENDORS, ...files } : files);
  cleanups.push(cleanup);
  try {
    loadRuleSet({ directory });
  } catch (error) {
    if (error instanceof ClassifyError) return error;
    throw error;
  }
  throw new Error('the rules loaded');
}

const ruleFile = (...rules: Record<string, Json>[]): Json => ({ version: '1', rules });

describe('the shipped rule library', () => {
  it('loads, every rule passing its own examples, with a version per file', () => {
    const rules = defaultRuleSet();
    expect(rules.rules.length).toBeGreaterThan(100);
    expect(Object.keys(rules.versions)).toEqual(
      expect.arrayContaining(['rules/vendors.json', 'rules/dicom.json', 'rules/hl7.json', 'rules/medical-families.json', 'rules/os.json', 'rules/network-gear.json']),
    );
    for (const version of Object.values(rules.versions)) expect(version).toMatch(/^\d{4}\.\d{2}\.\d+$/);
  });

  it('cites a source for every rule and every vendor entry', () => {
    const rules = defaultRuleSet();
    for (const rule of rules.rules) expect(rule.source.length, rule.id).toBeGreaterThan(10);
    for (const entry of rules.vendors.entries) expect(entry.source.length, entry.id).toBeGreaterThan(10);
  });
});

describe('rule file errors name the file, the rule and the field', () => {
  it('loads a valid file', () => {
    const { directory, cleanup } = ruleDirectory({ 'vendors.json': VENDORS, 'monitors.json': ruleFile(aRule()) });
    cleanups.push(cleanup);
    const rules = loadRuleSet({ directory });
    expect(rules.rules.map((r) => [r.id, r.file])).toEqual([['test.intellivue', 'rules/monitors.json']]);
    expect(rules.versions).toEqual({ 'rules/vendors.json': 'test-1', 'rules/monitors.json': '1' });
  });

  it('a bad regular expression', () => {
    const error = loadError({ 'monitors.json': ruleFile(aRule({ when: { signal: 'dhcp.option60', regex: 'IntelliVue (MX\\d{3}' } })) });
    expect(error.code).toBe('CLASSIFY_ERR_RULE');
    expect(error.message).toMatch(/^A rule is invalid: rules\/monitors\.json: rule 'test\.intellivue' when\.regex: invalid regular expression/);
  });

  it('an unknown signal, directly or inside allOf', () => {
    const direct = loadError({ 'm.json': ruleFile(aRule({ when: { signal: 'dhcp.option06O', regex: 'x' } })) });
    expect(direct.message).toContain("rules/m.json: rule 'test.intellivue' when.signal: unknown signal 'dhcp.option06O'");
    const nested = loadError({ 'm.json': ruleFile(aRule({ when: { allOf: [{ signal: 'dhcp.option60', present: true }, { signal: ['oui', 'snmp.sysdescr'], equals: 'x' }] } })) });
    expect(nested.message).toContain("when.allOf[1].signal: unknown signal 'snmp.sysdescr'");
  });

  it('a missing field', () => {
    const { source: _source, ...withoutSource } = aRule();
    expect(loadError({ 'm.json': ruleFile(withoutSource) }).message).toContain("rules/m.json: rule 'test.intellivue' source: is missing");
    const { examples: _examples, ...withoutExamples } = aRule();
    expect(loadError({ 'm.json': ruleFile(withoutExamples) }).message).toContain("rule 'test.intellivue' examples: is missing");
    expect(loadError({ 'm.json': { rules: [] } }).message).toContain('rules/m.json: version: is missing');
  });

  it('a misspelt field, operator or attribute', () => {
    expect(loadError({ 'm.json': ruleFile(aRule({ exmaples: [] })) }).message).toContain("rule 'test.intellivue' exmaples: is not a known field");
    expect(loadError({ 'm.json': ruleFile(aRule({ when: { signal: 'oui', startsWith: 'x' } })) }).message).toContain('when.startsWith: is not a known field');
    expect(loadError({ 'm.json': ruleFile(aRule({ then: { maker: 'Philips' } })) }).message).toContain('then.maker: unknown attribute');
  });

  it('a value that refers to a group the regex does not have', () => {
    const numbered = loadError({ 'm.json': ruleFile(aRule({ then: { model: 'IntelliVue ${2}' } })) });
    expect(numbered.message).toContain('then.model: refers to group 2 but the first regex has 1');
    const named = loadError({ 'm.json': ruleFile(aRule({ then: { model: '${model}' } })) });
    expect(named.message).toContain("then.model: refers to group 'model' that no regex of the rule names");
    const syntax = loadError({ 'm.json': ruleFile(aRule({ then: { model: '${1|title}' } })) });
    expect(syntax.message).toContain('then.model: ${1|title} is not a group reference');
  });

  it('a vendor that is not a canonical name, or a category outside the vocabulary', () => {
    expect(loadError({ 'm.json': ruleFile(aRule({ then: { vendor: 'Phillips' } })) }).message).toContain(
      "then.vendor: 'Phillips' is not a canonical name in rules/vendors.json",
    );
    expect(loadError({ 'm.json': ruleFile(aRule({ then: { category: 'monitor' } })) }).message).toContain("then.category: 'monitor' is not a category");
  });

  it('a confidence out of range', () => {
    expect(loadError({ 'm.json': ruleFile(aRule({ confidence: 1.5 })) }).message).toContain('confidence: must be above 0 and at most 1 (is 1.5)');
  });

  it("'not' that could fire on nothing", () => {
    const error = loadError({ 'm.json': ruleFile(aRule({ when: { not: { signal: 'oui', present: true } }, then: { category: 'printer' } })) });
    expect(error.message).toContain("when: 'not' may only sit directly inside 'allOf'");
  });

  it('the same rule id in two files', () => {
    const error = loadError({ 'a.json': ruleFile(aRule()), 'b.json': ruleFile(aRule()) });
    expect(error.message).toBe("A rule is invalid: rules/b.json: rule 'test.intellivue' id: already used in rules/a.json");
  });

  it('a rule that does not do what its example says', () => {
    const wrong = aRule({
      examples: [{ signals: [{ signal: 'dhcp.option60', value: 'Philips IntelliVue MX450' }], expect: { vendor: 'Philips', category: 'patient-monitor', model: 'IntelliVue MX800' } }],
    });
    const error = loadError({ 'm.json': ruleFile(wrong) });
    expect(error.code).toBe('CLASSIFY_ERR_RULE_EXAMPLE');
    expect(error.message).toContain("rules/m.json: rule 'test.intellivue': examples[0]: model should be 'IntelliVue MX800', is 'IntelliVue MX450'");
  });

  it('a rule that gives an attribute its example does not expect, or fires on a counter-example', () => {
    const unexpected = aRule({
      examples: [{ signals: [{ signal: 'dhcp.option60', value: 'Philips IntelliVue MX450' }], expect: { vendor: 'Philips', category: 'patient-monitor' } }],
    });
    expect(loadError({ 'm.json': ruleFile(unexpected) }).message).toContain("examples[0]: gives model 'IntelliVue MX450', which the example does not expect");
    const counter = aRule({ counterExamples: [{ signals: [{ signal: 'dhcp.option60', value: 'IntelliVue MX700 gateway' }] }] });
    expect(loadError({ 'm.json': ruleFile(counter) }).message).toContain('counterExamples[0]: fires');
  });

  it('an example naming an unknown signal', () => {
    const rule = aRule({ examples: [{ signals: [{ signal: 'dhcp.vendorClass', value: 'x' }], expect: { model: null } }] });
    expect(loadError({ 'm.json': ruleFile(rule) }).message).toContain("examples[0].signals[0].signal: unknown signal 'dhcp.vendorClass'");
  });

  it('a file that is not JSON, or a missing vendors.json', () => {
    const notJson = loadError({ 'm.json': '{"version": "1", "rules": [' });
    expect(notJson.code).toBe('CLASSIFY_ERR_RULE_FILE');
    expect(notJson.message).toMatch(/rules\/m\.json: not valid JSON/);
    expect(loadError({ 'm.json': ruleFile(aRule()) }, false).message).toContain('rules/vendors.json: is missing');
  });
});

describe('vendors.json errors', () => {
  it('an example folded by an earlier entry', () => {
    const vendors = {
      version: '1',
      rules: [
        { id: 'vendor.siemens', name: 'Siemens', source: 'IEEE registry', match: ['^siemens'], examples: ['Siemens AG'] },
        { id: 'vendor.siemens-healthineers', name: 'Siemens Healthineers', source: 'IEEE registry', match: ['^siemens health'], examples: ['Siemens Healthcare GmbH'] },
      ],
    };
    const error = loadError({ 'vendors.json': vendors }, false);
    expect(error.code).toBe('CLASSIFY_ERR_VENDOR');
    expect(error.message).toContain("rules/vendors.json: rule 'vendor.siemens-healthineers' examples: 'Siemens Healthcare GmbH' is folded by entry 'vendor.siemens' (Siemens)");
  });

  it('a bad pattern', () => {
    const vendors = { version: '1', rules: [{ id: 'vendor.x', name: 'X', source: 'IEEE registry', match: ['^x('], examples: ['X'] }] };
    expect(loadError({ 'vendors.json': vendors }, false).message).toContain("rule 'vendor.x' match[0]: invalid regular expression");
  });
});
