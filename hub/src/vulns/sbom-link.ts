/**
 * A maker's SBOM tied to the model it describes, and its components held against the library. A
 * component matches as a device would (its CPE against NVD configurations, its name and version
 * against product statements); a vulnerability known only from the KEV catalog, which names a
 * product but no versions, is offered as a candidate for the analyst to confirm, never as a fact.
 */
import { matchConfigurations, matchVulnerability, sameVendor, type DeviceDescription, type DeviceSoftware, type MatchReason, type SbomComponent, type SbomRecord, type VulnerabilityRecord } from '@wardsight/vulns';
import { foldName } from './decisions.js';
import type { VulnerabilityEntry } from './library.js';

/** The SBOM whose subject is this model, where the library holds one. */
export function sbomFor(sboms: readonly SbomRecord[], vendor: string, model: string): SbomRecord | undefined {
  const wanted = foldName(model);
  return sboms.find((s) => foldName(s.subject.name) === wanted && (!s.subject.supplier || sameVendor(s.subject.supplier, vendor)));
}

/** The SBOM's components as software the device runs. */
export function sbomSoftware(sbom: SbomRecord): DeviceSoftware[] {
  return sbom.components.map((c) => {
    const s: DeviceSoftware = { product: c.name, from: `sbom:${sbom.serial}` };
    if (c.supplier) s.vendor = c.supplier;
    if (c.version) s.version = c.version;
    if (c.cpe) s.cpe = c.cpe;
    if (c.purl) s.purl = c.purl;
    return s;
  });
}

/** The vendor a component's CPE names (`cpe:2.3:a:wolfssl:wolfssl:…` → `wolfssl`), for name matching. */
function cpeVendor(cpe: string | undefined): string | undefined {
  const parts = cpe?.split(':');
  return parts && parts.length > 4 && parts[3] !== '*' ? parts[3] : undefined;
}

export function componentAsDevice(c: SbomComponent): DeviceDescription {
  const d: DeviceDescription = { model: c.name, cpes: c.cpe ? [c.cpe] : [], software: [] };
  const vendor = c.supplier ?? cpeVendor(c.cpe);
  if (vendor) d.vendor = vendor;
  if (c.version) d.version = c.version;
  return d;
}

export interface ComponentMatch {
  component: { ref: string; name: string; version?: string; type: string };
  vulnerability: string;
  /** `match`: the version lies in a published range; `candidate`: the name matches, the versions could not be checked. */
  kind: 'match' | 'candidate';
  reason: MatchReason;
  kev: boolean;
}

/** Words of a name, folded, for a name-only comparison with the KEV catalog. */
const words = (text: string): string => foldName(text).replace(/\s+/g, '');

function kevCandidate(c: SbomComponent, entry: VulnerabilityEntry): MatchReason | null {
  const kev = entry.kev;
  if (!kev) return null;
  const name = words(c.name.replace(/\s+v?\d[\w.-]*$/i, ''));
  const product = words(kev.product);
  const vendor = words(kev.vendorProject);
  const supplier = words(c.supplier ?? cpeVendor(c.cpe) ?? '');
  if (!name || (name !== product && name !== `${vendor}${product}`)) return null;
  if (supplier && !supplier.includes(vendor) && !vendor.includes(supplier) && name !== vendor) return null;
  return {
    basis: 'sbom',
    verdict: c.version ? 'not-comparable' : 'version-unknown',
    text: `${c.name}${c.version ? ` ${c.version}` : ''} has the name of ${kev.vendorProject} ${kev.product}, which the KEV catalog lists for ${entry.id}; the catalog gives no versions: confirm against the vendor's advisory`,
    vendor: kev.vendorProject,
    product: kev.product,
    versions: '',
    deviceProduct: c.name,
    ...(c.version ? { deviceVersion: c.version } : {}),
  };
}

/**
 * Every component of the SBOM against the library: `candidatesFor` gives the vulnerabilities a
 * component could match (by maker and CPE); `kevOnly` those known only from the KEV catalog, held
 * against component names.
 */
export function matchSbom(sbom: SbomRecord, candidatesFor: (device: DeviceDescription) => Iterable<VulnerabilityEntry>, kevOnly: readonly VulnerabilityEntry[]): ComponentMatch[] {
  const out: ComponentMatch[] = [];
  for (const c of sbom.components) {
    const device = componentAsDevice(c);
    const push = (entry: VulnerabilityEntry, reason: MatchReason) =>
      out.push({ component: { ref: c.ref, name: c.name, type: c.type, ...(c.version ? { version: c.version } : {}) }, vulnerability: entry.id, kind: reason.verdict === 'affected' ? 'match' : 'candidate', reason, kev: entry.kev !== undefined });
    for (const entry of candidatesFor(device)) {
      for (const statement of entry.statements as VulnerabilityRecord[]) {
        const reason = matchVulnerability(device, statement) ?? matchConfigurations(device, statement);
        if (reason) {
          push(entry, { ...reason, basis: 'sbom' });
          break;
        }
      }
    }
    for (const entry of kevOnly) {
      const reason = kevCandidate(c, entry);
      if (reason) push(entry, reason);
    }
  }
  return out;
}
