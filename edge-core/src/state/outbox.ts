/**
 * The sensor's store-and-forward outbox: messages for the hub kept in LevelDB, in sequence order,
 * until the hub confirms it has stored them, within a disk budget (outbox-policy.ts states the
 * policy, outbox-budget.ts carries it out, outbox-layout.ts says how it lies on disk and
 * outbox-index.ts how its index is checked at open).
 *
 * Every change (messages queued, confirmed, shed or coalesced) is one atomic write of the entries,
 * their index rows, the sequence counter and the policy's counters. Changes run one at a time, in
 * the order they were asked for, so sizes and counters stay exact; reading what is pending does not
 * wait for them (LevelDB iterators read from a snapshot).
 */
import type { Logger } from 'pino';
import { coalesceUpdates, shedOldestBehaviour } from './outbox-budget.js';
import type { OutboxItem } from './outbox-findings.js';
import { openIndex } from './outbox-index.js';
import {
  classOfTopic,
  COUNTERS_KEY,
  entryFromStored,
  entrySize,
  indexKey,
  OUTBOX_CLASSES,
  SEQ_KEY,
  seqKey,
  type OutboxClass,
  type OutboxEntry,
  type OutboxParts,
} from './outbox-layout.js';
import { parseCounters, type ClassTotals, type OutboxCounters, type OutboxOptions, type OutboxStats } from './outbox-policy.js';

/** One atomic change: entries removed, entries added (numbered already), counters moved by deltas. */
export interface OutboxChange {
  remove?: readonly { seq: number; cls: OutboxClass; bytes: number }[];
  add?: readonly OutboxEntry[];
  counters?: Partial<OutboxCounters>;
}

