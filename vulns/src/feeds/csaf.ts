/**
 * CSAF 2.0 security advisories (OASIS CSAF v2.0, as CISA publishes its ICS medical advisories
 * `icsma-*`): one advisory record, and one vulnerability record per `vulnerabilities[]` entry.
 *
 * Products are named through the product tree (§3.1.5 `branches`: vendor → product family →
 * product name → product version or version range), `full_product_names` and `relationships`
 * (§3.2.2.2–3). A product id in `product_status` (§3.2.3.9) is resolved to its vendor, its names
 * from the vendor down (joined by ` / `), and its version text read as a constraint. Status lists:
 * `known_affected`, `first_affected`, `last_affected` → affected; `fixed`, `first_fixed` → fixed;
 * `known_not_affected` → not_affected; `under_investigation`; `recommended` names versions to
 * install and is not a statement about the vulnerability. CSAF 2.0 has no CVSS 4.0 field.
 *
 * A part that cannot be read (an entry without a CVE, an unknown product id, a wrong type) is a
 * problem at its JSON pointer; the rest of the file still reads.
 */
import type {
  AdvisoryRecord, CvssStatement, FeedDocument, ProductStatement, ProductStatus, Remediation, RemediationCategory,
  VersionConstraint, VulnerabilityRecord,
} from '../model.js';
import { parseConstraint } from '../version/constraint.js';
import { emptyDocument, isRecord, list, pointer, readJson, text } from './document.js';

const CVE_ID = /^CVE-\d{4}-\d{4,19}$/;
const CWE_ID = /^CWE-\d+$/;
const STATUS_LISTS: ReadonlyMap<string, ProductStatus | null> = new Map([
  ['known_affected', 'affected'], ['first_affected', 'affected'], ['last_affected', 'affected'],
  ['fixed', 'fixed'], ['first_fixed', 'fixed'], ['known_not_affected', 'not_affected'],
  ['under_investigation', 'under_investigation'], ['recommended', null],
]);
const REMEDIATIONS: readonly RemediationCategory[] = ['vendor_fix', 'mitigation', 'workaround', 'no_fix_planned', 'none_available'];
/** Branch categories that carry the version; every other category but `vendor` names the product. */
const VERSION_CATEGORIES = new Set(['product_version', 'product_version_range']);
const EVERY_VERSION: VersionConstraint = { raw: '*', any: true, intervals: [], understood: true };

type Note = (place: string, message: string) => void;

/** A product of the tree, before a vulnerability gives it a status. */
type TreeProduct = Omit<ProductStatement, 'status'>;

/** The product helper's CPE and purl (§3.1.3.3), where given. */
function identification(product: Record<string, unknown>): Pick<ProductStatement, 'cpe' | 'purl'> {
  const helper = isRecord(product.product_identification_helper) ? product.product_identification_helper : {};
  const found: Pick<ProductStatement, 'cpe' | 'purl'> = {};
  const cpe = text(helper.cpe);
  const purl = text(helper.purl);
  if (cpe !== undefined) found.cpe = cpe;
  if (purl !== undefined) found.purl = purl;
  return found;
}

/** Walks `branches`, collecting every product with the vendor, names and version above it. */
function readBranches(
  value: unknown, place: string, path: { vendor: string; names: string[]; version?: string }, into: Map<string, TreeProduct>, note: Note,
): void {
  if (value !== undefined && !Array.isArray(value)) return note(place, 'branches is not a list; skipped');
  list(value).forEach((branch, i) => {
    const at = `${place}/${i}`;
    if (!isRecord(branch)) return note(at, 'branch is not an object; skipped');
    const category = text(branch.category) ?? '';
    const name = text(branch.name)?.trim() ?? '';
    if (name === '') note(`${at}/name`, 'branch has no name');
    const here = { ...path, names: [...path.names] };
    if (category === 'vendor') here.vendor = name;
    else if (VERSION_CATEGORIES.has(category)) here.version = name;
    else if (name !== '') here.names.push(name);
    if (branch.product !== undefined) addProduct(branch.product, `${at}/product`, here, into, note);
    readBranches(branch.branches, `${at}/branches`, here, into, note);
  });
}

