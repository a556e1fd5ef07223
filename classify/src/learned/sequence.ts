/**
 * Nearest neighbours over packet sequences by edit distance (Levenshtein, unit costs), as IoT
 * Sentinel breaks ties between look-alike types: a device's first packets (direction, kind, size
 * class) against every training example's; a class scores 1 − the normalised distance of its
 * nearest example. Symbols are saved once, sequences as indices into them.
 */
import type { JsonCheck } from './model-errors.js';

/** Symbols compared per sequence (the features carry at most this many). */
export const MAX_SEQUENCE = 64;

export interface SequenceExample {
  label: number;
  sequence: readonly string[];
}

/** Levenshtein distance between two integer sequences, two rows of memory. */
export function editDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let previous = new Uint16Array(b.length + 1);
  let current = new Uint16Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    const ai = a[i - 1];
    for (let j = 1; j <= b.length; j++) {
      const substitute = (previous[j - 1] ?? 0) + (ai === b[j - 1] ? 0 : 1);
      current[j] = Math.min(substitute, (previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length] ?? 0;
}

export class SequenceNeighbours {
  private readonly index = new Map<string, number>();

  private constructor(
    readonly symbols: readonly string[],
    readonly examples: readonly { label: number; sequence: Int32Array }[],
    readonly classCount: number,
  ) {
    symbols.forEach((s, i) => this.index.set(s, i));
  }

  static train(examples: readonly SequenceExample[], classCount: number): SequenceNeighbours {
    const symbols: string[] = [];
    const index = new Map<string, number>();
    const encoded = examples.map((e) => ({
      label: e.label,
      sequence: Int32Array.from(e.sequence.slice(0, MAX_SEQUENCE), (s) => {
        let id = index.get(s);
        if (id === undefined) {
          id = symbols.length;
          index.set(s, id);
          symbols.push(s);
        }
        return id;
      }),
    }));
    return new SequenceNeighbours(symbols, encoded, classCount);
  }

  /** Per class, 1 − (edit distance ÷ longer length) of its nearest example; 0 for an empty sequence. */
  similarities(sequence: readonly string[]): Float64Array {
    // A symbol never seen in training matches nothing: -1 is no symbol's index.
    const query = Int32Array.from(sequence.slice(0, MAX_SEQUENCE), (s) => this.index.get(s) ?? -1);
    const best = new Float64Array(this.classCount);
    if (query.length === 0) return best;
    for (const e of this.examples) {
      const longer = Math.max(query.length, e.sequence.length);
      const s = 1 - editDistance(query, e.sequence) / longer;
      if (s > (best[e.label] ?? 0)) best[e.label] = s;
    }
    return best;
  }

  toJSON(): { symbols: readonly string[]; examples: [number, number[]][] } {
    return { symbols: this.symbols, examples: this.examples.map((e) => [e.label, [...e.sequence]]) };
  }

  static fromJSON(value: unknown, classCount: number, check: JsonCheck, path: string): SequenceNeighbours {
    const o = check.object(value, path);
    const symbols = check.strings(o.symbols, `${path}.symbols`);
    const examples = check.array(o.examples, `${path}.examples`).map((e, i) => {
      const pair = check.array(e, `${path}.examples[${i}]`);
      if (pair.length !== 2) check.fail(`${path}.examples[${i}]`, 'is not [class, sequence]');
      const sequence = check.indices(pair[1], `${path}.examples[${i}][1]`, symbols.length);
      if (sequence.length > MAX_SEQUENCE) check.fail(`${path}.examples[${i}][1]`, `is longer than ${MAX_SEQUENCE}`);
      return { label: check.index(pair[0], `${path}.examples[${i}][0]`, classCount), sequence: Int32Array.from(sequence) };
    });
    return new SequenceNeighbours(symbols, examples, classCount);
  }
}
