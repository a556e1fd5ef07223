/**
 * A scorecard for every maker in the inventory, from the same facts as the pre-purchase answer:
 * its record (advisories, fixes, KEV, SBOM, MDS2, unsupported systems) beside what it means on this
 * network (its devices, their open vulnerabilities and the highest device risk), with a grade.
 */
import type { MakerRecord } from './maker-record.js';

export type Grade = 'A' | 'B' | 'C' | 'D' | 'E';

export interface SupplierScorecard {
  vendor: string;
  devices: number;
  models: string[];
  advisories: number;
  cves: number;
  kev: number;
  fixRate: number | null;
  medianDaysToFix: number | null;
  sbom: boolean;
  mds2: boolean;
  unsupportedOs: number;
  /** Vulnerabilities matched on its devices here (not rejected), and the highest device risk. */
  openFindings: number;
  highestDeviceRisk: number;
  /** 0–100, higher is better; the grade cuts it in fifths. */
  score: number;
  grade: Grade;
  because: string[];
}

/** The scorecard from the maker's record and its footprint on this network. */
export function scorecard(record: MakerRecord, footprint: { devices: number; models: string[]; openFindings: number; highestDeviceRisk: number }): SupplierScorecard {
  const because: string[] = [];
  let score = 100;
  if (record.fixRate !== null && record.fixRate < 1) {
    score -= Math.round((1 - record.fixRate) * 30);
    because.push(`${Math.round((1 - record.fixRate) * 100)} % of advisories without a fix`);
  }
  if (record.kev.length) {
    score -= Math.min(20, record.kev.length * 10);
    because.push(`${record.kev.length} vulnerabilities exploited in the wild`);
  }
  if (!record.sbom.available) {
    score -= 10;
    because.push('no SBOM');
  }
  if (!record.mds2.available) {
    score -= 10;
    because.push('no MDS2 form');
  }
  const unsupported = record.unsupportedOs.onNetwork.length + record.unsupportedOs.inAdvisories.length;
  if (unsupported) {
    score -= 15;
    because.push(`${unsupported} products or devices on unsupported operating systems`);
  }
  if (footprint.highestDeviceRisk >= 50) {
    score -= 15;
    because.push(`a device here at risk ${footprint.highestDeviceRisk}`);
  }
  score = Math.max(0, score);
  const grade: Grade = score >= 80 ? 'A' : score >= 60 ? 'B' : score >= 40 ? 'C' : score >= 20 ? 'D' : 'E';
  if (because.length === 0) because.push('nothing against it on record');
  return {
    vendor: record.vendor,
    devices: footprint.devices,
    models: footprint.models,
    advisories: record.advisories.length,
    cves: record.cves,
    kev: record.kev.length,
    fixRate: record.fixRate,
    medianDaysToFix: record.medianDaysToFix,
    sbom: record.sbom.available,
    mds2: record.mds2.available,
    unsupportedOs: unsupported,
    openFindings: footprint.openFindings,
    highestDeviceRisk: footprint.highestDeviceRisk,
    score,
    grade,
    because,
  };
}
