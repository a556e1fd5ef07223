/**
 * CVE JSON 5 records (CVE Record Format 5.x, one record per file, as published by the CVE
 * program and enriched by CISA's "Vulnrichment" ADP container). The CNA container gives the
 * title, descriptions, weaknesses and `affected[]`; ADP containers add metrics, weaknesses and,
 * from CISA, `affected[]` entries with CPE names. Everything is read from both, each CVSS vector
 * keeping who gave it (`cna`, `adp:<shortName>`).
 *
 * Each `affected[].versions[]` item becomes one product statement (status `affected`,
 * `unaffected` → `not_affected`, `unknown`); an entry without versions, or whose `defaultStatus`
 * is `affected`, adds a statement for all (other) versions. Placeholder entries (`n/a` product)
 * are reported and left out. What cannot be read is a problem at its JSON pointer.
 */
import type {
  CvssStatement, CvssVersion, FeedDocument, ProductStatement, ProductStatus, VulnerabilityRecord,
} from '../model.js';
import { VulnError } from '../errors.js';
import { formatCpe, parseCpe } from '../cpe/parse.js';
import { constraintFromCve5, type Cve5VersionEntry } from '../version/constraint.js';
import { emptyDocument, isRecord, list, pointer, readJson, text } from './document.js';

const CVE_ID = /^CVE-\d{4}-\d{4,19}$/;
const CWE_ID = /CWE-\d+/;
/** CISA advisory ids (`ICSMA-24-151-02`, `ICSA-23-…`) as they appear in reference URLs. */
const ADVISORY_ID = /\bics(?:m)?a-\d{2}-\d{3}-\d{2}[a-z]?\b/gi;

/** CVE JSON 5 metric keys and the CVSS version each holds (CVSS v2 is not read). */
const METRIC_KEYS: readonly (readonly [string, CvssVersion])[] = [['cvssV3_0', '3.0'], ['cvssV3_1', '3.1'], ['cvssV4_0', '4.0']];

/** CVE JSON 5 version statuses in the common vocabulary. */
const STATUSES: ReadonlyMap<unknown, ProductStatus> = new Map([['affected', 'affected'], ['unaffected', 'not_affected'], ['unknown', 'unknown']]);

/** Reports a problem at a place of the file being read. */
/** Records a problem at a place; `notice`: worth knowing, not a fault of the file. */
type Note = (place: string, message: string, notice?: true) => void;

/** The CISA advisory ids named in `texts` (reference URLs, source fields), upper-cased and without repeats. */
export function advisoryIds(texts: readonly string[]): string[] {
  const ids = texts.flatMap((value) => [...value.matchAll(ADVISORY_ID)].map((match) => match[0].toUpperCase()));
  return [...new Set(ids)];
}

/** Reads one CVE JSON 5 record into a vulnerability, with the problems met on the way. */
export function parseCve5(body: string, file: string): FeedDocument {
  const doc = emptyDocument('cve5', file);
  const note: Note = (place, message, notice) => {
    doc.problems.push(notice ? { file, place, message, notice } : { file, place, message });
  };
  const json = readJson(body, file);
  if (!json.ok) {
    doc.problems.push(json.problem);
    return doc;
  }
  const root = json.value;
  if (!isRecord(root) || (root.dataType !== undefined && root.dataType !== 'CVE_RECORD') || !isRecord(root.cveMetadata)) {
    note(pointer('cveMetadata'), 'not a CVE JSON 5 record: no "cveMetadata" (or "dataType" is not "CVE_RECORD")');
    return doc;
  }
  const meta = root.cveMetadata;
  const id = text(meta.cveId)?.trim() ?? '';
  if (!CVE_ID.test(id)) {
    note(pointer('cveMetadata', 'cveId'), `"${id}" is not a CVE id (CVE-YYYY-NNNN); record skipped`);
    return doc;
  }
  if (meta.state === 'REJECTED') {
    note(pointer('cveMetadata', 'state'), `${id} was rejected by the CVE program; no vulnerability is recorded`);
    return doc;
  }
  const containers = isRecord(root.containers) ? root.containers : {};
  const cna = isRecord(containers.cna) ? containers.cna : {};
  if (!isRecord(containers.cna)) note(pointer('containers', 'cna'), `${id} has no CNA container; only ADP containers are read`);
  doc.vulnerabilities.push(readRecord(id, meta, cna, list(containers.adp), file, note));
  return doc;
}

