/**
 * The risk questions the hub answers, in one place: the fleet's priorities (from the engine), a
 * model's pre-purchase assessment, and a scorecard per maker — all from the same library, inventory
 * and behaviour, so the answers never disagree with each other.
 */
import { sameVendor } from '@wardsight/vulns';
import type { Analysis } from '../analysis/analysis.js';
import type { Classifier } from '../inventory/classification.js';
import { deviceView } from '../inventory/views.js';
import type { HubStore } from '../store/hub-store.js';
import type { VulnLibrary } from '../vulns/library.js';
import { assessModel, type ModelAssessment } from './assessment.js';
import type { RiskEngine } from './engine.js';
import type { ExposureBook } from './exposure.js';
import { makerRecord, type MakerFacts } from './maker-record.js';
import { scorecard, type SupplierScorecard } from './suppliers.js';

export interface RiskDeskParts {
  store: HubStore;
  classifier: Classifier;
  library: VulnLibrary;
  engine: RiskEngine;
  analysis?: Analysis;
  exposure?: ExposureBook;
}

interface InventoryDevice {
  device: string;
  vendor: string | null;
  model: string | null;
  version: string | null;
  os: string | null;
}

export class RiskDesk {
  constructor(private readonly parts: RiskDeskParts) {}

  /** The pre-purchase answer for a model, whether or not a unit of it is on the network. */
  async assess(vendor: string, model: string): Promise<ModelAssessment> {
    const [matches, facts] = await Promise.all([this.parts.engine.modelMatches(vendor, model), this.facts()]);
    const units = facts.devices.filter((d) => d.vendor && sameVendor(d.vendor, vendor) && d.model?.toLowerCase() === model.toLowerCase());
    const key = units[0] ? `${units[0].vendor} / ${units[0].model}` : null;
    const learnt = key && this.parts.analysis ? this.parts.analysis.modelOf(key) : null;
    const internetTraffic = units.some((u) => this.parts.exposure?.get(u.device)?.internetClientSeen !== undefined);
    return assessModel({
      vendor,
      model,
      matches,
      maker: makerRecord(vendor, facts),
      behaviour: learnt && learnt.units > 0 ? { ...learnt, internetTraffic } : null,
      deployed: { units: units.length, versions: [...new Set(units.map((u) => u.version).filter((v): v is string => v !== null))].sort() },
    });
  }

  /** A scorecard for every maker with a device in the inventory, worst first. */
  async suppliers(): Promise<SupplierScorecard[]> {
    const facts = await this.facts();
    const risks = await this.parts.engine.fleet();
    const makers = new Map<string, InventoryDevice[]>();
    for (const d of facts.devices) {
      if (!d.vendor) continue;
      const known = [...makers.keys()].find((v) => sameVendor(v, d.vendor as string));
      const list = makers.get(known ?? d.vendor) ?? [];
      list.push(d);
      makers.set(known ?? d.vendor, list);
    }
    const cards: SupplierScorecard[] = [];
    for (const [vendor, devices] of makers) {
      const keys = new Set(devices.map((d) => d.device));
      const mine = risks.filter((r) => keys.has(r.device));
      cards.push(
        scorecard(makerRecord(vendor, facts), {
          devices: devices.length,
          models: [...new Set(devices.map((d) => d.model).filter((m): m is string => m !== null))].sort(),
          openFindings: mine.reduce((n, r) => n + r.entries.filter((e) => e.decision !== 'suppressed').length, 0),
          highestDeviceRisk: Math.max(0, ...mine.map((r) => r.score)),
        }),
      );
    }
    return cards.sort((a, b) => a.score - b.score || (a.vendor < b.vendor ? -1 : 1));
  }

  private async facts(): Promise<Omit<MakerFacts, 'devices'> & { devices: InventoryDevice[] }> {
    const { store, classifier, library } = this.parts;
    const sensors = new Map((await store.listSensors()).map((s) => [s.id, s]));
    const devices = (await store.listDevices()).map((record) => {
      const view = deviceView(record, sensors, classifier.profile(record));
      return { device: view.id, vendor: view.vendor, model: view.model, version: view.softwareVersion, os: view.os };
    });
    const [advisories, entries, sboms, mds2] = await Promise.all([library.advisories(), library.entries(), library.sboms(), library.mds2Forms()]);
    return { advisories, entries, sboms, mds2, devices };
  }
}
