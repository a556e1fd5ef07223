/**
 * The sensor's health report (the contract's Health, retained on `…/{sensorId}/health`): what the
 * hub shows of each sensor. It gathers the machine's figures (CPU load and temperature, memory, the
 * file system of the data directory), the process's own (memory, CPU time, uptime) and what the
 * sensor hands in (capture counters, outbox figures, clock offset, the next sequence number).
 *
 * Gathering never throws into the sensor: a source that fails gives null, and is logged once
 * (health-errors.ts). Only a failing `nextSeq` rejects, since without a sequence number there is no
 * message to send. The slow parts are cached: the mount point of the data directory, and the
 * absence of a temperature sensor.
 */
import type { Logger } from 'pino';
import type { PoolCounters } from '@wardsight/edge-core';
import { HEALTH_BOUNDS, type CaptureCounters, type Health, type HealthOutbox, type Location } from '@wardsight/protocol';
import { DataDirDisk, diskHealthDefaults } from './health-disk.js';
import { HEALTH_ERRORS, HealthProblems, type HealthErrorCode } from './health-errors.js';
import { bounded, ProcessCpu, readCpuLoadPct, readLoadAverages, readMemory, systemHealthDefaults, TemperatureReader } from './health-system.js';

export const healthDefaults = {
  intervalS: 30,
  /** Under 5 s the report's own cost (shell probes of systeminformation) starts to show, so only tests go that low; an hour is the longest a hub waits. */
  intervalBounds: { minimum: 1, maximum: 3600 },
  mountRefreshS: diskHealthDefaults.mountRefreshS,
  temperatureReprobeEvery: systemHealthDefaults.temperatureReprobeEvery,
};

/** The capture figures a report carries: the capture pool's counters serve as they are. */
export type CaptureFigures = Pick<PoolCounters, 'devices' | 'packets' | 'malformed' | 'fragments' | 'queueDrops' | 'lost' | 'restarts' | 'libpcap'>;

/** The outbox's figures; `depth` is required, the others are sent where the outbox keeps them. */
export type OutboxFigures = HealthOutbox & { depth: number };

export interface HealthReporterOptions {
  sensorId: string;
  /** The sensor's data directory: the report names the file system that holds it. */
  dataDir: string;
  version: string;
  location: Location;
  /** Seconds between reports (default 30, clamped to 5–3600); sent so that the hub can tell a silent sensor. */
  intervalS?: number;
  /** When the sensor started (ms since the epoch), for `uptimeS`; default: when the reporter was made. */
  startedAt?: number;
  counters: () => CaptureFigures;
  outbox: () => OutboxFigures;
  /** Hub clock minus sensor clock in ms, as the sensor measured it; null until it has. */
  clockOffsetMs?: () => number | null;
  nextSeq: () => Promise<number>;
  log: Logger;
  /** Seconds between searches for the data directory's mount point. */
  mountRefreshS?: number;
  /** On a board without a temperature sensor, probe again every this many reports. */
  temperatureReprobeEvery?: number;
}

export interface HealthReporter {
  /** The interval the sensor should report at, after clamping. */
  readonly intervalS: number;
  /** Gathers one health message, ready to encode and publish. */
  collect(): Promise<Health>;
}

const ZERO_CAPTURE: CaptureFigures = { devices: 0, packets: 0, malformed: 0, fragments: 0, queueDrops: 0, lost: 0, restarts: 0, libpcap: { received: 0, dropped: 0, ifDropped: 0 } };

/** A count for the contract: a safe non-negative integer, else 0. */
const count = (n: unknown): number => (typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : 0);

/** Clamps an option into its bounds, warning when it had to (aedes clamps its limits the same way). */
function clamp(name: string, value: number, bounds: { minimum: number; maximum: number }, log: Logger): number {
  const rounded = Number.isFinite(value) ? Math.round(value) : bounds.minimum;
  const clamped = Math.min(bounds.maximum, Math.max(bounds.minimum, rounded));
  const code = 'APPLIANCE_ERR_HEALTH_OPTION';
  if (clamped !== value) log.warn({ code, option: name, given: value, used: clamped }, HEALTH_ERRORS[code]);
  return clamped;
}

/** Calls a figure source the sensor supplies; a throw gives the last good figures and is logged once. */
function lastGood<T>(read: () => T, code: HealthErrorCode, problems: HealthProblems, initial: T): () => T {
  let last = initial;
  return () => {
    try {
      last = read();
      problems.recovered(code);
    } catch (err) {
      problems.failed(code, err);
    }
    return last;
  };
}

