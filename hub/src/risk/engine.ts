/**
 * The fleet's risk: every device held against every vulnerability in the library (its own statements,
 * the NVD configurations, and the components of its maker's SBOM), each match weighed by what this
 * network exposes, how likely and how harmful it is, and one list of what to do first. Computed
 * when asked and kept until the inventory, the library, an analyst's decision or rubric answers,
 * or the asset register's criticalities change it.
 */
import {
  attackVectorOf,
  likelihood,
  matchConfigurations,
  matchVulnerability,
  scoreVector,
  type DeviceDescription,
  type MatchReason,
  type SbomRecord,
} from '@wardsight/vulns';
import type { AssetRegister } from '../assets/register.js';
import { deviceView, type DeviceView } from '../inventory/views.js';
import type { Classifier } from '../inventory/classification.js';
import type { HubStore } from '../store/hub-store.js';
import type { MatchDecisions } from '../vulns/decisions.js';
import type { VulnerabilityEntry, VulnLibrary } from '../vulns/library.js';
import { sbomFor, sbomSoftware } from '../vulns/sbom-link.js';
import { CandidateIndex } from './candidates.js';
import { bestCvssOf, type ScoredCvss } from './cvss-choice.js';
import { mitigationsFor, remediationsFor, scoreOf, titleOf, type RiskEntry } from './entry.js';
import type { ExposureBook } from './exposure.js';
import { impactOf } from './impact.js';
import { reachOf, type AttackVector } from './reach.js';
import type { RubricBook } from './rubric-book.js';
import { affectedService } from './services.js';

/** A device's risk: its entries and the score they add up to. */
export interface DeviceRisk {
  device: string;
  score: number;
  /** The highest entry, and how much the others add (a tenth of each, capped at 100 in all). */
  components: { highest: number; others: number; entries: number };
  entries: RiskEntry[];
  /** Matches an analyst rejected: kept to show, never scored. */
  rejected: RiskEntry[];
}

export interface RiskEngineParts {
  store: HubStore;
  classifier: Classifier;
  library: VulnLibrary;
  decisions: MatchDecisions;
  exposure?: ExposureBook;
  assets?: AssetRegister;
  rubric?: RubricBook;
  now?: () => Date;
}

/** The device as the matcher sees it: what the inventory concluded of it. */
export function describeDevice(view: DeviceView): DeviceDescription {
  const d: DeviceDescription = { cpes: [], software: [] };
  if (view.vendor) d.vendor = view.vendor;
  if (view.model) d.model = view.model;
  if (view.softwareVersion) d.version = view.softwareVersion;
  if (view.os) d.os = view.os;
  const osVersion = view.attributes.osVersion?.value;
  if (osVersion) d.osVersion = osVersion;
  return d;
}

export class RiskEngine {
  private cache: { stamp: string; risks: Map<string, DeviceRisk> } | null = null;
  private index: { version: number; index: CandidateIndex } | null = null;

  constructor(private readonly parts: RiskEngineParts) {}

  /** Every device's risk, highest first. */
  async fleet(): Promise<DeviceRisk[]> {
    return [...(await this.compute()).values()].sort((a, b) => b.score - a.score || (a.device < b.device ? -1 : 1));
  }

  /** One device's risk, or undefined when the device is unknown. */
  async device(key: string): Promise<DeviceRisk | undefined> {
    const record = await this.parts.store.getDevice(key);
    return record ? (await this.compute()).get(record.key) : undefined;
  }

  /** Every scored entry of the fleet that is not suppressed, highest first: what to do first. */
  async priorities(): Promise<RiskEntry[]> {
    // A suppressed entry was accepted for now: it stays on its device's page, not on the list of what to do.
    return (await this.fleet()).flatMap((r) => r.entries.filter((e) => e.decision !== 'suppressed')).sort((a, b) => b.score - a.score || (a.device < b.device ? -1 : a.device > b.device ? 1 : a.vulnerability < b.vulnerability ? -1 : 1));
  }

