/**
 * Stable codes of the health reporter's problems, and the rule that each is logged once while it
 * lasts. None of them is ever thrown into the sensor: a figure that cannot be read is sent as null
 * (or, for the counters the sensor supplies, as the last figures it gave) and the report goes out.
 * A code is never reused.
 */
import type { Logger } from 'pino';

export const HEALTH_ERRORS = {
  APPLIANCE_ERR_HEALTH_CPU_LOAD: 'The CPU load could not be read (systeminformation currentLoad, from /proc/stat); cpuLoadPct is sent as null',
  APPLIANCE_ERR_HEALTH_TEMPERATURE: 'The CPU temperature could not be read (systeminformation cpuTemperature, from /sys/class/thermal or lm-sensors); temperatureC is sent as null',
  APPLIANCE_ERR_HEALTH_MEMORY: 'The memory figures could not be read (systeminformation mem, from /proc/meminfo); memory is sent as null',
  APPLIANCE_ERR_HEALTH_DISK: 'The file system of the data directory could not be read (statfs(2)); disk is sent as null: check that the data directory exists and is readable',
  APPLIANCE_ERR_HEALTH_MOUNTS: 'The mount point of the data directory could not be found (/proc/self/mounts, or systeminformation fsSize from df(1)); disk.path names the data directory instead',
  APPLIANCE_ERR_HEALTH_CLOCK: 'The clock offset could not be had, or was out of bounds; clockOffsetMs is sent as null',
  APPLIANCE_ERR_HEALTH_COUNTERS: 'The capture counters could not be read; the last figures read are sent again',
  APPLIANCE_ERR_HEALTH_OUTBOX: 'The outbox figures could not be read; the last figures read are sent again',
  APPLIANCE_ERR_HEALTH_OPTION: 'A health reporter option is out of bounds and was clamped into them',
} as const;
export type HealthErrorCode = keyof typeof HEALTH_ERRORS;

/**
 * Remembers which sources are failing: the first failure of a source is a warning with its code and
 * cause, repeats are debug, and a source that reads again is noted once at info.
 */
export class HealthProblems {
  private readonly failing = new Set<HealthErrorCode>();

  constructor(private readonly log: Logger) {}

  failed(code: HealthErrorCode, cause?: unknown): void {
    const err = cause instanceof Error ? cause : cause === undefined ? undefined : new Error(String(cause));
    if (this.failing.has(code)) {
      this.log.debug({ code, err }, HEALTH_ERRORS[code]);
      return;
    }
    this.failing.add(code);
    this.log.warn({ code, err }, HEALTH_ERRORS[code]);
  }

  recovered(code: HealthErrorCode): void {
    if (this.failing.delete(code)) this.log.info({ code }, 'health source readable again');
  }

  isFailing(code: HealthErrorCode): boolean {
    return this.failing.has(code);
  }
}
