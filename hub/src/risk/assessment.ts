/**
 * Before a model is bought: one risk score with the parts it is made of — its known vulnerabilities
 * (with KEV and EPSS), its maker's record, and how the model behaves on real networks as learnt from
 * units already deployed — and each part's facts, so procurement can see what drives the number.
 */
import type { ModelBehaviour } from '../behaviour/baseline.js';
import type { MatchReason } from '@wardsight/vulns';
import type { VulnerabilityEntry } from '../vulns/library.js';
import type { MakerRecord } from './maker-record.js';
import { bestCvssOf, type ScoredCvss } from './cvss-choice.js';
import { titleOf } from './entry.js';

export type AssessmentLevel = 'Low' | 'Medium' | 'High' | 'Critical';

export interface AssessmentPart {
  /** 0–100: higher is worse. Null where nothing is known (its weight then goes to the others). */
  score: number | null;
  weight: number;
  because: string[];
}

export interface ModelAssessment {
  vendor: string;
  model: string;
  score: number;
  level: AssessmentLevel;
  components: { vulnerabilities: AssessmentPart; maker: AssessmentPart; behaviour: AssessmentPart };
  vulnerabilities: {
    id: string;
    title: string | null;
    cvss: ScoredCvss | null;
    kev: boolean;
    epss: number | null;
    match: MatchReason;
    advisories: string[];
    remediation: string | null;
  }[];
  maker: MakerRecord;
  behaviour: (ModelBehaviour & { internetTraffic: boolean }) | null;
  deployed: { units: number; versions: string[] };
}

const WEIGHTS = { vulnerabilities: 0.5, maker: 0.3, behaviour: 0.2 };
const CLEAR_TEXT = new Set(['tcp/21', 'tcp/23', 'tcp/80', 'udp/69', 'udp/161', 'tcp/5900']);

function levelOf(score: number): AssessmentLevel {
  return score >= 75 ? 'Critical' : score >= 50 ? 'High' : score >= 25 ? 'Medium' : 'Low';
}

function vulnerabilityPart(list: ModelAssessment['vulnerabilities']): AssessmentPart {
  if (list.length === 0) return { score: 0, weight: WEIGHTS.vulnerabilities, because: ['no published vulnerability matches this model'] };
  const top = Math.max(...list.map((v) => v.cvss?.score ?? 5));
  const kev = list.filter((v) => v.kev).length;
  const severe = list.filter((v) => (v.cvss?.score ?? 0) >= 7).length;
  const epss = Math.max(0, ...list.map((v) => v.epss ?? 0));
  const score = Math.min(100, top * 10 + (kev ? 15 : 0) + Math.min(20, Math.max(0, severe - 1) * 5) + (epss >= 0.1 ? 10 : 0));
  const because = [`${list.length} known vulnerabilities; highest CVSS ${top}`];
  if (severe > 1) because.push(`${severe} of them High or Critical`);
  if (kev) because.push(`${kev} listed as exploited in the wild (KEV)`);
  if (epss >= 0.1) because.push(`highest EPSS ${epss}`);
  return { score: Math.round(score), weight: WEIGHTS.vulnerabilities, because };
}

function makerPart(m: MakerRecord): AssessmentPart {
  const because: string[] = [];
  let score = 0;
  if (m.fixRate === null) {
    score += 20;
    because.push('no advisory from this maker: its fix record is unknown');
  } else {
    score += Math.round((1 - m.fixRate) * 40);
    because.push(`${Math.round(m.fixRate * 100)} % of its ${m.advisories.length} advisories came with a fix`);
  }
  if (m.medianDaysToFix !== null) because.push(`median ${m.medianDaysToFix} days from advisory to fix`);
  if (!m.sbom.available) {
    score += 15;
    because.push('no SBOM on file');
  } else because.push('SBOM on file');
  if (!m.mds2.available) {
    score += 15;
    because.push('no MDS2 form on file');
  } else because.push('MDS2 form on file');
  const unsupported = [...new Set([...m.unsupportedOs.inAdvisories, ...m.unsupportedOs.onNetwork.map((d) => d.os)])];
  if (unsupported.length) {
    score += 30;
    because.push(`products on unsupported operating systems: ${unsupported.join(', ')}`);
  }
  if (m.kev.length) because.push(`${m.kev.length} of its vulnerabilities are exploited in the wild`);
  return { score: Math.min(100, score), weight: WEIGHTS.maker, because };
}

function behaviourPart(b: ModelAssessment['behaviour']): AssessmentPart {
  if (!b || b.units === 0) return { score: null, weight: WEIGHTS.behaviour, because: ['no unit of this model has been learnt on this network'] };
  const clear = b.served.filter((s) => CLEAR_TEXT.has(s));
  let score = Math.min(40, b.served.length * 5);
  const because = [`${b.units} units learnt; serves ${b.served.length ? b.served.join(', ') : 'nothing'}`];
  if (clear.length) {
    score += 30;
    because.push(`clear-text services: ${clear.join(', ')}`);
  }
  if (b.internetTraffic) {
    score += 30;
    because.push('units talk to the internet');
  }
  return { score: Math.min(100, score), weight: WEIGHTS.behaviour, because };
}

/** Weighs the parts into one score; a part with nothing known passes its weight to the others. */
export function assessModel(input: {
  vendor: string;
  model: string;
  matches: { entry: VulnerabilityEntry; match: MatchReason }[];
  maker: MakerRecord;
  behaviour: ModelAssessment['behaviour'];
  deployed: ModelAssessment['deployed'];
}): ModelAssessment {
  const vulnerabilities = input.matches
    .map(({ entry, match }) => {
      const fix = entry.statements.flatMap((s) => s.remediations).find((r) => r.category === 'vendor_fix');
      return {
        id: entry.id,
        title: titleOf(entry.statements) ?? entry.kev?.name ?? null,
        cvss: bestCvssOf(entry.statements, ['3.1', '3.0']) ?? bestCvssOf(entry.statements, ['4.0']),
        kev: entry.kev !== undefined,
        epss: entry.epss?.epss ?? null,
        match,
        advisories: [...new Set(entry.statements.flatMap((s) => s.advisories))].sort(),
        remediation: fix?.details ?? null,
      };
    })
    .sort((a, b) => (b.cvss?.score ?? 0) - (a.cvss?.score ?? 0) || (a.id < b.id ? -1 : 1));
  const components = { vulnerabilities: vulnerabilityPart(vulnerabilities), maker: makerPart(input.maker), behaviour: behaviourPart(input.behaviour) };
  const known = Object.values(components).filter((p) => p.score !== null);
  const weight = known.reduce((a, p) => a + p.weight, 0);
  const score = Math.round((known.reduce((a, p) => a + (p.score ?? 0) * p.weight, 0) / weight) * 10) / 10;
  return { vendor: input.vendor, model: input.model, score, level: levelOf(score), components, vulnerabilities, maker: input.maker, behaviour: input.behaviour, deployed: input.deployed };
}