/** The vulnerability from the metadata, the CNA container and the ADP containers. */
function readRecord(
  id: string, meta: Record<string, unknown>, cna: Record<string, unknown>, adps: unknown[], file: string, note: Note,
): VulnerabilityRecord {
  const cnaPlace = pointer('containers', 'cna');
  const sources: { container: Record<string, unknown>; place: string; source: string }[] = [{ container: cna, place: cnaPlace, source: 'cna' }];
  adps.forEach((adp, index) => {
    if (!isRecord(adp)) return note(pointer('containers', 'adp', index), 'ADP container is not an object; skipped');
    const shortName = isRecord(adp.providerMetadata) ? text(adp.providerMetadata.shortName) : undefined;
    sources.push({ container: adp, place: pointer('containers', 'adp', index), source: `adp:${shortName ?? index}` });
  });
  const record: VulnerabilityRecord = {
    id,
    cwes: unique(sources.flatMap((s) => readCwes(s.container.problemTypes, `${s.place}/problemTypes`, note))),
    cvss: sources.flatMap((s) => readMetrics(s.container.metrics, `${s.place}/metrics`, s.source, note)),
    products: sources.flatMap((s) => readAffected(s.container.affected, `${s.place}/affected`, note)),
    configurations: [],
    remediations: [],
    advisories: [],
    references: unique(sources.flatMap((s) => list(s.container.references).map((r) => (isRecord(r) ? text(r.url) : undefined)))),
    source: { feed: 'cve5', file, document: id },
  };
  const advisory = isRecord(cna.source) ? text(cna.source.advisory) : undefined;
  record.advisories = advisoryIds([...(advisory === undefined ? [] : [advisory]), ...record.references]);
  const title = text(cna.title);
  if (title !== undefined) record.title = title;
  const description = englishText(cna.descriptions);
  if (description !== undefined) record.description = description;
  const published = text(meta.datePublished) ?? text(cna.datePublic);
  if (published !== undefined) record.published = published;
  const updated = text(meta.dateUpdated);
  if (updated !== undefined) record.updated = updated;
  if (record.products.length === 0) {
    note(`${cnaPlace}/affected`, `${id} names no product that can be matched (no affected entry, or only "n/a" placeholders)`, true);
  }
  return record;
}

function unique(values: (string | undefined)[]): string[] {
  return [...new Set(values.filter((value): value is string => value !== undefined && value !== ''))];
}

/** The English text of a `descriptions` list (`en`, `en-US`…), else the first one. */
function englishText(value: unknown): string | undefined {
  const items = list(value).filter(isRecord);
  const english = items.find((item) => text(item.lang)?.toLowerCase().startsWith('en') === true) ?? items[0];
  return english === undefined ? undefined : text(english.value);
}

/** CWE ids of `problemTypes[].descriptions[]`: `cweId`, or a `CWE-N` written in the description. */
function readCwes(value: unknown, place: string, note: Note): string[] {
  const cwes: string[] = [];
  list(value).forEach((problemType, i) => {
    list(isRecord(problemType) ? problemType.descriptions : undefined).forEach((item, j) => {
      if (!isRecord(item)) return;
      const written = text(item.cweId) ?? (item.type === 'CWE' ? text(item.description) : undefined);
      if (written === undefined) return;
      const cwe = CWE_ID.exec(written)?.[0];
      if (cwe === undefined) note(`${place}/${i}/descriptions/${j}`, `"${written}" is not a CWE id; left out`);
      else cwes.push(cwe);
    });
  });
  return cwes;
}

