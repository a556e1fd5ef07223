/**
 * The machine's figures for a health report: CPU load, load averages, CPU temperature, memory and
 * the sensor process's own CPU time. Each reader returns null rather than throw, and reports its
 * failure to HealthProblems (logged once).
 *
 * systeminformation 5.33 on Linux: `currentLoad` is the busy share of /proc/stat ticks since its
 * previous call (its first call samples for half a second); `cpuTemperature` reads
 * /sys/class/thermal/thermal_zone*\/temp, then lm-sensors, through shell commands (synchronous ones
 * among them), and gives `main: null` on a virtual machine (-1 on other systems when unknown);
 * `mem` reads /proc/meminfo.
 */
import { loadavg } from 'node:os';
import { cpuTemperature, currentLoad, mem } from 'systeminformation';
import { HEALTH_BOUNDS, type HealthMemory } from '@wardsight/protocol';
import type { HealthProblems } from './health-errors.js';

export const systemHealthDefaults = {
  /**
   * Once a board has shown no temperature sensor, ask again only every this many reports: the
   * probe spawns shells, and a sensor does not appear at run time on a board that has none.
   */
  temperatureReprobeEvery: 20,
  temperatureReprobeBounds: { minimum: 1, maximum: 1000 },
};

const BYTES_PER_MB = 1e6;

/** Rounds to one decimal. */
const tenth = (n: number): number => Math.round(n * 10) / 10;

/** A finite number within [minimum, maximum], or null. */
export function bounded(value: unknown, bounds: { readonly minimum: number; readonly maximum: number }): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= bounds.minimum && value <= bounds.maximum ? value : null;
}

export async function readCpuLoadPct(problems: HealthProblems): Promise<number | null> {
  try {
    const load = (await currentLoad()).currentLoad;
    // Two calls within one tick of /proc/stat give 0/0: that is "no figure", not a failure.
    if (typeof load !== 'number' || Number.isNaN(load)) return null;
    if (!Number.isFinite(load) || load < 0) throw new Error(`currentLoad gave ${load}`);
    problems.recovered('APPLIANCE_ERR_HEALTH_CPU_LOAD');
    // Rounding in the source may give 100.0000001 on a saturated machine.
    return tenth(Math.min(load, 100));
  } catch (err) {
    problems.failed('APPLIANCE_ERR_HEALTH_CPU_LOAD', err);
    return null;
  }
}

/** Load averages over 1, 5 and 15 minutes (proc(5) /proc/loadavg); null where the system has none. */
export function readLoadAverages(): [number, number, number] | null {
  const [one, five, fifteen] = loadavg().map((n) => bounded(n, HEALTH_BOUNDS.loadAverage));
  if (one == null || five == null || fifteen == null) return null;
  return [Math.round(one * 100) / 100, Math.round(five * 100) / 100, Math.round(fifteen * 100) / 100];
}

/** Reads the CPU temperature, and stops asking a board that has shown it has no sensor. */
export class TemperatureReader {
  private absentSince = -1;
  private reports = 0;

  constructor(
    private readonly problems: HealthProblems,
    private readonly reprobeEvery = systemHealthDefaults.temperatureReprobeEvery,
  ) {}

  async read(): Promise<number | null> {
    this.reports += 1;
    if (this.absentSince >= 0 && (this.reports - this.absentSince) % this.reprobeEvery !== 0) return null;
    try {
      const t = await cpuTemperature();
      // `main` first, then the hottest core; -1 and NaN are "unknown", as is null.
      const celsius = [t.main, t.max].find((c) => c !== -1 && bounded(c, HEALTH_BOUNDS.temperatureC) !== null) ?? null;
      this.problems.recovered('APPLIANCE_ERR_HEALTH_TEMPERATURE');
      if (celsius === null) {
        if (this.absentSince < 0) this.absentSince = this.reports;
        return null;
      }
      this.absentSince = -1;
      return tenth(celsius);
    } catch (err) {
      this.problems.failed('APPLIANCE_ERR_HEALTH_TEMPERATURE', err);
      return null;
    }
  }
}

export async function readMemory(problems: HealthProblems): Promise<HealthMemory | null> {
  try {
    const m = await mem();
    const total = bounded(m.total / BYTES_PER_MB, HEALTH_BOUNDS.memoryMB);
    const available = bounded(m.available / BYTES_PER_MB, HEALTH_BOUNDS.memoryMB);
    if (total === null || total === 0 || available === null || available > total) throw new Error(`mem gave total ${m.total}, available ${m.available}`);
    problems.recovered('APPLIANCE_ERR_HEALTH_MEMORY');
    // Used is what the kernel could not hand out now: total minus MemAvailable, not minus MemFree.
    return { totalMB: tenth(total), usedMB: tenth(total - available), availableMB: tenth(available) };
  } catch (err) {
    problems.failed('APPLIANCE_ERR_HEALTH_MEMORY', err);
    return null;
  }
}

/** CPU time of this process between two calls, in percent of one core (top(1)'s way of counting). */
export class ProcessCpu {
  // The first figure covers the process's life so far.
  private lastUsage: NodeJS.CpuUsage = { user: 0, system: 0 };
  private lastAt = process.hrtime.bigint() - BigInt(Math.round(process.uptime() * 1e9));

  read(): number | null {
    const now = process.hrtime.bigint();
    const usage = process.cpuUsage();
    const cpuMicros = usage.user - this.lastUsage.user + (usage.system - this.lastUsage.system);
    const wallMicros = Number(now - this.lastAt) / 1000;
    this.lastUsage = usage;
    this.lastAt = now;
    if (wallMicros <= 0) return null;
    return bounded(tenth((cpuMicros / wallMicros) * 100), HEALTH_BOUNDS.processCpuPct);
  }
}