export class Outbox {
  /** Update bytes known to be coalesced already (see outboxDefaults.recoalesceShare). */
  compactedUpdateBytes = 0;
  private warned = false;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly parts: OutboxParts,
    /** Entries and bytes per class, kept with every change (summed from the index at open). */
    private readonly totals: Map<OutboxClass, ClassTotals>,
    readonly options: OutboxOptions,
    readonly log: Logger,
    private lastSeq: number,
    private counters: OutboxCounters,
  ) {}

  /** Opens the outbox of a store: its index (outbox-index.ts), counter and policy's counters. */
  static async open(parts: OutboxParts, options: OutboxOptions, log: Logger, initialSeq: () => number): Promise<Outbox> {
    const storedSeq = await parts.meta.get(SEQ_KEY);
    const totals = await openIndex(parts, log);
    const outbox = new Outbox(parts, totals, options, log, storedSeq === undefined ? initialSeq() : Number(storedSeq), parseCounters(await parts.meta.get(COUNTERS_KEY)));
    outbox.warned = outbox.bytes > options.budgetBytes;
    return outbox;
  }

  /** Runs `task` after every change asked for before it. */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The next sequence number, persisted before it is used, so it survives a restart. */
  nextSeq(): Promise<number> {
    return this.exclusive(async () => {
      this.lastSeq += 1;
      await this.parts.meta.put(SEQ_KEY, String(this.lastSeq));
      return this.lastSeq;
    });
  }

  /** Numbers for `count` new entries (persisted by the `apply` that writes them); inside `exclusive` only. */
  takeSeqs(count: number): number {
    const first = this.lastSeq + 1;
    this.lastSeq += count;
    return first;
  }

  /** Queues messages, each under its own sequence number, then holds the outbox to its budget. */
  enqueue(items: readonly OutboxItem[]): Promise<OutboxEntry[]> {
    return this.exclusive(async () => {
      if (items.length === 0) return [];
      const first = this.takeSeqs(items.length);
      const entries = items.map((item, i) => ({ seq: first + i, topic: item.topic, payload: item.build(first + i), class: item.class ?? classOfTopic(item.topic) }));
      await this.apply({ add: entries });
      await this.holdToBudget();
      return entries;
    });
  }

  /** The oldest entries after `afterSeq`, in order. */
  async pending(afterSeq: number, limit: number): Promise<OutboxEntry[]> {
    const out: OutboxEntry[] = [];
    for await (const value of this.parts.entries.values({ gt: seqKey(afterSeq), limit })) out.push(entryFromStored(value));
    return out;
  }

  /** Removes an entry the hub has stored (or refused for good); false if it is not in the outbox. */
  /** Whether the entry is still waiting (not acknowledged, not merged or shed by the budget). */
  async has(seq: number): Promise<boolean> {
    const sizes = await this.parts.index.getMany(OUTBOX_CLASSES.map((c) => indexKey(c, seq)));
    return sizes.some((s) => s !== undefined);
  }

  acknowledge(seq: number): Promise<boolean> {
    return this.exclusive(async () => {
      const keys = OUTBOX_CLASSES.map((c) => indexKey(c, seq));
      const sizes = await this.parts.index.getMany(keys);
      const at = sizes.findIndex((s) => s !== undefined);
      const cls = OUTBOX_CLASSES[at];
      if (cls === undefined) return false;
      const bytes = Number(sizes[at]) || 0;
      await this.apply({ remove: [{ seq, cls, bytes }] });
      if (cls === 'update') this.compactedUpdateBytes = Math.max(0, this.compactedUpdateBytes - bytes);
      this.noteBudgetState();
      return true;
    });
  }

  /** Writes one change atomically, then moves sizes and counters; inside `exclusive` only. */
  async apply(change: OutboxChange): Promise<void> {
    const { db, entries, index, meta } = this.parts;
    const write = db.batch();
    const moves: [OutboxClass, number, number][] = [];
    for (const r of change.remove ?? []) {
      write.del(seqKey(r.seq), { sublevel: entries });
      write.del(indexKey(r.cls, r.seq), { sublevel: index });
      moves.push([r.cls, -1, -r.bytes]);
    }
    for (const e of change.add ?? []) {
      const key = seqKey(e.seq);
      const value = JSON.stringify({ seq: e.seq, topic: e.topic, payload: e.payload, class: e.class });
      const bytes = entrySize(key, value);
      write.put(key, value, { sublevel: entries });
      write.put(indexKey(e.class, e.seq), String(bytes), { sublevel: index });
      moves.push([e.class, 1, bytes]);
    }
    if ((change.add?.length ?? 0) > 0) write.put(SEQ_KEY, String(this.lastSeq), { sublevel: meta });
    const counters = { ...this.counters };
    for (const [name, delta] of Object.entries(change.counters ?? {}) as [keyof OutboxCounters, number][]) counters[name] += delta;
    if (change.counters) write.put(COUNTERS_KEY, JSON.stringify(counters), { sublevel: meta });
    await write.write();
    this.counters = counters;
    for (const [cls, entriesDelta, bytesDelta] of moves) {
      const t = this.totals.get(cls);
      if (!t) continue;
      t.entries += entriesDelta;
      t.bytes += bytesDelta;
    }
  }

  /** The stated policy, in order: shed behaviour, coalesce updates, accept the rest over budget. */
  private async holdToBudget(): Promise<void> {
    const budget = this.options.budgetBytes;
    if (this.bytes > budget) await shedOldestBehaviour(this, this.bytes - budget);
    const updates = this.classTotals('update').bytes;
    if (this.bytes > budget && updates - this.compactedUpdateBytes >= budget * this.options.recoalesceShare) await coalesceUpdates(this);
    if (this.bytes > budget) await this.apply({ counters: { timesOverBudget: 1 } });
    this.noteBudgetState();
  }

  /** Says so when the outbox goes over its budget or comes back within it. */
  private noteBudgetState(): void {
    const over = this.bytes > this.options.budgetBytes;
    if (over === this.warned) return;
    this.warned = over;
    if (over) this.log.warn({ outbox: this.stats() }, 'outbox over its budget with nothing left to shed or coalesce: first sightings and other messages are kept; the hub has been unreachable a long time, or the budget is too small');
    else this.log.info({ outbox: this.stats() }, 'outbox back within its budget');
  }

  classTotals(cls: OutboxClass): ClassTotals {
    return this.totals.get(cls) ?? { entries: 0, bytes: 0 };
  }

  get depth(): number {
    let n = 0;
    for (const t of this.totals.values()) n += t.entries;
    return n;
  }

  get bytes(): number {
    let n = 0;
    for (const t of this.totals.values()) n += t.bytes;
    return n;
  }

  stats(): OutboxStats {
    const c = this.counters;
    const bytes = this.bytes;
    const budgetBytes = this.options.budgetBytes;
    const byClass = Object.fromEntries(OUTBOX_CLASSES.map((cls) => [cls, { ...this.classTotals(cls) }])) as Record<OutboxClass, ClassTotals>;
    return {
      depth: this.depth,
      bytes,
      budgetBytes,
      byClass,
      shed: { behaviourMessages: c.shedBehaviourMessages, behaviourBytes: c.shedBehaviourBytes },
      coalesced: { observations: c.coalescedObservations, entriesRewritten: c.entriesRewritten, entriesWritten: c.entriesWritten, runs: c.coalesceRuns },
      overBudget: bytes > budgetBytes,
      overBudgetBytes: Math.max(0, bytes - budgetBytes),
      timesOverBudget: c.timesOverBudget,
    };
  }

  /** Waits for every change asked for so far. */
  async settled(): Promise<void> {
    await this.exclusive(async () => undefined);
  }
}