function addProduct(
  value: unknown, place: string, path: { vendor: string; names: string[]; version?: string }, into: Map<string, TreeProduct>, note: Note,
): void {
  if (!isRecord(value)) return note(place, 'product is not an object; skipped');
  const productId = text(value.product_id);
  if (productId === undefined) return note(`${place}/product_id`, 'product has no product_id; skipped');
  if (into.has(productId)) note(`${place}/product_id`, `product_id ${productId} is used twice; the last one is kept`);
  if (path.vendor === '') note(place, `product ${productId} names no vendor, so no device can be matched to it by maker`);
  const product = path.names.length > 0 ? path.names.join(' / ') : (text(value.name) ?? productId);
  const versions = path.version === undefined ? EVERY_VERSION : parseConstraint(path.version);
  into.set(productId, { vendor: path.vendor, product, versions, productId, ...identification(value) });
}

/** Every product of the tree: branches, then full product names, then relationships (§3.1.5, §3.2.2). */
function readProductTree(tree: unknown, note: Note): Map<string, TreeProduct> {
  const products = new Map<string, TreeProduct>();
  if (tree === undefined) return products;
  if (!isRecord(tree)) {
    note(pointer('product_tree'), 'product_tree is not an object; no product can be named');
    return products;
  }
  readBranches(tree.branches, pointer('product_tree', 'branches'), { vendor: '', names: [] }, products, note);
  list(tree.full_product_names).forEach((full, i) => {
    addProduct(full, pointer('product_tree', 'full_product_names', i), { vendor: '', names: [] }, products, note);
  });
  list(tree.relationships).forEach((relation, i) => {
    const at = pointer('product_tree', 'relationships', i);
    if (!isRecord(relation) || !isRecord(relation.full_product_name)) return note(at, 'relationship has no full_product_name; skipped');
    const id = text(relation.full_product_name.product_id);
    const component = products.get(text(relation.product_reference) ?? '');
    const host = products.get(text(relation.relates_to_product_reference) ?? '');
    if (id === undefined) return note(`${at}/full_product_name/product_id`, 'relationship has no product_id; skipped');
    if (!component) return note(`${at}/product_reference`, `product_reference ${String(relation.product_reference)} is not in the product tree`);
    const hosted = host ? `${component.product} (${String(relation.category)} ${host.product})` : component.product;
    products.set(id, { ...component, product: hosted, productId: id });
  });
  return products;
}

/** The statements of one vulnerability's `product_status`, each product id resolved through the tree. */
function readStatus(value: unknown, place: string, tree: Map<string, TreeProduct>, note: Note): ProductStatement[] {
  if (value === undefined) return [];
  if (!isRecord(value)) {
    note(place, 'product_status is not an object; no product is named');
    return [];
  }
  const statements: ProductStatement[] = [];
  for (const [key, ids] of Object.entries(value)) {
    const status = STATUS_LISTS.get(key);
    if (status === undefined) {
      note(`${place}/${key}`, `"${key}" is not a CSAF 2.0 product status; skipped`);
      continue;
    }
    if (!Array.isArray(ids)) {
      note(`${place}/${key}`, `${key} is not a list of product ids; skipped`);
      continue;
    }
    if (status === null) continue;
    ids.forEach((id, j) => {
      const product = typeof id === 'string' ? tree.get(id) : undefined;
      if (product) statements.push({ ...product, status });
      else note(`${place}/${key}/${j}`, `product id ${JSON.stringify(id)} is not in the product tree; left out`);
    });
  }
  return statements;
}

function stringList(value: unknown): string[] {
  return list(value).filter((item): item is string => typeof item === 'string');
}

