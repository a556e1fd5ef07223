import { describe, expect, it } from 'vitest';
import { classify } from '../src/classify.js';
import { combine } from '../src/combine.js';
import { ATTRIBUTES, type Attribute, type LearnedPredictor } from '../src/profile.js';
import type { Firing } from '../src/rules/match.js';
import { aRule, ruleSetOf } from './rule-fixtures.js';

/** A firing of rule `rule` on one signal named `source`. */
function firing(attribute: Attribute, value: string, weight: number, source: string, rule = `rule.${source}`): Firing {
  return { attribute, value, weight, source, evidence: [{ signal: source, value: `${source} text`, rule, weight }] };
}

describe('support adds up across independent sources (noisy-or)', () => {
  it('one source: its weight', () => {
    const profile = combine([firing('vendor', 'Philips', 0.6, 'oui')]);
    expect(profile.vendor.best).toEqual({ value: 'Philips', confidence: 0.6, evidence: [{ signal: 'oui', value: 'oui text', rule: 'rule.oui', weight: 0.6 }] });
  });

  it('two sources: 1 − (1 − 0.6)(1 − 0.7)', () => {
    const profile = combine([firing('vendor', 'Philips', 0.6, 'oui'), firing('vendor', 'Philips', 0.7, 'dhcp.option60')]);
    expect(profile.vendor.best?.confidence).toBe(0.88);
    expect(profile.vendor.best?.evidence.map((e) => e.signal)).toEqual(['dhcp.option60', 'oui']);
  });

  it('two rules on the same signals are one source, counted at the stronger', () => {
    const profile = combine([firing('model', 'MX450', 0.6, 'dhcp.option60', 'rule.a'), firing('model', 'MX450', 0.9, 'dhcp.option60', 'rule.b')]);
    expect(profile.model.best?.confidence).toBe(0.9);
    expect(profile.model.best?.evidence.map((e) => e.rule)).toEqual(['rule.b', 'rule.a']);
  });

  it('never reaches certainty: capped at 0.99', () => {
    const profile = combine(['oui', 'dhcp.option60', 'hl7.sendingApplication', 'snmp.sysDescr'].map((s) => firing('vendor', 'GE Healthcare', 0.95, s)));
    expect(profile.vendor.best?.confidence).toBe(0.99);
  });

  it('values differing only in letter case are one value, shown as the strongest firing wrote it', () => {
    const profile = combine([firing('model', 'INTELLIVUE MX450', 0.6, 'hl7.sendingApplication'), firing('model', 'IntelliVue MX450', 0.9, 'dhcp.option60')]);
    expect(profile.model.candidates.map((c) => [c.value, c.confidence])).toEqual([['IntelliVue MX450', 0.96]]);
  });
});

describe('conflicting values are weighed against each other', () => {
  it('the stronger wins, discounted by the conflict (Dempster)', () => {
    const profile = combine([firing('vendor', 'Philips', 0.9, 'dhcp.option60'), firing('vendor', 'GE Healthcare', 0.6, 'oui')]);
    // m(Philips) = 0.9·0.4 / (1 − 0.9·0.6), m(GE) = 0.6·0.1 / (1 − 0.54)
    expect(profile.vendor.best?.value).toBe('Philips');
    expect(profile.vendor.candidates.map((c) => [c.value, c.confidence])).toEqual([
      ['Philips', 0.783],
      ['GE Healthcare', 0.13],
    ]);
  });

  it('evenly matched values leave the answer unknown', () => {
    const profile = combine([firing('category', 'ct', 0.8, 'dicom.abstractSyntax+dicom.callingAe'), firing('category', 'pacs', 0.8, 'http.server')]);
    expect(profile.category.best).toBeNull();
    expect(profile.category.candidates.map((c) => [c.value, c.confidence])).toEqual([
      ['ct', 0.444],
      ['pacs', 0.444],
    ]);
  });

  it('the result does not depend on the order of the evidence', () => {
    const firings = [
      firing('vendor', 'Philips', 0.9, 'dhcp.option60'),
      firing('vendor', 'GE Healthcare', 0.6, 'oui'),
      firing('vendor', 'Philips', 0.5, 'hl7.sendingApplication'),
      firing('vendor', 'Mindray', 0.3, 'dhcp.option12'),
    ];
    expect(combine([...firings].reverse())).toEqual(combine(firings));
  });
});

describe('thin evidence is an honest unknown', () => {
  it('a value below 0.5 is a candidate, not the answer', () => {
    const profile = combine([firing('category', 'infusion-pump', 0.35, 'dhcp.option12')]);
    expect(profile.category.best).toBeNull();
    expect(profile.category.candidates).toEqual([
      { value: 'infusion-pump', confidence: 0.35, evidence: [{ signal: 'dhcp.option12', value: 'dhcp.option12 text', rule: 'rule.dhcp.option12', weight: 0.35 }] },
    ]);
  });

  it('two weak, independent hints can together be enough', () => {
    const profile = combine([firing('category', 'hl7-interface-engine', 0.45, 'hl7.messageType'), firing('category', 'hl7-interface-engine', 0.45, 'dhcp.option12')]);
    expect(profile.category.best?.confidence).toBe(0.698);
  });

  it('no signals: every attribute unknown, with no candidates', () => {
    const profile = classify([], { rules: ruleSetOf([aRule()]) });
    expect(Object.keys(profile)).toEqual(ATTRIBUTES);
    for (const attribute of ATTRIBUTES) expect(profile[attribute]).toEqual({ best: null, candidates: [] });
  });
});

