/** Plain-text forms of the hub's risk answers for the terminal: tables and indented reasons. */

export interface RiskEntry {
  device: string;
  vendor: string | null;
  model: string | null;
  version: string | null;
  vulnerability: string;
  title: string | null;
  score: number;
  cvss: { score: number; vector: string } | null;
  kev: unknown;
  epss: { score: number } | null;
  reach: { reach: string; because: string[] };
  likelihood: { level: string };
  impact: { level: string };
  decision: string | null;
  match: { text: string };
  mitigations: { action: string; text: string }[];
  because: string[];
}

export interface Scorecard {
  vendor: string;
  devices: number;
  advisories: number;
  cves: number;
  kev: number;
  fixRate: number | null;
  sbom: boolean;
  mds2: boolean;
  unsupportedOs: number;
  openFindings: number;
  score: number;
  grade: string;
}

interface Part {
  score: number | null;
  weight: number;
  because: string[];
}

export interface Assessment {
  vendor: string;
  model: string;
  score: number;
  level: string;
  components: Record<'vulnerabilities' | 'maker' | 'behaviour', Part>;
  vulnerabilities: { id: string; title: string | null; cvss: { score: number } | null; kev: boolean; epss: number | null; advisories: string[]; remediation: string | null; match: { verdict: string } }[];
  maker: {
    advisories: { id: string }[];
    kev: string[];
    fixRate: number | null;
    medianDaysToFix: number | null;
    sbom: { available: boolean };
    mds2: { available: boolean; documents: { facts: { id: string; answer: string; question: string }[] }[] };
    unsupportedOs: { inAdvisories: string[]; onNetwork: { device: string; os: string }[] };
  };
  behaviour: { units: number; served: string[]; protocols: string[]; floors: string[]; internetTraffic: boolean } | null;
  deployed: { units: number; versions: string[] };
}

export function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

const flags = (e: RiskEntry): string => [e.kev ? 'KEV' : '', e.epss && e.epss.score >= 0.1 ? `EPSS ${e.epss.score}` : '', e.decision ?? ''].filter(Boolean).join(' ');

export function priorityTable(entries: readonly RiskEntry[], total: number): string {
  if (entries.length === 0) return 'no vulnerability matches a device in the inventory';
  const rows = entries.map((e) => [String(e.score), e.vulnerability, e.device, `${e.vendor ?? '?'} ${e.model ?? '?'} ${e.version ?? ''}`.trim(), e.cvss ? String(e.cvss.score) : '—', e.reach.reach, e.likelihood.level, e.impact.level, e.mitigations[0]?.action ?? '', flags(e)]);
  const shown = entries.length < total ? `\n(${entries.length} of ${total}; --limit for more)` : '';
  return `${table(['RISK', 'VULNERABILITY', 'DEVICE', 'MODEL', 'CVSS', 'REACH', 'LIKELIHOOD', 'IMPACT', 'DO', 'FLAGS'], rows)}${shown}`;
}

/** One entry with its reasons and mitigations, indented. */
export function entryLines(e: RiskEntry): string[] {
  return [
    `${e.score}  ${e.vulnerability}${e.title ? `  ${e.title}` : ''}${flags(e) ? `  [${flags(e)}]` : ''}`,
    ...e.because.map((b) => `      because ${b}`),
    ...e.mitigations.map((m) => `      ${m.action}: ${m.text}`),
  ];
}

export function scorecardTable(cards: readonly Scorecard[]): string {
  if (cards.length === 0) return 'no maker in the inventory yet';
  const pct = (n: number | null) => (n === null ? '—' : `${Math.round(n * 100)} %`);
  const rows = cards.map((c) => [c.grade, String(c.score), c.vendor, String(c.devices), String(c.advisories), String(c.cves), String(c.kev), pct(c.fixRate), c.sbom ? 'yes' : 'no', c.mds2 ? 'yes' : 'no', String(c.unsupportedOs), String(c.openFindings)]);
  return table(['GRADE', 'SCORE', 'MAKER', 'DEVICES', 'ADVISORIES', 'CVES', 'KEV', 'FIXED', 'SBOM', 'MDS2', 'OLD OS', 'OPEN'], rows);
}

export function assessmentText(a: Assessment): string {
  const part = (name: string, p: Part) => `  ${name.padEnd(16)}${p.score === null ? 'unknown' : String(p.score)} (weight ${p.weight})\n${p.because.map((b) => `      ${b}`).join('\n')}`;
  const lines = [
    `${a.vendor} ${a.model}: risk ${a.score} (${a.level})`,
    part('vulnerabilities', a.components.vulnerabilities),
    part('maker', a.components.maker),
    part('behaviour', a.components.behaviour),
    '',
    `known vulnerabilities (${a.vulnerabilities.length}):`,
    ...a.vulnerabilities.map((v) => `  ${v.id}  CVSS ${v.cvss?.score ?? '—'}${v.kev ? '  KEV' : ''}${v.epss !== null ? `  EPSS ${v.epss}` : ''}  ${v.title ?? ''}${v.advisories.length ? `  (${v.advisories.join(', ')})` : ''}`),
    '',
    `maker's record: ${a.maker.advisories.length} advisories, fix rate ${a.maker.fixRate === null ? '—' : `${Math.round(a.maker.fixRate * 100)} %`}, median ${a.maker.medianDaysToFix ?? '—'} days to fix, ${a.maker.kev.length} KEV; SBOM ${a.maker.sbom.available ? 'yes' : 'no'}, MDS2 ${a.maker.mds2.available ? 'yes' : 'no'}`,
    ...a.maker.mds2.documents.flatMap((d) => d.facts.map((f) => `  MDS2 ${f.id} ${f.answer}: ${f.question}`)),
    ...(a.maker.unsupportedOs.inAdvisories.length ? [`  unsupported systems in its advisories: ${a.maker.unsupportedOs.inAdvisories.join(', ')}`] : []),
    ...a.maker.unsupportedOs.onNetwork.map((d) => `  unsupported system here: ${d.device} runs ${d.os}`),
    '',
    a.behaviour
      ? `behaviour of ${a.behaviour.units} deployed units: serves ${a.behaviour.served.join(', ') || 'nothing'}; uses ${a.behaviour.protocols.join(', ') || 'nothing'}; floors ${a.behaviour.floors.join(', ') || '—'}${a.behaviour.internetTraffic ? '; talks to the internet' : ''}`
      : 'behaviour: no unit of this model learnt on this network',
    `deployed here: ${a.deployed.units} units${a.deployed.versions.length ? ` (versions ${a.deployed.versions.join(', ')})` : ''}`,
  ];
  return lines.join('\n');
}
