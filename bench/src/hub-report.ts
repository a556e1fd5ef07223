/** The hub benchmark's printed forms: a short table for people, one JSON object for machines. */
import type { HubBenchReport } from './hub-bench.js';
import type { ProfileLine, ProfileSummary } from './hub-profile.js';

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function profileLines(p: ProfileSummary): string[] {
  const list = (title: string, lines: ProfileLine[], count: number) => [`  ${title}:`, ...lines.slice(0, count).map((l) => `    ${fmt(l.pct, 1).padStart(5)} %  ${l.name}`)];
  return [
    `hub CPU profile${p.span ? ' over the window' : ''} (${fmt(p.busyMs / 1000, 1)} s busy, ${fmt(p.idleMs / 1000, 1)} s idle; ${p.file}):`,
    ...list('self time by package', p.packages, 8),
    ...list('self time by function', p.functions, 10),
    ...list("time under Wardsight's own functions", p.under, 10),
  ];
}

/** With instances: what was shared, and each instance's own share of the work. */
function instanceLines(r: HubBenchReport): string[] {
  if (!r.perInstance) return [];
  const pct = (n: number | null | undefined) => (n === null || n === undefined ? '?' : fmt(n));
  return [
    `${r.instances ?? r.perInstance.length} hub instance(s) on one ${r.store ?? 'postgres'} store behind ${r.broker ?? 'mosquitto'} (run by instance a, ${pct(r.brokerCpuPct)} % of a core)`,
    ...r.perInstance.map((i) => `  instance ${i.name}: ${pct(i.cpuPct)} % CPU; ${fmt(i.counters.received)} messages, ${fmt(i.counters.applied)} applied, ${fmt(i.counters.duplicates)} duplicates, ${fmt(i.counters.observationsApplied)} observations; ${fmt(i.counters.memRssMB, 1)} MB resident`),
  ];
}

export function hubTable(r: HubBenchReport): string {
  const rows: [string, string][] = [
    ['observations stored and acknowledged', fmt(r.obsPerSec)],
    ['LevelDB batch puts (raw, same machine)', fmt(r.levelPutsPerSec)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const figureWidth = Math.max(...rows.map(([, figure]) => figure.length));
  const latency = r.ackLatencyMs ? `ack latency p50 ${fmt(r.ackLatencyMs.p50)} ms, p99 ${fmt(r.ackLatencyMs.p99)} ms` : 'no acknowledgement in the window';
  const rejected = Object.entries(r.rejected);
  const hubRejected = Object.entries(r.hub.rejected).filter(([, n]) => n > 0);
  const out = [
    `hub ingest: ${fmt(r.sensorsStarted)} sensors over MQTT/TLS (${fmt(r.sensors)} connected throughout), ${fmt(r.run.devicesPerSensor)} devices each, batches of ${fmt(r.run.batch)}, ${r.run.inFlight} in flight per sensor and ${fmt(r.run.fleetInFlight)} in all`,
    `window: ${fmt(r.run.windowSeconds, 1)} s after ${fmt(r.run.warmupSeconds, 1)} s of warm-up`,
    `${''.padEnd(width)}  ${'per second'.padStart(figureWidth)}`,
    ...rows.map(([label, figure]) => `${label.padEnd(width)}  ${figure.padStart(figureWidth)}`),
    `${'hub ÷ LevelDB'.padEnd(width)}  ${`${fmt(r.ratio, 3)}×`.padStart(figureWidth)}`,
    `hub CPU ${r.hubCpuPct === null ? '?' : fmt(r.hubCpuPct)} % of a core, sensor fleet ${fmt(r.fleetCpuPct)} %; ${latency}`,
    `setup: registered in ${fmt(r.setup.registerSeconds, 1)} s; enrolled over HTTPS (own key each) in ${fmt(r.setup.enrolSeconds, 1)} s; connected in ${fmt(r.setup.connectSeconds, 1)} s (${r.setup.processes} process${r.setup.processes > 1 ? 'es' : ''})`,
    ...instanceLines(r),
    `hub${r.perInstance ? ' (instance a)' : ''} counted: ${fmt(r.hub.received)} messages, ${fmt(r.hub.applied)} applied, ${fmt(r.hub.duplicates)} duplicates, ${fmt(r.hub.observationsApplied)} observations; ${fmt(r.hub.memRssMB, 1)} MB resident`,
    `hub analysis: ${fmt(r.hub.analysed)} batches placed and judged, ${fmt(r.hub.analysisBacklog)} waiting when the window closed`,
    `refused by the hub: ${rejected.length + hubRejected.length === 0 ? 'none' : [...rejected, ...hubRejected].map(([k, n]) => `${k} ${fmt(n)}`).join(', ')}`,
    `errors: ${r.errors === 0 ? 'none' : `${fmt(r.errors)} (first: ${r.firstError ?? '?'})`}; disconnects ${fmt(r.disconnects)}; batches sent again ${fmt(r.batchesResent)}`,
  ];
  if (r.profile) out.push(...profileLines(r.profile));
  return out.join('\n');
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

/** `{"obsPerSec", "sensors", "levelPutsPerSec", "ratio", …}`: the four figures first, then the rest. */
export function hubJson(r: HubBenchReport): string {
  return JSON.stringify({
    obsPerSec: Math.round(r.obsPerSec),
    sensors: r.sensors,
    levelPutsPerSec: Math.round(r.levelPutsPerSec),
    ratio: round(r.ratio, 4),
    sensorsStarted: r.sensorsStarted,
    enrolment: r.enrolment,
    setup: { ...r.setup, registerSeconds: round(r.setup.registerSeconds, 2), enrolSeconds: round(r.setup.enrolSeconds, 2), connectSeconds: round(r.setup.connectSeconds, 2) },
    run: r.run,
    observationsAcked: r.observationsAcked,
    batchesAcked: r.batchesAcked,
    batchesPublished: r.batchesPublished,
    batchesResent: r.batchesResent,
    disconnects: r.disconnects,
    errors: r.errors,
    firstError: r.firstError,
    rejected: r.rejected,
    ackLatencyMs: r.ackLatencyMs,
    hubCpuPct: r.hubCpuPct === null ? null : Math.round(r.hubCpuPct),
    fleetCpuPct: Math.round(r.fleetCpuPct),
    hub: r.hub,
    ...(r.perInstance
      ? {
          instances: r.instances,
          store: r.store,
          broker: r.broker,
          brokerCpuPct: r.brokerCpuPct === null || r.brokerCpuPct === undefined ? null : Math.round(r.brokerCpuPct),
          perInstance: r.perInstance.map((i) => ({ ...i, cpuPct: i.cpuPct === null ? null : Math.round(i.cpuPct) })),
        }
      : {}),
    level: { ...r.level, putsPerSec: Math.round(r.level.putsPerSec), seconds: round(r.level.seconds, 2), valueBytes: Math.round(r.level.valueBytes) },
    ...(r.profile ? { profile: r.profile } : {}),
  });
}
