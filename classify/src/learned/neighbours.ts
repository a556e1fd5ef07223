/**
 * Nearest neighbours over token sets: each training example is its set of tokens; two sets are
 * compared by cosine similarity with tokens weighted by inverse document frequency (a token every
 * device shows says little, one only a model's units show says much) and by how steadily a class
 * shows them (a name one setup happened to query says little). A class scores by its nearest
 * example and by its centroid. Tokens are saved once, examples as indices into them; centroids are
 * derived on load.
 */
import type { JsonCheck } from './model-errors.js';

/**
 * The nearest example recognises a setup seen before; the centroid weighs tokens by how many of a
 * class's captures show them, so a name one setup happened to query counts little. Half each.
 */
const NEAREST_SHARE = 0.5;

export interface TokenExample {
  label: number;
  tokens: readonly string[];
}

export class TokenNeighbours {
  /** Token → index into `vocabulary`. */
  private readonly index = new Map<string, number>();
  /** IDF weight² per vocabulary token. */
  private readonly weight2: Float64Array;
  /** Examples as sorted token indices, and their norms. */
  private readonly norms: Float64Array;
  private readonly centroids: Map<number, number>[];
  private readonly centroidNorms: Float64Array;
  /** Weight² of a token no training example has. */
  private readonly unseen2: number;

  private constructor(
    readonly vocabulary: readonly string[],
    readonly examples: readonly { label: number; tokens: Uint32Array }[],
    readonly classCount: number,
  ) {
    vocabulary.forEach((t, i) => this.index.set(t, i));
    const df = new Float64Array(vocabulary.length);
    for (const e of examples) for (const t of e.tokens) df[t] = (df[t] ?? 0) + 1;
    const n = examples.length;
    // Each class's centroid: per token, the share of the class's examples that show it.
    this.centroids = Array.from({ length: classCount }, () => new Map<number, number>());
    const sizes = new Float64Array(classCount);
    for (const e of examples) sizes[e.label] = (sizes[e.label] ?? 0) + 1;
    for (const e of examples) {
      const c = this.centroids[e.label] as Map<number, number>;
      for (const t of e.tokens) c.set(t, (c.get(t) ?? 0) + 1 / (sizes[e.label] ?? 1));
    }
    // A token's steadiness: the largest share of one class's examples showing it. A name a device
    // always sends (its host name) is 1; one a setup happened to look up (a time server) is less.
    const steadiness = new Float64Array(vocabulary.length);
    for (const c of this.centroids) for (const [t, share] of c) steadiness[t] = Math.max(steadiness[t] ?? 0, share);
    // Smoothed IDF, ln(1 + N / df), times steadiness; a token seen nowhere weighs as one seen once.
    this.weight2 = df.map((d, t) => (Math.log(1 + n / Math.max(1, d)) * (steadiness[t] ?? 0)) ** 2);
    this.centroidNorms = Float64Array.from(this.centroids, (c) => {
      let s2 = 0;
      for (const [t, share] of c) s2 += share * share * (this.weight2[t] ?? 0);
      return Math.sqrt(s2);
    });
    this.unseen2 = Math.log(1 + Math.max(1, n)) ** 2;
    this.norms = Float64Array.from(examples, (e) => {
      let s = 0;
      for (const t of e.tokens) s += this.weight2[t] ?? 0;
      return Math.sqrt(s);
    });
  }

  static train(examples: readonly TokenExample[], classCount: number): TokenNeighbours {
    const vocabulary: string[] = [];
    const index = new Map<string, number>();
    const encoded = examples.map((e) => {
      const ids = new Set<number>();
      for (const t of e.tokens) {
        let id = index.get(t);
        if (id === undefined) {
          id = vocabulary.length;
          index.set(t, id);
          vocabulary.push(t);
        }
        ids.add(id);
      }
      return { label: e.label, tokens: Uint32Array.from([...ids].sort((a, b) => a - b)) };
    });
    return new TokenNeighbours(vocabulary, encoded, classCount);
  }

  /**
   * Per class, 0–1: the mean of the similarity of its nearest training example and that of its
   * centroid to `tokens`.
   */
  similarities(tokens: readonly string[]): Float64Array {
    const known = new Set<number>();
    let norm2 = 0;
    for (const t of new Set(tokens)) {
      const id = this.index.get(t);
      if (id === undefined) norm2 += this.unseen2;
      else {
        known.add(id);
        norm2 += this.weight2[id] ?? 0;
      }
    }
    const best = new Float64Array(this.classCount);
    const norm = Math.sqrt(norm2);
    if (norm === 0) return best;
    this.examples.forEach((e, i) => {
      let dot = 0;
      for (const t of e.tokens) if (known.has(t)) dot += this.weight2[t] ?? 0;
      const denominator = norm * (this.norms[i] ?? 0);
      const s = denominator > 0 ? dot / denominator : 0;
      if (s > (best[e.label] ?? 0)) best[e.label] = s;
    });
    this.centroids.forEach((c, k) => {
      let dot = 0;
      for (const t of known) dot += (c.get(t) ?? 0) * (this.weight2[t] ?? 0);
      const denominator = norm * (this.centroidNorms[k] ?? 0);
      best[k] = NEAREST_SHARE * (best[k] ?? 0) + (1 - NEAREST_SHARE) * (denominator > 0 ? dot / denominator : 0);
    });
    return best;
  }

  toJSON(): { vocabulary: readonly string[]; examples: [number, number[]][] } {
    return { vocabulary: this.vocabulary, examples: this.examples.map((e) => [e.label, [...e.tokens]]) };
  }

  static fromJSON(value: unknown, classCount: number, check: JsonCheck, path: string): TokenNeighbours {
    const o = check.object(value, path);
    const vocabulary = check.strings(o.vocabulary, `${path}.vocabulary`);
    const examples = check.array(o.examples, `${path}.examples`).map((e, i) => {
      const pair = check.array(e, `${path}.examples[${i}]`);
      if (pair.length !== 2) check.fail(`${path}.examples[${i}]`, 'is not [class, tokens]');
      return {
        label: check.index(pair[0], `${path}.examples[${i}][0]`, classCount),
        tokens: Uint32Array.from(new Set(check.indices(pair[1], `${path}.examples[${i}][1]`, vocabulary.length))),
      };
    });
    return new TokenNeighbours(vocabulary, examples, classCount);
  }
}
