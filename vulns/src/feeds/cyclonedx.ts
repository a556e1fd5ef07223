/**
 * CycloneDX JSON SBOMs, specification 1.2 to 1.6. `metadata.component` is the device the SBOM
 * describes; `components` (with their nested `components`, at any depth) are what it is built of;
 * `vulnerabilities[]` are the maker's VEX statements, mapped to the common VEX vocabulary (below).
 */
import type { FeedDocument, FeedProblem, SbomComponent, SbomComponentType, SbomRecord, VexState, VexStatement } from '../model.js';
import { emptyDocument, isRecord, list, pointer, readJson, text } from './document.js';

/** The specification versions whose JSON form this reader follows. */
const SPEC_VERSIONS = new Set(['1.2', '1.3', '1.4', '1.5', '1.6']);

/** CycloneDX 1.6 `component.type` values Wardsight keeps by name; others (`cryptographic-asset`) read as `other`. */
const COMPONENT_TYPES = new Set<SbomComponentType>([
  'application', 'framework', 'library', 'container', 'platform', 'operating-system', 'device',
  'device-driver', 'firmware', 'file', 'machine-learning-model', 'data',
]);

/** Reads a CycloneDX JSON SBOM: one `SbomRecord`, with the problems met on the way. */
export function parseCycloneDx(body: string, file: string): FeedDocument {
  const doc = emptyDocument('cyclonedx', file);
  const json = readJson(body, file);
  if (!json.ok) {
    doc.problems.push(json.problem);
    return doc;
  }
  const bom = json.value;
  if (!isRecord(bom) || bom.bomFormat !== 'CycloneDX') {
    doc.problems.push({ file, place: pointer('bomFormat'), message: 'not a CycloneDX BOM: "bomFormat" is not "CycloneDX"' });
    return doc;
  }
  const specVersion = text(bom.specVersion) ?? '';
  if (!SPEC_VERSIONS.has(specVersion)) {
    doc.problems.push({ file, place: pointer('specVersion'), message: `specification version "${specVersion}" is not 1.2 to 1.6; read as 1.6` });
  }
  const serial = text(bom.serialNumber) ?? file;
  const metadata = isRecord(bom.metadata) ? bom.metadata : {};
  const components: SbomComponent[] = [];
  const subjectItem = metadata.component;
  let subject: SbomRecord['subject'] = { name: '' };
  if (isRecord(subjectItem)) {
    const device = readComponent(subjectItem, pointer('metadata', 'component'), file, doc.problems);
    if (device !== null) {
      subject = { name: device.name, type: device.type };
      const supplier = device.supplier ?? metadataSupplier(metadata);
      if (supplier !== undefined) subject.supplier = supplier;
      if (device.version !== undefined) subject.version = device.version;
    }
    collectComponents(subjectItem.components, pointer('metadata', 'component', 'components'), file, components, doc.problems);
  } else {
    doc.problems.push({ file, place: pointer('metadata', 'component'), message: 'the SBOM does not name the device it describes (no metadata.component)' });
  }
  collectComponents(bom.components, pointer('components'), file, components, doc.problems);
  const record: SbomRecord = {
    format: 'cyclonedx',
    specVersion,
    serial,
    subject,
    components,
    vex: readVex(bom.vulnerabilities, serial, file, doc.problems),
    source: { feed: 'cyclonedx', file, document: serial },
  };
  const created = text(metadata.timestamp);
  if (created !== undefined) record.created = created;
  doc.sboms.push(record);
  return doc;
}

/**
 * CycloneDX `analysis.state` (1.4+) in the common VEX vocabulary: `exploitable` → affected,
 * `resolved` and `resolved_with_pedigree` → fixed, `in_triage` → under_investigation,
 * `not_affected` and `false_positive` → not_affected.
 */
const VEX_STATES: Readonly<Record<string, VexState>> = {
  exploitable: 'affected',
  resolved: 'fixed',
  resolved_with_pedigree: 'fixed',
  in_triage: 'under_investigation',
  not_affected: 'not_affected',
  false_positive: 'not_affected',
};

/**
 * CycloneDX `analysis.justification` in the VEX justifications of CISA and CSAF. Lossy: the three
 * `requires_*` values (exploitation needs a setting, dependency or environment the product lacks)
 * become vulnerable_code_cannot_be_controlled_by_adversary, the four `protected_*` values
 * inline_mitigations_already_exist. The written value is kept beside the mapped one.
 */
const VEX_JUSTIFICATIONS: Readonly<Record<string, string>> = {
  code_not_present: 'vulnerable_code_not_present',
  code_not_reachable: 'vulnerable_code_not_in_execute_path',
  requires_configuration: 'vulnerable_code_cannot_be_controlled_by_adversary',
  requires_dependency: 'vulnerable_code_cannot_be_controlled_by_adversary',
  requires_environment: 'vulnerable_code_cannot_be_controlled_by_adversary',
  protected_by_compiler: 'inline_mitigations_already_exist',
  protected_at_runtime: 'inline_mitigations_already_exist',
  protected_at_perimeter: 'inline_mitigations_already_exist',
  protected_by_mitigating_control: 'inline_mitigations_already_exist',
};

/**
 * The VEX statements of `vulnerabilities[]`. An entry without an `analysis.state` lists a
 * vulnerability the maker has not ruled on: it reads as under_investigation, never as affected or
 * not affected. `affects[].ref` may be a BOM-Link (`urn:cdx:<serial>/<version>#<bom-ref>`); one
 * into this BOM is read as the bom-ref it ends with.
 */
