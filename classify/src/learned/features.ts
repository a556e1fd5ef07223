/**
 * What learned fingerprints are trained on: the features of one device in one capture (as the edge
 * core's `readCaptureFeatures` gives them) with its label, and the fixed-length numeric vector the
 * random forest reads, laid out by a schema fixed at training time.
 */

/** One device's features: tokens (`name=value`), named numbers and its packet sequence. */
export interface FeatureRecord {
  tokens: readonly string[];
  numbers: Readonly<Record<string, number>>;
  sequence: readonly string[];
}

/** A training or test example: where it came from (a capture file), its features and its label. */
export interface LabelledFeatures {
  id: string;
  label: string;
  features: FeatureRecord;
}

/** The forest's columns: the named numbers, then the presence (0/1) of each listed token. */
export interface VectorSchema {
  numbers: string[];
  tokens: string[];
}

/** A token seen in fewer training examples than this says nothing general: it is not a column. */
export const MIN_TOKEN_EXAMPLES = 2;
/** Token columns at most (the most widespread are kept). */
export const MAX_TOKEN_COLUMNS = 4000;
/** The value of a number a record lacks. */
export const ABSENT = -1;

/** The columns for a training set: every number any example has, and its shared tokens. */
export function buildSchema(examples: readonly FeatureRecord[]): VectorSchema {
  const numbers = new Set<string>();
  const counts = new Map<string, number>();
  for (const e of examples) {
    for (const name of Object.keys(e.numbers)) numbers.add(name);
    for (const token of new Set(e.tokens)) counts.set(token, (counts.get(token) ?? 0) + 1);
  }
  const tokens = [...counts]
    .filter(([, n]) => n >= MIN_TOKEN_EXAMPLES)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, MAX_TOKEN_COLUMNS)
    .map(([token]) => token)
    .sort();
  return { numbers: [...numbers].sort(), tokens };
}

/** A record as the forest's row. */
export function vectorise(schema: VectorSchema, record: FeatureRecord): Float64Array {
  const row = new Float64Array(schema.numbers.length + schema.tokens.length);
  schema.numbers.forEach((name, i) => {
    const v = record.numbers[name];
    row[i] = typeof v === 'number' && Number.isFinite(v) ? v : ABSENT;
  });
  const present = new Set(record.tokens);
  const base = schema.numbers.length;
  schema.tokens.forEach((token, i) => {
    row[base + i] = present.has(token) ? 1 : 0;
  });
  return row;
}
