/**
 * How the alert book lies in the hub store. One collection holds the alerts, the index of open
 * alerts by dedup key, each destination's outbox and its counters, so that an alert and the events
 * it queues are written in one atomic batch: no alert without its events, no event without its alert.
 *
 *   a!<alert id>             the alert (JSON)
 *   k!<dedup key>            the id of the open alert with that key
 *   q!<sink id>!<seq>        an event waiting for that destination (seq zero-padded: key order is send order)
 *   s!<sink id>              what that destination has taken: { delivered, lastDeliveredAt }
 *   x!<sink id>!<seq>        an outbox entry that could not be read, set aside rather than blocking the rest
 *   m!book                   counters: the last alert id's time and counter, the last event number
 */
import type { Collection, CollectionOp } from '../store/hub-store.js';
import type { Alert } from './alert.js';
import type { AlertEvent } from './event.js';

export const ALERTS_COLLECTION = 'alerts';

/** A sink id goes into keys between `!` separators, so it never holds one. */
export const SINK_ID = /^[a-z0-9][a-z0-9.:-]{0,100}$/;

export interface BookCounters {
  /** Epoch milliseconds of the last alert id: ids stay sortable even if the clock steps back. */
  idTime: number;
  idCounter: number;
  eventSeq: number;
}

export interface SinkCounters {
  delivered: number;
  lastDeliveredAt: string | null;
}

export interface QueuedEvent {
  key: string;
  event: AlertEvent;
}

const alertKey = (id: string): string => `a!${id}`;
const openKey = (dedupKey: string): string => `k!${dedupKey}`;
const queuePrefix = (sinkId: string): string => `q!${sinkId}!`;
const queueKey = (sinkId: string, seq: number): string => `${queuePrefix(sinkId)}${seq.toString().padStart(16, '0')}`;
const COUNTERS_KEY = 'm!book';

export class AlertLedger {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly collection: Collection) {}

  /** Runs changes one after another: the book's reads-then-writes never interleave. */
  serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Resolves once every change queued so far has finished. */
  async settled(): Promise<void> {
    await this.queue;
  }

  async counters(): Promise<BookCounters> {
    const stored = await this.collection.get(COUNTERS_KEY);
    return stored === undefined ? { idTime: 0, idCounter: 0, eventSeq: 0 } : (JSON.parse(stored) as BookCounters);
  }

  async alert(id: string): Promise<Alert | undefined> {
    const stored = await this.collection.get(alertKey(id));
    return stored === undefined ? undefined : (JSON.parse(stored) as Alert);
  }

  openAlertId(dedupKey: string): Promise<string | undefined> {
    return this.collection.get(openKey(dedupKey));
  }

  /** Alerts newest first (ids sort by creation). */
  async *alertsNewestFirst(): AsyncIterable<Alert> {
    for await (const [, value] of this.collection.entries({ gt: 'a!', lt: 'a"', reverse: true })) yield JSON.parse(value) as Alert;
  }

  /** The changes that store an alert, keep its dedup index right, queue its event and move the counters on. */
  alertOps(alert: Alert, event: AlertEvent | null, sinkIds: readonly string[], counters: BookCounters): CollectionOp[] {
    const ops: CollectionOp[] = [
      { type: 'put', key: alertKey(alert.id), value: JSON.stringify(alert) },
      alert.state === 'resolved' ? { type: 'del', key: openKey(alert.dedupKey) } : { type: 'put', key: openKey(alert.dedupKey), value: alert.id },
      { type: 'put', key: COUNTERS_KEY, value: JSON.stringify(counters) },
    ];
    if (event) for (const sinkId of sinkIds) ops.push({ type: 'put', key: queueKey(sinkId, event.seq), value: JSON.stringify(event) });
    return ops;
  }

  batch(ops: CollectionOp[]): Promise<void> {
    return this.collection.batch(ops);
  }

  /** The oldest event waiting for a destination; an entry that does not parse is set aside first. */
  async nextQueued(sinkId: string): Promise<QueuedEvent | undefined> {
    const prefix = queuePrefix(sinkId);
    for await (const [key, value] of this.collection.entries({ gte: prefix, lt: `${prefix}\uffff`, limit: 1 })) {
      try {
        return { key, event: JSON.parse(value) as AlertEvent };
      } catch {
        await this.serial(() => this.collection.batch([{ type: 'put', key: `x!${key.slice(2)}`, value }, { type: 'del', key }]));
        return this.nextQueued(sinkId);
      }
    }
    return undefined;
  }

  async queuedCount(sinkId: string): Promise<number> {
    const prefix = queuePrefix(sinkId);
    let n = 0;
    for await (const _entry of this.collection.entries({ gte: prefix, lt: `${prefix}\uffff` })) n += 1;
    return n;
  }

  async sinkCounters(sinkId: string): Promise<SinkCounters> {
    const stored = await this.collection.get(`s!${sinkId}`);
    return stored === undefined ? { delivered: 0, lastDeliveredAt: null } : (JSON.parse(stored) as SinkCounters);
  }

  /** Takes a delivered event off the outbox and records it, as one step. */
  delivered(sinkId: string, key: string, counters: SinkCounters): Promise<void> {
    return this.serial(() => this.collection.batch([{ type: 'del', key }, { type: 'put', key: `s!${sinkId}`, value: JSON.stringify(counters) }]));
  }
}
