import { describe, expect, it } from 'vitest';
import { AccuracyTally, crossValidate, splitByClass, spread } from '../../src/learned/evaluate.js';
import { seededRandom } from '../../src/learned/random.js';
import { CLASSES, syntheticSet } from './synthetic.js';

describe('accuracy', () => {
  it('counts right answers per true class and what the wrong ones were taken for', () => {
    const tally = new AccuracyTally();
    tally.add('pump', 'pump');
    tally.add('pump', 'monitor');
    tally.add('monitor', 'monitor');
    tally.add('pump', 'monitor');
    expect(tally.total).toBe(4);
    expect(tally.overall()).toBe(0.5);
    expect(tally.perClass()).toEqual({
      monitor: { accuracy: 1, n: 1, confusedWith: {} },
      pump: { accuracy: 1 / 3, n: 3, confusedWith: { monitor: 2 } },
    });
    expect(new AccuracyTally().overall()).toBe(0);
  });

  it('spreads over splits: mean, sample standard deviation, range', () => {
    const s = spread([0.9, 1, 0.8]);
    expect(s).toMatchObject({ min: 0.8, max: 1, splits: 3 });
    expect(s.mean).toBeCloseTo(0.9, 12);
    expect(s.sd).toBeCloseTo(0.1, 12);
    expect(spread([0.5])).toMatchObject({ mean: 0.5, sd: 0 });
  });
});

describe('train/test splits', () => {
  const labels = ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'c'];

  it('split each class by the share, keeping one to train and one to test, never both', () => {
    const split = splitByClass(labels, 0.5, seededRandom(1));
    expect([...split.train, ...split.test].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const count = (ids: number[], label: string) => ids.filter((i) => labels[i] === label).length;
    expect([count(split.train, 'a'), count(split.test, 'a')]).toEqual([2, 2]);
    expect([count(split.train, 'b'), count(split.test, 'b')]).toEqual([2, 1]); // 1.5 rounds up
    expect([count(split.train, 'c'), count(split.test, 'c')]).toEqual([1, 0]); // one capture: training only
    const extreme = splitByClass(labels, 0.99, seededRandom(1));
    expect(count(extreme.test, 'a')).toBe(1);
  });

  it('split by unit when a class has several, so the test unit is never seen in training', () => {
    const units = ['a1', 'a1', 'a2', 'a2', 'b1', 'b1', 'b1', 'c1'];
    for (let seed = 0; seed < 10; seed++) {
      const split = splitByClass(labels, 0.5, seededRandom(seed), (i) => units[i] ?? null);
      const trained = new Set(split.train.map((i) => units[i]));
      const tested = split.test.filter((i) => labels[i] === 'a').map((i) => units[i]);
      expect(tested).toHaveLength(2);
      for (const unit of tested) expect(trained.has(unit)).toBe(false);
    }
  });

  it('cross-validate: accuracy per class and model over seeded, repeatable splits', () => {
    const examples = syntheticSet(6, 3);
    const options = { splits: 3, trainShare: 0.5, seed: 5, learn: { forest: { trees: 5 } } };
    const result = crossValidate(examples, options);
    expect(Object.keys(result.perClass)).toEqual([...CLASSES]);
    expect(result.testedPerSplit).toBe(9);
    expect(result.overall.splits).toBe(3);
    expect(result.overall.mean).toBe(1);
    expect(result.topTwo.mean).toBe(1);
    expect(Object.keys(result.byModel)).toEqual(['tokens', 'forest', 'sequence', 'ensemble']);
    expect(crossValidate(examples, options)).toEqual(result);
  });
});
