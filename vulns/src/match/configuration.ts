/**
 * NVD configurations held against one device. A configuration is a tree of AND/OR nodes of CPE
 * match criteria; it is evaluated against all of the device's CPE names together, so that
 * "firmware (vulnerable) AND running on hardware (not vulnerable)" matches only the device known
 * by both. A match needs a vulnerable criterion met by one of the device's names.
 *
 * A criterion meets a device name when (NISTIR 7696) the criterion is a superset of the name and,
 * where the criterion gives `versionStart*` / `versionEnd*` bounds, the name's version lies inside
 * them by the firmware version comparator (`2.8.123e` is after `2.8.75`, never before). Choices
 * made here, each against a known false match or a silent miss:
 * - a criterion must name its vendor and its product (not ANY, NA or a wildcard): a criterion
 *   without them would put every product of a maker, or every maker's product of that name, at
 *   risk; and a device name whose vendor or product is ANY is never a match (target ANY is SUBSET);
 * - a device name whose version (or update) is ANY says the version is not known: the name still
 *   matches, with the verdict `version-unknown`; a version that cannot be ordered against the
 *   bounds gives `not-comparable`. A criterion whose version is NA (`-`, a product without
 *   versions, as hardware is named) is met by the same product listed with version ANY.
 * Each node's outcome is yes, maybe or no (Kleene's three values): `negate` turns yes and no
 * about and leaves maybe; AND takes the weakest outcome, OR the strongest.
 */
import type { Configuration, ConfigurationNode, CpeMatchCriterion, DeviceDescription, MatchReason, VersionVerdict, VulnerabilityRecord } from '../model.js';
import { compareCpes } from '../cpe/compare.js';
import { CPE_ATTRIBUTES, cpeValueText, formatCpe, tryParseCpe, type Cpe, type CpeAttribute } from '../cpe/parse.js';
import { constraintFromBounds, containsVersion } from '../version/constraint.js';

/** A device name that met a criterion, and how sure the version check is. */
interface Hit {
  criterion: CpeMatchCriterion;
  wanted: Cpe;
  device: Cpe;
  verdict: VersionVerdict;
}

type Truth = 'yes' | 'maybe' | 'no';

interface Outcome {
  truth: Truth;
  /** The criteria met that make the outcome (none for a negated node). */
  hits: Hit[];
}

const STRENGTH: Record<Truth, number> = { no: 0, maybe: 1, yes: 2 };
const VERDICT_ORDER: VersionVerdict[] = ['affected', 'version-unknown', 'not-comparable'];
/** Attributes where a device's ANY means "not known" rather than "any": the version and its update. */
const VERSION_ATTRIBUTES: CpeAttribute[] = ['version', 'update'];

function hasBounds(criterion: CpeMatchCriterion): boolean {
  return criterion.versionStartIncluding !== undefined || criterion.versionStartExcluding !== undefined
    || criterion.versionEndIncluding !== undefined || criterion.versionEndExcluding !== undefined;
}

/** Whether a criterion names its vendor and product as plain strings (see the file comment). */
function namesItsProduct(wanted: Cpe): boolean {
  return (['vendor', 'product'] as const).every((attribute) => {
    const value = wanted[attribute];
    return value.kind === 'text' && value.before === '' && value.after === '';
  });
}

/** How a device name meets a criterion, or null when it does not. */
function meet(criterion: CpeMatchCriterion, wanted: Cpe, device: Cpe): VersionVerdict | null {
  const comparison = compareCpes(wanted, device);
  let unknown = false;
  for (const attribute of CPE_ATTRIBUTES) {
    const relation = comparison[attribute];
    if (relation === 'SUPERSET' || relation === 'EQUAL') continue;
    if (!VERSION_ATTRIBUTES.includes(attribute) || relation !== 'SUBSET') return null;
    // The device's version (or update) is ANY: not known, unless the criterion's is NA.
    if (wanted[attribute].kind !== 'na') unknown = true;
  }
  if (!hasBounds(criterion)) return unknown ? 'version-unknown' : 'affected';
  const version = device.version;
  if (version.kind === 'any') return 'version-unknown';
  if (version.kind === 'na') return 'not-comparable';
  const inside = containsVersion(constraintFromBounds({
    startIncluding: criterion.versionStartIncluding,
    startExcluding: criterion.versionStartExcluding,
    endIncluding: criterion.versionEndIncluding,
    endExcluding: criterion.versionEndExcluding,
  }), version.text);
  if (inside === false) return null;
  if (inside === null) return 'not-comparable';
  return unknown ? 'version-unknown' : 'affected';
}

/** The criterion against every device name: the best hit, as an outcome. */
function evaluateCriterion(criterion: CpeMatchCriterion, devices: Cpe[]): Outcome {
  const wanted = tryParseCpe(criterion.criteria);
  if (wanted === null || !namesItsProduct(wanted)) return { truth: 'no', hits: [] };
  let best: Hit | null = null;
  for (const device of devices) {
    const verdict = meet(criterion, wanted, device);
    if (verdict === null) continue;
    if (best === null || VERDICT_ORDER.indexOf(verdict) < VERDICT_ORDER.indexOf(best.verdict)) {
      best = { criterion, wanted, device, verdict };
    }
  }
  if (best === null) return { truth: 'no', hits: [] };
  return { truth: best.verdict === 'affected' ? 'yes' : 'maybe', hits: [best] };
}

