/**
 * The hub benchmark: observations per second from N simulated sensors over MQTT/TLS into the hub's
 * store, counted only when the hub acknowledges them as stored, beside the raw LevelDB batch-write
 * rate of the same machine in the same run.
 *
 * Order of work: LevelDB first, on a quiet machine; then the hub in a child process (or, with
 * `instances`, PostgreSQL and one or two hub instances sharing it and a's Mosquitto: hub-instances.ts);
 * sensors registered through its API (analyst credential) and enrolled through its HTTPS enrolment,
 * each with its own key; all connected before any publishes; a warm-up; a measured window; each
 * hub's own counters read; the hubs stopped (the first one's CPU profile written, if asked for) and
 * their directories removed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHubChild, type HubChild } from './hub-child.js';
import { startHubInstances, type HubInstanceName } from './hub-instances.js';
import { FleetProcess } from './hub-fleet-process.js';
import type { FleetCounters, FleetPlan, FleetReady, FleetResult } from './hub-fleet-messages.js';
import { HubApi, inParallel } from './hub-https.js';
import { measureLevelWrites, type LevelRate } from './hub-level.js';
import { benchSensorId, fleetDevices } from './hub-observations.js';
import { hubBenchDefaults, resolveHubBenchOptions, type HubBenchOptions, type ResolvedHubBenchOptions } from './hub-options.js';
import { monotonicMicros, readProfileSummary, type ProfileSpan, type ProfileSummary } from './hub-profile.js';
import { hubCountersOf, latencySummary, sumResults, type HubCounters, type LatencySummary } from './hub-tally.js';

export interface HubBenchReport {
  /** Acknowledged observations per second over the measured window. */
  obsPerSec: number;
  /** Sensors connected from the first publish to the last. */
  sensors: number;
  levelPutsPerSec: number;
  /** obsPerSec ÷ levelPutsPerSec. */
  ratio: number;
  sensorsStarted: number;
  /** How the sensors got their certificates: the hub's HTTPS enrolment, one key pair per sensor. */
  enrolment: 'https';
  setup: { processes: number; registerSeconds: number; enrolSeconds: number; connectSeconds: number };
  run: { seconds: number; warmupSeconds: number; windowSeconds: number; batch: number; devicesPerSensor: number; inFlight: number; fleetInFlight: number };
  observationsAcked: number;
  batchesAcked: number;
  batchesPublished: number;
  batchesResent: number;
  disconnects: number;
  errors: number;
  firstError: string | null;
  /** Batches the hub refused, by reason (from its acknowledgements). */
  rejected: Record<string, number>;
  ackLatencyMs: LatencySummary | null;
  /** CPU used by the hub process over the window, in percent of one core; null where /proc cannot say. */
  hubCpuPct: number | null;
  fleetCpuPct: number;
  /** The hub's own ingest counters at the end (GET /api/v1/health). */
  hub: HubCounters;
  level: LevelRate;
  profile?: ProfileSummary;
  acknowledgedDevices?: Record<string, string[]>;
  /** With `instances`: how many hub instances shared the store. */
  instances?: number;
  store?: 'postgres';
  broker?: 'mosquitto';
  /** With `instances`: CPU used by Mosquitto (run by instance a) over the window, in percent of one core. */
  brokerCpuPct?: number | null;
  /** With `instances`: each instance's own CPU and ingest counters (its own /api/v1/health); `hub` is a's. */
  perInstance?: HubInstanceFigures[];
}

export interface HubInstanceFigures {
  name: HubInstanceName;
  apiUrl: string;
  cpuPct: number | null;
  counters: HubCounters;
}

