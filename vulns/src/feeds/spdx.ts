/**
 * SPDX 2.2 and 2.3 JSON documents. The package the document describes (`documentDescribes`, or a
 * `DESCRIBES` relationship from `SPDXRef-DOCUMENT`, or `DESCRIBED_BY` towards it) is the device;
 * the other packages are its components. SPDX 2.x carries no VEX, so `vex` stays empty.
 */
import { formatCpe, tryParseCpe } from '../cpe/parse.js';
import type { FeedDocument, FeedProblem, SbomComponent, SbomComponentType, SbomRecord } from '../model.js';
import { emptyDocument, isRecord, list, pointer, readJson, text } from './document.js';

const DOCUMENT_ID = 'SPDXRef-DOCUMENT';

/** SPDX 2.3 `primaryPackagePurpose` as a component type; SOURCE, ARCHIVE, INSTALL and OTHER read as `other`. */
const PURPOSES: Readonly<Record<string, SbomComponentType>> = {
  APPLICATION: 'application',
  FRAMEWORK: 'framework',
  LIBRARY: 'library',
  CONTAINER: 'container',
  'OPERATING-SYSTEM': 'operating-system',
  DEVICE: 'device',
  FIRMWARE: 'firmware',
  FILE: 'file',
};

/** Reads an SPDX 2.2/2.3 JSON document: one `SbomRecord`, with the problems met on the way. */
export function parseSpdx(body: string, file: string): FeedDocument {
  const doc = emptyDocument('spdx', file);
  const json = readJson(body, file);
  if (!json.ok) {
    doc.problems.push(json.problem);
    return doc;
  }
  const spdx = json.value;
  const written = isRecord(spdx) ? text(spdx.spdxVersion) : undefined;
  const version = /^SPDX-(2\.\d+)$/.exec(written ?? '')?.[1];
  if (!isRecord(spdx) || version === undefined) {
    doc.problems.push({ file, place: pointer('spdxVersion'), message: `not an SPDX 2.x JSON document (spdxVersion ${JSON.stringify(written ?? null)})` });
    return doc;
  }
  if (version !== '2.2' && version !== '2.3') {
    doc.problems.push({ file, place: pointer('spdxVersion'), message: `SPDX ${version} is not 2.2 or 2.3; read as 2.3` });
  }
  const packages: SbomComponent[] = [];
  list(spdx.packages).forEach((item, index) => {
    const component = readPackage(item, pointer('packages', index), file, doc.problems);
    if (component !== null) packages.push(component);
  });
  const described = describedIds(spdx);
  const device = packages.find((component) => described.includes(component.ref));
  let subject: SbomRecord['subject'];
  if (device === undefined) {
    doc.problems.push({ file, place: pointer('documentDescribes'), message: 'no package is described by the document (documentDescribes or a DESCRIBES relationship); the document name stands for the device' });
    subject = { name: given(spdx.name) ?? '' };
  } else {
    subject = { name: device.name, type: device.type };
    if (device.supplier !== undefined) subject.supplier = device.supplier;
    if (device.version !== undefined) subject.version = device.version;
  }
  const serial = given(spdx.documentNamespace) ?? file;
  const record: SbomRecord = {
    format: 'spdx',
    specVersion: version,
    serial,
    subject,
    components: packages.filter((component) => component !== device),
    vex: [],
    source: { feed: 'spdx', file, document: serial },
  };
  const created = isRecord(spdx.creationInfo) ? given(spdx.creationInfo.created) : undefined;
  if (created !== undefined) record.created = created;
  doc.sboms.push(record);
  return doc;
}

/** The SPDX ids the document says it describes, in the order given. */
function describedIds(spdx: Record<string, unknown>): string[] {
  const ids = list(spdx.documentDescribes).filter((id): id is string => typeof id === 'string');
  for (const relation of list(spdx.relationships)) {
    if (!isRecord(relation)) continue;
    const type = text(relation.relationshipType);
    if (type === 'DESCRIBES' && relation.spdxElementId === DOCUMENT_ID) ids.push(text(relation.relatedSpdxElement) ?? '');
    if (type === 'DESCRIBED_BY' && relation.relatedSpdxElement === DOCUMENT_ID) ids.push(text(relation.spdxElementId) ?? '');
  }
  return ids;
}

/**
 * One package. Its supplier is `supplier`, else `originator` (`Organization: X` or `Person: Y
 * (mail)` give X or Y; NOASSERTION gives none). The CPE is the `cpe23Type` reference, else a
 * `cpe22Type` one (a 2.2 URI) bound as a 2.3 formatted string.
 */
function readPackage(item: unknown, place: string, file: string, problems: FeedProblem[]): SbomComponent | null {
  if (!isRecord(item)) {
    problems.push({ file, place, message: 'package is not an object; skipped' });
    return null;
  }
  const ref = given(item.SPDXID);
  const name = given(item.name);
  if (ref === undefined || name === undefined) {
    problems.push({ file, place: `${place}/${ref === undefined ? 'SPDXID' : 'name'}`, message: `package has no ${ref === undefined ? 'SPDXID' : 'name'}; skipped` });
    return null;
  }
  const purpose = given(item.primaryPackagePurpose);
  const component: SbomComponent = { ref, name, type: purpose === undefined ? 'other' : PURPOSES[purpose.toUpperCase()] ?? 'other' };
  const supplier = actorName(item.supplier) ?? actorName(item.originator);
  if (supplier !== undefined) component.supplier = supplier;
  const version = given(item.versionInfo);
  if (version !== undefined) component.version = version;
  const refs = list(item.externalRefs).filter(isRecord);
  const locator = (type: string): string | undefined => given(refs.find((entry) => entry.referenceType === type)?.referenceLocator);
  const cpe23 = locator('cpe23Type');
  const cpe22 = locator('cpe22Type');
  const uri = cpe22 === undefined ? null : tryParseCpe(cpe22);
  const cpe = cpe23 ?? (uri === null ? undefined : formatCpe(uri));
  if (cpe22 !== undefined && cpe === undefined) {
    problems.push({ file, place: `${place}/externalRefs`, message: `"${cpe22}" is not a CPE 2.2 URI; left out` });
  }
  if (cpe !== undefined) component.cpe = cpe;
  const purl = locator('purl');
  if (purl !== undefined) component.purl = purl;
  return component;
}

/** The name in an SPDX actor (`Organization: Acme Medical`, `Person: Ann Lee (ann@x.org)`). */
function actorName(value: unknown): string | undefined {
  const actor = given(value);
  if (actor === undefined || actor === 'NOASSERTION' || actor === 'NONE') return undefined;
  const named = /^(?:Organization|Person|Tool):\s*(.*?)\s*(?:\([^)]*\))?$/.exec(actor);
  return given(named?.[1] ?? actor);
}

/** A non-empty trimmed string, else undefined. */
function given(value: unknown): string | undefined {
  const written = text(value)?.trim();
  return written === undefined || written === '' ? undefined : written;
}