  /** Matches for a model that is not (yet) on the network: by name only, every version. */
  async modelMatches(vendor: string, model: string): Promise<{ entry: VulnerabilityEntry; match: MatchReason }[]> {
    const device: DeviceDescription = { vendor, model, cpes: [], software: [] };
    const sbom = sbomFor(await this.parts.library.sboms(), vendor, model);
    if (sbom) device.software = sbomSoftware(sbom);
    const out: { entry: VulnerabilityEntry; match: MatchReason }[] = [];
    for (const entry of (await this.candidateIndex()).candidates(device)) {
      const match = this.match(device, entry, sbom);
      if (match) out.push({ entry, match });
    }
    return out;
  }

  private async compute(): Promise<Map<string, DeviceRisk>> {
    const devices = await this.parts.store.listDevices();
    // The register's criticalities are part of the stamp: a CMMS import changes the impact at once.
    const criticality = await this.criticalities();
    const stamp = JSON.stringify([
      this.parts.library.version,
      devices.length,
      devices.reduce((m, d) => (d.lastSeen > m ? d.lastSeen : m), ''),
      this.parts.decisions.version,
      this.parts.rubric?.version ?? 0,
      [...criticality].sort(),
      Math.floor(this.now().getTime() / 60_000),
    ]);
    if (this.cache?.stamp === stamp) return this.cache.risks;
    const index = await this.candidateIndex();
    const sboms = await this.parts.library.sboms();
    const sensors = new Map((await this.parts.store.listSensors()).map((s) => [s.id, s]));
    const risks = new Map<string, DeviceRisk>();
    for (const record of devices) {
      const view = deviceView(record, sensors, this.parts.classifier.profile(record));
      const description = describeDevice(view);
      if (!description.vendor) continue;
      const sbom = description.model ? sbomFor(sboms, description.vendor, description.model) : undefined;
      if (sbom) description.software = sbomSoftware(sbom);
      const scored: RiskEntry[] = [];
      const rejected: RiskEntry[] = [];
      for (const entry of index.candidates(description)) {
        const match = this.match(description, entry, sbom);
        if (!match) continue;
        const built = await this.entry(view, entry, match, criticality.get(record.key) ?? null);
        (built.decision === 'rejected' ? rejected : scored).push(built);
      }
      scored.sort((a, b) => b.score - a.score);
      if (scored.length || rejected.length) risks.set(record.key, { device: record.key, ...deviceScore(scored), entries: scored, rejected });
    }
    this.cache = { stamp, risks };
    return risks;
  }

  /** The library indexed by maker and CPE vendor, rebuilt when the library changes. */
  async candidateIndex(): Promise<CandidateIndex> {
    const version = this.parts.library.version;
    if (this.index?.version !== version) this.index = { version, index: new CandidateIndex((await this.parts.library.entries()).values()) };
    return this.index.index;
  }

  private match(device: DeviceDescription, entry: VulnerabilityEntry, sbom: SbomRecord | undefined): MatchReason | null {
    // The device itself first, without its software: that is the SBOM's, matched below so that the
    // entry says the component and the SBOM it came from.
    const own: DeviceDescription = { ...device, software: [] };
    for (const statement of entry.statements) {
      const direct = matchVulnerability(own, statement) ?? matchConfigurations(own, statement);
      if (direct) return direct;
    }
    if (!sbom) return null;
    for (const software of device.software) {
      const component: DeviceDescription = { cpes: software.cpe ? [software.cpe] : [], software: [], model: software.product };
      if (software.vendor) component.vendor = software.vendor;
      if (software.version) component.version = software.version;
      for (const statement of entry.statements) {
        const found = matchVulnerability(component, statement) ?? matchConfigurations(component, statement);
        if (found) return { ...found, basis: 'sbom', text: `${software.product}${software.version ? ` ${software.version}` : ''}, a component in the maker's SBOM (${sbom.serial}): ${found.text}` };
      }
    }
    return null;
  }