/** CVSS v3.0, v3.1 and v4.0 vectors of a container's `metrics[]`, with the score the source states. */
function readMetrics(value: unknown, place: string, source: string, note: Note): CvssStatement[] {
  const statements: CvssStatement[] = [];
  list(value).forEach((metric, i) => {
    if (!isRecord(metric)) return;
    for (const [key, version] of METRIC_KEYS) {
      const cvss = metric[key];
      if (cvss === undefined) continue;
      const at = `${place}/${i}/${key}`;
      const vector = isRecord(cvss) ? text(cvss.vectorString)?.trim() : undefined;
      if (vector === undefined || vector === '') {
        note(`${at}/vectorString`, `${key} has no vectorString; left out`);
        continue;
      }
      if (!vector.startsWith(`CVSS:${version}/`)) {
        note(`${at}/vectorString`, `${key} holds "${vector}", not a CVSS ${version} vector; left out`);
        continue;
      }
      const statement: CvssStatement = { version, vector, source };
      const score = isRecord(cvss) ? cvss.baseScore : undefined;
      if (typeof score === 'number') statement.statedScore = score;
      statements.push(statement);
    }
  });
  return statements;
}

/** The product statements of a container's `affected[]`. */
function readAffected(value: unknown, place: string, note: Note): ProductStatement[] {
  const statements: ProductStatement[] = [];
  list(value).forEach((entry, i) => {
    const at = `${place}/${i}`;
    if (!isRecord(entry)) return note(at, 'affected entry is not an object; skipped');
    const vendor = text(entry.vendor)?.trim() ?? '';
    const product = (text(entry.product) ?? text(entry.packageName))?.trim() ?? '';
    if (product === '' || product.toLowerCase() === 'n/a') {
      return note(`${at}/product`, `the entry names no product ("${product}"); skipped`, true);
    }
    const cpes = readCpes(entry.cpes, `${at}/cpes`, note);
    const named = (base: Omit<ProductStatement, 'cpe'>): ProductStatement[] =>
      cpes.length === 0 ? [base] : cpes.map((cpe) => ({ ...base, cpe }));
    const versions = list(entry.versions);
    versions.forEach((item, j) => {
      const versionAt = `${at}/versions/${j}`;
      if (!isRecord(item)) return note(versionAt, 'version item is not an object; skipped');
      const status = STATUSES.get(item.status);
      if (status === undefined) return note(`${versionAt}/status`, `status ${JSON.stringify(item.status)} is not affected, unaffected or unknown; skipped`);
      if (item.changes !== undefined) {
        note(`${versionAt}/changes`, 'status changes inside the range are not read; the whole range is taken as one status');
      }
      const range = constraintFromCve5(versionEntry(item, versionAt, note));
      statements.push(...named({ vendor, product, versions: range, status }));
    });
    const defaultStatus = STATUSES.get(entry.defaultStatus);
    if (entry.defaultStatus !== undefined && defaultStatus === undefined) {
      note(`${at}/defaultStatus`, `defaultStatus ${JSON.stringify(entry.defaultStatus)} is not affected, unaffected or unknown`);
    }
    if (versions.length === 0 || defaultStatus === 'affected') {
      const raw = versions.length === 0 ? '*' : 'other versions';
      const all = { raw, any: true, intervals: [], understood: true };
      statements.push(...named({ vendor, product, versions: all, status: defaultStatus ?? 'unknown' }));
    }
  });
  return statements;
}

const VERSION_FIELDS = ['version', 'lessThan', 'lessThanOrEqual', 'versionType'] as const;

/** The text fields of a `versions[]` item; one that is not text is reported and left out. */
function versionEntry(item: Record<string, unknown>, place: string, note: Note): Cve5VersionEntry {
  const entry: Cve5VersionEntry = {};
  for (const field of VERSION_FIELDS) {
    const value = item[field];
    if (typeof value === 'string') entry[field] = value;
    else if (value !== undefined) note(`${place}/${field}`, `${field} ${JSON.stringify(value)} is not text; left out`);
  }
  return entry;
}

/** An entry's CPE names, as canonical 2.3 formatted strings; one that does not read is reported. */
function readCpes(value: unknown, place: string, note: Note): string[] {
  const cpes: string[] = [];
  list(value).forEach((item, i) => {
    if (typeof item !== 'string') return note(`${place}/${i}`, `${JSON.stringify(item)} is not a CPE name; left out`);
    try {
      cpes.push(formatCpe(parseCpe(item)));
    } catch (error) {
      if (!(error instanceof VulnError)) throw error;
      note(`${place}/${i}`, `${error.message}; left out`);
    }
  });
  return [...new Set(cpes)];
}