function captureCounters(c: CaptureFigures): CaptureCounters {
  return {
    packets: count(c.packets),
    received: count(c.libpcap?.received),
    dropped: count(c.libpcap?.dropped),
    ifDropped: count(c.libpcap?.ifDropped),
    malformed: count(c.malformed),
    fragments: count(c.fragments),
    queueDrops: count(c.queueDrops),
    lost: count(c.lost),
    restarts: count(c.restarts),
  };
}

/** Keeps the outbox figures that are counts, so a bad one cannot make the report invalid. */
function outboxFigures(o: OutboxFigures): HealthOutbox {
  const out: HealthOutbox = {};
  for (const key of ['depth', 'bytes', 'budgetBytes', 'shedMessages', 'coalesced'] as const) {
    const n = o[key];
    if (typeof n === 'number' && Number.isSafeInteger(n) && n >= 0) out[key] = n;
  }
  return out;
}

export function createHealthReporter(o: HealthReporterOptions): HealthReporter {
  const log = o.log.child({ module: 'health' });
  const problems = new HealthProblems(log);
  const intervalS = clamp('intervalS', o.intervalS ?? healthDefaults.intervalS, healthDefaults.intervalBounds, log);
  const mountRefreshS = clamp('mountRefreshS', o.mountRefreshS ?? healthDefaults.mountRefreshS, diskHealthDefaults.mountRefreshBounds, log);
  const reprobeEvery = clamp('temperatureReprobeEvery', o.temperatureReprobeEvery ?? healthDefaults.temperatureReprobeEvery, systemHealthDefaults.temperatureReprobeBounds, log);
  const startedAt = o.startedAt ?? Date.now();
  const disk = new DataDirDisk(o.dataDir, problems, mountRefreshS);
  const temperature = new TemperatureReader(problems, reprobeEvery);
  const processCpu = new ProcessCpu();
  const counters = lastGood(o.counters, 'APPLIANCE_ERR_HEALTH_COUNTERS', problems, ZERO_CAPTURE);
  const outbox = lastGood(o.outbox, 'APPLIANCE_ERR_HEALTH_OUTBOX', problems, { depth: 0 });
  const clockOffset = (): number | null => {
    if (!o.clockOffsetMs) return null;
    try {
      const offset = o.clockOffsetMs();
      if (offset === null) return null;
      const checked = bounded(offset, HEALTH_BOUNDS.clockOffsetMs);
      if (checked === null) throw new Error(`clock offset ${offset} ms is not a number within ±${HEALTH_BOUNDS.clockOffsetMs.maximum} ms`);
      problems.recovered('APPLIANCE_ERR_HEALTH_CLOCK');
      return Math.round(checked);
    } catch (err) {
      problems.failed('APPLIANCE_ERR_HEALTH_CLOCK', err);
      return null;
    }
  };
  /** Times one source, for the debug log: systeminformation's probes are the costly part of a report. */
  const timed = async <T>(tookMs: Record<string, number>, name: string, read: () => Promise<T>): Promise<T> => {
    const began = performance.now();
    const value = await read();
    tookMs[name] = Math.round((performance.now() - began) * 10) / 10;
    return value;
  };

  return {
    intervalS,
    async collect(): Promise<Health> {
      const tookMs: Record<string, number> = {};
      const [cpuLoadPct, temperatureC, memory, diskFigures] = await Promise.all([
        timed(tookMs, 'cpuLoad', () => readCpuLoadPct(problems)),
        timed(tookMs, 'temperature', () => temperature.read()),
        timed(tookMs, 'memory', () => readMemory(problems)),
        timed(tookMs, 'disk', () => disk.read()),
      ]);
      const c = counters();
      const box = outboxFigures(outbox());
      const message: Health = {
        v: 1,
        sensorId: o.sensorId,
        seq: await o.nextSeq(),
        sentAt: new Date().toISOString(),
        version: o.version,
        uptimeS: Math.max(0, Math.round((Date.now() - startedAt) / 1000)),
        memRssMB: Math.round(process.memoryUsage.rss() / 1e5) / 10,
        // ru_maxrss is in kilobytes on Linux (getrusage(2)).
        peakRssMB: Math.round(process.resourceUsage().maxRSS / 1e2) / 10,
        cpuPct: processCpu.read(),
        devices: count(c.devices),
        outboxDepth: box.depth ?? 0,
        capture: captureCounters(c),
        location: o.location,
        healthIntervalS: intervalS,
        cpuLoadPct,
        loadAvg: readLoadAverages(),
        temperatureC,
        memory,
        disk: diskFigures,
        clockOffsetMs: clockOffset(),
        outbox: box,
      };
      log.debug({ tookMs }, 'health gathered');
      return message;
    },
  };
}
