/**
 * NVD CVE API 2.0 responses (`{resultsPerPage, startIndex, totalResults, format: "NVD_CVE",
 * version: "2.0", vulnerabilities: [{cve: {…}}]}`), as the API returns them or as saved pages.
 * Each `cve` becomes a vulnerability: descriptions, CVSS v3.0 / v3.1 / v4.0 metrics (source `nvd`
 * for NVD's own, else the source as NVD names it, the CNA's address or id), weaknesses, references,
 * and the `configurations` that say which CPE names, in which combination, are vulnerable.
 * Products stay in the configurations (`match/configuration.ts` reads them): `products` is empty.
 * What cannot be read is a problem at its JSON pointer; the rest of the page still reads.
 */
import type {
  Configuration, ConfigurationNode, CpeMatchCriterion, CvssStatement, CvssVersion, FeedDocument, VulnerabilityRecord,
} from '../model.js';
import { VulnError } from '../errors.js';
import { parseCpe } from '../cpe/parse.js';
import { advisoryIds } from './cve5.js';
import { emptyDocument, isRecord, list, pointer, readJson, text } from './document.js';

const CVE_ID = /^CVE-\d{4}-\d{4,19}$/;
const CWE_ID = /^CWE-\d+$/;
/** NVD metric lists and the CVSS version each holds (v2 is not read). */
const METRIC_LISTS: readonly (readonly [string, CvssVersion])[] = [['cvssMetricV30', '3.0'], ['cvssMetricV31', '3.1'], ['cvssMetricV40', '4.0']];
const BOUNDS = ['versionStartIncluding', 'versionStartExcluding', 'versionEndIncluding', 'versionEndExcluding'] as const;
/** Configuration nodes nest one level in practice; deeper nesting is refused so a hostile file stays cheap. */
const MAX_DEPTH = 8;

type Note = (place: string, message: string) => void;

/** Reads one NVD CVE API 2.0 response page. */
export function parseNvd(body: string, file: string): FeedDocument {
  const doc = emptyDocument('nvd', file);
  const note: Note = (place, message) => doc.problems.push({ file, place, message });
  const json = readJson(body, file);
  if (!json.ok) {
    doc.problems.push(json.problem);
    return doc;
  }
  const page = json.value;
  if (!isRecord(page) || !Array.isArray(page.vulnerabilities)) {
    note(pointer('vulnerabilities'), 'not an NVD CVE API response: no "vulnerabilities" array');
    return doc;
  }
  if (page.format !== 'NVD_CVE') note(pointer('format'), `format ${JSON.stringify(page.format)} is not "NVD_CVE"; read as NVD CVE API 2.0`);
  if (page.version !== '2.0') note(pointer('version'), `version ${JSON.stringify(page.version)} is not "2.0"; read as 2.0`);
  page.vulnerabilities.forEach((item: unknown, index) => {
    const record = readCve(isRecord(item) ? item.cve : undefined, pointer('vulnerabilities', index, 'cve'), file, note);
    if (record !== null) doc.vulnerabilities.push(record);
  });
  const total = page.totalResults;
  const start = typeof page.startIndex === 'number' ? page.startIndex : 0;
  if (typeof total === 'number' && start + page.vulnerabilities.length < total) {
    note(pointer('totalResults'), `this page holds ${page.vulnerabilities.length} of ${total} results from index ${start}; the others are in other pages`);
  }
  return doc;
}

/** One `cve` object, or null (with a problem) where it has no usable id or was rejected. */
function readCve(cve: unknown, place: string, file: string, note: Note): VulnerabilityRecord | null {
  if (!isRecord(cve)) {
    note(place, 'entry has no "cve" object; skipped');
    return null;
  }
  const id = text(cve.id)?.trim() ?? '';
  if (!CVE_ID.test(id)) {
    note(`${place}/id`, `"${id}" is not a CVE id (CVE-YYYY-NNNN); entry skipped`);
    return null;
  }
  if (cve.vulnStatus === 'Rejected') {
    note(`${place}/vulnStatus`, `${id} is rejected; no vulnerability is recorded`);
    return null;
  }
  const references = [...new Set(list(cve.references).map((r) => (isRecord(r) ? text(r.url) : undefined)).filter((url): url is string => url !== undefined))];
  const record: VulnerabilityRecord = {
    id,
    cwes: readWeaknesses(cve.weaknesses),
    cvss: readMetrics(cve.metrics, `${place}/metrics`, note),
    products: [],
    configurations: list(cve.configurations)
      .map((item, i) => readConfiguration(item, `${place}/configurations/${i}`, note))
      .filter((item): item is Configuration => item !== null),
    remediations: [],
    advisories: advisoryIds(references),
    references,
    source: { feed: 'nvd', file, document: id },
  };
  const english = list(cve.descriptions).filter(isRecord).find((d) => d.lang === 'en');
  const description = english === undefined ? undefined : text(english.value);
  if (description !== undefined) record.description = description;
  const published = text(cve.published);
  if (published !== undefined) record.published = published;
  const updated = text(cve.lastModified);
  if (updated !== undefined) record.updated = updated;
  return record;
}

