/**
 * `state.json`, the record of a sensor's software: which slot is the last known good one (`active`),
 * what each slot holds, the version on trial (if any), the versions known bad and the latest events.
 * It is the single source of truth: `current` is made to follow it (the trial's slot while a trial is
 * pending, the active slot otherwise), so every change writes the state first and moves the link after.
 * Uses node built-ins only (the launcher runs a copy of this code from outside the slots).
 */
import { readFile } from 'node:fs/promises';
import { UpdateError } from './errors.js';
import { isSlotName, updateDefaults, type SlotName, type UpdateLayout } from './layout.js';
import { writeFileAtomic } from './atomic-file.js';

export const UPDATE_STATE_FORMAT = 1;

export interface SlotRecord {
  version: string;
  installedAt: string;
}

/** A version switched to and not yet confirmed healthy. */
export interface TrialRecord {
  slot: SlotName;
  /** The last known good slot, where a rollback returns. */
  previous: SlotName;
  version: string;
  /** When `current` was switched to the trial's slot. */
  since: string;
  /** When the launcher first started the version; the deadline counts from here. */
  firstStartAt: string | null;
  /** Starts of the version by the launcher so far. */
  attempts: number;
  maxAttempts: number;
  deadlineS: number;
}

export interface BadVersion {
  version: string;
  at: string;
  reason: string;
}

export type UpdateEventKind = 'installed' | 'trial-start' | 'confirmed' | 'rolled-back' | 'link-repaired';

export interface UpdateEvent {
  at: string;
  kind: UpdateEventKind;
  version: string;
  slot?: SlotName;
  detail?: string;
}

export interface UpdateState {
  format: typeof UPDATE_STATE_FORMAT;
  /** The last known good slot; null before the first release is installed. */
  active: SlotName | null;
  slots: Record<SlotName, SlotRecord | null>;
  trial: TrialRecord | null;
  bad: BadVersion[];
  events: UpdateEvent[];
}

export function emptyUpdateState(): UpdateState {
  return { format: UPDATE_STATE_FORMAT, active: null, slots: { a: null, b: null }, trial: null, bad: [], events: [] };
}

/** The slot `current` must point at: the trial's while one is pending, else the active one. */
export function intendedSlot(state: UpdateState): SlotName | null {
  return state.trial?.slot ?? state.active;
}

/** When the trial runs out of time: its first start plus its deadline (null before a first start). */
export function trialDeadline(trial: TrialRecord): Date | null {
  return trial.firstStartAt === null ? null : new Date(Date.parse(trial.firstStartAt) + trial.deadlineS * 1000);
}

/** Appends an event, keeping the latest `updateDefaults.eventsKept`. */
export function withEvent(state: UpdateState, event: Omit<UpdateEvent, 'at'>, at = new Date()): UpdateState {
  return { ...state, events: [...state.events, { at: at.toISOString(), ...event }].slice(-updateDefaults.eventsKept) };
}

/** Reads the state; a root without one has the empty state. */
export async function readUpdateState(layout: UpdateLayout): Promise<UpdateState> {
  let text: string;
  try {
    text = await readFile(layout.state, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyUpdateState();
    throw stateError(layout, `it cannot be read (${(error as Error).message})`, error);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw stateError(layout, 'it is not JSON', error);
  }
  const problem = stateProblem(value);
  if (problem) throw stateError(layout, problem);
  return value as UpdateState;
}

export async function writeUpdateState(layout: UpdateLayout, state: UpdateState): Promise<void> {
  const trimmed: UpdateState = { ...state, bad: state.bad.slice(-updateDefaults.badVersionsKept), events: state.events.slice(-updateDefaults.eventsKept) };
  await writeFileAtomic(layout.state, `${JSON.stringify(trimmed, null, 2)}\n`);
}

function stateError(layout: UpdateLayout, why: string, cause?: unknown): UpdateError {
  return new UpdateError(
    'APPLIANCE_ERR_UPDATE_STATE',
    `${layout.state}: ${why}. Keep a copy of it for diagnosis; \`wardsight appliance update-status\` shows what is installed`,
    cause === undefined ? undefined : { cause },
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** What is wrong with a parsed state.json, or null when it has the state's form. */
function stateProblem(value: unknown): string | null {
  if (!isRecord(value)) return 'it is not a JSON object';
  if (value.format !== UPDATE_STATE_FORMAT) return `it has format ${JSON.stringify(value.format)} where ${UPDATE_STATE_FORMAT} is expected`;
  if (value.active !== null && !isSlotName(value.active)) return 'its active slot is not "a", "b" or null';
  const slots = value.slots;
  if (!isRecord(slots)) return 'it has no slots';
  for (const name of ['a', 'b']) {
    const slot = slots[name];
    if (slot !== null && !(isRecord(slot) && isText(slot.version) && isText(slot.installedAt))) return `its slot ${name} is not described`;
  }
  const trial = value.trial;
  if (trial !== null) {
    if (!isRecord(trial)) return 'its trial is not an object';
    const valid =
      isSlotName(trial.slot) && isSlotName(trial.previous) && trial.slot !== trial.previous && isText(trial.version) && isText(trial.since) &&
      (trial.firstStartAt === null || isText(trial.firstStartAt)) && isCount(trial.attempts) && isCount(trial.maxAttempts) && isCount(trial.deadlineS);
    if (!valid) return 'its trial is incomplete';
  }
  if (!Array.isArray(value.bad) || !value.bad.every((b) => isRecord(b) && isText(b.version) && isText(b.at) && typeof b.reason === 'string')) return 'its list of bad versions is not valid';
  if (!Array.isArray(value.events) || !value.events.every((e) => isRecord(e) && isText(e.at) && isText(e.kind) && typeof e.version === 'string')) return 'its events are not valid';
  return null;
}
