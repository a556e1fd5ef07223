/**
 * Feed documents for hub tests, written here field by field: a CSAF 2.0 advisory for a made-up
 * infusion pump, a KEV catalog, an EPSS day and a CycloneDX SBOM, in the shapes their publishers
 * use; and the records, facts and conversations the risk tests build on. Nothing is read from outside.
 */
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import type { DeviceBehaviour, Observation } from '@wardsight/protocol';
import type { ProductStatement, VulnerabilityRecord } from '@wardsight/vulns';
import { buildApp } from '../src/app.js';
import { CredentialVerifier } from '../src/auth/credentials.js';
import { Classifier } from '../src/inventory/classification.js';
import { createMetrics } from '../src/metrics.js';
import { openRisk, type RiskParts } from '../src/risk/open.js';
import type { SegmentDefinition } from '../src/risk/segments.js';
import { LevelHubStore } from '../src/store/level-store.js';
import { adminLogin, observation } from './fixtures.js';

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

/** Facts a sensor would report of any device: each given attribute as an asset label. */
export function deviceFacts(device: string, facts: Partial<Record<'vendor' | 'model' | 'softwareVersion' | 'category' | 'os' | 'ip', string>>): Observation[] {
  return Object.entries(facts).map(([attribute, value]) => observation({ device, attribute, value, signal: 'asset.label', evidence: value, confidence: 0.95 }));
}

/** One interval of one device's conversations, as the analysis hands it to the exposure book. */
export function behaviourOf(device: string, address: string, peers: DeviceBehaviour['peers'], at = '2024-05-01T10:05:00.000Z'): DeviceBehaviour {
  return { device, addresses: [address], firstSeen: '2024-05-01T10:00:00.000Z', lastSeen: at, packets: 100, bytes: 20_000, peers, peersOmitted: 0 };
}

/** A conversation in which the device answered `client` on `port` (the device is the server). */
export function served(client: string, port: number, app?: string): DeviceBehaviour['peers'][number] {
  return { address: client, port, transport: 'tcp', role: 'server', packets: 10, bytes: 2_000, ...(app ? { app } : {}) };
}

export interface SbomFixture {
  serial?: string;
  /** The device's maker: the pump's by default, none at all when ''. */
  supplier?: string;
  /** The device's model: the pump's by default. */
  model?: string;
  components: { ref: string; name: string; version?: string; supplier?: string }[];
}

/** A CycloneDX 1.5 SBOM: the device in `metadata.component`, its libraries flat. */
export function cycloneDxSbom(f: SbomFixture): string {
  return JSON.stringify({
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    serialNumber: f.serial ?? 'urn:uuid:5f1c2a9e-0d4b-4c1e-9a77-2b1d3c4e5f60',
    version: 1,
    metadata: {
      timestamp: '2024-04-15T08:00:00Z',
      component: { type: 'device', 'bom-ref': 'device', name: f.model ?? PUMP_MODEL, version: '3.1.0', ...(f.supplier === undefined ? { supplier: { name: PUMP_VENDOR } } : f.supplier ? { supplier: { name: f.supplier } } : {}) },
    },
    components: f.components.map((c) => ({
      type: 'library',
      'bom-ref': c.ref,
      name: c.name,
      ...(c.version ? { version: c.version } : {}),
      ...(c.supplier ? { supplier: { name: c.supplier } } : {}),
    })),
  });
}

/** An EPSS daily file of the given scores. */
export function epssCsv(scores: { cve: string; epss: number; percentile: number }[], day = '2024-05-01'): string {
  return [`#model_version:v2025.03.14,score_date:${day}T00:00:00+0000`, 'cve,epss,percentile', ...scores.map((s) => `${s.cve},${s.epss},${s.percentile}`), ''].join('\n');
}

/** A vulnerability as one document states it, for tests of the pure risk functions. */
export function statement(change: Partial<VulnerabilityRecord> & { id: string }): VulnerabilityRecord {
  return {
    cwes: [],
    cvss: [],
    products: [],
    configurations: [],
    remediations: [],
    advisories: [],
    references: [],
    source: { feed: 'csaf', file: 'fixture.json', document: 'ICSMA-99-001-01' },
    ...change,
  };
}

/** A product statement of `vendor` and `product`, affected in every version unless `change` says otherwise. */
export function affectedProduct(vendor: string, product: string, change: Partial<ProductStatement> = {}): ProductStatement {
  return { vendor, product, versions: { raw: 'vers:all/*', any: true, intervals: [], understood: true }, status: 'affected', ...change };
}

/**
 * A fresh LevelDB store in `dir` with the admin credential made, its vulnerability and risk parts,
 * and the hub's app over them, as the feed and risk API tests use them.
 */
export async function riskApp(dir: string, options: { segments?: SegmentDefinition[]; now?: () => Date } = {}): Promise<{ store: LevelHubStore; risk: RiskParts; app: FastifyInstance; authorization: string; username: string }> {
  const store = await LevelHubStore.open(join(dir, 'store'));
  const { authorization, username } = await adminLogin(store, dir);
  const classifier = new Classifier();
  const log = pino({ level: 'silent' });
  const risk = await openRisk({ store, classifier, log, ...(options.segments ? { segments: options.segments } : {}), ...(options.now ? { now: options.now } : {}) });
  const app = await buildApp({ store, metrics: createMetrics(), verifier: new CredentialVerifier(store), version: 'test', embeddedBroker: false, logger: log, classifier, risk });
  return { store, risk, app, authorization, username };
}
