/**
 * Which vulnerabilities a device could match at all, found by key rather than by trying every one:
 * statements by their maker's folded names, NVD configurations by the vendor of each CPE criterion.
 * A library of a full NVD year holds hundreds of thousands of vulnerabilities; a device meets a few.
 */
import { vendorKeys, type DeviceDescription } from '@wardsight/vulns';
import type { VulnerabilityEntry } from '../vulns/library.js';

/** The vendor field of a CPE 2.3 name (`cpe:2.3:o:acme:…` → `acme`), or null when it is a wildcard. */
export function cpeVendor(cpe: string): string | null {
  const vendor = cpe.split(':')[3];
  return vendor && vendor !== '*' && vendor !== '-' ? vendor.toLowerCase() : null;
}

export class CandidateIndex {
  private readonly byMaker = new Map<string, Set<VulnerabilityEntry>>();
  private readonly byCpeVendor = new Map<string, Set<VulnerabilityEntry>>();

  constructor(entries: Iterable<VulnerabilityEntry>) {
    for (const entry of entries) {
      for (const statement of entry.statements) {
        for (const product of statement.products) {
          if (product.status !== 'affected') continue;
          for (const key of vendorKeys(product.vendor)) add(this.byMaker, key, entry);
          if (product.cpe) add(this.byCpeVendor, cpeVendor(product.cpe), entry);
        }
        for (const configuration of statement.configurations) {
          const nodes = [...configuration.nodes];
          while (nodes.length) {
            const node = nodes.pop();
            if (!node) break;
            nodes.push(...node.children);
            for (const criterion of node.cpeMatch) if (criterion.vulnerable) add(this.byCpeVendor, cpeVendor(criterion.criteria), entry);
          }
        }
      }
    }
  }

  /** The entries the device (its maker, its CPEs, its software) could match. */
  candidates(device: DeviceDescription): Set<VulnerabilityEntry> {
    const out = new Set<VulnerabilityEntry>();
    const take = (from: Map<string, Set<VulnerabilityEntry>>, key: string | null) => {
      for (const entry of (key !== null && from.get(key)) || []) out.add(entry);
    };
    const makers = [device.vendor, ...device.software.map((s) => s.vendor)].filter((v): v is string => v !== undefined);
    for (const maker of makers) for (const key of vendorKeys(maker)) take(this.byMaker, key);
    for (const cpe of [...device.cpes, ...device.software.flatMap((s) => (s.cpe ? [s.cpe] : []))]) {
      take(this.byCpeVendor, cpeVendor(cpe));
      // A maker's CPE vendor is often its name folded (`ge_healthcare`): ask the statements by it too.
      for (const key of vendorKeys(cpeVendor(cpe)?.replace(/_/g, ' ') ?? '')) take(this.byMaker, key);
    }
    return out;
  }
}

function add(map: Map<string, Set<VulnerabilityEntry>>, key: string | null, entry: VulnerabilityEntry): void {
  if (key === null || key === '') return;
  const set = map.get(key) ?? new Set<VulnerabilityEntry>();
  set.add(entry);
  map.set(key, set);
}
