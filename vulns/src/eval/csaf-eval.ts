/**
 * How well product matching reads a folder of CSAF 2.0 advisories (`wardsight vulns eval-csaf
 * DIR`). For every product an advisory lists as known affected, with a version text that reads as
 * versions, synthetic devices are made from the advisory's own words — maker and model as
 * published (the model is the product-name branch) — at a version inside each published interval,
 * and at versions just outside: past each upper end, before each lower end (`<= 2.3.6` → 2.3.6 and
 * 2.3.7, `< B.06.18` → B.06.17 and B.06.18). Each device is held against every vulnerability of
 * every advisory in the folder.
 *
 * Counted per device and CVE of the product: an inside device matched with the verdict
 * `affected` is a true positive, otherwise a false negative; an outside device matched (with any
 * verdict) is a false positive. An outside version may be listed as affected by another
 * statement of the same product (`1.X` beside `2.X`), or not be comparable with one
 * (`<= 012U000061` beside `<= L81`): the advisories do not say it is unaffected, so such devices
 * are counted apart and not scored. Products published for all versions (`vers:all/*`) have no
 * outside version: they count on the affected side only. Products whose version text is not
 * versions (a date, model numbers) are excluded, each with its reason.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DeviceDescription, FeedProblem, MatchReason, ProductStatement, VulnerabilityRecord } from '../model.js';
import { parseCsaf } from '../feeds/csaf.js';
import { matchVulnerability } from '../match/product.js';
import { productMatches, sameVendor } from '../names.js';
import { containsVersion } from '../version/constraint.js';
import { versionsInside, versionsOutside } from '../version/sample.js';

/** One product of one advisory, as evaluated. */
export interface EvaluationCase {
  advisory: string;
  vendor: string;
  product: string;
  versions: string;
  cves: string[];
  affectedVersions: string[];
  outsideVersions: string[];
}

/** A device the matcher got wrong. */
export interface EvaluationMiss {
  kind: 'false-negative' | 'false-positive';
  advisory: string;
  vendor: string;
  product: string;
  version: string;
  cve: string;
  why: string;
}

/** A product left out of the evaluation, and why. */
export interface EvaluationExclusion {
  advisory: string;
  vendor: string;
  product: string;
  versions: string;
  reason: string;
}

export interface CsafEvaluation {
  files: number;
  /** Products evaluated (each advisory's known-affected products whose versions read). */
  cases: number;
  /** Of those, products with no version outside their range (`vers:all/*`), tested on the affected side only. */
  affectedOnly: number;
  truePositives: number;
  falseNegatives: number;
  falsePositives: number;
  /** Outside devices that nothing matched: the right answer. */
  trueNegatives: number;
  /**
   * Outside devices that another statement of the same product and CVE lists as affected (GE's
   * B650 `1.X` and `2.X`): not unaffected, so not scored either way.
   */
  listedElsewhere: number;
  /** Outside devices that another statement of the same product cannot be compared with (`<= 012U000061` beside `<= L81`). */
  undecided: number;
  precision: number;
  recall: number;
  misses: EvaluationMiss[];
  excluded: EvaluationExclusion[];
  /** Problems the parser met in the folder's files. */
  problems: FeedProblem[];
  details: EvaluationCase[];
}

/** Why an affected device missed its own product's statement, in words. */
function whyMissed(device: DeviceDescription, own: ProductStatement | undefined, version: string): string {
  if (!own) return 'the advisory\'s own statement was not found';
  if (!sameVendor(device.vendor ?? '', own.vendor)) return `maker "${device.vendor ?? ''}" was not taken for "${own.vendor}"`;
  if (!productMatches(device.model ?? '', own.product, own.vendor)) return `model "${device.model ?? ''}" did not match "${own.product}"`;
  const inside = containsVersion(own.versions, version);
  if (inside === false) return `version ${version} was read as outside "${own.versions.raw}"`;
  if (inside === null) return `version ${version} was not comparable with "${own.versions.raw}"`;
  return 'a fixed or not-affected statement of the same product cleared the device';
}

