/**
 * Feed documents for hub tests, written here field by field: a CSAF 2.0 advisory for a made-up
 * infusion pump and a KEV catalog, in the shapes CISA publishes. Nothing is read from outside.
 */
import type { Observation } from '@wardsight/protocol';
import { observation } from './fixtures.js';

export interface AdvisoryFixture {
  id?: string;
  vendor?: string;
  product?: string;
  range?: string;
  revision?: string;
  updated?: string;
  vulnerabilities?: { cve: string; title: string; vector: string; score: number; fix?: string }[];
}

export const PUMP_VENDOR = 'Acme Medical';
export const PUMP_MODEL = 'InfuCare 300';

/** A CSAF 2.0 advisory: one vendor, one product with a version range, its vulnerabilities. */
export function csafAdvisory(f: AdvisoryFixture = {}): string {
  const id = f.id ?? 'ICSMA-99-001-01';
  const updated = f.updated ?? '2024-03-01T00:00:00.000Z';
  const vulnerabilities = f.vulnerabilities ?? [
    { cve: 'CVE-2099-1001', title: 'Web interface accepts unauthenticated dose-library uploads', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 9.8, fix: 'Update the pump software to 3.2.2 or later.' },
  ];
  return JSON.stringify({
    document: {
      category: 'csaf_security_advisory',
      csaf_version: '2.0',
      publisher: { category: 'coordinator', name: 'CISA', namespace: 'https://www.cisa.gov/' },
      title: `${f.vendor ?? PUMP_VENDOR} ${f.product ?? PUMP_MODEL}`,
      references: [{ category: 'self', summary: 'advisory', url: `https://www.cisa.gov/news-events/ics-medical-advisories/${id.toLowerCase()}` }],
      tracking: {
        id,
        status: 'final',
        version: f.revision ?? '1',
        initial_release_date: '2024-01-10T00:00:00.000Z',
        current_release_date: updated,
        revision_history: [{ date: updated, number: f.revision ?? '1', summary: 'Initial publication' }],
      },
    },
    product_tree: {
      branches: [
        {
          category: 'vendor',
          name: f.vendor ?? PUMP_VENDOR,
          branches: [{ category: 'product_name', name: f.product ?? PUMP_MODEL, branches: [{ category: 'product_version_range', name: f.range ?? '<= 3.2.1', product: { name: `${f.product ?? PUMP_MODEL} ${f.range ?? '<= 3.2.1'}`, product_id: 'CSAFPID-0001' } }] }],
        },
      ],
    },
    vulnerabilities: vulnerabilities.map((v) => ({
      cve: v.cve,
      cwe: { id: 'CWE-306', name: 'Missing Authentication for Critical Function' },
      title: v.title,
      notes: [{ category: 'summary', text: `${v.title}. An attacker on the network could change the drug library.` }],
      product_status: { known_affected: ['CSAFPID-0001'] },
      remediations: [
        ...(v.fix ? [{ category: 'vendor_fix', details: v.fix, product_ids: ['CSAFPID-0001'] }] : []),
        { category: 'mitigation', details: 'Restrict access to the pump web interface to the pharmacy workstation.', product_ids: ['CSAFPID-0001'] },
      ],
      scores: [{ cvss_v3: { version: v.vector.slice(5, 8), vectorString: v.vector, baseScore: v.score, baseSeverity: 'CRITICAL' }, products: ['CSAFPID-0001'] }],
      references: [],
    })),
  });
}

/** A KEV catalog with the given CVEs. */
export function kevCatalog(cves: { cve: string; vendor: string; product: string }[]): string {
  return JSON.stringify({
    title: 'CISA Catalog of Known Exploited Vulnerabilities',
    catalogVersion: '2024.05.01',
    dateReleased: '2024-05-01T12:00:00.000Z',
    count: cves.length,
    vulnerabilities: cves.map((c) => ({
      cveID: c.cve,
      vendorProject: c.vendor,
      product: c.product,
      vulnerabilityName: `${c.vendor} ${c.product} flaw`,
      dateAdded: '2024-04-01',
      shortDescription: 'Exploited.',
      requiredAction: 'Apply mitigations per vendor instructions.',
      dueDate: '2024-04-22',
      knownRansomwareCampaignUse: 'Unknown',
      notes: '',
      cwes: ['CWE-306'],
    })),
  });
}

/** What a sensor would report of one unit of the pump: maker, model, software version, kind, address. */
export function pumpFacts(device: string, ip: string, version = '3.1.0'): Observation[] {
  const fact = (attribute: string, value: string): Observation => observation({ device, attribute, value, signal: 'asset.label', evidence: value, confidence: 0.95 });
  return [fact('vendor', PUMP_VENDOR), fact('model', PUMP_MODEL), fact('softwareVersion', version), fact('category', 'infusion-pump'), fact('ip', ip)];
}
