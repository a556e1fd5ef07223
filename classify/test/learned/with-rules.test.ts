import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { classify } from '../../src/classify.js';
import { LearnedFingerprints } from '../../src/learned/ensemble.js';
import { learnedPredictor, ruleTokens } from '../../src/learned/with-rules.js';
import { loadRuleSet } from '../../src/rules/load.js';
import { syntheticSet } from './synthetic.js';

/** A rule library of one maker and one rule, written for the test. */
const dir = mkdtempSync(join(tmpdir(), 'wardsight-rules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(
  join(dir, 'vendors.json'),
  JSON.stringify({
    version: 'test.1',
    description: 'one maker',
    rules: [{ id: 'vendor.acme', name: 'Acme', source: 'test', match: ['^acme\\b'], examples: ['Acme Medical Inc.'] }],
  }),
);
writeFileSync(
  join(dir, 'pumps.json'),
  JSON.stringify({
    version: 'test.2',
    description: 'one pump',
    rules: [
      {
        id: 'pump.acme',
        description: 'Acme pumps name their model in DHCP option 60',
        source: 'test',
        confidence: 0.9,
        when: { signal: 'dhcp.option60', regex: '^AcmePump (?<model>P\\d+)' },
        then: { vendor: 'Acme', category: 'infusion-pump', model: 'Acme ${model}', hostname: 'never a token' },
        examples: [
          {
            signals: [{ signal: 'dhcp.option60', value: 'AcmePump P7' }],
            expect: { vendor: 'Acme', category: 'infusion-pump', model: 'Acme P7', hostname: 'never a token' },
          },
        ],
      },
    ],
  }),
);
const rules = loadRuleSet({ directory: dir });

describe('rules and learned fingerprints together', () => {
  it('turn the rules\' conclusions into tokens, never the host name', () => {
    expect(ruleTokens([{ signal: 'dhcp.option60', value: 'AcmePump P7' }], rules)).toEqual(['rule.vendor=Acme', 'rule.model=Acme P7', 'rule.category=infusion-pump']);
    expect(ruleTokens([{ signal: 'dhcp.option60', value: 'something else' }], rules)).toEqual([]);
  });

  it('make a learned model one more source for classify', () => {
    const model = LearnedFingerprints.train(syntheticSet(5, 1), { forest: { trees: 5 } });
    const predictor = learnedPredictor(model, { id: 'test-model', attribute: 'category' });
    const signals = [
      { signal: 'dhcp.option60', value: 'MonitorOS 5' },
      { signal: 'mdns.service', value: '_hl7._tcp' },
    ];
    const predicted = predictor.predict(signals);
    expect(predicted.category?.[0]).toMatchObject({ value: 'patient-monitor' });
    expect(predicted.category?.[0]?.evidence[0]).toMatchObject({ signal: 'dhcp.option60', rule: 'learned:test-model' });
    const profile = classify(signals, { rules, learned: [predictor] });
    expect(profile.category.best?.value).toBe('patient-monitor');
    expect(predictor.predict([])).toEqual({});
    expect(predictor.predict([{ signal: 'oui', value: 'nobody' }])).toEqual({});
  });
});
