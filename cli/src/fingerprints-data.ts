/**
 * Labelled captures for `wardsight fingerprints`: a labels table (CSV) naming capture files under a
 * folder, each capture's device features read by the edge core, and the rule library's conclusions
 * on what the device said added as tokens.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LearnedModelError, defaultRuleSet, readLabels, ruleTokens, type FeatureRecord, type LabelledFeatures, type RuleSet, type Signal } from '@wardsight/classify';

/** What the edge core reads of one capture's device. */
export interface CaptureFeatures extends FeatureRecord {
  signals: Signal[];
  subject: { by: 'mac' | 'ip' | 'none'; address: string | null; sent: number; missing: boolean };
  damaged: string | null;
}

type ReadCaptureFeatures = (path: string, selector: { mac?: string | null }) => Promise<CaptureFeatures>;

/** The edge core's feature reader, loaded when a command needs it (the edge core is large to load). */
async function featureReader(): Promise<ReadCaptureFeatures> {
  const { readCaptureFeatures } = await import('@wardsight/edge-core');
  return readCaptureFeatures as ReadCaptureFeatures;
}

export interface LabelledSetOptions {
  labels: string;
  pcaps: string;
  labelColumn: string;
  unitColumn?: string | null;
  /** The rule library whose conclusions join the features, or null for none. */
  rules: RuleSet | null;
}

export interface LabelledSet {
  examples: LabelledFeatures[];
  /** Physical unit of each example (the unit column), or null. */
  units: (string | null)[];
  /** Rows without a label, left out. */
  skipped: number;
  /** Captures read with a problem (cut short, device not found), one line each. */
  warnings: string[];
}

/** Names at most five of a list, and how many more there are. */
function some(names: readonly string[]): string {
  return names.length <= 5 ? names.join(', ') : `${names.slice(0, 5).join(', ')} and ${names.length - 5} more`;
}

/** The rule library, unless told not to use one. */
export function rulesFor(useRules: boolean): RuleSet | null {
  return useRules ? defaultRuleSet() : null;
}

/** Reads the labels table and the features of every capture it names. */
export async function loadLabelledSet(o: LabelledSetOptions): Promise<LabelledSet> {
  let text: string;
  try {
    text = readFileSync(o.labels, 'utf8');
  } catch (err) {
    throw new LearnedModelError('CLASSIFY_ERR_LABELS', `${o.labels}: cannot be read (${(err as Error).message})`, { cause: err });
  }
  const { captures, skipped } = readLabels(text, { labelColumn: o.labelColumn, unitColumn: o.unitColumn ?? null, source: o.labels });
  if (!existsSync(o.pcaps) || !statSync(o.pcaps).isDirectory()) throw new LearnedModelError('CLASSIFY_ERR_LABELS', `${o.pcaps}: not a folder of captures`);
  const paths = captures.map((c) => resolve(join(o.pcaps, c.file)));
  const missing = captures.filter((_, i) => !existsSync(paths[i] ?? '')).map((c) => c.file);
  if (missing.length > 0) throw new LearnedModelError('CLASSIFY_ERR_LABELS', `${missing.length} of the captures ${o.labels} names are not under ${o.pcaps}: ${some(missing)}`);
  const read = await featureReader();
  const set: LabelledSet = { examples: [], units: [], skipped, warnings: [] };
  for (const [i, c] of captures.entries()) {
    const path = paths[i] ?? '';
    let f: CaptureFeatures;
    try {
      f = await read(path, { mac: c.mac });
    } catch (err) {
      throw new LearnedModelError('CLASSIFY_ERR_LABELS', `${c.file} (line ${c.line} of ${o.labels}): ${(err as Error).message}`, { cause: err });
    }
    if (f.damaged !== null) set.warnings.push(`${c.file}: read up to where it is damaged (${f.damaged})`);
    if (f.subject.missing) set.warnings.push(`${c.file}: ${c.mac} sends nothing in it; learned from ${f.subject.address ?? 'no device'} instead`);
    if (f.subject.by === 'none') set.warnings.push(`${c.file}: no device found in it`);
    const tokens = o.rules === null ? f.tokens : [...f.tokens, ...ruleTokens(f.signals, o.rules)];
    set.examples.push({ id: c.file, label: c.label, features: { tokens, numbers: f.numbers, sequence: f.sequence } });
    set.units.push(c.unit);
  }
  return set;
}

/** Warnings on standard error: each when few, else a count and the first. */
export function reportWarnings(warnings: readonly string[]): void {
  const shown = warnings.length <= 5 ? warnings : [...warnings.slice(0, 3), `… and ${warnings.length - 3} more`];
  for (const w of shown) process.stderr.write(`wardsight: ${w}\n`);
}
