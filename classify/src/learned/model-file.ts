/**
 * The saved form of learned fingerprints: versioned JSON,
 * `{"format": "wardsight-fingerprints", "version": 1, "labelColumn", "classes", "features", "model", "trainedOn"}`.
 * Loading checks every part (indices in range, trees that end, known format and version) and says
 * where a file is wrong; a model never loads half-valid.
 */
import { LearnedFingerprints, MODEL_NAMES, type ModelWeights } from './ensemble.js';
import type { VectorSchema } from './features.js';
import { RandomForest } from './forest.js';
import { JsonCheck, LearnedModelError } from './model-errors.js';
import { TokenNeighbours } from './neighbours.js';
import { SequenceNeighbours } from './sequence.js';

export const MODEL_FORMAT = 'wardsight-fingerprints';
export const MODEL_VERSION = 1;

/** What a model was learned from, for people reading the file. */
export interface TrainingSummary {
  /** Examples per class. */
  examples: Record<string, number>;
  /** ISO 8601 time of training. */
  at: string;
  /**
   * Versions of the rule files whose conclusions were features (`rules/<name>.json` → version), or
   * null when the model learned without rules; a model is used with the rules it learned with.
   */
  rules: Record<string, string> | null;
}

export interface ModelFile {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_VERSION;
  /** The labels-table column the classes come from (e.g. `device_type_27`). */
  labelColumn: string;
  classes: readonly string[];
  features: VectorSchema;
  model: {
    weights: ModelWeights;
    sharpness: number;
    forest: ReturnType<RandomForest['toJSON']>;
    tokens: ReturnType<TokenNeighbours['toJSON']>;
    sequence: ReturnType<SequenceNeighbours['toJSON']>;
  };
  trainedOn: TrainingSummary;
}

/** A loaded model and what the file says about it. */
export interface LoadedModel {
  model: LearnedFingerprints;
  labelColumn: string;
  trainedOn: TrainingSummary;
}

export function toModelFile(model: LearnedFingerprints, labelColumn: string, trainedOn: TrainingSummary): ModelFile {
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    labelColumn,
    classes: model.classes,
    features: model.schema,
    model: {
      weights: model.weights,
      sharpness: model.sharpness,
      forest: model.forest.toJSON(),
      tokens: model.tokens.toJSON(),
      sequence: model.sequence.toJSON(),
    },
    trainedOn,
  };
}

/** The model file's text (JSON, one line: the trees make it long, not deep). */
export function serialiseModel(model: LearnedFingerprints, labelColumn: string, trainedOn: TrainingSummary): string {
  return `${JSON.stringify(toModelFile(model, labelColumn, trainedOn))}\n`;
}

/** Parses and checks a model file's text; `source` names it in errors. */
export function parseModel(text: string, source = 'model file'): LoadedModel {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new LearnedModelError('CLASSIFY_ERR_MODEL_FILE', `${source}: not JSON (${(err as Error).message})`, { cause: err });
  }
  return loadModel(json, source);
}

/** Checks a parsed model file and builds the model. */
export function loadModel(json: unknown, source = 'model file'): LoadedModel {
  const check = new JsonCheck(source);
  const file = check.object(json, 'the file');
  if (file.format !== MODEL_FORMAT) check.fail('format', `is ${JSON.stringify(file.format)}, not "${MODEL_FORMAT}"`);
  if (file.version !== MODEL_VERSION) check.fail('version', `is ${JSON.stringify(file.version)}; this wardsight reads version ${MODEL_VERSION}`);
  const labelColumn = check.string(file.labelColumn, 'labelColumn');
  const classes = check.strings(file.classes, 'classes');
  if (classes.length < 2 || new Set(classes).size !== classes.length) check.fail('classes', 'must be two or more distinct names');
  const features = check.object(file.features, 'features');
  const schema: VectorSchema = { numbers: check.strings(features.numbers, 'features.numbers'), tokens: check.strings(features.tokens, 'features.tokens') };
  const columns = schema.numbers.length + schema.tokens.length;
  const m = check.object(file.model, 'model');
  const w = check.object(m.weights, 'model.weights');
  const weights = Object.fromEntries(MODEL_NAMES.map((name) => [name, check.number(w[name], `model.weights.${name}`)])) as ModelWeights;
  if (MODEL_NAMES.some((name) => weights[name] < 0) || MODEL_NAMES.every((name) => weights[name] === 0)) check.fail('model.weights', 'must be ≥ 0 and not all 0');
  const sharpness = check.number(m.sharpness, 'model.sharpness');
  if (sharpness <= 0 || sharpness > 1000) check.fail('model.sharpness', 'must be in (0, 1000]');
  const forest = RandomForest.fromJSON(m.forest, columns, classes.length, check, 'model.forest');
  const tokens = TokenNeighbours.fromJSON(m.tokens, classes.length, check, 'model.tokens');
  const sequence = SequenceNeighbours.fromJSON(m.sequence, classes.length, check, 'model.sequence');
  const t = check.object(file.trainedOn, 'trainedOn');
  const examples = check.object(t.examples, 'trainedOn.examples');
  const trainedOn: TrainingSummary = {
    examples: Object.fromEntries(Object.entries(examples).map(([k, v]) => [k, check.number(v, `trainedOn.examples.${k}`)])),
    at: check.string(t.at, 'trainedOn.at'),
    rules:
      t.rules === null || t.rules === undefined
        ? null
        : Object.fromEntries(Object.entries(check.object(t.rules, 'trainedOn.rules')).map(([k, v]) => [k, check.string(v, `trainedOn.rules.${k}`)])),
  };
  return { model: new LearnedFingerprints(classes, schema, forest, tokens, sequence, weights, sharpness), labelColumn, trainedOn };
}
