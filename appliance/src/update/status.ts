/**
 * What is installed under an install root, for `wardsight appliance update-status`: the slot
 * `current` points at and its version, each slot, the trial in progress, the versions known bad and
 * the latest events — as data (`--json`) or as lines for a person.
 */
import { readLinkTarget } from './atomic-file.js';
import { SLOT_NAMES, updateDefaults, updateLayout, type SlotName } from './layout.js';
import { readUpdateState, trialDeadline, type TrialRecord, type UpdateState } from './update-state.js';

export interface UpdateStatus {
  root: string;
  /** Target of the `current` link, null when there is none yet. */
  currentLink: string | null;
  /** The slot `current` points at, and the version recorded for it. */
  running: { slot: SlotName; version: string | null } | null;
  trial: (TrialRecord & { deadline: string | null }) | null;
  state: UpdateState;
}

export async function readUpdateStatus(root: string = updateDefaults.root): Promise<UpdateStatus> {
  const layout = updateLayout(root);
  const [state, currentLink] = await Promise.all([readUpdateState(layout), readLinkTarget(layout.current)]);
  const slot = SLOT_NAMES.find((name) => currentLink === layout.slotLinkTarget(name) || currentLink === layout.slot(name));
  return {
    root: layout.root,
    currentLink,
    running: slot ? { slot, version: state.slots[slot]?.version ?? null } : null,
    trial: state.trial ? { ...state.trial, deadline: trialDeadline(state.trial)?.toISOString() ?? null } : null,
    state,
  };
}

/** The status as lines for a person. */
export function describeUpdateStatus(status: UpdateStatus, eventsShown = 10): string {
  const { state } = status;
  const lines = [`install root  ${status.root}`];
  if (status.running) lines.push(`current       slot ${status.running.slot}, version ${status.running.version ?? 'unknown'}`);
  else lines.push(`current       ${status.currentLink === null ? 'none (no release installed)' : `${status.currentLink} (not a slot)`}`);
  for (const name of SLOT_NAMES) {
    const slot = state.slots[name];
    const role = state.trial?.slot === name ? ' — on trial' : state.active === name ? ' — known good' : '';
    lines.push(`slot ${name}        ${slot ? `${slot.version}, installed ${slot.installedAt}${role}` : 'empty'}`);
  }
  const trial = status.trial;
  if (trial) {
    const deadline = trial.deadline ? `, confirm by ${trial.deadline}` : ', not started yet';
    lines.push(`trial         ${trial.version}: ${trial.attempts} of ${trial.maxAttempts} start(s)${deadline}; rolls back to slot ${trial.previous}`);
  }
  for (const bad of state.bad) lines.push(`known bad     ${bad.version} (${bad.at}): ${bad.reason}`);
  for (const event of state.events.slice(-eventsShown)) {
    lines.push(`event         ${event.at} ${event.kind} ${event.version}${event.slot ? ` slot ${event.slot}` : ''}${event.detail ? `: ${event.detail}` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}
