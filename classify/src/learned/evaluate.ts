/**
 * How well learned fingerprints identify devices they were not trained on: accuracy per class and
 * overall on one labelled set, and repeated train/test splits (cross-validation) where, within each
 * class, part of the captures train and the rest test — never a capture in both. With units named
 * (several physical units of one model), classes with two or more units split by unit, so the test
 * asks for a unit never seen.
 */
import { LearnedFingerprints, MODEL_NAMES, type LearnOptions, type ModelName, type Prediction } from './ensemble.js';
import type { LabelledFeatures } from './features.js';
import { seededRandom, shuffled, type Random } from './random.js';

/** Counts right and wrong answers per true class. */
export class AccuracyTally {
  private readonly classes = new Map<string, { correct: number; total: number; confusions: Map<string, number> }>();

  add(truth: string, predicted: string): void {
    let c = this.classes.get(truth);
    if (c === undefined) {
      c = { correct: 0, total: 0, confusions: new Map() };
      this.classes.set(truth, c);
    }
    c.total += 1;
    if (predicted === truth) c.correct += 1;
    else c.confusions.set(predicted, (c.confusions.get(predicted) ?? 0) + 1);
  }

  get total(): number {
    let n = 0;
    for (const c of this.classes.values()) n += c.total;
    return n;
  }

  /** Share of all answers that were right (0 with no answers). */
  overall(): number {
    let right = 0;
    for (const c of this.classes.values()) right += c.correct;
    return this.total > 0 ? right / this.total : 0;
  }

  /** Per true class: accuracy, examples, and what it was taken for when wrong. */
  perClass(): Record<string, { accuracy: number; n: number; confusedWith: Record<string, number> }> {
    const out: Record<string, { accuracy: number; n: number; confusedWith: Record<string, number> }> = {};
    for (const [label, c] of [...this.classes].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      out[label] = { accuracy: c.correct / c.total, n: c.total, confusedWith: Object.fromEntries(c.confusions) };
    }
    return out;
  }
}

/** Indices of the training and test examples of one split. */
export interface Split {
  train: number[];
  test: number[];
}

/**
 * One split: within each class, `trainShare` of its captures train (at least one, and at least one
 * left to test when the class has two or more); a class whose examples name two or more units splits
 * by unit instead. `unitOf(i)` names example i's unit, or null.
 */
export function splitByClass(labels: readonly string[], trainShare: number, random: Random, unitOf: (i: number) => string | null = () => null): Split {
  const byClass = new Map<string, number[]>();
  labels.forEach((label, i) => byClass.set(label, [...(byClass.get(label) ?? []), i]));
  const split: Split = { train: [], test: [] };
  const share = Math.min(1, Math.max(0, trainShare));
  for (const label of [...byClass.keys()].sort()) {
    const members = byClass.get(label) ?? [];
    const units = new Map<string, number[]>();
    for (const i of members) {
      const unit = unitOf(i);
      if (unit !== null) units.set(unit, [...(units.get(unit) ?? []), i]);
    }
    // Groups drawn as a whole: units when the class has several and every example names one, else captures.
    const groups = units.size >= 2 && [...units.values()].flat().length === members.length ? [...units.values()] : members.map((i) => [i]);
    const order = shuffled(groups, random);
    const nTrain = order.length < 2 ? order.length : Math.min(order.length - 1, Math.max(1, Math.round(share * order.length)));
    order.forEach((group, g) => (g < nTrain ? split.train : split.test).push(...group));
  }
  return split;
}

export interface Spread {
  mean: number;
  /** Sample standard deviation over splits (0 for one split). */
  sd: number;
  min: number;
  max: number;
  /** Splits it was measured in. */
  splits: number;
}

export function spread(values: readonly number[]): Spread {
  const n = values.length;
  if (n === 0) return { mean: 0, sd: 0, min: 0, max: 0, splits: 0 };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1) : 0;
  return { mean, sd: Math.sqrt(variance), min: Math.min(...values), max: Math.max(...values), splits: n };
}

export interface CrossValidationOptions {
  splits: number;
  trainShare: number;
  seed: number;
  learn?: Partial<LearnOptions>;
  /** Called after each split with its number (1-based) and overall accuracy. */
  progress?: (split: number, accuracy: number) => void;
}

