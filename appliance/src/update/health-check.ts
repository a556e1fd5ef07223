/**
 * The new version's health check. After a switch, the sensor running on trial asks the runtime's own
 * check — the sensor started, its capture runs, it reached the hub — given as a callback (or as a
 * command, exit status 0 meaning healthy). A healthy answer within the trial's deadline confirms the
 * version; an unhealthy answer, an error or no answer in time rolls it back, and the caller then exits
 * so that the service manager restarts the sensor on the previous slot. A check stopped by its caller
 * (the sensor shutting down) gives no verdict: the trial stays pending for the next start.
 */
import { spawn } from 'node:child_process';
import { updateDefaults, updateLayout } from './layout.js';
import { confirmTrial, rollBackTrial, silentUpdateLog, type TrialOutcome, type UpdateLog } from './trial.js';
import { readUpdateState, trialDeadline } from './update-state.js';

export interface HealthReport {
  healthy: boolean;
  /** What was (not) healthy, for the record and the log. */
  detail?: string;
}

/** A check of the running sensor; it should give up when `signal` aborts. */
export type HealthCheck = (signal: AbortSignal) => Promise<HealthReport>;

export interface TrialHealthCheckOptions {
  root?: string;
  /** The version of the code running this check; only that version's trial is judged. */
  version: string;
  check: HealthCheck;
  log?: UpdateLog;
  lockWaitMs?: number;
  /** Stops the check without a verdict (the sensor is shutting down): nothing is recorded. */
  signal?: AbortSignal;
}

/** What the health check came to: a trial outcome, or none because its caller stopped it first. */
export type TrialCheckOutcome = TrialOutcome | { kind: 'abandoned'; version: string };

export const healthCheckDefaults = {
  /** Output of a health-check command kept for the record. */
  maxDetailChars: 500,
} as const;

/**
 * Judges the trial of `version`, if it is the one on trial: confirms it, or rolls it back. Returns
 * `no-trial` / `other-version` when there is nothing to judge (a steady start, or the previous
 * version running after a rollback), and `abandoned` when `signal` stopped the check first.
 */
export async function runTrialHealthCheck(options: TrialHealthCheckOptions): Promise<TrialCheckOutcome> {
  const layout = updateLayout(options.root ?? updateDefaults.root);
  const log = options.log ?? silentUpdateLog;
  const trial = (await readUpdateState(layout)).trial;
  if (!trial) return { kind: 'no-trial' };
  if (trial.version !== options.version) return { kind: 'other-version', trialVersion: trial.version };
  // Before any start through the launcher (a manual run), the deadline counts from now.
  const deadline = trialDeadline(trial)?.getTime() ?? Date.now() + trial.deadlineS * 1000;
  const report = await checkBefore(options.check, deadline, options.signal);
  if (report === null) return { kind: 'abandoned', version: options.version };
  const step = { version: options.version, log, ...(options.lockWaitMs === undefined ? {} : { lockWaitMs: options.lockWaitMs }) };
  if (report.healthy) return confirmTrial(layout, step);
  return rollBackTrial(layout, `its health check failed: ${report.detail ?? 'unhealthy'}`, step);
}

/** The check's answer, or null when `stop` aborted it first. */
async function checkBefore(check: HealthCheck, deadline: number, stop?: AbortSignal): Promise<HealthReport | null> {
  if (stop?.aborted) return null;
  const remaining = deadline - Date.now();
  if (remaining <= 0) return { healthy: false, detail: 'the trial deadline passed before the check ran' };
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let onStop: (() => void) | undefined;
  const stopped = new Promise<null>((resolve) => {
    onStop = () => {
      controller.abort();
      resolve(null);
    };
    stop?.addEventListener('abort', onStop, { once: true });
  });
  const late = new Promise<HealthReport>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve({ healthy: false, detail: `no healthy answer within the trial deadline (${Math.round(remaining / 1000)} s left when the check started)` });
    }, remaining);
  });
  const answer = check(controller.signal).then(
    (report) => report,
    (error: unknown) => ({ healthy: false, detail: `the check failed: ${(error as Error).message}` }),
  );
  try {
    return await Promise.race([stopped, answer, late]);
  } finally {
    clearTimeout(timer);
    if (onStop) stop?.removeEventListener('abort', onStop);
  }
}

/** A health check that runs `command` with `args`: exit status 0 is healthy; its output is the detail. */
export function commandHealthCheck(command: string, args: string[] = [], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): HealthCheck {
  return (signal) =>
    new Promise((resolve) => {
      const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], signal });
      let output = '';
      const keep = (chunk: Buffer) => {
        output = (output + chunk.toString('utf8')).slice(-healthCheckDefaults.maxDetailChars);
      };
      child.stdout.on('data', keep);
      child.stderr.on('data', keep);
      child.on('error', (error) => resolve({ healthy: false, detail: `${command} could not run: ${error.message}` }));
      child.on('close', (code, killedBy) => {
        const said = output.trim();
        if (code === 0) resolve({ healthy: true, ...(said ? { detail: said } : {}) });
        else resolve({ healthy: false, detail: `${command} exited with ${killedBy ?? `status ${code ?? '?'}`}${said ? `: ${said}` : ''}` });
      });
    });
}