  private async entry(view: DeviceView, entry: VulnerabilityEntry, match: MatchReason, criticality: string | null): Promise<RiskEntry> {
    const vendor = view.vendor ?? '';
    const model = view.model ?? '';
    const now = this.now().toISOString();
    const decision = await this.parts.decisions.find(entry.id, vendor, model, now);
    const rubric = await this.parts.rubric?.find(entry.id, vendor, model);
    const cvss: ScoredCvss | null = rubric ? { version: '3.1', vector: rubric.vector, score: rubric.score, severity: rubric.severity, source: 'rubric', scored: scoreVector(rubric.vector) } : bestCvssOf(entry.statements, ['3.1', '3.0']);
    const cvss4 = bestCvssOf(entry.statements, ['4.0']);
    const chosen = cvss ?? cvss4;
    const vector: AttackVector | null = chosen ? attackVectorOf(chosen.scored) : null;
    const affected = affectedService(entry.statements);
    const reach = reachOf(vector, affected, this.parts.exposure?.get(view.id));
    const liked = likelihood({ attackVector: vector ?? 'network', exposure: reach.reach, kev: entry.kev !== undefined, ...(entry.epss ? { epss: entry.epss.epss } : {}) });
    const impact = impactOf(view.category, criticality);
    const { score, components } = scoreOf(cvss ?? cvss4, liked.level, impact);
    const productIds = new Set(entry.statements.flatMap((s) => s.products.filter((p) => p.productId && p.status === 'affected').map((p) => p.productId as string)));
    const remediations = remediationsFor(entry.statements, productIds);
    const because = [match.text, ...reach.because, ...liked.because, ...impact.because];
    if (!cvss && !cvss4) because.push('no valid CVSS vector: severity taken as the middle of the scale');
    if (decision) because.push(`${decision.decision} by ${decision.by}${decision.note ? `: ${decision.note}` : ''}`);
    return {
      device: view.id,
      vendor: view.vendor,
      model: view.model,
      version: view.softwareVersion,
      category: view.category,
      vulnerability: entry.id,
      title: titleOf(entry.statements),
      advisories: [...new Set(entry.statements.flatMap((s) => s.advisories))].sort(),
      match,
      decision: decision?.decision ?? null,
      cvss,
      cvss4,
      kev: entry.kev ? { dateAdded: entry.kev.dateAdded, ransomware: entry.kev.knownRansomwareCampaignUse } : null,
      epss: entry.epss ? { score: entry.epss.epss, percentile: entry.epss.percentile } : null,
      reach,
      likelihood: liked,
      impact,
      score,
      components,
      mitigations: mitigationsFor(remediations, reach, affected),
      remediations: remediations.map((r) => ({ category: r.category, details: r.details, ...(r.url ? { url: r.url } : {}) })),
      because,
    };
  }

  /** Device key → the asset register's criticality of the asset linked to it. */
  private async criticalities(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (!this.parts.assets) return out;
    const { records, assessment } = await this.parts.assets.assessment();
    for (const record of records) {
      const link = assessment.links.get(record.key);
      const value = record.fields.criticality?.value;
      if (link?.state === 'linked' && link.device && value) out.set(link.device.key, value);
    }
    return out;
  }

  private now(): Date {
    return this.parts.now?.() ?? new Date();
  }
}

/** A suppressed entry still shows, but adds nothing to the device's score. */
function deviceScore(entries: readonly RiskEntry[]): Pick<DeviceRisk, 'score' | 'components'> {
  const counted = entries.filter((e) => e.decision !== 'suppressed').map((e) => e.score);
  const highest = counted.length ? Math.max(...counted) : 0;
  const others = counted.reduce((a, b) => a + b, 0) - highest;
  const score = Math.min(100, Math.round((highest + others / 10) * 10) / 10);
  return { score, components: { highest, others: Math.round((others / 10) * 10) / 10, entries: counted.length } };
}
