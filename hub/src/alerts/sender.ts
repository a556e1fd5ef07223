/**
 * One destination's sender: takes the oldest queued event, hands it to the sink, and only when the
 * sink has taken it removes it from the outbox. A failure leaves the event at the head and waits,
 * 1 s doubling to 60 s with jitter, before the same event is tried again, so events arrive in order
 * and a receiver that is down for an hour loses nothing. Delivery is at least once: an event the
 * receiver took just as the hub stopped may be sent again after a restart (its `seq` tells).
 */
import type { Logger } from 'pino';
import type { AlertSink, SinkStatus } from './event.js';
import type { AlertLedger, SinkCounters } from './ledger.js';

export interface RetryTuning {
  initialBackoffMs: number;
  maxBackoffMs: number;
  /** Share of each wait taken off at random, so that many hubs do not retry in step. */
  jitter: number;
}

export const retryDefaults: RetryTuning = { initialBackoffMs: 1000, maxBackoffMs: 60_000, jitter: 0.2 };

const clamp = (value: number, min: number, max: number): number => Math.min(Math.max(value, min), max);

/** The defaults with what was given, clamped: waits of at least 10 ms (a dead receiver must never spin the hub) and at most an hour. */
export function retryTuning(given: Partial<RetryTuning> = {}): RetryTuning {
  const t = { ...retryDefaults, ...given };
  const initialBackoffMs = clamp(Number.isFinite(t.initialBackoffMs) ? t.initialBackoffMs : retryDefaults.initialBackoffMs, 10, 3_600_000);
  const maxBackoffMs = clamp(Number.isFinite(t.maxBackoffMs) ? t.maxBackoffMs : retryDefaults.maxBackoffMs, initialBackoffMs, 3_600_000);
  const jitter = clamp(Number.isFinite(t.jitter) ? t.jitter : retryDefaults.jitter, 0, 1);
  return { initialBackoffMs, maxBackoffMs, jitter };
}

/** The wait after the `failures`-th failure in a row (1 = the first). */
export function backoffDelay(failures: number, t: RetryTuning, random: () => number = Math.random): number {
  const base = Math.min(t.maxBackoffMs, t.initialBackoffMs * 2 ** Math.min(Math.max(failures - 1, 0), 30));
  return Math.round(base * (1 - t.jitter * random()));
}

export class SinkSender {
  private counters: SinkCounters = { delivered: 0, lastDeliveredAt: null };
  private queued = 0;
  private failures = 0;
  private lastError: string | null = null;
  private lastErrorAt: string | null = null;
  private closed = false;
  /** Set by `enqueued` so that an event queued while the loop looks at an empty outbox is not missed. */
  private signalled = false;
  private wake: (() => void) | null = null;
  private running: Promise<void> = Promise.resolve();

  private constructor(
    private readonly ledger: AlertLedger,
    private readonly sink: AlertSink,
    private readonly tuning: RetryTuning,
    private readonly log: Logger,
  ) {}

  /** Starts delivering what is already queued for this sink (after a restart) and whatever comes. */
  static async start(ledger: AlertLedger, sink: AlertSink, tuning: RetryTuning, log: Logger): Promise<SinkSender> {
    const sender = new SinkSender(ledger, sink, tuning, log);
    sender.counters = await ledger.sinkCounters(sink.id);
    sender.queued = await ledger.queuedCount(sink.id);
    if (sender.queued > 0) log.info({ queued: sender.queued, target: sink.target }, 'resuming alert delivery');
    sender.running = sender.run();
    return sender;
  }

  get sinkId(): string {
    return this.sink.id;
  }

  /** One more event is in this sink's outbox. */
  enqueued(): void {
    this.queued += 1;
    this.signalled = true;
    this.wake?.();
  }

  status(): SinkStatus {
    const { id, kind, target } = this.sink;
    return { id, kind, target, queued: this.queued, ...this.counters, failures: this.failures, lastError: this.lastError, lastErrorAt: this.lastErrorAt };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    await this.sink.close();
    await this.running;
  }

  private async run(): Promise<void> {
    let failuresInRow = 0;
    while (!this.closed) {
      this.signalled = false;
      let delivered = false;
      try {
        const next = await this.ledger.nextQueued(this.sink.id);
        if (!next) {
          await this.pause(null);
          continue;
        }
        await this.sink.deliver(next.event);
        delivered = true;
        const counters: SinkCounters = { delivered: this.counters.delivered + 1, lastDeliveredAt: new Date().toISOString() };
        await this.ledger.delivered(this.sink.id, next.key, counters);
        this.counters = counters;
        this.queued = Math.max(0, this.queued - 1);
        failuresInRow = 0;
      } catch (err) {
        if (this.closed && !delivered) break;
        failuresInRow += 1;
        this.failures += 1;
        this.lastError = (err as Error).message;
        this.lastErrorAt = new Date().toISOString();
        const waitMs = backoffDelay(failuresInRow, this.tuning);
        this.log.warn({ err: this.lastError, failuresInRow, waitMs, queued: this.queued, target: this.sink.target }, 'alert delivery failed; will retry');
        await this.pause(waitMs);
      }
    }
  }

  /** Waits `ms`, or (null) until an event is queued; closing ends either wait at once. */
  private pause(ms: number | null): Promise<void> {
    if (this.closed || (ms === null && this.signalled)) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = ms === null ? null : setTimeout(done, ms);
      const wakeFor = () => {
        // During a backoff a new event does not cut the wait short: the head of the queue goes first.
        if (this.closed || ms === null) done();
      };
      function done() {
        if (timer) clearTimeout(timer);
        resolve();
      }
      this.wake = wakeFor;
    });
  }
}
