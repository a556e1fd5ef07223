/**
 * How a hub store writes: one write at a time, whatever its callers do, and observation batches
 * that arrive faster than one write takes gathered into groups, each committed as one write by
 * the store's own `commit`. Both stores (LevelDB and PostgreSQL) write through one of these.
 */
import type { Observation } from '@wardsight/protocol';

/** Observation batches written together at most, when they arrive faster than one write takes. */
export const MAX_GROUP = 64;

/** One observation batch waiting for its group's write; `settle(false)`: it had been applied before. */
export interface PendingBatch {
  sensorId: string;
  seq: number;
  observations: Observation[];
  receivedAt: string;
  settle: (fresh: boolean) => void;
  fail: (err: unknown) => void;
}

export class GroupedWrites {
  private queue: Promise<unknown> = Promise.resolve();
  private pending: PendingBatch[] = [];
  private groupScheduled = false;

  /** `commit` writes one group and settles (or fails) each of its batches. */
  constructor(private readonly commit: (group: PendingBatch[]) => Promise<void>) {}

  /** Runs `work` after every write asked for before it. */
  serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Queues one observation batch; resolves true once written, false when applied before. */
  observations(sensorId: string, seq: number, observations: Observation[], receivedAt: string): Promise<boolean> {
    return new Promise<boolean>((settle, fail) => {
      this.pending.push({ sensorId, seq, observations, receivedAt, settle, fail });
      this.scheduleGroup();
    });
  }

  /** Resolves once every write asked for so far, and any they queued, is done. */
  async idle(): Promise<void> {
    let tail: Promise<unknown>;
    do {
      tail = this.queue;
      await tail;
    } while (tail !== this.queue);
  }

  private scheduleGroup(): void {
    if (this.groupScheduled) return;
    this.groupScheduled = true;
    void this.serial(async () => {
      this.groupScheduled = false;
      const group = this.pending.splice(0, MAX_GROUP);
      if (this.pending.length > 0) this.scheduleGroup();
      await this.commit(group);
    });
  }
}