/** CVSS v3 vectors of `scores[]` (§3.2.3.13), each with the product ids it is given for. */
function readScores(value: unknown, place: string, note: Note): CvssStatement[] {
  const statements: CvssStatement[] = [];
  list(value).forEach((score, i) => {
    const at = `${place}/${i}`;
    if (!isRecord(score)) return note(at, 'score is not an object; skipped');
    if (score.cvss_v3 === undefined) return;
    const cvss = isRecord(score.cvss_v3) ? score.cvss_v3 : {};
    const vector = text(cvss.vectorString)?.trim() ?? '';
    const version = /^CVSS:(3\.[01])\//.exec(vector)?.[1];
    if (version !== '3.0' && version !== '3.1') return note(`${at}/cvss_v3/vectorString`, `"${vector}" is not a CVSS 3.x vector; left out`);
    const statement: CvssStatement = { version, vector, source: 'cisa-csaf', productIds: stringList(score.products) };
    if (typeof cvss.baseScore === 'number') statement.statedScore = cvss.baseScore;
    statements.push(statement);
  });
  return statements;
}

/** `remediations[]` (§3.2.3.12) with their category, details, link and product ids. */
function readRemediations(value: unknown, place: string, note: Note): Remediation[] {
  const remediations: Remediation[] = [];
  list(value).forEach((item, i) => {
    const at = `${place}/${i}`;
    if (!isRecord(item)) return note(at, 'remediation is not an object; skipped');
    const category = REMEDIATIONS.find((known) => known === item.category);
    if (category === undefined) return note(`${at}/category`, `${JSON.stringify(item.category)} is not a CSAF remediation category; skipped`);
    const details = text(item.details);
    if (details === undefined) note(`${at}/details`, 'remediation has no details text');
    const remediation: Remediation = { category, details: details ?? '' };
    const url = text(item.url);
    if (url !== undefined) remediation.url = url;
    if (item.product_ids !== undefined) remediation.productIds = stringList(item.product_ids);
    remediations.push(remediation);
  });
  return remediations;
}

/** One `vulnerabilities[]` entry; its id is `<advisory>#<n>` when it names no CVE. */
function readVulnerability(
  entry: Record<string, unknown>, index: number, advisory: AdvisoryRecord, tree: Map<string, TreeProduct>, note: Note,
): VulnerabilityRecord {
  const place = pointer('vulnerabilities', index);
  const cve = text(entry.cve)?.trim();
  let id = `${advisory.id}#${index + 1}`;
  if (cve !== undefined && CVE_ID.test(cve)) id = cve;
  else note(`${place}/cve`, `${cve === undefined ? 'no cve' : `"${cve}" is not a CVE id`}; recorded as ${id}`);
  const cweId = isRecord(entry.cwe) ? text(entry.cwe.id) : undefined;
  if (entry.cwe !== undefined && (cweId === undefined || !CWE_ID.test(cweId))) note(`${place}/cwe`, 'cwe has no CWE id; left out');
  const record: VulnerabilityRecord = {
    id,
    cwes: cweId !== undefined && CWE_ID.test(cweId) ? [cweId] : [],
    cvss: readScores(entry.scores, `${place}/scores`, note),
    products: readStatus(entry.product_status, `${place}/product_status`, tree, note),
    configurations: [],
    remediations: readRemediations(entry.remediations, `${place}/remediations`, note),
    advisories: [advisory.id],
    references: list(entry.references).map((r) => (isRecord(r) ? text(r.url) : undefined)).filter((u): u is string => u !== undefined),
    source: advisory.source,
  };
  const title = text(entry.title);
  if (title !== undefined) record.title = title;
  const summary = list(entry.notes).filter(isRecord).filter((n) => n.category === 'summary' || n.category === 'description');
  const description = summary.map((n) => text(n.text)).filter((t): t is string => t !== undefined).join('\n\n');
  if (description !== '') record.description = description;
  const published = text(entry.release_date) ?? advisory.published;
  if (published !== '') record.published = published;
  if (advisory.updated !== '') record.updated = advisory.updated;
  for (const cvss of record.cvss) {
    for (const productId of cvss.productIds ?? []) {
      if (!tree.has(productId)) note(`${place}/scores`, `score names product id ${productId}, which is not in the product tree`);
    }
  }
  return record;
}

