/**
 * The CISA Known Exploited Vulnerabilities catalog (JSON feed, schema
 * `known_exploited_vulnerabilities_schema.json`): `{title, catalogVersion, dateReleased, count,
 * vulnerabilities[]}`. Each entry becomes a `KevEntry`; an entry that cannot be trusted (no CVE id,
 * a malformed one) is a problem at its JSON pointer and the rest of the catalog still reads.
 */
import type { FeedDocument, FeedProblem, KevEntry } from '../model.js';
import { emptyDocument, isRecord, list, pointer, readJson, text } from './document.js';

/** The schema's `cveID` pattern: the number part has 4 to 19 digits. */
const CVE_ID = /^CVE-\d{4}-\d{4,19}$/;
/** The schema's `cwes` item pattern. */
const CWE_ID = /^CWE-\d+$/;
/** `dateAdded` and `dueDate` are calendar dates (`format: date`). */
const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Entry fields the schema requires besides `cveID`; a missing one is read as '' and reported. */
const REQUIRED_TEXT = ['vendorProject', 'product', 'vulnerabilityName', 'dateAdded', 'shortDescription', 'requiredAction', 'dueDate'] as const;

/**
 * Reads a KEV catalog. `knownRansomwareCampaignUse` is true only for `Known`; a value other than
 * `Known` or `Unknown` reads as false and is reported. A repeated CVE id keeps its first entry.
 */
export function parseKev(body: string, file: string): FeedDocument {
  const doc = emptyDocument('kev', file);
  const json = readJson(body, file);
  if (!json.ok) {
    doc.problems.push(json.problem);
    return doc;
  }
  const catalog = json.value;
  if (!isRecord(catalog) || !Array.isArray(catalog.vulnerabilities)) {
    doc.problems.push({ file, place: pointer('vulnerabilities'), message: 'not a KEV catalog: no "vulnerabilities" array' });
    return doc;
  }
  const seen = new Set<string>();
  catalog.vulnerabilities.forEach((item: unknown, index) => {
    const entry = readEntry(item, index, file, doc.problems);
    if (entry === null) return;
    if (seen.has(entry.cve)) {
      doc.problems.push({ file, place: pointer('vulnerabilities', index, 'cveID'), message: `${entry.cve} is listed twice; the first entry is kept` });
      return;
    }
    seen.add(entry.cve);
    doc.kev.push(entry);
  });
  const count = catalog.count;
  if (typeof count === 'number' && count !== catalog.vulnerabilities.length) {
    doc.problems.push({ file, place: pointer('count'), message: `the catalog says ${count} entries but lists ${catalog.vulnerabilities.length}` });
  }
  return doc;
}

/** One catalog entry, or null (with a problem) when it has no usable CVE id. */
function readEntry(item: unknown, index: number, file: string, problems: FeedProblem[]): KevEntry | null {
  const at = (...parts: (string | number)[]): string => pointer('vulnerabilities', index, ...parts);
  if (!isRecord(item)) {
    problems.push({ file, place: at(), message: 'entry is not an object; skipped' });
    return null;
  }
  const cve = text(item.cveID)?.trim();
  if (cve === undefined || cve === '') {
    problems.push({ file, place: at('cveID'), message: 'entry has no cveID; skipped' });
    return null;
  }
  if (!CVE_ID.test(cve)) {
    problems.push({ file, place: at('cveID'), message: `"${cve}" is not a CVE id (CVE-YYYY-NNNN); entry skipped` });
    return null;
  }
  const field: Partial<Record<(typeof REQUIRED_TEXT)[number], string>> = {};
  for (const name of REQUIRED_TEXT) {
    const value = text(item[name]);
    if (value === undefined) problems.push({ file, place: at(name), message: `${cve} has no ${name}` });
    field[name] = value ?? '';
  }
  for (const name of ['dateAdded', 'dueDate'] as const) {
    const value = field[name];
    if (value !== undefined && value !== '' && !CALENDAR_DATE.test(value)) {
      problems.push({ file, place: at(name), message: `${cve} ${name} "${value}" is not a YYYY-MM-DD date` });
    }
  }
  return {
    cve,
    vendorProject: field.vendorProject ?? '',
    product: field.product ?? '',
    name: field.vulnerabilityName ?? '',
    dateAdded: field.dateAdded ?? '',
    dueDate: field.dueDate ?? '',
    requiredAction: field.requiredAction ?? '',
    knownRansomwareCampaignUse: readRansomwareUse(item.knownRansomwareCampaignUse, cve, at('knownRansomwareCampaignUse'), file, problems),
    notes: text(item.notes) ?? '',
    cwes: readCwes(item.cwes, cve, at('cwes'), file, problems),
  };
}

/** `Known` → true; `Unknown` or absent → false; anything else → false, reported. */
function readRansomwareUse(value: unknown, cve: string, place: string, file: string, problems: FeedProblem[]): boolean {
  if (value === 'Known') return true;
  if (value === 'Unknown' || value === undefined) return false;
  problems.push({ file, place, message: `${cve} knownRansomwareCampaignUse ${JSON.stringify(value)} is neither "Known" nor "Unknown"; read as not known` });
  return false;
}

/** The entry's CWE ids; an id not of the form CWE-N is reported and left out. */
function readCwes(value: unknown, cve: string, place: string, file: string, problems: FeedProblem[]): string[] {
  const cwes: string[] = [];
  list(value).forEach((cwe, index) => {
    if (typeof cwe === 'string' && CWE_ID.test(cwe.trim())) cwes.push(cwe.trim());
    else problems.push({ file, place: `${place}/${index}`, message: `${cve} lists ${JSON.stringify(cwe)}, not a CWE id; left out` });
  });
  return cwes;
}
