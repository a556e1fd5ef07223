/**
 * A maker's security record, from the same facts the rest of the hub uses: its advisories and how
 * often they came with a fix, how long fixes took, its vulnerabilities the KEV catalog lists, whether
 * it publishes SBOMs and MDS2 forms (and what the forms answer), and how many of its products run an
 * operating system past its end of support — named in advisories or seen on this network.
 */
import { mds2Summary, sameVendor, type AdvisoryRecord, type Mds2Record, type SbomRecord } from '@wardsight/vulns';
import type { VulnerabilityEntry } from '../vulns/library.js';
import { unsupportedOs } from './os-support.js';

export interface MakerRecord {
  vendor: string;
  advisories: { id: string; title: string; published: string; updated: string; fix: boolean; daysToFix: number | null }[];
  cves: number;
  kev: string[];
  /** Share of advisories whose remediations include a maker's fix (null with no advisory). */
  fixRate: number | null;
  /**
   * Median days from an advisory's first publication to the revision that carries the maker's fix:
   * 0 when the fix was published with the advisory (the advisories give no other fix date).
   */
  medianDaysToFix: number | null;
  sbom: { available: boolean; documents: string[] };
  mds2: { available: boolean; documents: { model: string; documentId?: string; facts: { id: string; answer: string; question: string }[] }[] };
  unsupportedOs: { inAdvisories: string[]; onNetwork: { device: string; os: string }[] };
}

const DAY = 86_400_000;

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? null) : Math.round((((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2) * 10) / 10;
}

export interface MakerFacts {
  advisories: readonly AdvisoryRecord[];
  entries: ReadonlyMap<string, VulnerabilityEntry>;
  sboms: readonly SbomRecord[];
  mds2: readonly Mds2Record[];
  /** The inventory's devices of every maker: key, vendor, os text. */
  devices: readonly { device: string; vendor: string | null; os: string | null }[];
}

/** The maker's record, from the library and the inventory. */
export function makerRecord(vendor: string, facts: MakerFacts): MakerRecord {
  const advisories = facts.advisories.filter((a) => a.vendors.some((v) => sameVendor(v, vendor)));
  const cves = new Set(advisories.flatMap((a) => a.cves));
  for (const entry of facts.entries.values()) {
    if (entry.statements.some((s) => s.products.some((p) => p.status === 'affected' && sameVendor(p.vendor, vendor)))) cves.add(entry.id);
    // A vulnerability the KEV catalog alone describes counts for the maker it names.
    else if (entry.statements.length === 0 && entry.kev && sameVendor(entry.kev.vendorProject, vendor)) cves.add(entry.id);
  }
  const kev = [...cves].filter((id) => facts.entries.get(id)?.kev).sort();
  const listed = advisories.map((a) => {
    const fix = a.cves.some((id) => facts.entries.get(id)?.statements.some((s) => s.advisories.includes(a.id) && s.remediations.some((r) => r.category === 'vendor_fix')));
    const days = fix ? Math.max(0, Math.round((Date.parse(a.updated) - Date.parse(a.published)) / DAY)) : null;
    return { id: a.id, title: a.title, published: a.published, updated: a.updated, fix, daysToFix: days };
  });
  const sboms = facts.sboms.filter((s) => s.subject.supplier && sameVendor(s.subject.supplier, vendor));
  const forms = facts.mds2.filter((m) => sameVendor(m.manufacturer, vendor));
  const productNames = facts.entries.size ? [...facts.entries.values()].flatMap((e) => e.statements.flatMap((s) => s.products.filter((p) => sameVendor(p.vendor, vendor)).map((p) => p.product))) : [];
  const inAdvisories = [...new Set(productNames.map((n) => unsupportedOs(n)).filter((n): n is string => n !== null))].sort();
  const onNetwork = facts.devices.filter((d) => d.vendor && sameVendor(d.vendor, vendor) && d.os && unsupportedOs(d.os)).map((d) => ({ device: d.device, os: d.os as string }));
  return {
    vendor,
    advisories: listed.sort((a, b) => (a.published < b.published ? 1 : -1)),
    cves: cves.size,
    kev,
    fixRate: listed.length ? Math.round((listed.filter((a) => a.fix).length / listed.length) * 100) / 100 : null,
    medianDaysToFix: median(listed.flatMap((a) => (a.daysToFix === null ? [] : [a.daysToFix]))),
    sbom: { available: sboms.length > 0, documents: sboms.map((s) => s.serial) },
    mds2: {
      available: forms.length > 0,
      documents: forms.map((m) => ({ model: m.model, ...(m.documentId ? { documentId: m.documentId } : {}), facts: Object.values(mds2Summary(m)).flatMap((f) => (f ? [{ id: f.id, answer: f.answer, question: f.text }] : [])) })),
    },
    unsupportedOs: { inAdvisories, onNetwork },
  };
}
