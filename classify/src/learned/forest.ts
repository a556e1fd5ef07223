/**
 * A random forest (Breiman, "Random Forests", Machine Learning 45, 2001): CART trees grown on
 * bootstrap samples, each split chosen by Gini impurity among a random subset of the columns; the
 * forest's answer is the mean of the trees' leaf class distributions. Trees are flat arrays of
 * nodes, which is also how they are saved.
 */
import type { JsonCheck } from './model-errors.js';
import { randomInt, seededRandom, type Random } from './random.js';

export interface ForestOptions {
  trees: number;
  /** Deepest a tree grows (root is depth 0). */
  maxDepth: number;
  /** Fewest examples a leaf keeps. */
  minLeaf: number;
  /** Columns tried per split; 0 means √columns. */
  columnsPerSplit: number;
  seed: number;
}

export const forestDefaults: ForestOptions = { trees: 100, maxDepth: 32, minLeaf: 1, columnsPerSplit: 0, seed: 1 };

/**
 * A node: `[column, threshold, left, right]` (go left when value ≤ threshold), or a leaf
 * `[-1, class, share, class, share, …]` (shares of the leaf's examples per class).
 */
export type TreeNode = number[];
export type Tree = TreeNode[];

/** Options as given, clamped to what a forest can be grown with. */
function clampOptions(o: Partial<ForestOptions>): ForestOptions {
  const v = { ...forestDefaults, ...o };
  return {
    trees: Math.max(1, Math.min(1000, Math.floor(v.trees))),
    maxDepth: Math.max(1, Math.min(64, Math.floor(v.maxDepth))), // recursion depth is bounded by this
    minLeaf: Math.max(1, Math.floor(v.minLeaf)),
    columnsPerSplit: Math.max(0, Math.floor(v.columnsPerSplit)),
    seed: v.seed >>> 0,
  };
}

interface Split {
  column: number;
  threshold: number;
  gain: number;
}

class TreeGrower {
  readonly nodes: Tree = [];
  private readonly counts: Float64Array;

  constructor(
    private readonly rows: readonly Float64Array[],
    private readonly labels: readonly number[],
    private readonly classCount: number,
    private readonly options: ForestOptions,
    private readonly random: Random,
    private readonly columnsPerSplit: number,
  ) {
    this.counts = new Float64Array(classCount);
  }

  private gini(counts: Float64Array, total: number): number {
    if (total === 0) return 0;
    let sum = 0;
    for (const c of counts) sum += (c / total) * (c / total);
    return 1 - sum;
  }

  private leaf(sample: readonly number[]): number {
    this.counts.fill(0);
    for (const i of sample) this.counts[this.labels[i] ?? 0] = (this.counts[this.labels[i] ?? 0] ?? 0) + 1;
    const node: TreeNode = [-1];
    this.counts.forEach((c, k) => {
      if (c > 0) node.push(k, c / sample.length);
    });
    this.nodes.push(node);
    return this.nodes.length - 1;
  }

  private bestSplit(sample: readonly number[]): Split | null {
    const columns = this.rows[0]?.length ?? 0;
    const parentCounts = new Float64Array(this.classCount);
    for (const i of sample) parentCounts[this.labels[i] ?? 0] = (parentCounts[this.labels[i] ?? 0] ?? 0) + 1;
    const parent = this.gini(parentCounts, sample.length);
    if (parent === 0) return null;
    let best: Split | null = null;
    const left = new Float64Array(this.classCount);
    const right = new Float64Array(this.classCount);
    for (let tried = 0; tried < this.columnsPerSplit; tried++) {
      const column = randomInt(this.random, columns);
      const sorted = [...sample].sort((a, b) => (this.rows[a]?.[column] ?? 0) - (this.rows[b]?.[column] ?? 0));
      left.fill(0);
      right.set(parentCounts);
      for (let k = 0; k < sorted.length - 1; k++) {
        const i = sorted[k] ?? 0;
        const label = this.labels[i] ?? 0;
        left[label] = (left[label] ?? 0) + 1;
        right[label] = (right[label] ?? 0) - 1;
        const value = this.rows[i]?.[column] ?? 0;
        const next = this.rows[sorted[k + 1] ?? 0]?.[column] ?? 0;
        if (value === next || k + 1 < this.options.minLeaf || sorted.length - k - 1 < this.options.minLeaf) continue;
        const nLeft = k + 1;
        const nRight = sorted.length - nLeft;
        const impurity = (nLeft * this.gini(left, nLeft) + nRight * this.gini(right, nRight)) / sorted.length;
        const gain = parent - impurity;
        if (best === null || gain > best.gain) best = { column, threshold: (value + next) / 2, gain };
      }
    }
    return best !== null && best.gain > 1e-12 ? best : null;
  }

