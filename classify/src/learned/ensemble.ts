/**
 * Learned fingerprints: three models over one device's features, each with its own view, and their
 * weighted vote. Token nearest neighbours read what the device says (DHCP options, names, heads,
 * hellos); the random forest reads header numbers and shared tokens together (IoT Sentinel's header
 * features among them); sequence nearest neighbours compare the order of its first packets.
 */
import { buildSchema, vectorise, type FeatureRecord, type LabelledFeatures, type VectorSchema } from './features.js';
import { RandomForest, forestDefaults, type ForestOptions } from './forest.js';
import { LearnedModelError } from './model-errors.js';
import { TokenNeighbours } from './neighbours.js';
import { SequenceNeighbours } from './sequence.js';

export const MODEL_NAMES = ['tokens', 'forest', 'sequence'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];
export type ModelWeights = Record<ModelName, number>;

export interface LearnOptions {
  forest: Partial<ForestOptions>;
  /** Share of each model in the vote (normalised to sum 1). */
  weights: ModelWeights;
  /**
   * How sharply nearest-neighbour similarities become probabilities: p ∝ exp(sharpness × s).
   * At 20, a class 0.05 less similar than the best is e (2.7) times less likely.
   */
  sharpness: number;
}

export const learnDefaults: LearnOptions = {
  forest: forestDefaults,
  weights: { tokens: 0.45, forest: 0.35, sequence: 0.2 },
  sharpness: 20,
};

export interface RankedLabel {
  label: string;
  probability: number;
}

export interface Prediction {
  /** The most likely class. */
  label: string;
  /** Its probability in the weighted vote, 0–1. */
  confidence: number;
  /** Classes by probability, most likely first (at most five). */
  ranked: RankedLabel[];
  /** Each model's own first choice. */
  byModel: Record<ModelName, RankedLabel>;
}

/** Similarities as probabilities: a softmax at `sharpness`. */
function softmax(scores: Float64Array, sharpness: number): Float64Array {
  const top = Math.max(...scores);
  const out = scores.map((s) => Math.exp(sharpness * (s - top)));
  const sum = out.reduce((a, b) => a + b, 0);
  return out.map((v) => v / sum);
}

function best(classes: readonly string[], p: Float64Array): RankedLabel {
  let k = 0;
  p.forEach((v, i) => {
    if (v > (p[k] ?? 0)) k = i;
  });
  return { label: classes[k] ?? '', probability: p[k] ?? 0 };
}

function normalised(weights: ModelWeights): ModelWeights {
  const w = { tokens: Math.max(0, weights.tokens), forest: Math.max(0, weights.forest), sequence: Math.max(0, weights.sequence) };
  const sum = w.tokens + w.forest + w.sequence;
  if (!(sum > 0)) throw new LearnedModelError('CLASSIFY_ERR_TRAINING', 'model weights must not all be 0');
  return { tokens: w.tokens / sum, forest: w.forest / sum, sequence: w.sequence / sum };
}

export class LearnedFingerprints {
  readonly weights: ModelWeights;

  constructor(
    readonly classes: readonly string[],
    readonly schema: VectorSchema,
    readonly forest: RandomForest,
    readonly tokens: TokenNeighbours,
    readonly sequence: SequenceNeighbours,
    weights: ModelWeights,
    readonly sharpness: number,
  ) {
    this.weights = normalised(weights);
  }

  /** Learns from labelled examples; needs at least one example of at least two classes. */
  static train(examples: readonly LabelledFeatures[], options: Partial<LearnOptions> = {}): LearnedFingerprints {
    const o = { ...learnDefaults, ...options };
    const classes = [...new Set(examples.map((e) => e.label))].sort();
    if (classes.length < 2) throw new LearnedModelError('CLASSIFY_ERR_TRAINING', `examples of at least two classes are needed (got ${classes.length})`);
    const labelOf = new Map(classes.map((c, i) => [c, i]));
    const labels = examples.map((e) => labelOf.get(e.label) ?? 0);
    const schema = buildSchema(examples.map((e) => e.features));
    const forest = RandomForest.train(
      examples.map((e) => vectorise(schema, e.features)),
      labels,
      classes.length,
      o.forest,
    );
    const tokens = TokenNeighbours.train(examples.map((e, i) => ({ label: labels[i] ?? 0, tokens: e.features.tokens })), classes.length);
    const sequence = SequenceNeighbours.train(examples.map((e, i) => ({ label: labels[i] ?? 0, sequence: e.features.sequence })), classes.length);
    return new LearnedFingerprints(classes, schema, forest, tokens, sequence, o.weights, o.sharpness);
  }

  /** The token model's class probabilities for a set of tokens alone (live signals have no packets). */
  tokenProbabilities(tokens: readonly string[]): Float64Array {
    return softmax(this.tokens.similarities(tokens), this.sharpness);
  }

  /** Each model's class probabilities for one device. */
  modelProbabilities(features: FeatureRecord): Record<ModelName, Float64Array> {
    return {
      tokens: softmax(this.tokens.similarities(features.tokens), this.sharpness),
      forest: this.forest.predict(vectorise(this.schema, features)),
      sequence: softmax(this.sequence.similarities(features.sequence), this.sharpness),
    };
  }

  predict(features: FeatureRecord): Prediction {
    const byModel = this.modelProbabilities(features);
    const vote = new Float64Array(this.classes.length);
    for (const name of MODEL_NAMES) byModel[name].forEach((p, k) => (vote[k] = (vote[k] ?? 0) + this.weights[name] * p));
    const ranked = this.classes
      .map((label, k) => ({ label, probability: vote[k] ?? 0 }))
      .sort((a, b) => b.probability - a.probability)
      .slice(0, 5);
    const top = ranked[0] ?? { label: '', probability: 0 };
    return {
      label: top.label,
      confidence: top.probability,
      ranked,
      byModel: { tokens: best(this.classes, byModel.tokens), forest: best(this.classes, byModel.forest), sequence: best(this.classes, byModel.sequence) },
    };
  }
}
