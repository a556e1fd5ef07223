/**
 * The trial of a new version, judged from inside `wardsight sensor`. When the update root (signed
 * updates, update/layout.ts) has a trial pending for the running version, the sensor confirms itself
 * once it is healthy — its capture sees packets and the hub has acknowledged something it sent since
 * this start — or, past the trial's deadline, rolls itself back (update/health-check.ts); the caller
 * then exits so that the service manager starts the previous version. Without an update root, or
 * without a trial for this version, nothing is done. The check starts with the process, before the
 * sensor has started, so a version that never gets as far as running is rolled back at its deadline too.
 */
import { stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { PoolCounters, UplinkCounters } from '@wardsight/edge-core';
import { UPDATE_ROOT_VARIABLE } from './install-unit.js';
import { runTrialHealthCheck, type HealthCheck, type HealthReport, type TrialCheckOutcome } from './update/health-check.js';
import { clampOption, updateDefaults } from './update/layout.js';
import { readUpdateStatus } from './update/status.js';

export const trialRunDefaults = {
  /** How often the check looks at the running sensor. */
  pollMs: 1000,
} as const;

/** Under 50 ms the check only spins; past 10 s it eats into a short trial deadline. */
export const trialRunBounds = { pollMs: { min: 50, max: 10_000 } } as const;

/** What the check reads of the running sensor (structurally, a RunningSensor). */
export interface TrialSubject {
  counters(): Pick<PoolCounters, 'captured' | 'packets'>;
  /** The uplink's counters since this start (Publisher.counters). */
  uplink(): Pick<UplinkCounters, 'hubAcks' | 'confirmed'>;
}

/**
 * The update root of this sensor: `given` (the `--update-root` option), else $WARDSIGHT_UPDATE_ROOT
 * (set by the unit), else /opt/wardsight when that folder exists; null when there is none.
 */
export async function findUpdateRoot(given?: string, env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  const named = given ?? env[UPDATE_ROOT_VARIABLE];
  if (named !== undefined && named !== '') return named;
  const info = await stat(updateDefaults.root).catch(() => null);
  return info?.isDirectory() ? updateDefaults.root : null;
}

/** Resolves with the started sensor, or with null when `signal` aborts first or the start failed. */
function startedOrStopped(sensor: Promise<TrialSubject>, signal: AbortSignal): Promise<TrialSubject | null> {
  if (signal.aborted) return Promise.resolve(null);
  return new Promise((resolve) => {
    const stop = () => resolve(null);
    signal.addEventListener('abort', stop, { once: true });
    // A failed start is the caller's to report; the check just waits to be stopped.
    sensor.then((subject) => {
      signal.removeEventListener('abort', stop);
      resolve(subject);
    }, () => undefined);
  });
}

/**
 * The sensor's health for its trial: capture running (packets seen) and the hub reached — an
 * acknowledgement from the hub since this start (the hub acknowledges a sensor's status as soon as it
 * connects, and every batch of findings), which the broker alone cannot give.
 */
export function sensorHealthCheck(sensor: Promise<TrialSubject>, options: { pollMs?: number } = {}): HealthCheck {
  const pollMs = clampOption(options.pollMs, trialRunDefaults.pollMs, trialRunBounds.pollMs);
  return async (signal): Promise<HealthReport> => {
    const subject = await startedOrStopped(sensor, signal);
    if (subject === null) return { healthy: false, detail: 'the sensor did not finish starting' };
    for (;;) {
      const { captured, packets } = subject.counters();
      const seenPackets = Math.max(captured, packets);
      const { hubAcks, confirmed } = subject.uplink();
      if (seenPackets > 0 && hubAcks > 0) return { healthy: true, detail: `capture running (${seenPackets} packets), the hub answering (${hubAcks} acknowledgements, ${confirmed} messages stored)` };
      if (signal.aborted) {
        const missing = [seenPackets === 0 ? 'no packets captured' : '', hubAcks > 0 ? '' : 'no acknowledgement from the hub since this start'].filter(Boolean);
        return { healthy: false, detail: missing.join('; ') };
      }
      await sleep(pollMs, undefined, { signal }).catch(() => undefined);
    }
  };
}

export interface TrialRunOptions {
  /** The update root (see findUpdateRoot); null: nothing to judge. */
  root: string | null;
  /** The running version (sensorVersion()). */
  version: string;
  /** The sensor once started. */
  sensor: Promise<TrialSubject>;
  /** Stops the check without a verdict (the sensor is shutting down). */
  signal: AbortSignal;
  log: Logger;
  pollMs?: number;
  lockWaitMs?: number;
}

/**
 * Judges the trial of the running version if one is pending under the update root; resolves with
 * the outcome, or null when there was nothing to judge or the update root could not be used (logged:
 * a sensor keeps running whatever its update bookkeeping says).
 */
export async function runTrial(options: TrialRunOptions): Promise<TrialCheckOutcome | null> {
  const { root, version } = options;
  if (root === null) return null;
  const log = options.log.child({ module: 'trial' });
  try {
    const trial = (await readUpdateStatus(root)).trial;
    if (!trial || trial.version !== version) return null;
    log.info({ root, version, attempt: trial.attempts, maxAttempts: trial.maxAttempts, deadline: trial.deadline }, 'this version is on trial: it confirms itself once capturing and acknowledged by the hub');
    const outcome = await runTrialHealthCheck({
      root,
      version,
      check: sensorHealthCheck(options.sensor, options.pollMs === undefined ? {} : { pollMs: options.pollMs }),
      log,
      signal: options.signal,
      ...(options.lockWaitMs === undefined ? {} : { lockWaitMs: options.lockWaitMs }),
    });
    if (outcome.kind === 'abandoned') log.info({ version }, 'the trial is left pending: the sensor stopped before its health check answered');
    return outcome;
  } catch (err) {
    log.error({ err, root, version }, 'the trial of this version could not be judged; the launcher decides at the next start');
    return null;
  }
}