  grow(sample: readonly number[], depth: number): number {
    const split = depth < this.options.maxDepth && sample.length >= 2 * this.options.minLeaf ? this.bestSplit(sample) : null;
    if (split === null) return this.leaf(sample);
    const at = this.nodes.length;
    this.nodes.push([split.column, split.threshold, -1, -1]);
    const leftSample = sample.filter((i) => (this.rows[i]?.[split.column] ?? 0) <= split.threshold);
    const rightSample = sample.filter((i) => (this.rows[i]?.[split.column] ?? 0) > split.threshold);
    const node = this.nodes[at] as TreeNode;
    node[2] = this.grow(leftSample, depth + 1);
    node[3] = this.grow(rightSample, depth + 1);
    return at;
  }
}

export class RandomForest {
  private constructor(
    readonly trees: readonly Tree[],
    readonly classCount: number,
  ) {}

  /** Grows a forest on `rows` (one per example, equal lengths) with class indices `labels`. */
  static train(rows: readonly Float64Array[], labels: readonly number[], classCount: number, options: Partial<ForestOptions> = {}): RandomForest {
    const o = clampOptions(options);
    const random = seededRandom(o.seed);
    const columns = rows[0]?.length ?? 0;
    const perSplit = Math.max(1, Math.min(columns, o.columnsPerSplit || Math.round(Math.sqrt(columns))));
    const trees: Tree[] = [];
    for (let t = 0; t < o.trees && rows.length > 0; t++) {
      const sample = Array.from({ length: rows.length }, () => randomInt(random, rows.length));
      const grower = new TreeGrower(rows, labels, classCount, o, random, perSplit);
      grower.grow(sample, 0);
      trees.push(grower.nodes);
    }
    return new RandomForest(trees, classCount);
  }

  /** Class probabilities for one row: the mean of the trees' leaf distributions. */
  predict(row: Float64Array): Float64Array {
    const out = new Float64Array(this.classCount);
    for (const tree of this.trees) {
      let node = tree[0];
      for (let steps = 0; node !== undefined && (node[0] ?? -1) >= 0 && steps < tree.length; steps++) {
        node = tree[(row[node[0] ?? 0] ?? 0) <= (node[1] ?? 0) ? (node[2] ?? -1) : (node[3] ?? -1)];
      }
      if (node === undefined) continue;
      for (let k = 1; k + 1 < node.length; k += 2) out[node[k] ?? 0] = (out[node[k] ?? 0] ?? 0) + (node[k + 1] ?? 0) / this.trees.length;
    }
    return out;
  }

  toJSON(): { trees: readonly Tree[] } {
    return { trees: this.trees };
  }

  /** A saved forest, every node checked against the column and class counts. */
  static fromJSON(value: unknown, columns: number, classCount: number, check: JsonCheck, path: string): RandomForest {
    const trees = check.array(check.object(value, path).trees, `${path}.trees`).map((tree, t) => {
      const nodes = check.array(tree, `${path}.trees[${t}]`);
      if (nodes.length === 0) check.fail(`${path}.trees[${t}]`, 'has no nodes');
      return nodes.map((n, i) => {
        const at = `${path}.trees[${t}][${i}]`;
        const node = check.array(n, at).map((v, j) => check.number(v, `${at}[${j}]`));
        if (node[0] === -1) {
          if (node.length % 2 !== 1) check.fail(at, 'is a leaf with an odd class/share list');
          for (let k = 1; k < node.length; k += 2) check.index(node[k], `${at}[${k}]`, classCount);
        } else {
          if (node.length !== 4) check.fail(at, 'is not [column, threshold, left, right]');
          check.index(node[0], `${at}[0]`, columns);
          // Children come after their parent: walking a tree always ends.
          for (const k of [2, 3]) if (check.index(node[k], `${at}[${k}]`, nodes.length) <= i) check.fail(`${at}[${k}]`, 'points backwards');
        }
        return node;
      });
    });
    return new RandomForest(trees, classCount);
  }
}
