import { describe, expect, it } from 'vitest';
import { fireRules, indexSignals } from '../src/rules/match.js';
import { MAX_MATCHED_LENGTH } from '../src/rules/predicate.js';
import { expand, parseTemplate } from '../src/rules/template.js';
import type { Signal } from '../src/profile.js';
import { aRule, ruleSetOf } from './rule-fixtures.js';

const fire = (rule: Record<string, unknown>, signals: Signal[]) =>
  fireRules(ruleSetOf([rule as Parameters<typeof aRule>[0] & object]), indexSignals(signals)).map((f) => [f.attribute, f.value, f.source, f.weight]);

const storage = aRule({
  id: 'test.storage-scp',
  confidence: 0.6,
  when: { allOf: [{ signal: 'dicom.calledAe', present: true }, { signal: 'dicom.abstractSyntax', prefix: '1.2.840.10008.5.1.4.1.1.' }, { not: { signal: 'dicom.callingAe', present: true } }] },
  then: { category: 'pacs' },
  examples: [{ signals: [{ signal: 'dicom.calledAe', value: 'ARCHIVE' }, { signal: 'dicom.abstractSyntax', value: '1.2.840.10008.5.1.4.1.1.2' }], expect: { category: 'pacs' } }],
});

describe('predicates', () => {
  it('allOf needs every part; its firing rests on all the signals it used', () => {
    expect(fire(storage, [{ signal: 'dicom.calledAe', value: 'ARCHIVE' }])).toEqual([]);
    expect(fire(storage, [{ signal: 'dicom.calledAe', value: 'ARCHIVE' }, { signal: 'dicom.abstractSyntax', value: '1.2.840.10008.5.1.4.1.1.4' }])).toEqual([
      ['category', 'pacs', 'dicom.abstractSyntax+dicom.calledAe', 0.6],
    ]);
  });

  it('not inside allOf vetoes', () => {
    const signals: Signal[] = [
      { signal: 'dicom.calledAe', value: 'ARCHIVE' },
      { signal: 'dicom.abstractSyntax', value: '1.2.840.10008.5.1.4.1.1.4' },
      { signal: 'dicom.callingAe', value: 'ARCHIVE' },
    ];
    expect(fire(storage, signals)).toEqual([]);
  });

  it('a signal group matches each member on its own, so agreeing members are separate sources', () => {
    const rule = aRule({ when: { signal: '@self-description', regex: 'IntelliVue (MX\\d{3})', ignoreCase: true } });
    const fired = fire(rule, [
      { signal: 'dhcp.option60', value: 'Philips IntelliVue MX450' },
      { signal: 'mdns.instance', value: 'intellivue mx450' },
      { signal: 'dhcp.option12', value: 'IntelliVue MX450' },
    ]);
    expect(fired.filter(([attribute]) => attribute === 'model')).toEqual([
      ['model', 'IntelliVue MX450', 'dhcp.option60', 0.9],
      ['model', 'IntelliVue mx450', 'mdns.instance', 0.9],
    ]);
  });

  it('equals, prefix and contains, with and without ignoreCase', () => {
    const rule = (test: Record<string, unknown>) =>
      aRule({
        when: { signal: 'dhcp.option60', ...test },
        then: { os: 'Windows' },
        examples: [{ signals: [{ signal: 'dhcp.option60', value: 'MSFT 5.0' }], expect: { os: 'Windows' } }],
      });
    expect(fire(rule({ equals: 'MSFT 5.0' }), [{ signal: 'dhcp.option60', value: 'msft 5.0' }])).toEqual([]);
    expect(fire(rule({ equals: 'MSFT 5.0', ignoreCase: true }), [{ signal: 'dhcp.option60', value: 'msft 5.0' }])).toHaveLength(1);
    expect(fire(rule({ prefix: 'MSFT' }), [{ signal: 'dhcp.option60', value: 'MSFT 98' }])).toHaveLength(1);
    expect(fire(rule({ contains: 'FT 5' }), [{ signal: 'dhcp.option60', value: 'xMSFT 5.0' }])).toHaveLength(1);
  });

  it('repeated signals with the same value count once, at their highest attribution', () => {
    const fired = fire(aRule(), [
      { signal: 'dhcp.option60', value: 'Philips IntelliVue MX450', confidence: 0.5 },
      { signal: 'dhcp.option60', value: 'Philips IntelliVue MX450', confidence: 0.8 },
    ]);
    expect(fired.filter(([attribute]) => attribute === 'model')).toEqual([['model', 'IntelliVue MX450', 'dhcp.option60', 0.9 * 0.8]]);
  });

  it('ignores signals attributed with no confidence, and values past the matching limit', () => {
    expect(fire(aRule(), [{ signal: 'dhcp.option60', value: 'Philips IntelliVue MX450', confidence: 0 }])).toEqual([]);
    const late = `${'x'.repeat(MAX_MATCHED_LENGTH)} IntelliVue MX450`;
    expect(fire(aRule(), [{ signal: 'dhcp.option60', value: late }])).toEqual([]);
  });
});

describe('value templates', () => {
  const lookup = (numbered: (string | undefined)[], named: Record<string, string | undefined> = {}) => ({
    numbered: (n: number) => numbered[n],
    named: (name: string) => named[name],
  });

  it('fill numbered and named groups, with upper and lower case', () => {
    const template = parseTemplate('IntelliVue ${1|upper} (${version}) ${0|lower}');
    if ('error' in template) throw new Error(template.error);
    expect(expand(template, lookup(['MX450 Whole', 'mx450'], { version: 'M.00.03' }))).toBe('IntelliVue MX450 (M.00.03) mx450 whole');
  });

  it('give nothing when a group did not take part, so an optional model just stays unknown', () => {
    const template = parseTemplate('IntelliVue ${model}');
    if ('error' in template) throw new Error(template.error);
    expect(expand(template, lookup([], { model: undefined }))).toBeNull();
  });

  it('a rule with an optional model group still gives its other outputs', () => {
    const rule = aRule({
      when: { signal: 'dhcp.option60', regex: 'IntelliVue(?: (?<model>MX\\d{3}))?' },
      then: { vendor: 'Philips', model: 'IntelliVue ${model}' },
      examples: [{ signals: [{ signal: 'dhcp.option60', value: 'Philips IntelliVue' }], expect: { vendor: 'Philips', model: null } }],
    });
    expect(fire(rule, [{ signal: 'dhcp.option60', value: 'Philips IntelliVue' }])).toEqual([['vendor', 'Philips', 'dhcp.option60', 0.9]]);
  });

  it('reject references that are not groups', () => {
    expect(parseTemplate('${x y}')).toEqual({ error: '${x y} is not a group reference (${1}, ${name}, optionally |upper or |lower)' });
    expect(parseTemplate('')).toEqual({ error: 'the value is empty' });
  });
});
