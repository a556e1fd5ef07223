/**
 * The outbox's disk budget and the policy it states for when the hub or the network is away and an
 * enqueue would take the outbox past it, in this order:
 *
 * 1. Shed behaviour summaries, oldest first: an interval's summary matters less the older it is, and
 *    the hub learns behaviour from many intervals.
 * 2. Coalesce state updates: of the refreshes and confidence rises of a fact still waiting, only one
 *    observation with the earliest first-seen, the latest last-seen and the highest confidence (with
 *    that confidence's signal and evidence) is kept. That is exactly what the hub would have made of
 *    them all (hub/src/inventory/profile.ts `applyObservation`), so nothing it would show is lost.
 * 3. First sightings are never dropped, nor the one remaining update of each fact, nor other
 *    messages: past that point the outbox accepts them over its budget, counts it, and says so
 *    (`overBudget`) until it is back under.
 *
 * The counters of what was shed and coalesced are kept in the store and survive restarts.
 */
import type { OutboxClass } from './outbox-layout.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

export const outboxDefaults = {
  /**
   * Bytes of waiting messages the outbox aims to stay within. 256 MiB is days of findings of a busy
   * floor (each fact refreshed every ten minutes, coalesced), and a small share of the 16-64 GB SD
   * card of a Raspberry-Pi-class sensor, which also holds the system and its logs.
   */
  budgetBytes: 256 * MiB,
  /**
   * Coalescing reads every waiting update: once done, it is done again only when the updates queued
   * since come to this share of the budget, so an outbox held over budget by first sightings does
   * not read all its updates again at each enqueue.
   */
  recoalesceShare: 0.125,
  /** Entries removed per atomic write while shedding (bounds the size of one write). */
  shedChunk: 512,
};
export type OutboxOptions = typeof outboxDefaults;

/** Bounds of the options; values outside are clamped. */
export const outboxBounds = {
  /** Below this one batch of a busy flush would not fit, and every enqueue would run the policy. */
  budgetBytes: { min: 64 * KiB, max: 4 * GiB },
  recoalesceShare: { min: 0.01, max: 1 },
  shedChunk: { min: 1, max: 10_000 },
};

const clamp = (value: number, { min, max }: { min: number; max: number }): number => Math.min(max, Math.max(min, value));

/**
 * The options with defaults filled in and clamped to their bounds: a budget of 4 GiB and more is
 * beyond what the card of such a board should give to one queue (and coalescing holds every waiting
 * fact in memory at once), a budget of a few KiB would keep the policy running at every enqueue.
 */
export function resolveOutboxOptions(options: Partial<OutboxOptions> = {}): OutboxOptions {
  const o = { ...outboxDefaults, ...options };
  return {
    budgetBytes: Math.round(clamp(Number.isFinite(o.budgetBytes) ? o.budgetBytes : outboxDefaults.budgetBytes, outboxBounds.budgetBytes)),
    recoalesceShare: clamp(Number.isFinite(o.recoalesceShare) ? o.recoalesceShare : outboxDefaults.recoalesceShare, outboxBounds.recoalesceShare),
    shedChunk: Math.round(clamp(Number.isFinite(o.shedChunk) ? o.shedChunk : outboxDefaults.shedChunk, outboxBounds.shedChunk)),
  };
}

/** What the policy has done over the store's life; persisted with every change it makes. */
export interface OutboxCounters {
  /** Behaviour summaries removed before the hub confirmed them, and their bytes. */
  shedBehaviourMessages: number;
  shedBehaviourBytes: number;
  /** Observations that disappeared by being merged into another of the same fact. */
  coalescedObservations: number;
  /** Update entries removed by coalescing, and the merged entries written in their place. */
  entriesRewritten: number;
  entriesWritten: number;
  /** Times coalescing ran (whether or not it found anything to merge). */
  coalesceRuns: number;
  /** Enqueues that left the outbox over its budget (only first sightings, updates and others left). */
  timesOverBudget: number;
}

export const zeroCounters = (): OutboxCounters => ({
  shedBehaviourMessages: 0,
  shedBehaviourBytes: 0,
  coalescedObservations: 0,
  entriesRewritten: 0,
  entriesWritten: 0,
  coalesceRuns: 0,
  timesOverBudget: 0,
});

/** Counters read back from the store; a missing or damaged value counts from zero. */
export function parseCounters(value: string | undefined): OutboxCounters {
  const counters = zeroCounters();
  if (value === undefined) return counters;
  let stored: unknown;
  try {
    stored = JSON.parse(value);
  } catch {
    return counters;
  }
  if (typeof stored !== 'object' || stored === null) return counters;
  for (const name of Object.keys(counters) as (keyof OutboxCounters)[]) {
    const n = (stored as Record<string, unknown>)[name];
    if (typeof n === 'number' && Number.isFinite(n) && n >= 0) counters[name] = n;
  }
  return counters;
}

/** Entries and bytes of one class. */
export interface ClassTotals {
  entries: number;
  bytes: number;
}

export interface OutboxStats {
  /** Entries waiting for the hub's confirmation. */
  depth: number;
  bytes: number;
  budgetBytes: number;
  byClass: Record<OutboxClass, ClassTotals>;
  shed: { behaviourMessages: number; behaviourBytes: number };
  coalesced: { observations: number; entriesRewritten: number; entriesWritten: number; runs: number };
  /** The warning state: the outbox holds more than its budget (first sightings are never dropped). */
  overBudget: boolean;
  /** How far over the budget it is now (0 when within). */
  overBudgetBytes: number;
  timesOverBudget: number;
}