/** The hubs of one run: the sensors enrol and connect at the first; `stop` ends them all and removes what they left. */
interface HubsUnderTest {
  hubs: { name: HubInstanceName; hub: HubChild }[];
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs the whole benchmark and reports it; every process and directory it made is gone when it settles. */
export async function runHubBench(options: HubBenchOptions): Promise<HubBenchReport> {
  const o = resolveHubBenchOptions(options);
  const log = o.log;
  const devices = fleetDevices(o.sensors, o.devicesPerSensor, o.seed);
  log(`LevelDB: batches of 1,000 device records for ${o.levelSeconds} s…`);
  const level = await measureLevelWrites({ devices, seconds: o.levelSeconds, seed: o.seed });
  log(`LevelDB: ${Math.round(level.putsPerSec).toLocaleString('en-US')} puts/s (${Math.round(level.valueBytes)} B values)`);

  const fleets: FleetProcess[] = [];
  const under = await startHubs(o);
  try {
    const first = (under.hubs[0] as HubsUnderTest['hubs'][number]).hub;
    log(`hub running: ${first.endpoint.mqttUrl}, ${first.endpoint.apiUrl}${under.hubs.length > 1 ? ` and ${under.hubs.length - 1} more instance(s)` : ''}`);
    const api = new HubApi(first.endpoint.apiUrl, first.ca, first.credential);
    let report: Omit<HubBenchReport, 'hub' | 'profile'>;
    let span: ProfileSpan | null = null;
    let counters: HubCounters[];
    let run: RunFigures;
    try {
      const registered = await register(api, o);
      log(`registered ${o.sensors} sensors in ${registered.seconds.toFixed(1)} s; enrolling and connecting them…`);
      const ready = await startFleets(o, first, registered.tokens, fleets);
      log(`${o.sensors} sensors enrolled in ${ready.enrolSeconds.toFixed(1)} s and connected in ${ready.connectSeconds.toFixed(1)} s; publishing for ${o.seconds} s…`);
      run = await publish(o, under, fleets);
      report = assemble(o, level, { registerSeconds: registered.seconds, ready }, run);
      span = run.span;
      counters = await Promise.all(under.hubs.map(({ hub }) => countersOf(hub)));
    } finally {
      api.close();
    }
    // The last instance first: the first runs the broker the others are connected to.
    for (const { hub } of [...under.hubs].slice(1).reverse()) await hub.stop();
    const stopped = await first.stop();
    const profile = stopped.cpuProfile ? await readProfileSummary(stopped.cpuProfile, span) : undefined;
    const shared = o.instances === undefined ? {} : sharedFigures(o.instances, under, run, counters);
    return { ...report, hub: counters[0] as HubCounters, ...shared, ...(profile ? { profile } : {}) };
  } finally {
    for (const f of fleets) f.kill();
    await under.stop();
  }
}

/** One hub on its embedded broker and LevelDB, or instances on PostgreSQL and Mosquitto. */
async function startHubs(o: ResolvedHubBenchOptions): Promise<HubsUnderTest> {
  const timing = { startMs: hubBenchDefaults.hubStartMs, stopMs: hubBenchDefaults.hubStopMs };
  const profiling = o.cpuProfileDir ? { cpuProfileDir: o.cpuProfileDir } : {};
  if (o.instances !== undefined) {
    o.log(`PostgreSQL and ${o.instances} hub instance(s) on it, instance a running Mosquitto…`);
    const shared = await startHubInstances({ repo: o.repo, instances: o.instances, ...timing, ...profiling });
    return { hubs: shared.instances.map(({ name, hub }) => ({ name, hub })), stop: shared.stop };
  }
  const dataDir = o.dataDir ?? (await mkdtemp(join(tmpdir(), 'wardsight-bench-hub-')));
  try {
    const hub = await startHubChild({ repo: o.repo, dataDir, ...timing, ...profiling });
    return {
      hubs: [{ name: 'a', hub }],
      async stop() {
        await hub.stop().catch(() => undefined);
        if (o.dataDir === undefined) await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    if (o.dataDir === undefined) await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
}

/** A hub's own counters, asked of its own API (every instance answers for itself). */
async function countersOf(hub: HubChild): Promise<HubCounters> {
  const api = new HubApi(hub.endpoint.apiUrl, hub.ca, hub.credential);
  try {
    return hubCountersOf(await api.call('GET', '/api/v1/health', 200));
  } finally {
    api.close();
  }
}

function sharedFigures(instances: number, under: HubsUnderTest, run: RunFigures, counters: HubCounters[]): Pick<HubBenchReport, 'instances' | 'store' | 'broker' | 'brokerCpuPct' | 'perInstance'> {
  const pct = (seconds: number | null) => (seconds === null ? null : (seconds / run.wallSeconds) * 100);
  return {
    instances,
    store: 'postgres',
    broker: 'mosquitto',
    brokerCpuPct: pct(run.brokerCpuSeconds),
    perInstance: under.hubs.map(({ name, hub }, i) => ({ name, apiUrl: hub.endpoint.apiUrl, cpuPct: pct(run.hubCpuSeconds[i] ?? null), counters: counters[i] as HubCounters })),
  };
}

/** The technician's part: each sensor added to the register, its one-time token kept for its enrolment. */
async function register(api: HubApi, o: ResolvedHubBenchOptions): Promise<{ tokens: string[]; seconds: number }> {
  const started = performance.now();
  const ids = Array.from({ length: o.sensors }, (_, i) => i);
  const tokens = await inParallel(ids, hubBenchDefaults.enrolConcurrency, async (i) => {
    // Twenty floors to a building, a sensor to a floor.
    const location = { site: 'Bench Hospital', building: `B${Math.floor(i / 20) + 1}`, floor: String((i % 20) + 1) };
    const answer = await api.call<{ token: string }>('POST', '/api/v1/provisioning/sensors', 201, { id: benchSensorId(i), location });
    return answer.token;
  });
  return { tokens, seconds: (performance.now() - started) / 1000 };
}

/** Sensors dealt out over the processes round-robin; resolves once every one is enrolled and connected. */
async function startFleets(o: ResolvedHubBenchOptions, hub: HubChild, tokens: string[], fleets: FleetProcess[]): Promise<FleetReady> {
  const plans: FleetPlan[] = Array.from({ length: o.processes }, (_, p) => ({
    apiUrl: hub.endpoint.apiUrl,
    mqttUrl: hub.endpoint.mqttUrl,
    ca: hub.ca,
    sensors: [],
    totalSensors: o.sensors,
    devicesPerSensor: o.devicesPerSensor,
    seed: o.seed,
    batch: o.batch,
    inFlight: o.inFlight,
    confirmTimeoutMs: hubBenchDefaults.confirmTimeoutMs,
    // The fleet-wide bound, shared out: the first processes take one more of what does not divide.
    window: Math.floor(o.fleetInFlight / o.processes) + (p < o.fleetInFlight % o.processes ? 1 : 0),
    enrolConcurrency: hubBenchDefaults.enrolConcurrency,
    connectConcurrency: hubBenchDefaults.connectConcurrency,
    reportDevices: o.reportDevices,
    reportBatches: false,
  }));
  tokens.forEach((token, i) => plans[i % o.processes]?.sensors.push({ id: benchSensorId(i), index: i, token }));
  const started = await Promise.allSettled(plans.map((plan) => FleetProcess.start(plan)));
  for (const s of started) if (s.status === 'fulfilled') fleets.push(s.value.fleet);
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  const ready = started.map((s) => (s as PromiseFulfilledResult<{ ready: FleetReady }>).value.ready);
  // Fleets work side by side: the slowest one is how long the step took.
  return { sensors: o.sensors, enrolSeconds: Math.max(...ready.map((r) => r.enrolSeconds)), connectSeconds: Math.max(...ready.map((r) => r.connectSeconds)) };
}

interface RunFigures {
  at: { start: FleetCounters[]; end: FleetCounters[] };
  /** Per hub process, in the order of `HubsUnderTest.hubs`. */
  hubCpuSeconds: (number | null)[];
  /** Mosquitto's, where the first hub runs one; null otherwise or where /proc cannot say. */
  brokerCpuSeconds: number | null;
  wallSeconds: number;
  /** The measured window on the clock CPU profiles are stamped with. */
  span: ProfileSpan;
  results: FleetResult[];
}

/** What the hubs (and Mosquitto, if one runs) have used of the CPU so far. */
async function cpuOf(o: ResolvedHubBenchOptions, under: HubsUnderTest): Promise<{ hubs: (number | null)[]; broker: number | null }> {
  const hubs = await Promise.all(under.hubs.map(({ hub }) => hub.cpuSeconds()));
  const broker = o.instances === undefined ? null : await (under.hubs[0] as HubsUnderTest['hubs'][number]).hub.childCpuSeconds('mosquitto');
  return { hubs, broker };
}

const difference = (a: number | null | undefined, b: number | null | undefined): number | null => (a === null || a === undefined || b === null || b === undefined ? null : b - a);

async function publish(o: ResolvedHubBenchOptions, under: HubsUnderTest, fleets: FleetProcess[]): Promise<RunFigures> {
  const warmupMs = o.seconds * 1000 * hubBenchDefaults.warmupFraction;
  for (const f of fleets) f.go();
  await sleep(warmupMs);
  const cpuStart = await cpuOf(o, under);
  const wallStart = performance.now();
  const fromUs = monotonicMicros();
  const start = await Promise.all(fleets.map((f) => f.mark()));
  await sleep(o.seconds * 1000 - warmupMs);
  const end = await Promise.all(fleets.map((f) => f.mark()));
  const toUs = monotonicMicros();
  const cpuEnd = await cpuOf(o, under);
  const wallSeconds = (performance.now() - wallStart) / 1000;
  const results = await Promise.all(fleets.map((f) => f.stop()));
  return {
    at: { start, end },
    hubCpuSeconds: cpuStart.hubs.map((a, i) => difference(a, cpuEnd.hubs[i])),
    brokerCpuSeconds: difference(cpuStart.broker, cpuEnd.broker),
    wallSeconds,
    span: { fromUs, toUs },
    results,
  };
}

function assemble(o: ResolvedHubBenchOptions, level: LevelRate, setup: { registerSeconds: number; ready: FleetReady }, run: RunFigures): Omit<HubBenchReport, 'hub' | 'profile'> {
  let obsPerSec = 0;
  let fleetCpuPct = 0;
  run.at.start.forEach((a, i) => {
    const b = run.at.end[i] as FleetCounters;
    const seconds = (b.at - a.at) / 1000;
    obsPerSec += (b.ackedObservations - a.ackedObservations) / seconds;
    fleetCpuPct += ((b.cpuMs - a.cpuMs) / (b.at - a.at)) * 100;
  });
  const total = sumResults(run.results);
  const warmupSeconds = o.seconds * hubBenchDefaults.warmupFraction;
  return {
    obsPerSec,
    sensors: total.connectedThroughout,
    levelPutsPerSec: level.putsPerSec,
    ratio: obsPerSec / level.putsPerSec,
    sensorsStarted: total.sensors,
    enrolment: 'https',
    setup: { processes: o.processes, registerSeconds: setup.registerSeconds, enrolSeconds: setup.ready.enrolSeconds, connectSeconds: setup.ready.connectSeconds },
    run: { seconds: o.seconds, warmupSeconds, windowSeconds: o.seconds - warmupSeconds, batch: o.batch, devicesPerSensor: o.devicesPerSensor, inFlight: o.inFlight, fleetInFlight: Math.min(o.fleetInFlight, o.sensors * o.inFlight) },
    observationsAcked: total.ackedObservations,
    batchesAcked: total.ackedBatches,
    batchesPublished: total.publishedBatches,
    batchesResent: total.resentBatches,
    disconnects: total.disconnects,
    errors: total.errors,
    firstError: total.firstError,
    rejected: total.rejected,
    ackLatencyMs: latencySummary(total.ackLatencyMs),
    // Every hub process together: with instances, the hub is all of them.
    hubCpuPct: run.hubCpuSeconds.includes(null) ? null : (run.hubCpuSeconds.reduce<number>((sum, s) => sum + (s ?? 0), 0) / run.wallSeconds) * 100,
    fleetCpuPct,
    level,
    ...(total.acknowledgedDevices ? { acknowledgedDevices: total.acknowledgedDevices } : {}),
  };
}