/** CWE ids of `weaknesses[].description[]`; NVD's `NVD-CWE-Other` and `NVD-CWE-noinfo` say none. */
function readWeaknesses(value: unknown): string[] {
  const ids = list(value).flatMap((weakness) =>
    list(isRecord(weakness) ? weakness.description : undefined).map((d) => (isRecord(d) ? text(d.value) : undefined)));
  return [...new Set(ids.filter((id): id is string => id !== undefined && CWE_ID.test(id)))];
}

/** CVSS statements of `metrics.cvssMetricV30/V31/V40[]`. */
function readMetrics(value: unknown, place: string, note: Note): CvssStatement[] {
  if (!isRecord(value)) return [];
  const statements: CvssStatement[] = [];
  for (const [key, version] of METRIC_LISTS) {
    list(value[key]).forEach((metric, i) => {
      const at = `${place}/${key}/${i}`;
      const data = isRecord(metric) ? metric.cvssData : undefined;
      const vector = isRecord(data) ? text(data.vectorString)?.trim() : undefined;
      if (vector === undefined || !vector.startsWith(`CVSS:${version}/`)) {
        note(`${at}/cvssData/vectorString`, `${JSON.stringify(vector ?? null)} is not a CVSS ${version} vector; left out`);
        return;
      }
      const source = isRecord(metric) ? text(metric.source) : undefined;
      const statement: CvssStatement = { version, vector, source: source === undefined || source === 'nvd@nist.gov' ? 'nvd' : source };
      if (isRecord(data) && typeof data.baseScore === 'number') statement.statedScore = data.baseScore;
      statements.push(statement);
    });
  }
  return statements;
}

/** `AND` or `OR`; a missing operator is OR (NVD omits it on single-node configurations). */
function readOperator(value: unknown, place: string, note: Note): 'AND' | 'OR' {
  if (value === 'AND' || value === 'OR') return value;
  if (value !== undefined) note(place, `operator ${JSON.stringify(value)} is neither AND nor OR; read as OR`);
  return 'OR';
}

function readNegate(value: unknown, place: string, note: Note): boolean {
  if (typeof value === 'boolean') return value;
  if (value !== undefined) note(place, `negate ${JSON.stringify(value)} is not true or false; read as false`);
  return false;
}

/** One configuration, or null (with a problem) when it has no node that reads. */
function readConfiguration(item: unknown, place: string, note: Note): Configuration | null {
  if (!isRecord(item)) {
    note(place, 'configuration is not an object; skipped');
    return null;
  }
  const nodes = list(item.nodes)
    .map((node, i) => readNode(node, `${place}/nodes/${i}`, note, 1))
    .filter((node): node is ConfigurationNode => node !== null);
  if (nodes.length === 0) {
    note(`${place}/nodes`, 'configuration has no node that can be read; skipped');
    return null;
  }
  return { operator: readOperator(item.operator, `${place}/operator`, note), negate: readNegate(item.negate, `${place}/negate`, note), nodes };
}

/** One node with its criteria and (in the older nested shape) its child nodes. */
function readNode(item: unknown, place: string, note: Note, depth: number): ConfigurationNode | null {
  if (!isRecord(item)) {
    note(place, 'node is not an object; skipped');
    return null;
  }
  if (depth > MAX_DEPTH) {
    note(place, `nodes nested deeper than ${MAX_DEPTH} levels; skipped`);
    return null;
  }
  const cpeMatch = list(item.cpeMatch)
    .map((criterion, i) => readCriterion(criterion, `${place}/cpeMatch/${i}`, note))
    .filter((criterion): criterion is CpeMatchCriterion => criterion !== null);
  const children = list(item.children)
    .map((child, i) => readNode(child, `${place}/children/${i}`, note, depth + 1))
    .filter((child): child is ConfigurationNode => child !== null);
  if (cpeMatch.length === 0 && children.length === 0) {
    note(place, 'node has no criterion that can be read; skipped');
    return null;
  }
  return { operator: readOperator(item.operator, `${place}/operator`, note), negate: readNegate(item.negate, `${place}/negate`, note), cpeMatch, children };
}

/** One `cpeMatch` criterion; its CPE name must read and `vulnerable` must be given. */
function readCriterion(item: unknown, place: string, note: Note): CpeMatchCriterion | null {
  if (!isRecord(item)) {
    note(place, 'criterion is not an object; skipped');
    return null;
  }
  if (typeof item.vulnerable !== 'boolean') {
    note(`${place}/vulnerable`, 'criterion does not say whether it is vulnerable; skipped');
    return null;
  }
  const criteria = text(item.criteria)?.trim();
  if (criteria === undefined) {
    note(`${place}/criteria`, 'criterion has no CPE name; skipped');
    return null;
  }
  try {
    parseCpe(criteria);
  } catch (error) {
    if (!(error instanceof VulnError)) throw error;
    note(`${place}/criteria`, `${error.message}; criterion skipped`);
    return null;
  }
  const criterion: CpeMatchCriterion = { vulnerable: item.vulnerable, criteria };
  for (const bound of BOUNDS) {
    const value = item[bound];
    if (typeof value === 'string' && value.trim() !== '') criterion[bound] = value.trim();
    else if (value !== undefined) note(`${place}/${bound}`, `${bound} ${JSON.stringify(value)} is not a version; ignored, so the range is open at that end`);
  }
  return criterion;
}
