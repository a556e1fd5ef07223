import { describe, expect, it } from 'vitest';
import { RandomForest } from '../../src/learned/forest.js';
import { JsonCheck } from '../../src/learned/model-errors.js';

/** Two columns; class 1 when the first is above 5, the second is noise. */
const rows = Array.from({ length: 40 }, (_, i) => Float64Array.of(i % 10, (i * 7) % 3));
const labels = rows.map((r) => ((r[0] ?? 0) > 5 ? 1 : 0));
const check = new JsonCheck('test forest');

describe('random forest', () => {
  const forest = RandomForest.train(rows, labels, 2, { trees: 15, seed: 3 });

  it('learns a split and gives class probabilities that sum to 1', () => {
    const high = forest.predict(Float64Array.of(9, 0));
    const low = forest.predict(Float64Array.of(1, 2));
    // One column tried per split (√2 rounded): some trees split on the noise column first.
    expect(high[1]).toBeGreaterThan(0.7);
    expect(low[0]).toBeGreaterThan(0.7);
    expect((high[0] ?? 0) + (high[1] ?? 0)).toBeCloseTo(1, 9);
  });

  it('is the same forest for the same seed', () => {
    expect(RandomForest.train(rows, labels, 2, { trees: 15, seed: 3 }).toJSON()).toEqual(forest.toJSON());
    expect(RandomForest.train(rows, labels, 2, { trees: 15, seed: 4 }).toJSON()).not.toEqual(forest.toJSON());
  });

  it('clamps options it cannot grow with', () => {
    const tiny = RandomForest.train(rows, labels, 2, { trees: 0, maxDepth: -3, minLeaf: 0 });
    expect(tiny.trees).toHaveLength(1);
    expect(tiny.trees[0]).toHaveLength(3); // one split (depth 1), two leaves
  });

  it('saves and loads to the same predictions', () => {
    const loaded = RandomForest.fromJSON(JSON.parse(JSON.stringify(forest.toJSON())), 2, 2, check, 'forest');
    for (const row of rows) expect(loaded.predict(row)).toEqual(forest.predict(row));
  });

  it('refuses saved trees that point backwards, past the columns or at unknown classes', () => {
    const load = (trees: unknown) => () => RandomForest.fromJSON({ trees }, 2, 2, check, 'model.forest');
    expect(load([[[0, 0.5, 0, 1], [-1, 0, 1]]])).toThrow('test forest: model.forest.trees[0][0][2] points backwards');
    expect(load([[[5, 0.5, 1, 2], [-1, 0, 1], [-1, 1, 1]]])).toThrow('model.forest.trees[0][0][0] is not an index below 2');
    expect(load([[[-1, 7, 1]]])).toThrow('model.forest.trees[0][0][1] is not an index below 2');
    expect(load([[[-1, 0]]])).toThrow('is a leaf with an odd class/share list');
    expect(load([[]])).toThrow('model.forest.trees[0] has no nodes');
    expect(load('x')).toThrow('model.forest.trees is not an array');
  });
});
