/**
 * The trial of a new version, from its switch to its confirmation or rollback. The launcher records
 * each start (and rolls back past the allowed starts or the deadline); the running version confirms
 * itself once healthy, or reports that it is not. A rollback points `current` back at the last known
 * good slot and marks the version bad, so it is never installed again. Each step holds the install
 * root's lock, writes the state first and then makes `current` follow it. Uses node built-ins only
 * (the launcher runs a copy of this code from outside the slots).
 */
import { pointLinkAt, readLinkTarget } from './atomic-file.js';
import type { SlotName, UpdateLayout } from './layout.js';
import { withUpdateLock } from './lock.js';
import { intendedSlot, readUpdateState, trialDeadline, withEvent, writeUpdateState, type TrialRecord, type UpdateState } from './update-state.js';

/** The part of a pino logger the update modules use (structurally compatible with pino's Logger). */
export interface UpdateLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export const silentUpdateLog: UpdateLog = { info: () => undefined, warn: () => undefined };

export interface TrialStepOptions {
  log?: UpdateLog;
  lockWaitMs?: number;
}

/** What a start of the service runs. */
export type StartDecision =
  | { kind: 'no-release' }
  | { kind: 'steady'; slot: SlotName; version: string | null }
  | { kind: 'trial'; slot: SlotName; version: string; attempt: number; maxAttempts: number; deadline: string }
  | { kind: 'rolled-back'; slot: SlotName; version: string | null; badVersion: string; reason: string };

export type TrialOutcome =
  | { kind: 'no-trial' }
  | { kind: 'other-version'; trialVersion: string }
  | { kind: 'confirmed'; slot: SlotName; version: string }
  | { kind: 'rolled-back'; slot: SlotName; badVersion: string; reason: string };

/** The launcher's step before each start: counts a start of a version on trial, rolling back past its limits. */
export async function recordStart(layout: UpdateLayout, options: TrialStepOptions = {}): Promise<StartDecision> {
  const log = options.log ?? silentUpdateLog;
  return withUpdateLock(layout, async () => {
    let state = await readUpdateState(layout);
    let decision: StartDecision;
    const trial = state.trial;
    if (trial) {
      const now = new Date();
      const started: TrialRecord = { ...trial, attempts: trial.attempts + 1, firstStartAt: trial.firstStartAt ?? now.toISOString() };
      const deadline = trialDeadline(started) ?? now;
      const reason =
        started.attempts > started.maxAttempts
          ? `it did not confirm itself healthy in ${started.maxAttempts} start(s)`
          : now > deadline
            ? `it did not confirm itself healthy within ${started.deadlineS} s of its first start`
            : null;
      if (reason) {
        state = rolledBack(state, reason);
        decision = { kind: 'rolled-back', slot: trial.previous, version: state.slots[trial.previous]?.version ?? null, badVersion: trial.version, reason };
        log.warn({ version: trial.version, slot: trial.previous, reason }, 'rolled back the version on trial');
      } else {
        state = withEvent({ ...state, trial: started }, { kind: 'trial-start', version: trial.version, slot: trial.slot, detail: `start ${started.attempts} of ${started.maxAttempts}` });
        decision = { kind: 'trial', slot: trial.slot, version: trial.version, attempt: started.attempts, maxAttempts: started.maxAttempts, deadline: deadline.toISOString() };
        log.info({ version: trial.version, attempt: started.attempts, maxAttempts: started.maxAttempts, deadline: decision.deadline }, 'starting the version on trial');
      }
      await writeUpdateState(layout, state);
    } else {
      decision = state.active === null ? { kind: 'no-release' } : { kind: 'steady', slot: state.active, version: state.slots[state.active]?.version ?? null };
    }
    await alignCurrent(layout, state, log);
    return decision;
  }, options.lockWaitMs);
}

/** The running version is healthy: it becomes the last known good one. */
export function confirmTrial(layout: UpdateLayout, options: TrialStepOptions & { version?: string } = {}): Promise<TrialOutcome> {
  return onTrial(layout, options, async (state, trial, log) => {
    const confirmed = withEvent({ ...state, active: trial.slot, trial: null }, { kind: 'confirmed', version: trial.version, slot: trial.slot, detail: `after ${trial.attempts} start(s)` });
    await writeUpdateState(layout, confirmed);
    await alignCurrent(layout, confirmed, log);
    log.info({ version: trial.version, slot: trial.slot }, 'the new version confirmed itself healthy');
    return { kind: 'confirmed', slot: trial.slot, version: trial.version };
  });
}

/** The version on trial is not healthy: go back to the last known good slot and mark it bad. */
export function rollBackTrial(layout: UpdateLayout, reason: string, options: TrialStepOptions & { version?: string } = {}): Promise<TrialOutcome> {
  return onTrial(layout, options, async (state, trial, log) => {
    const after = rolledBack(state, reason);
    await writeUpdateState(layout, after);
    await alignCurrent(layout, after, log);
    log.warn({ version: trial.version, slot: trial.previous, reason }, 'rolled back the version on trial');
    return { kind: 'rolled-back', slot: trial.previous, badVersion: trial.version, reason };
  });
}

/** Runs `step` under the update lock on the trial in progress, if there is one and it is of `options.version`. */
function onTrial(
  layout: UpdateLayout,
  options: TrialStepOptions & { version?: string },
  step: (state: UpdateState, trial: TrialRecord, log: UpdateLog) => Promise<TrialOutcome>,
): Promise<TrialOutcome> {
  const log = options.log ?? silentUpdateLog;
  return withUpdateLock(layout, async () => {
    const state = await readUpdateState(layout);
    const trial = state.trial;
    if (!trial) return { kind: 'no-trial' };
    if (options.version !== undefined && options.version !== trial.version) return { kind: 'other-version', trialVersion: trial.version };
    return step(state, trial, log);
  }, options.lockWaitMs);
}

function rolledBack(state: UpdateState, reason: string): UpdateState {
  const trial = state.trial;
  if (!trial) return state;
  const at = new Date();
  const bad = [...state.bad.filter((b) => b.version !== trial.version), { version: trial.version, at: at.toISOString(), reason }];
  return withEvent({ ...state, active: trial.previous, trial: null, bad }, { kind: 'rolled-back', version: trial.version, slot: trial.previous, detail: reason }, at);
}

/** Points `current` where the state says, when it does not already (after a switch, or a crash between the two). */
export async function alignCurrent(layout: UpdateLayout, state: UpdateState, log: UpdateLog = silentUpdateLog): Promise<boolean> {
  const slot = intendedSlot(state);
  if (slot === null) return false;
  const target = layout.slotLinkTarget(slot);
  const before = await readLinkTarget(layout.current);
  if (before === target) return false;
  await pointLinkAt(layout.current, target);
  log.info({ from: before, to: target }, 'pointed current at the intended slot');
  return true;
}