function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

/** A known-affected product of one advisory, with the CVEs it is affected by. */
interface AffectedProduct {
  statement: ProductStatement;
  advisory: string;
  cves: Set<string>;
}

/** Every known-affected product of the folder, keyed by file and product id. */
function affectedProducts(documents: { file: string; vulns: VulnerabilityRecord[] }[]): Map<string, AffectedProduct> {
  const products = new Map<string, AffectedProduct>();
  for (const { file, vulns } of documents) {
    for (const vuln of vulns) {
      for (const statement of vuln.products.filter((s) => s.status === 'affected')) {
        const key = `${file}\u0000${statement.productId ?? statement.product}\u0000${statement.versions.raw}`;
        const known = products.get(key) ?? { statement, advisory: vuln.advisories[0] ?? file, cves: new Set<string>() };
        known.cves.add(vuln.id);
        products.set(key, known);
      }
    }
  }
  return products;
}

/**
 * What the advisories themselves say of `product` at `version` for one CVE, reading every
 * affected statement of the same maker and the same product name: `affected` when one holds the
 * version, `unknown` when one cannot be compared with it, else `unaffected`.
 */
function publishedTruth(product: ProductStatement, version: string, vulns: readonly VulnerabilityRecord[]): 'affected' | 'unaffected' | 'unknown' {
  let truth: 'unaffected' | 'unknown' = 'unaffected';
  for (const statement of vulns.flatMap((v) => v.products)) {
    if (statement.status !== 'affected' || !sameVendor(statement.vendor, product.vendor)) continue;
    if (productMatches(product.product, statement.product, statement.vendor)?.kind !== 'exact') continue;
    const inside = containsVersion(statement.versions, version);
    if (inside === true) return 'affected';
    if (inside === null) truth = 'unknown';
  }
  return truth;
}

/** The device's strongest match for each of `cves`, holding it against every vulnerability. */
function matchesAmong(device: DeviceDescription, vulns: readonly VulnerabilityRecord[], cves: ReadonlySet<string>): Map<string, MatchReason> {
  const matched = new Map<string, MatchReason>();
  for (const vuln of vulns) {
    const reason = matchVulnerability(device, vuln);
    if (!reason || !cves.has(vuln.id)) continue;
    const known = matched.get(vuln.id);
    if (!known || reason.verdict === 'affected') matched.set(vuln.id, reason);
  }
  return matched;
}

/** Everything read from the folder that scoring needs. */
interface Folder {
  vulns: VulnerabilityRecord[];
  byCve: Map<string, VulnerabilityRecord[]>;
}

function deviceAt(statement: ProductStatement, version: string): DeviceDescription {
  return { vendor: statement.vendor, model: statement.product, version, cpes: [], software: [] };
}

