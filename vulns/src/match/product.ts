/**
 * Holds a device against the products a vulnerability names (CSAF product trees, CVE JSON 5
 * `affected[]`): the maker must be the same, the device's model (or a piece of software it runs)
 * must be the product, and then the version decides — `affected` when it lies in the published
 * range, `version-unknown` when the device's version is not known, `not-comparable` when the
 * published text could not be read as versions or speaks of another version series.
 *
 * Only `affected` statements make a match. `fixed` and `not_affected` statements are evidence
 * against: a device whose version one of them holds is not affected by that vulnerability.
 */
import type {
  DeviceDescription, FeedKind, MatchBasis, MatchReason, ProductStatement, VersionVerdict, VulnerabilityRecord,
} from '../model.js';
import { productMatches, sameVendor, type ProductMatch } from '../names.js';
import { containsVersion } from '../version/constraint.js';

/** Which vulnerability and advisory a statement belongs to, for the reason's sentence. */
export interface MatchContext {
  cve: string;
  advisory?: string;
  /** The source the statement came from; `csaf` when not said. */
  basis?: MatchBasis;
}

/** One thing a device is known to be or run: its model, or one piece of its software. */
interface DeviceSide {
  vendor?: string;
  product: string;
  version?: string;
}

const VERDICT_RANK: Record<VersionVerdict, number> = { affected: 3, 'not-comparable': 2, 'version-unknown': 1 };
const BASIS: Partial<Record<FeedKind, MatchBasis>> = { csaf: 'csaf', cve5: 'cve5', nvd: 'nvd-cpe', cyclonedx: 'sbom', spdx: 'sbom' };

/** The device's model and software, each with the maker and version it is known by. */
function sides(device: DeviceDescription): DeviceSide[] {
  const found: DeviceSide[] = [];
  if (device.model !== undefined && device.model.trim() !== '') {
    found.push({ vendor: device.vendor, product: device.model, version: device.version });
  }
  for (const software of device.software) {
    found.push({ vendor: software.vendor ?? device.vendor, product: software.product, version: software.version });
  }
  return found;
}

/** Whether this side of the device is the statement's product (same maker, matching name). */
function sameProduct(side: DeviceSide, statement: ProductStatement): ProductMatch | null {
  if (side.vendor === undefined || !sameVendor(side.vendor, statement.vendor)) return null;
  return productMatches(side.product, statement.product, statement.vendor);
}

/** The version verdict for an affected statement, or null when the device's version lies outside it. */
function versionVerdict(side: DeviceSide, statement: ProductStatement): VersionVerdict | null {
  if (statement.versions.any) return 'affected';
  if (!statement.versions.understood) return 'not-comparable';
  if (side.version === undefined || side.version.trim() === '') return 'version-unknown';
  const inside = containsVersion(statement.versions, side.version);
  if (inside === null) return 'not-comparable';
  return inside ? 'affected' : null;
}

/** The sentence an analyst reads. */
function sentence(side: DeviceSide, statement: ProductStatement, verdict: VersionVerdict, context: MatchContext): string {
  const device = `${side.vendor ?? statement.vendor} ${side.product}${side.version ? ` version ${side.version}` : ''}`;
  const where = context.advisory ? ` (${context.advisory})` : '';
  const range = statement.versions.any ? 'in every version' : `in versions "${statement.versions.raw}"`;
  const head = `${device} is ${statement.vendor} ${statement.product}, which ${context.cve} affects ${range}${where}`;
  switch (verdict) {
    case 'affected': return statement.versions.any ? `${head}.` : `${head}; ${side.version ?? ''} lies in that range.`;
    case 'version-unknown': return `${head}; the device's version is not known.`;
    case 'not-comparable': return `${head}; that text cannot be compared with the device's version.`;
  }
}

function reasonFor(side: DeviceSide, statement: ProductStatement, context: MatchContext): MatchReason | null {
  if (!sameProduct(side, statement)) return null;
  const verdict = versionVerdict(side, statement);
  if (verdict === null) return null;
  const reason: MatchReason = {
    basis: context.basis ?? 'csaf',
    verdict,
    text: sentence(side, statement, verdict, context),
    vendor: statement.vendor,
    product: statement.product,
    versions: statement.versions.raw,
    deviceProduct: side.product,
  };
  if (side.version !== undefined) reason.deviceVersion = side.version;
  return reason;
}

function strongest(reasons: (MatchReason | null)[]): MatchReason | null {
  let best: MatchReason | null = null;
  for (const reason of reasons) {
    if (reason && (!best || VERDICT_RANK[reason.verdict] > VERDICT_RANK[best.verdict])) best = reason;
  }
  return best;
}

/**
 * Whether a device is what one `affected` statement names, and why; null when the maker, the
 * product or the version rules it out, and always null for a statement of another status.
 */
export function matchStatement(device: DeviceDescription, statement: ProductStatement, context: MatchContext): MatchReason | null {
  if (statement.status !== 'affected') return null;
  return strongest(sides(device).map((side) => reasonFor(side, statement, context)));
}

/** Whether a `fixed` or `not_affected` statement names this side of the device at its very version. */
function clearedBy(side: DeviceSide, statement: ProductStatement): boolean {
  if (statement.status !== 'fixed' && statement.status !== 'not_affected') return false;
  if (side.version === undefined || side.version.trim() === '') return false;
  return sameProduct(side, statement) !== null && containsVersion(statement.versions, side.version) === true;
}

/**
 * Whether a device is affected by a vulnerability, weighing all its statements: the strongest
 * `affected` match, unless a `fixed` or `not_affected` statement of the same product holds the
 * device's version (then that side of the device is cleared). Null when nothing matches.
 */
export function matchVulnerability(device: DeviceDescription, vuln: VulnerabilityRecord): MatchReason | null {
  const context: MatchContext = { cve: vuln.id, basis: BASIS[vuln.source.feed] ?? 'csaf' };
  const advisory = vuln.advisories[0];
  if (advisory !== undefined) context.advisory = advisory;
  const reasons = sides(device).flatMap((side) => {
    if (vuln.products.some((statement) => clearedBy(side, statement))) return [];
    return vuln.products.map((statement) => (statement.status === 'affected' ? reasonFor(side, statement, context) : null));
  });
  return strongest(reasons);
}