describe('nested values do not conflict', () => {
  it('a CT scanner is an imaging modality: the specific value is the answer, the wider one keeps both supports', () => {
    const profile = combine([firing('category', 'imaging-modality', 0.75, 'dicom.abstractSyntax+dicom.callingAe'), firing('category', 'ct', 0.7, 'dicom.implementationVersion')]);
    expect(profile.category.best?.value).toBe('ct');
    expect(profile.category.best?.confidence).toBe(0.7);
    expect(profile.category.candidates.map((c) => [c.value, c.confidence])).toEqual([
      ['imaging-modality', 0.925],
      ['ct', 0.7],
    ]);
    expect(profile.category.candidates[0]?.evidence.map((e) => e.signal)).toEqual(['dicom.abstractSyntax+dicom.callingAe', 'dicom.implementationVersion']);
  });

  it('when the specific values conflict, the wider value they share is the answer', () => {
    const profile = combine([
      firing('category', 'imaging-modality', 0.75, 'a'),
      firing('category', 'ct', 0.7, 'b'),
      firing('category', 'mri', 0.7, 'c'),
    ]);
    expect(profile.category.best?.value).toBe('imaging-modality');
    expect(profile.category.best?.confidence).toBe(0.956);
  });

  it('Android is a Linux', () => {
    const profile = combine([firing('os', 'Linux', 0.6, 'tcp.synSignature'), firing('os', 'Android', 0.9, 'dhcp.option60')]);
    expect(profile.os.best?.value).toBe('Android');
    expect(profile.os.candidates.map((c) => c.value)).toEqual(['Linux', 'Android']);
  });
});

describe('evidence through the rules', () => {
  const rules = ruleSetOf([
    aRule(),
    aRule({
      id: 'test.intellivue-hl7',
      when: { signal: 'hl7.sendingApplication', regex: 'INTELLIVUE_(MX\\d{3})' },
      then: { vendor: 'Philips', model: 'IntelliVue ${1}' },
      examples: [{ signals: [{ signal: 'hl7.sendingApplication', value: 'INTELLIVUE_MX450' }], expect: { vendor: 'Philips', model: 'IntelliVue MX450' } }],
    }),
    aRule({
      id: 'test.oui',
      confidence: 0.6,
      when: { signal: 'oui', regex: '^(.+)$' },
      then: { vendor: '${1}' },
      examples: [{ signals: [{ signal: 'oui', value: 'GEHC' }], expect: { vendor: 'GE Healthcare' } }],
    }),
  ]);

  it('lists every supporting signal and rule', () => {
    const profile = classify(
      [
        { signal: 'dhcp.option60', value: 'Philips IntelliVue MX450' },
        { signal: 'hl7.sendingApplication', value: 'INTELLIVUE_MX450' },
        { signal: 'oui', value: 'Philips Patient Monitoring' },
      ],
      { rules },
    );
    expect(profile.vendor.best).toEqual({
      value: 'Philips',
      confidence: 0.99,
      evidence: [
        { signal: 'dhcp.option60', value: 'Philips IntelliVue MX450', rule: 'test.intellivue', weight: 0.9 },
        { signal: 'hl7.sendingApplication', value: 'INTELLIVUE_MX450', rule: 'test.intellivue-hl7', weight: 0.9 },
        { signal: 'oui', value: 'Philips Patient Monitoring', rule: 'test.oui', weight: 0.6 },
      ],
    });
    expect(profile.model.best?.value).toBe('IntelliVue MX450');
    expect(profile.model.best?.confidence).toBe(0.99);
  });

  it('scales a rule by how sure the sensor is that the signal is this device’s', () => {
    const profile = classify([{ signal: 'dhcp.option60', value: 'Philips IntelliVue MX450', confidence: 0.5 }], { rules });
    expect(profile.model.candidates).toEqual([
      { value: 'IntelliVue MX450', confidence: 0.45, evidence: [{ signal: 'dhcp.option60', value: 'Philips IntelliVue MX450', rule: 'test.intellivue', weight: 0.45 }] },
    ]);
    expect(profile.model.best).toBeNull();
  });

  it('a module maker’s OUI names no vendor', () => {
    expect(classify([{ signal: 'oui', value: 'Intel Corporate' }], { rules }).vendor).toEqual({ best: null, candidates: [] });
  });

  it('learned models join as one more source each, tagged learned:<id>', () => {
    const model: LearnedPredictor = {
      id: 'dhcp-knn',
      predict: () => ({
        vendor: [{ value: 'GE HealthCare Technologies Inc.', confidence: 0.7, evidence: [{ signal: 'dhcp.option55', value: '1,3,6', rule: 'learned:dhcp-knn', weight: 0.7 }] }],
        model: [{ value: 'broken', confidence: Number.NaN, evidence: [] }],
      }),
    };
    const profile = classify([{ signal: 'oui', value: 'GEHC' }], { rules, learned: [model] });
    // 1 − (1 − 0.6)(1 − 0.7): the OUI rule and the model agree on the maker, normalised.
    expect(profile.vendor.best?.value).toBe('GE Healthcare');
    expect(profile.vendor.best?.confidence).toBe(0.88);
    expect(profile.vendor.best?.evidence.map((e) => e.rule)).toEqual(['learned:dhcp-knn', 'test.oui']);
    expect(profile.model.candidates).toEqual([]);
  });
});