export interface CrossValidationResult {
  splits: number;
  trainShare: number;
  seed: number;
  /** Examples tested per split (mean). */
  testedPerSplit: number;
  overall: Spread;
  /** Mean of the per-class accuracies (every class counts the same). */
  balanced: Spread;
  /** Share of tests whose true class was among the two most likely: look-alike pairs show here. */
  topTwo: Spread;
  perClass: Record<string, Spread & { tested: number; confusedWith: Record<string, number> }>;
  /** Each model alone, and the ensemble. */
  byModel: Record<ModelName | 'ensemble', Spread>;
}

/** Repeated stratified train/test splits; `units[i]` names example i's physical unit, if known. */
export function crossValidate(examples: readonly LabelledFeatures[], options: CrossValidationOptions, units: readonly (string | null)[] = []): CrossValidationResult {
  const splits = Math.max(1, Math.floor(options.splits));
  const labels = examples.map((e) => e.label);
  const overall: number[] = [];
  const balanced: number[] = [];
  const topTwo: number[] = [];
  const perClass = new Map<string, { values: number[]; tested: number; confusedWith: Map<string, number> }>();
  const byModel = Object.fromEntries([...MODEL_NAMES, 'ensemble'].map((m) => [m, [] as number[]])) as Record<ModelName | 'ensemble', number[]>;
  let tested = 0;
  for (let s = 0; s < splits; s++) {
    const random = seededRandom((options.seed + s * 0x9e3779b9) >>> 0);
    const split = splitByClass(labels, options.trainShare, random, (i) => units[i] ?? null);
    const train = new Set(split.train);
    if (split.test.some((i) => train.has(i))) throw new Error('a capture is in both the training and the test set');
    const model = LearnedFingerprints.train(
      split.train.map((i) => examples[i] as LabelledFeatures),
      { ...options.learn, forest: { ...options.learn?.forest, seed: (options.seed + s) >>> 0 } },
    );
    const tally = new AccuracyTally();
    const models = Object.fromEntries([...MODEL_NAMES].map((m) => [m, new AccuracyTally()])) as Record<ModelName, AccuracyTally>;
    let inTopTwo = 0;
    for (const i of split.test) {
      const e = examples[i] as LabelledFeatures;
      const p: Prediction = model.predict(e.features);
      tally.add(e.label, p.label);
      if (p.ranked.slice(0, 2).some((r) => r.label === e.label)) inTopTwo++;
      for (const m of MODEL_NAMES) models[m].add(e.label, p.byModel[m].label);
    }
    tested += tally.total;
    overall.push(tally.overall());
    topTwo.push(tally.total > 0 ? inTopTwo / tally.total : 0);
    byModel.ensemble.push(tally.overall());
    for (const m of MODEL_NAMES) byModel[m].push(models[m].overall());
    const classes = tally.perClass();
    balanced.push(Object.values(classes).reduce((a, c) => a + c.accuracy, 0) / Math.max(1, Object.keys(classes).length));
    for (const [label, c] of Object.entries(classes)) {
      const entry = perClass.get(label) ?? { values: [], tested: 0, confusedWith: new Map<string, number>() };
      entry.values.push(c.accuracy);
      entry.tested += c.n;
      for (const [other, n] of Object.entries(c.confusedWith)) entry.confusedWith.set(other, (entry.confusedWith.get(other) ?? 0) + n);
      perClass.set(label, entry);
    }
    options.progress?.(s + 1, tally.overall());
  }
  return {
    splits,
    trainShare: options.trainShare,
    seed: options.seed,
    testedPerSplit: tested / splits,
    overall: spread(overall),
    balanced: spread(balanced),
    topTwo: spread(topTwo),
    perClass: Object.fromEntries(
      [...perClass].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([label, c]) => [label, { ...spread(c.values), tested: c.tested, confusedWith: Object.fromEntries(c.confusedWith) }]),
    ),
    byModel: Object.fromEntries(Object.entries(byModel).map(([m, v]) => [m, spread(v)])) as Record<ModelName | 'ensemble', Spread>,
  };
}
