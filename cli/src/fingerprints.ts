/**
 * `wardsight fingerprints`: learned fingerprints from labelled captures. `learn` trains a model,
 * `eval` classifies a labelled set with a model (rules and learned fingerprints together) and prints
 * accuracy per class, `crossval` repeats train/test splits of one labelled set and prints accuracy
 * with its spread, beside published figures on the same set where there are any.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import {
  AccuracyTally,
  crossValidate,
  LearnedFingerprints,
  LearnedModelError,
  parseModel,
  publishedBaseline,
  serialiseModel,
  type LoadedModel,
  type RuleSet,
} from '@wardsight/classify';
import { loadLabelledSet, reportWarnings, rulesFor } from './fingerprints-data.js';
import { crossValidationJson, crossValidationText, evaluationReport, evaluationText } from './fingerprints-report.js';

function integer(min: number, max: number): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`not a whole number from ${min} to ${max}`);
    return n;
  };
}

function share(v: string): number {
  const n = Number(v);
  if (!(n > 0 && n < 1)) throw new InvalidArgumentError('not a number between 0 and 1');
  return n;
}

interface SetOptions {
  labels: string;
  pcaps: string;
  labelColumn: string;
  rules: boolean;
}

function readModel(path: string): LoadedModel {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new LearnedModelError('CLASSIFY_ERR_MODEL_FILE', `${path}: cannot be read (${(err as Error).message})`, { cause: err });
  }
  return parseModel(text, path);
}

/** Whether two rule libraries are the same files at the same versions. */
function sameRules(a: Record<string, string>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

function withSetOptions(command: Command, labelColumnRequired = true): Command {
  command
    .requiredOption('--labels <csv>', 'labels table: a `file` column (relative to --pcaps), label columns, optionally `device_mac`')
    .requiredOption('--pcaps <dir>', 'folder the `file` column is relative to');
  if (labelColumnRequired) command.requiredOption('--label-column <name>', 'the column holding the classes');
  else command.option('--label-column <name>', "the column holding the classes (default: the model's)");
  return command.option('--no-rules', 'leave the rule library out (its conclusions are features otherwise)');
}

async function learn(opts: SetOptions & { out: string; trees: number; seed: number }): Promise<void> {
  const rules = rulesFor(opts.rules);
  const set = await loadLabelledSet({ ...opts, rules });
  reportWarnings(set.warnings);
  const model = LearnedFingerprints.train(set.examples, { forest: { trees: opts.trees, seed: opts.seed } });
  const examples: Record<string, number> = {};
  for (const e of set.examples) examples[e.label] = (examples[e.label] ?? 0) + 1;
  writeFileSync(opts.out, serialiseModel(model, opts.labelColumn, { examples, at: new Date().toISOString(), rules: rules === null ? null : { ...rules.versions } }));
  process.stdout.write(`learned ${model.classes.length} classes (${opts.labelColumn}) from ${set.examples.length} captures; model written to ${opts.out}\n`);
}

async function evaluate(opts: Omit<SetOptions, 'labelColumn'> & { labelColumn?: string; model: string; json?: boolean }): Promise<void> {
  const loaded = readModel(opts.model);
  const labelColumn = opts.labelColumn ?? loaded.labelColumn;
  let rules: RuleSet | null = null;
  if (loaded.trainedOn.rules !== null && opts.rules) {
    rules = rulesFor(true);
    if (rules !== null && !sameRules(loaded.trainedOn.rules, rules.versions)) process.stderr.write('wardsight: the rule library has changed since the model learned; accuracy may differ\n');
  } else if (loaded.trainedOn.rules !== null) {
    process.stderr.write('wardsight: the model learned with the rule library; classifying without it (--no-rules)\n');
  }
  const set = await loadLabelledSet({ ...opts, labelColumn, rules });
  reportWarnings(set.warnings);
  const tally = new AccuracyTally();
  for (const e of set.examples) tally.add(e.label, loaded.model.predict(e.features).label);
  const report = evaluationReport(tally, loaded.model.classes);
  process.stdout.write(opts.json ? `${JSON.stringify(report)}\n` : evaluationText(report));
}

async function crossval(opts: SetOptions & { splits: number; trainShare: number; seed: number; unitColumn?: string; trees: number; json?: boolean }): Promise<void> {
  const set = await loadLabelledSet({ ...opts, rules: rulesFor(opts.rules) });
  reportWarnings(set.warnings);
  const result = crossValidate(set.examples, { splits: opts.splits, trainShare: opts.trainShare, seed: opts.seed, learn: { forest: { trees: opts.trees } } }, set.units);
  const published = publishedBaseline([...new Set(set.examples.map((e) => e.label))]);
  process.stdout.write(opts.json ? `${JSON.stringify(crossValidationJson(result, published))}\n` : crossValidationText(result, published));
}

export function registerFingerprints(program: Command): void {
  const fingerprints = program
    .command('fingerprints')
    .description('Learned fingerprints: learn device models from labelled captures, and measure how well they identify devices');
  withSetOptions(
    fingerprints
      .command('learn')
      .description('Learn a model from labelled captures (features never include a unit\'s own MAC, IP or serials)')
      .requiredOption('--out <file>', 'where to write the model (versioned JSON)')
      .option('--trees <n>', 'trees in the random forest', integer(1, 1000), 100)
      .option('--seed <n>', 'random seed', integer(0, 2 ** 32 - 1), 1),
  ).action((opts: SetOptions & { out: string; trees: number; seed: number }) => learn(opts));
  withSetOptions(
    fingerprints
      .command('eval')
      .description('Classify labelled captures with a model and the rules; print accuracy per class and overall')
      .requiredOption('--model <file>', 'a model written by `fingerprints learn`')
      .option('--json', 'print one JSON object: {"overall", "perClass", "n", "unknownLabels"}'),
    false,
  ).action((opts: Omit<SetOptions, 'labelColumn'> & { labelColumn?: string; model: string; json?: boolean }) => evaluate(opts));
  withSetOptions(
    fingerprints
      .command('crossval')
      .description('Repeated train/test splits within each class (never testing a capture it trained on): accuracy with its spread')
      .option('--splits <n>', 'train/test splits', integer(1, 1000), 10)
      .option('--train-share <x>', 'share of each class\'s captures that train', share, 0.5)
      .option('--seed <n>', 'random seed', integer(0, 2 ** 32 - 1), 1)
      .option('--unit-column <name>', 'column naming the physical unit: classes with several units split by unit')
      .option('--trees <n>', 'trees in the random forest', integer(1, 1000), 100)
      .option('--json', 'print one JSON object: {"overall", "perClass", "n", "spread", …}'),
  ).action((opts: SetOptions & { splits: number; trainShare: number; seed: number; unitColumn?: string; trees: number; json?: boolean }) => crossval(opts));
}