/** AND takes the weakest outcome and every hit; OR the strongest, with the hits that make it. */
function combine(operator: 'AND' | 'OR', negate: boolean, parts: Outcome[]): Outcome {
  let outcome: Outcome;
  if (parts.length === 0) {
    outcome = { truth: 'no', hits: [] };
  } else if (operator === 'AND') {
    const truth = parts.reduce<Truth>((weakest, part) => (STRENGTH[part.truth] < STRENGTH[weakest] ? part.truth : weakest), 'yes');
    outcome = { truth, hits: truth === 'no' ? [] : parts.flatMap((part) => part.hits) };
  } else {
    const truth = parts.reduce<Truth>((strongest, part) => (STRENGTH[part.truth] > STRENGTH[strongest] ? part.truth : strongest), 'no');
    outcome = { truth, hits: parts.filter((part) => part.truth === truth && truth !== 'no').flatMap((part) => part.hits) };
  }
  if (!negate) return outcome;
  const flipped: Record<Truth, Truth> = { yes: 'no', no: 'yes', maybe: 'maybe' };
  return { truth: flipped[outcome.truth], hits: [] };
}

function evaluateNode(node: ConfigurationNode, devices: Cpe[]): Outcome {
  const parts = [
    ...node.cpeMatch.map((criterion) => evaluateCriterion(criterion, devices)),
    ...node.children.map((child) => evaluateNode(child, devices)),
  ];
  return combine(node.operator, node.negate, parts);
}

function evaluateConfiguration(configuration: Configuration, devices: Cpe[]): Outcome {
  return combine(configuration.operator, configuration.negate, configuration.nodes.map((node) => evaluateNode(node, devices)));
}

/** The device's CPE names, its own and its software's, read and without repeats; unreadable ones are passed over. */
function deviceNames(device: DeviceDescription): Cpe[] {
  const texts = [...device.cpes, ...device.software.flatMap((software) => (software.cpe === undefined ? [] : [software.cpe]))];
  const names = new Map<string, Cpe>();
  for (const value of texts) {
    const cpe = tryParseCpe(value);
    if (cpe !== null) names.set(formatCpe(cpe), cpe);
  }
  return [...names.values()];
}

/** The versions a criterion covers, in words: `from 1.0 (including) below 2.0`, `all versions`. */
function criterionVersions(criterion: CpeMatchCriterion, wanted: Cpe): string {
  const parts: string[] = [];
  if (criterion.versionStartIncluding !== undefined) parts.push(`from ${criterion.versionStartIncluding} (including)`);
  if (criterion.versionStartExcluding !== undefined) parts.push(`after ${criterion.versionStartExcluding}`);
  if (criterion.versionEndIncluding !== undefined) parts.push(`up to ${criterion.versionEndIncluding} (including)`);
  if (criterion.versionEndExcluding !== undefined) parts.push(`below ${criterion.versionEndExcluding}`);
  if (parts.length > 0) return parts.join(' ');
  if (wanted.version.kind === 'any') return 'all versions';
  if (wanted.version.kind === 'na') return 'no version (the product as such)';
  return `version ${cpeValueText(wanted.version)}`;
}

const VERDICT_WORDS: Record<VersionVerdict, string> = {
  affected: 'is vulnerable',
  'version-unknown': 'may be vulnerable: the device\'s version is not known',
  'not-comparable': 'may be vulnerable: its version cannot be ordered against the range',
};

/** The reason for one configuration met: the vulnerable criterion first, then the platforms it needs. */
function reasonFor(vulnerability: VulnerabilityRecord, outcome: Outcome): MatchReason | null {
  const vulnerable = outcome.hits.filter((hit) => hit.criterion.vulnerable);
  const main = vulnerable.find((hit) => hit.verdict === 'affected') ?? vulnerable[0];
  if (main === undefined) return null;
  // A maybe with every hit certain comes from a negated platform that may be present.
  const verdict = outcome.truth === 'yes' ? 'affected' : (outcome.hits.find((hit) => hit.verdict !== 'affected')?.verdict ?? 'version-unknown');
  const versions = criterionVersions(main.criterion, main.wanted);
  const deviceCpe = formatCpe(main.device);
  let text = `${vulnerability.id}: ${main.criterion.criteria} (${versions}) met by the device's ${deviceCpe}; the device ${VERDICT_WORDS[verdict]}.`;
  const platforms = outcome.hits.filter((hit) => !hit.criterion.vulnerable);
  if (platforms.length > 0) {
    const listed = platforms.map((hit) => `${hit.criterion.criteria}, met by the device's ${formatCpe(hit.device)}`).join('; ');
    text += ` The configuration also requires, not vulnerable itself: ${listed}.`;
  }
  const reason: MatchReason = {
    basis: 'nvd-cpe',
    verdict,
    text,
    vendor: cpeValueText(main.wanted.vendor),
    product: cpeValueText(main.wanted.product),
    versions,
    deviceProduct: deviceCpe,
  };
  if (main.device.version.kind === 'text') reason.deviceVersion = cpeValueText(main.device.version);
  return reason;
}

/**
 * Whether a vulnerability's NVD configurations match a device, judged on all the device's CPE
 * names (its own and its software's) together. The reason of the first configuration met with
 * the verdict `affected`, else of the first met with a weaker verdict; null when none is met.
 */
export function matchConfigurations(device: DeviceDescription, vulnerability: VulnerabilityRecord): MatchReason | null {
  const names = deviceNames(device);
  if (names.length === 0) return null;
  let possible: MatchReason | null = null;
  for (const configuration of vulnerability.configurations) {
    const outcome = evaluateConfiguration(configuration, names);
    if (outcome.truth === 'no') continue;
    const reason = reasonFor(vulnerability, outcome);
    if (reason?.verdict === 'affected') return reason;
    possible ??= reason;
  }
  return possible;
}
