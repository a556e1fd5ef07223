/**
 * The hub benchmark's options: defaults, bounds and the check that refuses a run before anything
 * starts. Out-of-bounds values are refused rather than clamped: a figure measured on a silently
 * different run would be reported as the one asked for.
 */
import { MAX_OBSERVATIONS_PER_BATCH } from '@wardsight/protocol';
import { HubBenchError } from './hub-errors.js';

export interface HubBenchOptions {
  /** The repository root: the hub runs as `<repo>/bin/wardsight.js hub`. */
  repo: string;
  /** Simulated sensors, each with its own key, certificate and MQTT/TLS connection. */
  sensors?: number;
  /** Seconds of publishing; the first quarter is warm-up, the rest the measured window. */
  seconds?: number;
  /** Observations per batch (the contract allows at most 1,000). */
  batch?: number;
  /** Distinct devices each sensor reports on; no two sensors share a device. */
  devicesPerSensor?: number;
  /** Batches a sensor may have waiting for the hub's acknowledgement. */
  inFlight?: number;
  /** Batches the whole fleet may have waiting for acknowledgement (each sensor's own bound still holds). */
  fleetInFlight?: number;
  /** Processes the sensors are spread over. */
  processes?: number;
  /** Seconds of raw LevelDB batch writes. */
  levelSeconds?: number;
  /** Seed of the simulated hospital the devices come from. */
  seed?: number;
  /** Runs the hub under `--cpu-prof`, writing its profile here, and summarises where its time went. */
  cpuProfileDir?: string;
  /** The hub's data directory; a fresh temporary one (removed afterwards) unless given. A given one is kept. */
  dataDir?: string;
  /**
   * Hub instances on a shared store: with this, the run starts its own PostgreSQL and runs the hub on
   * `--store postgres` with Mosquitto (instance a), and for 2 a second instance joining a's broker.
   * Without it, one hub on its embedded broker and LevelDB.
   */
  instances?: number;
  /** List, per sensor, the devices of its acknowledged batches (for checking the store afterwards). */
  reportDevices?: boolean;
  /** Progress lines go here (standard error by default). */
  log?: (line: string) => void;
}

export const hubBenchDefaults = {
  sensors: 1000,
  seconds: 20,
  batch: 200,
  devicesPerSensor: 50,
  /**
   * Two per sensor keeps the hub's single ingest queue full from the first second (1,000 sensors
   * queue 2,000 batches) while bounding what waits in the broker's memory.
   */
  inFlight: 2,
  /**
   * As many as the hub's ingest takes from the broker at once (`ingestClientDefaults.maxInFlight`):
   * the hub writes what it has taken as one group, so fewer leave it waiting between groups, and
   * more only lengthen the line at the broker, where the hub's own acknowledgements wait too.
   */
  fleetInFlight: 256,
  processes: 1,
  levelSeconds: 5,
  seed: 1,
  /** A batch unacknowledged this long goes again, as the appliance's uplink does (its `confirmTimeoutMs`). */
  confirmTimeoutMs: 30_000,
  /** Share of `seconds` left out of the figure while queues fill and the store's first writes create devices. */
  warmupFraction: 0.25,
  /** Parallel HTTPS requests while registering and enrolling sensors. */
  enrolConcurrency: 8,
  /** TLS handshakes a fleet process has under way at once while its sensors connect. */
  connectConcurrency: 50,
  /** How long the hub may take to start, and to stop. */
  hubStartMs: 60_000,
  hubStopMs: 30_000,
} as const;

/** Inclusive bounds of each numeric option. */
export const hubBenchBounds = {
  sensors: [1, 5000],
  seconds: [2, 3600],
  batch: [1, MAX_OBSERVATIONS_PER_BATCH],
  devicesPerSensor: [1, 4096],
  inFlight: [1, 32],
  fleetInFlight: [1, 100_000],
  /** Two cores are the target machine; more than four client processes only fight the hub for CPU. */
  processes: [1, 4],
  levelSeconds: [1, 120],
  seed: [0, 0xffff_ffff],
  /** Instance a runs the broker; b joins it (hub-instances.ts). */
  instances: [1, 2],
} as const satisfies Record<string, readonly [number, number]>;

/** The simulated hospital is built in memory: its device count is bounded. */
export const MAX_BENCH_DEVICES = 1_000_000;

export type ResolvedHubBenchOptions = Required<Omit<HubBenchOptions, 'cpuProfileDir' | 'dataDir' | 'instances'>> & Pick<HubBenchOptions, 'cpuProfileDir' | 'dataDir' | 'instances'>;

export function resolveHubBenchOptions(o: HubBenchOptions): ResolvedHubBenchOptions {
  const problems: string[] = [];
  const check = (name: keyof typeof hubBenchBounds, value: number): number => {
    const [min, max] = hubBenchBounds[name];
    if (!Number.isInteger(value) || value < min || value > max) problems.push(`${name} ${String(value)} is not a whole number from ${min} to ${max}`);
    return value;
  };
  const pick = (name: Exclude<keyof typeof hubBenchBounds, 'instances'>): number => check(name, o[name] ?? hubBenchDefaults[name]);
  const resolved: ResolvedHubBenchOptions = {
    repo: o.repo,
    sensors: pick('sensors'),
    seconds: pick('seconds'),
    batch: pick('batch'),
    devicesPerSensor: pick('devicesPerSensor'),
    inFlight: pick('inFlight'),
    fleetInFlight: pick('fleetInFlight'),
    processes: pick('processes'),
    levelSeconds: pick('levelSeconds'),
    seed: pick('seed'),
    reportDevices: o.reportDevices ?? false,
    log: o.log ?? ((line: string) => process.stderr.write(`${line}\n`)),
    ...(o.cpuProfileDir === undefined ? {} : { cpuProfileDir: o.cpuProfileDir }),
    ...(o.dataDir === undefined ? {} : { dataDir: o.dataDir }),
    ...(o.instances === undefined ? {} : { instances: check('instances', o.instances) }),
  };
  if (resolved.sensors * resolved.devicesPerSensor > MAX_BENCH_DEVICES) {
    problems.push(`sensors × devices per sensor is ${resolved.sensors * resolved.devicesPerSensor}; at most ${MAX_BENCH_DEVICES} devices are simulated`);
  }
  if (resolved.processes > resolved.fleetInFlight) problems.push(`processes ${resolved.processes} is more than fleet in-flight ${resolved.fleetInFlight}: each process needs at least one batch in flight`);
  if (resolved.instances !== undefined && resolved.dataDir !== undefined) problems.push('a data directory is for the single hub; instances on a shared store make their own');
  if (resolved.processes > resolved.sensors) problems.push(`processes ${resolved.processes} is more than the ${resolved.sensors} sensors to spread over them`);
  if (problems.length > 0) throw new HubBenchError('BENCH_ERR_HUB_OPTIONS', problems.join('; '));
  return resolved;
}
