/** What `wardsight fingerprints eval` and `crossval` print: per-class tables and the overall figures. */
import type { AccuracyTally, CrossValidationResult, PublishedBaseline } from '@wardsight/classify';

const f3 = (x: number): string => x.toFixed(3);

/** `A×2, B×1`: what a class was taken for, most often first. */
function confusions(confusedWith: Record<string, number>): string {
  return Object.entries(confusedWith)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([label, n]) => `${label}×${n}`)
    .join(', ');
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, i) => (i === 0 || i === r.length - 1 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ').trimEnd()).join('\n');
}

/** One labelled set classified by one model. */
export interface EvaluationReport {
  overall: number;
  perClass: Record<string, { accuracy: number; n: number; confusedWith: Record<string, number> }>;
  n: number;
  /** Labels of the set the model has no class for (always wrong). */
  unknownLabels: string[];
}

export function evaluationReport(tally: AccuracyTally, modelClasses: readonly string[]): EvaluationReport {
  const perClass = tally.perClass();
  return { overall: tally.overall(), perClass, n: tally.total, unknownLabels: Object.keys(perClass).filter((l) => !modelClasses.includes(l)) };
}

export function evaluationText(r: EvaluationReport): string {
  const rows = [['class', 'accuracy', 'n', 'taken for'], ...Object.entries(r.perClass).map(([label, c]) => [label, f3(c.accuracy), String(c.n), confusions(c.confusedWith)])];
  const unknown = r.unknownLabels.length > 0 ? `\nnot classes of the model (always counted wrong): ${r.unknownLabels.join(', ')}` : '';
  return `${table(rows)}\n\noverall accuracy ${f3(r.overall)} (n = ${r.n})${unknown}\n`;
}

/** The cross-validation result in the `eval` JSON shape, with the spread and extras beside it. */
export function crossValidationJson(r: CrossValidationResult, published: PublishedBaseline | null): Record<string, unknown> {
  return {
    overall: r.overall.mean,
    perClass: Object.fromEntries(Object.entries(r.perClass).map(([label, c]) => [label, { accuracy: c.mean, sd: c.sd, n: c.tested, confusedWith: c.confusedWith }])),
    n: Math.round(r.testedPerSplit * r.splits),
    spread: r.overall,
    balanced: r.balanced,
    topTwo: r.topTwo,
    byModel: r.byModel,
    splits: r.splits,
    trainShare: r.trainShare,
    seed: r.seed,
    published: published === null ? null : { citation: published.citation, overall: published.overall },
  };
}

export function crossValidationText(r: CrossValidationResult, published: PublishedBaseline | null): string {
  const rows = [
    ['class', 'accuracy', '± sd', 'tested', 'taken for'],
    ...Object.entries(r.perClass).map(([label, c]) => [label, f3(c.mean), f3(c.sd), String(c.tested), confusions(c.confusedWith)]),
  ];
  const o = r.overall;
  const models = Object.entries(r.byModel).map(([name, s]) => `${name} ${f3(s.mean)} ± ${f3(s.sd)}`).join(', ');
  const lines = [
    table(rows),
    '',
    `overall accuracy ${f3(o.mean)} ± ${f3(o.sd)} (min ${f3(o.min)}, max ${f3(o.max)}) over ${r.splits} splits, ${Math.round(r.testedPerSplit)} captures tested per split (train share ${r.trainShare}, seed ${r.seed})`,
    `per-class mean ${f3(r.balanced.mean)}; true class among the two most likely ${f3(r.topTwo.mean)}`,
    `by model: ${models}`,
  ];
  if (published !== null) {
    lines.push(`${published.citation} on the same ${published.classes.length} types: ${f3(published.overall)} (about 0.5 on its look-alikes: ${published.lookAlikes.join(', ')})`);
  }
  return `${lines.join('\n')}\n`;
}