function readVex(value: unknown, serial: string, file: string, problems: FeedProblem[]): VexStatement[] {
  const statements: VexStatement[] = [];
  list(value).forEach((item, index) => {
    const at = pointer('vulnerabilities', index);
    const id = isRecord(item) ? given(item.id) : undefined;
    if (!isRecord(item) || id === undefined) {
      problems.push({ file, place: `${at}/id`, message: 'vulnerability has no id; skipped' });
      return;
    }
    const analysis = isRecord(item.analysis) ? item.analysis : {};
    const writtenState = given(analysis.state);
    const state = writtenState === undefined ? 'under_investigation' : VEX_STATES[writtenState];
    if (state === undefined) {
      problems.push({ file, place: `${at}/analysis/state`, message: `${id}: analysis state "${writtenState ?? ''}" is not a CycloneDX state; skipped` });
      return;
    }
    const statement: VexStatement = { id, state, affects: list(item.affects).flatMap((target) => affectedRef(target, serial)) };
    if (writtenState !== undefined && writtenState !== state) statement.statedState = writtenState;
    const writtenJustification = given(analysis.justification);
    if (writtenJustification !== undefined) {
      const justification = VEX_JUSTIFICATIONS[writtenJustification];
      if (justification === undefined) {
        problems.push({ file, place: `${at}/analysis/justification`, message: `${id}: justification "${writtenJustification}" is not a CycloneDX justification; kept as written` });
      }
      statement.justification = justification ?? writtenJustification;
      if (justification !== undefined && justification !== writtenJustification) statement.statedJustification = writtenJustification;
    }
    const detail = given(analysis.detail);
    if (detail !== undefined) statement.detail = detail;
    if (statement.affects.length === 0) problems.push({ file, place: `${at}/affects`, message: `${id}: the statement names no component it affects` });
    statements.push(statement);
  });
  return statements;
}

/** The component ref of one `affects[]` entry, a BOM-Link into this BOM shortened to its bom-ref. */
function affectedRef(target: unknown, serial: string): string[] {
  const ref = isRecord(target) ? given(target.ref) : undefined;
  if (ref === undefined) return [];
  const hash = ref.indexOf('#');
  if (ref.startsWith('urn:cdx:') && hash > 0 && ref.slice('urn:cdx:'.length).startsWith(serial.replace(/^urn:uuid:/, ''))) {
    const fragment = ref.slice(hash + 1);
    try {
      return [decodeURIComponent(fragment)];
    } catch {
      return [fragment];
    }
  }
  return [ref];
}

/** Adds the components of `value` and, depth first, their nested components. */
function collectComponents(value: unknown, place: string, file: string, into: SbomComponent[], problems: FeedProblem[]): void {
  list(value).forEach((item, index) => {
    const at = `${place}/${index}`;
    if (!isRecord(item)) {
      problems.push({ file, place: at, message: 'component is not an object; skipped' });
      return;
    }
    const component = readComponent(item, at, file, problems);
    if (component !== null) into.push(component);
    collectComponents(item.components, `${at}/components`, file, into, problems);
  });
}

/**
 * One component. Its supplier is the first of `supplier.name`, `manufacturer.name` (1.6),
 * `publisher`, `author`, `authors[0].name` (1.6). A component without a `bom-ref` is referred to
 * by its JSON pointer. Empty strings (a `version` of "") read as absent.
 */
function readComponent(item: Record<string, unknown>, place: string, file: string, problems: FeedProblem[]): SbomComponent | null {
  const name = given(item.name);
  if (name === undefined) {
    problems.push({ file, place: `${place}/name`, message: 'component has no name; skipped' });
    return null;
  }
  const component: SbomComponent = { ref: given(item['bom-ref']) ?? place, type: componentType(item.type, name, place, file, problems), name };
  const supplier = organisationName(item.supplier) ?? organisationName(item.manufacturer) ?? given(item.publisher)
    ?? given(item.author) ?? organisationName(list(item.authors)[0]);
  if (supplier !== undefined) component.supplier = supplier;
  const version = given(item.version);
  if (version !== undefined) component.version = version;
  const cpe = given(item.cpe);
  if (cpe !== undefined) component.cpe = cpe;
  const purl = given(item.purl);
  if (purl !== undefined) component.purl = purl;
  return component;
}

/** The component's type as CycloneDX names it; missing or unknown types read as `other`. */
function componentType(value: unknown, name: string, place: string, file: string, problems: FeedProblem[]): SbomComponentType {
  const written = text(value);
  if (written !== undefined && COMPONENT_TYPES.has(written as SbomComponentType)) return written as SbomComponentType;
  if (written === undefined) problems.push({ file, place: `${place}/type`, message: `component "${name}" has no type; read as other` });
  return 'other';
}

/** The device maker named in the metadata: `manufacturer` (1.6), `manufacture` (1.2–1.5) or `supplier`. */
function metadataSupplier(metadata: Record<string, unknown>): string | undefined {
  return organisationName(metadata.manufacturer) ?? organisationName(metadata.manufacture) ?? organisationName(metadata.supplier);
}

/** The `name` of an organizationalEntity or organizationalContact. */
function organisationName(value: unknown): string | undefined {
  return isRecord(value) ? given(value.name) : undefined;
}

/** A non-empty trimmed string, else undefined. */
function given(value: unknown): string | undefined {
  const written = text(value)?.trim();
  return written === undefined || written === '' ? undefined : written;
}