/** Scores one product's inside and outside devices into `result`. */
function scoreProduct(product: AffectedProduct, folder: Folder, result: CsafEvaluation): void {
  const { statement, advisory, cves } = product;
  const named = { advisory, vendor: statement.vendor, product: statement.product, versions: statement.versions.raw };
  const affectedVersions = versionsInside(statement.versions);
  if (affectedVersions.length === 0) {
    const reason = statement.versions.understood ? 'no version inside the range could be derived' : 'the version text is not versions';
    result.excluded.push({ ...named, reason });
    return;
  }
  const outsideVersions = versionsOutside(statement.versions);
  result.cases++;
  if (outsideVersions.length === 0) result.affectedOnly++;
  result.details.push({ ...named, cves: [...cves], affectedVersions, outsideVersions });
  for (const version of affectedVersions) {
    const matched = matchesAmong(deviceAt(statement, version), folder.vulns, cves);
    for (const cve of cves) {
      const reason = matched.get(cve);
      if (reason?.verdict === 'affected') {
        result.truePositives++;
        continue;
      }
      result.falseNegatives++;
      const own = folder.byCve.get(cve)?.filter((v) => v.advisories.includes(advisory)).flatMap((v) => v.products)
        .find((s) => s.productId === statement.productId);
      const why = reason?.text ?? whyMissed(deviceAt(statement, version), own, version);
      result.misses.push({ kind: 'false-negative', ...named, version, cve, why });
    }
  }
  for (const version of outsideVersions) {
    const matched = matchesAmong(deviceAt(statement, version), folder.vulns, cves);
    for (const cve of cves) {
      const truth = publishedTruth(statement, version, folder.byCve.get(cve) ?? []);
      const reason = matched.get(cve);
      if (truth === 'affected') result.listedElsewhere++;
      else if (truth === 'unknown') result.undecided++;
      else if (!reason) result.trueNegatives++;
      else {
        result.falsePositives++;
        result.misses.push({ kind: 'false-positive', ...named, version, cve, why: reason.text });
      }
    }
  }
}

/** Runs the evaluation on every `*.json` CSAF file of `dir`. */
export async function evaluateCsaf(dir: string): Promise<CsafEvaluation> {
  const names = (await readdir(dir)).filter((name) => name.toLowerCase().endsWith('.json')).sort();
  const problems: FeedProblem[] = [];
  const documents: { file: string; vulns: VulnerabilityRecord[] }[] = [];
  for (const name of names) {
    const parsed = parseCsaf(await readFile(join(dir, name), 'utf8'), name);
    problems.push(...parsed.problems);
    documents.push({ file: name, vulns: parsed.vulnerabilities });
  }
  const folder: Folder = { vulns: documents.flatMap((d) => d.vulns), byCve: new Map() };
  for (const vuln of folder.vulns) folder.byCve.set(vuln.id, [...(folder.byCve.get(vuln.id) ?? []), vuln]);
  const result: CsafEvaluation = {
    files: names.length, cases: 0, affectedOnly: 0, truePositives: 0, falseNegatives: 0, falsePositives: 0,
    trueNegatives: 0, listedElsewhere: 0, undecided: 0, precision: 0, recall: 0, misses: [], excluded: [], problems, details: [],
  };
  for (const product of affectedProducts(documents).values()) scoreProduct(product, folder, result);
  result.precision = ratio(result.truePositives, result.truePositives + result.falsePositives);
  result.recall = ratio(result.truePositives, result.truePositives + result.falseNegatives);
  return result;
}

function percent(value: number): string {
  return value.toFixed(2);
}

/** The evaluation as a text report: the figures, then every miss and every exclusion with its reason. */
export function formatEvaluation(e: CsafEvaluation): string {
  const lines = [
    `CSAF evaluation: ${e.files} files, ${e.cases} products evaluated (${e.affectedOnly} on the affected side only), ${e.excluded.length} excluded`,
    `precision ${percent(e.precision)}  recall ${percent(e.recall)}  (true positives ${e.truePositives}, false negatives ${e.falseNegatives}, false positives ${e.falsePositives}, true negatives ${e.trueNegatives})`,
    `outside devices not scored: ${e.listedElsewhere} listed as affected by another statement of the product, ${e.undecided} not comparable with one`,
  ];
  if (e.problems.length > 0) lines.push(`parser problems: ${e.problems.length}`);
  if (e.misses.length > 0) {
    lines.push('', 'Misses:');
    for (const m of e.misses) lines.push(`  ${m.kind} ${m.advisory} ${m.vendor} / ${m.product} version ${m.version} ${m.cve}: ${m.why}`);
  }
  if (e.excluded.length > 0) {
    lines.push('', 'Excluded:');
    for (const x of e.excluded) lines.push(`  ${x.advisory} ${x.vendor} / ${x.product} "${x.versions}": ${x.reason}`);
  }
  return lines.join('\n');
}