/** The advisory itself (§3.2.1): tracking id, title, publisher, dates, revision, self link. */
function readAdvisory(document: Record<string, unknown>, file: string, note: Note): AdvisoryRecord {
  const tracking = isRecord(document.tracking) ? document.tracking : {};
  if (!isRecord(document.tracking)) note(pointer('document', 'tracking'), 'document has no tracking; its id and dates are unknown');
  const id = text(tracking.id)?.trim() ?? '';
  if (id === '') note(pointer('document', 'tracking', 'id'), 'advisory has no tracking id');
  const history = list(tracking.revision_history);
  const version = text(tracking.version) ?? '';
  const selfLinks = list(document.references).filter(isRecord).filter((r) => r.category === 'self');
  // CISA gives two self links, the JSON file and the web page: the page is what a person opens.
  const page = selfLinks.find((r) => !/\.json$/i.test(text(r.url) ?? '')) ?? selfLinks[0];
  const advisory: AdvisoryRecord = {
    id: id === '' ? file : id,
    title: text(document.title) ?? '',
    publisher: isRecord(document.publisher) ? (text(document.publisher.name) ?? '') : '',
    vendors: [],
    published: text(tracking.initial_release_date) ?? '',
    updated: text(tracking.current_release_date) ?? '',
    revision: `${version} (${history.length} revision${history.length === 1 ? '' : 's'})`,
    cves: [],
    source: { feed: 'csaf', file, document: id === '' ? file : id },
  };
  const url = page ? text(page.url) : undefined;
  if (url !== undefined) advisory.url = url;
  return advisory;
}

/**
 * Reads a CSAF 2.0 advisory: the advisory record, and one vulnerability record per
 * `vulnerabilities[]` entry with its products resolved through the product tree. A file that is
 * not JSON gives one problem with its line and column.
 */
export function parseCsaf(body: string, file: string): FeedDocument {
  const doc = emptyDocument('csaf', file);
  const note: Note = (place, message) => doc.problems.push({ file, place, message });
  const json = readJson(body, file);
  if (!json.ok) {
    doc.problems.push(json.problem);
    return doc;
  }
  const root = json.value;
  if (!isRecord(root) || !isRecord(root.document)) {
    note(pointer('document'), 'not a CSAF 2.0 advisory: no "document" object');
    return doc;
  }
  if (root.document.csaf_version !== '2.0') {
    note(pointer('document', 'csaf_version'), `csaf_version is ${JSON.stringify(root.document.csaf_version)}, not "2.0"; read as 2.0`);
  }
  const advisory = readAdvisory(root.document, file, note);
  const tree = readProductTree(root.product_tree, note);
  advisory.vendors = [...new Set([...tree.values()].map((p) => p.vendor).filter((v) => v !== ''))];
  if (root.vulnerabilities !== undefined && !Array.isArray(root.vulnerabilities)) {
    note(pointer('vulnerabilities'), 'vulnerabilities is not a list; none is read');
  }
  list(root.vulnerabilities).forEach((entry, i) => {
    if (!isRecord(entry)) return note(pointer('vulnerabilities', i), 'vulnerability is not an object; skipped');
    doc.vulnerabilities.push(readVulnerability(entry, i, advisory, tree, note));
  });
  advisory.cves = doc.vulnerabilities.map((v) => v.id).filter((id) => CVE_ID.test(id));
  doc.advisories.push(advisory);
  return doc;
}
