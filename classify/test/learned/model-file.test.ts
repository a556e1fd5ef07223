import { describe, expect, it } from 'vitest';
import { LearnedFingerprints } from '../../src/learned/ensemble.js';
import { LearnedModelError } from '../../src/learned/model-errors.js';
import { loadModel, MODEL_FORMAT, parseModel, serialiseModel, toModelFile } from '../../src/learned/model-file.js';
import { CLASSES, syntheticSet } from './synthetic.js';

const training = syntheticSet(6, 1);
const model = LearnedFingerprints.train(training, { forest: { trees: 10, seed: 2 } });
const trainedOn = { examples: { 'infusion-pump': 6, 'patient-monitor': 6, printer: 6 }, at: '2026-05-01T00:00:00.000Z', rules: null };

/** A saved model, parsed back to JSON for editing. */
const saved = (): Record<string, unknown> => JSON.parse(serialiseModel(model, 'category', trainedOn)) as Record<string, unknown>;

describe('learned fingerprints', () => {
  it('identify devices of the classes they learned', () => {
    expect(model.classes).toEqual([...CLASSES]);
    for (const e of syntheticSet(4, 99)) {
      const p = model.predict(e.features);
      expect(p.label).toBe(e.label);
      expect(p.byModel.tokens.label).toBe(e.label);
      expect(p.ranked[0]).toEqual({ label: p.label, probability: p.confidence });
    }
  });

  it('weigh the models as told, normalised', () => {
    expect(model.weights.tokens + model.weights.forest + model.weights.sequence).toBeCloseTo(1, 12);
    expect(() => LearnedFingerprints.train(training, { weights: { tokens: 0, forest: 0, sequence: 0 } })).toThrow('model weights must not all be 0');
  });

  it('need two classes to learn', () => {
    expect(() => LearnedFingerprints.train(training.filter((e) => e.label === 'printer'))).toThrow(LearnedModelError);
  });
});

describe('model files', () => {
  it('are versioned JSON with the label column, classes and features', () => {
    const file = toModelFile(model, 'category', trainedOn);
    expect(file).toMatchObject({ format: MODEL_FORMAT, version: 1, labelColumn: 'category', classes: [...CLASSES], trainedOn });
    expect(file.features.numbers).toEqual(['sent.packets', 'sent.size.mean']);
    // A token seen in one example only (the noise) is no forest column.
    expect(file.features.tokens.some((t) => t.startsWith('noise='))).toBe(false);
  });

  it('load to a model that answers the same', () => {
    const loaded = parseModel(serialiseModel(model, 'category', trainedOn));
    expect(loaded.labelColumn).toBe('category');
    expect(loaded.trainedOn).toEqual(trainedOn);
    for (const e of syntheticSet(3, 7)) expect(loaded.model.predict(e.features)).toEqual(model.predict(e.features));
  });

  it('say what is wrong with a file that is not a model', () => {
    const bad = (edit: (f: Record<string, unknown>) => void): (() => unknown) => {
      const f = saved();
      edit(f);
      return () => loadModel(f, 'm.json');
    };
    expect(() => parseModel('{', 'm.json')).toThrow(/^Not a usable learned fingerprint model: m.json: not JSON/);
    expect(() => loadModel([], 'm.json')).toThrow('m.json: the file is not an object');
    expect(bad((f) => (f.format = 'other'))).toThrow('m.json: format is "other", not "wardsight-fingerprints"');
    expect(bad((f) => (f.version = 2))).toThrow('m.json: version is 2; this wardsight reads version 1');
    expect(bad((f) => delete f.labelColumn)).toThrow('m.json: labelColumn is not a string');
    expect(bad((f) => (f.classes = ['only']))).toThrow('m.json: classes must be two or more distinct names');
    expect(bad((f) => ((f.model as Record<string, unknown>).weights = { tokens: 1, forest: -1, sequence: 0 }))).toThrow('model.weights must be ≥ 0');
    expect(bad((f) => ((f.model as Record<string, unknown>).sharpness = 0))).toThrow('model.sharpness must be in (0, 1000]');
    expect(bad((f) => ((f.features as Record<string, unknown>).numbers = []))).toThrow(/model\.forest\.trees\[\d+\]\[\d+\]\[0\] is not an index below/);
    expect(bad((f) => ((f.trainedOn as Record<string, unknown>).rules = { 'rules/os.json': 3 }))).toThrow("trainedOn.rules.rules/os.json is not a string");
    let thrown: unknown = null;
    try {
      bad((f) => (f.version = 'x'))();
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(LearnedModelError);
    expect((thrown as LearnedModelError).code).toBe('CLASSIFY_ERR_MODEL_FILE');
  });
});
