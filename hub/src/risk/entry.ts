/**
 * One line of the fleet's priority list: one vulnerability on one device, with why it matched,
 * whether this network gives a path to it, how likely and how harmful it is, its score with the
 * parts it is made of, and what to do about it. Pure: the engine gathers the facts, this file
 * weighs them.
 */
import type { MatchReason, Remediation, VulnerabilityRecord } from '@wardsight/vulns';
import type { Decision } from '../vulns/decisions.js';
import type { ScoredCvss } from './cvss-choice.js';
import { IMPACT_WEIGHT, type Impact } from './impact.js';
import type { ReachVerdict } from './reach.js';
import type { AffectedService } from './services.js';

export type LikelihoodLevel = 'Low' | 'Medium' | 'High';
export type MitigationAction = 'patch' | 'block-port' | 'segment' | 'disable-service' | 'mitigate' | 'monitor';

export interface Mitigation {
  action: MitigationAction;
  text: string;
}

export interface RiskEntry {
  device: string;
  vendor: string | null;
  model: string | null;
  version: string | null;
  category: string | null;
  vulnerability: string;
  title: string | null;
  advisories: string[];
  match: MatchReason;
  decision: Decision | null;
  cvss: ScoredCvss | null;
  cvss4: ScoredCvss | null;
  kev: { dateAdded: string; ransomware: boolean } | null;
  epss: { score: number; percentile: number } | null;
  reach: ReachVerdict;
  likelihood: { level: LikelihoodLevel; because: string[] };
  impact: Impact;
  score: number;
  components: { severity: number; likelihood: number; impact: number };
  mitigations: Mitigation[];
  /** The advisories' own remediation texts for this product. */
  remediations: { category: string; details: string; url?: string }[];
  because: string[];
}

const LIKELIHOOD_WEIGHT: Record<LikelihoodLevel, number> = { Low: 0.35, Medium: 0.7, High: 1 };
/** Severity where no vector is known: the middle of the scale, said plainly in the entry. */
const UNKNOWN_SEVERITY = 5;

/** The entry's score, 0–100: severity (CVSS base / 10) × likelihood × impact, each shown. */
export function scoreOf(cvss: ScoredCvss | null, likelihood: LikelihoodLevel, impact: Impact): { score: number; components: RiskEntry['components'] } {
  const severity = (cvss?.score ?? UNKNOWN_SEVERITY) / 10;
  const components = { severity: round(severity), likelihood: LIKELIHOOD_WEIGHT[likelihood], impact: IMPACT_WEIGHT[impact.level] };
  return { score: round(100 * severity * components.likelihood * components.impact, 1), components };
}

const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;

/** The remediation texts an advisory gives for the product matched (all when it names none). */
export function remediationsFor(statements: readonly VulnerabilityRecord[], productIds: ReadonlySet<string>): Remediation[] {
  const out: Remediation[] = [];
  const seen = new Set<string>();
  for (const s of statements) {
    for (const r of s.remediations) {
      if (r.productIds?.length && productIds.size && !r.productIds.some((id) => productIds.has(id))) continue;
      if (seen.has(r.details)) continue;
      seen.add(r.details);
      out.push(r);
    }
  }
  return out;
}

/** A vulnerability's title: the one a source gives, else the first sentence of its description. */
export function titleOf(statements: readonly VulnerabilityRecord[]): string | null {
  for (const s of statements) if (s.title) return s.title;
  const description = statements.find((s) => s.description)?.description;
  if (!description) return null;
  const sentence = /^(.{20,200}?[.!?])(\s|$)/s.exec(description)?.[1] ?? description;
  return clip(sentence.replace(/\s+/g, ' ').trim(), 160);
}

const clip = (text: string, max = 280): string => (text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text);

/** What to do, first thing first: patch where the maker has a fix, and close the path the network gives. */
export function mitigationsFor(remediations: readonly Remediation[], reach: ReachVerdict, affected: AffectedService): Mitigation[] {
  const out: Mitigation[] = [];
  const fix = remediations.find((r) => r.category === 'vendor_fix');
  if (fix) out.push({ action: 'patch', text: `Apply the maker's fix: ${clip(fix.details)}` });
  const services = reach.services.join(', ');
  if (reach.reach === 'internet') {
    out.push({ action: 'block-port', text: `Block ${services} of this device from the internet at the perimeter firewall` });
  } else if (reach.reach === 'reachable') {
    out.push({ action: 'block-port', text: `Allow ${services} only from the systems that need it; block it from ${reach.fromSegments.join(', ')}` });
  }
  const legacy = affected.names.filter((n) => n === 'Telnet' || n === 'FTP' || n === 'SMB' || n === 'VNC');
  if (legacy.length && reach.reach !== 'no-path') out.push({ action: 'disable-service', text: `Disable ${legacy.join(' and ')} on the device if its function allows` });
  if (!fix && (reach.reach === 'reachable' || reach.reach === 'internet' || reach.reach === 'unknown')) {
    out.push({ action: 'segment', text: 'No fix from the maker: place the device in a segment of its own, reachable only from the systems it serves' });
  }
  const mitigation = remediations.find((r) => r.category === 'mitigation' || r.category === 'workaround');
  if (mitigation) out.push({ action: 'mitigate', text: `Maker's mitigation: ${clip(mitigation.details)}` });
  if (out.length === 0) out.push({ action: 'monitor', text: 'No network path seen and no fix published: keep watching the device for new traffic to the affected service' });
  return out;
}
