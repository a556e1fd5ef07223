/**
 * The install root of a sensor's software (default /opt/wardsight): two slots holding complete
 * application trees, `current` (a relative symbolic link to the slot that runs), `state.json`, the
 * lock, and the launcher that systemd starts. Options of the update modules, with their bounds.
 *
 *   <root>/slots/a/, <root>/slots/b/     application trees (bin/wardsight.js, each workspace's dist, …)
 *   <root>/slots/.incoming/              a release being extracted and checked
 *   <root>/current -> slots/a            what the launcher starts
 *   <root>/state.json                    active slot, versions, trial, versions known bad, events
 *   <root>/update.lock                   held while the state or the links change
 *   <root>/bin/wardsight-launcher        systemd's ExecStart (POSIX sh)
 *   <root>/launcher -> launcher.d/<id>/  the launcher's own code, outside the slots
 */
import { join, resolve } from 'node:path';
import { UpdateError } from './errors.js';

export const SLOT_NAMES = ['a', 'b'] as const;
export type SlotName = (typeof SLOT_NAMES)[number];

export const updateDefaults = {
  root: '/opt/wardsight',
  /** Trusted release public key (PEM) on a sensor. */
  publicKeyPath: '/etc/wardsight/release.pub',
  /** Starts a new version gets to confirm itself before it is rolled back. */
  maxAttempts: 3,
  /** Seconds from a new version's first start within which it must confirm itself healthy. */
  trialDeadlineS: 600,
  /** How long to wait for another process holding the install root's lock. */
  lockWaitMs: 30_000,
  /** The program of a release, relative to its slot, that the launcher starts. */
  entry: 'bin/wardsight.js',
  eventsKept: 50,
  badVersionsKept: 100,
} as const;

/** Bounds of the tunable options; values outside are clamped. */
export const updateBounds = {
  // At least one start, or nothing is ever tried; more than 10 only delays a rollback that is due.
  maxAttempts: { min: 1, max: 10 },
  // Under 30 s a healthy sensor may not yet have reached its hub; past a day a bad version lingers.
  trialDeadlineS: { min: 30, max: 86_400 },
  lockWaitMs: { min: 0, max: 600_000 },
} as const;

export function clampOption(value: number | undefined, fallback: number, bounds: { min: number; max: number }): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(bounds.max, Math.max(bounds.min, Math.round(value)));
}

export function isSlotName(value: unknown): value is SlotName {
  return value === 'a' || value === 'b';
}

export function otherSlot(slot: SlotName): SlotName {
  return slot === 'a' ? 'b' : 'a';
}

export interface UpdateLayout {
  root: string;
  slotsDir: string;
  incoming: string;
  current: string;
  state: string;
  lock: string;
  launcherScript: string;
  launcherLink: string;
  launcherVersions: string;
  slot(name: SlotName): string;
  /** Target of `current` for a slot: relative, so the root can be moved or mounted elsewhere. */
  slotLinkTarget(name: SlotName): string;
}

export function updateLayout(root: string = updateDefaults.root): UpdateLayout {
  if (root.trim() === '') throw new UpdateError('APPLIANCE_ERR_UPDATE_LAYOUT', 'the install root is empty: give a directory such as /opt/wardsight');
  const base = resolve(root);
  return {
    root: base,
    slotsDir: join(base, 'slots'),
    incoming: join(base, 'slots', '.incoming'),
    current: join(base, 'current'),
    state: join(base, 'state.json'),
    lock: join(base, 'update.lock'),
    launcherScript: join(base, 'bin', 'wardsight-launcher'),
    launcherLink: join(base, 'launcher'),
    launcherVersions: join(base, 'launcher.d'),
    slot: (name) => join(base, 'slots', name),
    slotLinkTarget: (name) => `slots/${name}`,
  };
}
