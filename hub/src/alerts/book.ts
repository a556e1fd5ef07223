/**
 * The alert book: findings become alerts, deduplicated while open, moved through their life by
 * analysts; every new alert and every change of state is queued for each destination in the same
 * atomic write as the alert itself, and delivered from there by that destination's sender.
 */
import type { Logger } from 'pino';
import { HubError } from '../errors.js';
import type { HubStore } from '../store/hub-store.js';
import type { Alert, AlertFinding, AlertState, AnomalyKind } from './alert.js';
import type { AlertEvent, AlertEventType, AlertSink, SinkStatus } from './event.js';
import { checkFinding, dedupKey, foldFinding } from './finding.js';
import { ALERTS_COLLECTION, AlertLedger, type BookCounters } from './ledger.js';
import { SinkSender, retryTuning, type RetryTuning } from './sender.js';

export const bookDefaults = {
  listLimit: 100,
  /** A page larger than this is cut to it: one request must not read the whole book. */
  listLimitMax: 1000,
};

export interface AlertBookOptions {
  /** Destinations every event is queued for; none by default (the book works without). */
  sinks?: AlertSink[];
  retry?: Partial<RetryTuning>;
  /** The hub clock; tests may set it. */
  clock?: () => Date;
  log: Logger;
}

export interface AlertQuery {
  state?: AlertState;
  device?: string;
  kind?: AnomalyKind;
  limit?: number;
}

/** Which state a move leads to from which states. */
const MOVES: Record<'acknowledged' | 'resolved', readonly AlertState[]> = { acknowledged: ['new'], resolved: ['new', 'acknowledged'] };

/** `al-20240501T100600123Z-0001`: the hub time of creation, then a counter within that millisecond. */
function alertId(time: number, counter: number): string {
  return `al-${new Date(time).toISOString().replace(/[-:.]/g, '')}-${counter.toString().padStart(4, '0')}`;
}
export const ALERT_ID_PATTERN = '^al-[0-9]{8}T[0-9]{9}Z-[0-9]{4}$';

export class AlertBook {
  private closed = false;

  private constructor(
    private readonly ledger: AlertLedger,
    private counters: BookCounters,
    private readonly senders: SinkSender[],
    private readonly clock: () => Date,
  ) {}

  static async open(store: HubStore, opts: AlertBookOptions): Promise<AlertBook> {
    const ledger = new AlertLedger(store.collection(ALERTS_COLLECTION));
    const tuning = retryTuning(opts.retry);
    const senders: SinkSender[] = [];
    for (const sink of opts.sinks ?? []) senders.push(await SinkSender.start(ledger, sink, tuning, opts.log.child({ sink: sink.id })));
    return new AlertBook(ledger, await ledger.counters(), senders, opts.clock ?? (() => new Date()));
  }

  /** Records a finding: a new alert, or one more count on the open alert with the same dedup key. */
  async raise(given: AlertFinding): Promise<{ alert: Alert; created: boolean }> {
    checkFinding(given);
    // A copy: the caller may reuse its object while this waits for the writer.
    const finding: AlertFinding = { ...given, evidence: { ...given.evidence } };
    return this.change(async () => {
      const key = dedupKey(finding);
      const openId = await this.ledger.openAlertId(key);
      const open = openId === undefined ? undefined : await this.ledger.alert(openId);
      if (open) {
        const alert = foldFinding(open, finding);
        await this.ledger.batch(this.ledger.alertOps(alert, null, [], this.counters));
        return { alert, created: false };
      }
      const now = this.clock();
      const at = new Date(finding.at).toISOString();
      const ids = this.idCounters(now);
      const alert: Alert = {
        id: alertId(ids.idTime, ids.idCounter),
        kind: finding.kind,
        severity: finding.severity,
        device: finding.device,
        sensorId: finding.sensorId,
        title: finding.title,
        evidence: finding.evidence,
        dedupKey: key,
        firstAt: at,
        lastAt: at,
        count: 1,
        state: 'new',
        stateBy: null,
        stateAt: null,
        raisedAt: now.toISOString(),
      };
      await this.commit(alert, 'raised', now, ids);
      return { alert, created: true };
    });
  }

  acknowledge(id: string, by: string): Promise<Alert> {
    return this.move(id, 'acknowledged', by);
  }

  resolve(id: string, by: string): Promise<Alert> {
    return this.move(id, 'resolved', by);
  }

  async get(id: string): Promise<Alert | undefined> {
    return this.ledger.alert(id);
  }

  /** Alerts newest first, filtered; at most `limit` (default 100, at most 1000). */
  async list(query: AlertQuery = {}): Promise<Alert[]> {
    const limit = Math.min(Math.max(1, Math.trunc(query.limit ?? bookDefaults.listLimit)), bookDefaults.listLimitMax);
    const out: Alert[] = [];
    // A scan, newest first, that stops at the limit: the book of one hospital holds thousands, not
    // millions, and the newest are what an analyst asks for.
    for await (const alert of this.ledger.alertsNewestFirst()) {
      if (query.state && alert.state !== query.state) continue;
      if (query.device && alert.device !== query.device) continue;
      if (query.kind && alert.kind !== query.kind) continue;
      out.push(alert);
      if (out.length >= limit) break;
    }
    return out;
  }

  /** How each destination is doing. */
  deliveries(): SinkStatus[] {
    return this.senders.map((s) => s.status());
  }

  /** Stops the senders (what they have not delivered stays queued) and waits for the last write. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.senders.map((s) => s.close()));
    await this.ledger.settled();
  }

  private async move(id: string, to: 'acknowledged' | 'resolved', by: string): Promise<Alert> {
    if (typeof by !== 'string' || by.trim() === '') throw new HubError('HUB_ERR_ALERT_TRANSITION', `say who ${to === 'resolved' ? 'resolves' : 'acknowledges'} alert ${id}`);
    return this.change(async () => {
      const current = await this.ledger.alert(id);
      if (!current) throw new HubError('HUB_ERR_ALERT_UNKNOWN', `${id}; list alerts with GET /api/v1/alerts`);
      if (!MOVES[to].includes(current.state)) throw new HubError('HUB_ERR_ALERT_TRANSITION', `alert ${id} is ${current.state} (by ${current.stateBy ?? 'nobody'} at ${current.stateAt ?? current.raisedAt}); it cannot become ${to}`);
      const now = this.clock();
      const alert: Alert = { ...current, state: to, stateBy: by, stateAt: now.toISOString() };
      await this.commit(alert, to, now, {});
      return alert;
    });
  }

  /** Writes an alert and its event for every destination in one batch, then wakes the senders. */
  private async commit(alert: Alert, type: AlertEventType, now: Date, ids: Partial<BookCounters>): Promise<void> {
    const counters: BookCounters = { ...this.counters, ...ids, eventSeq: this.counters.eventSeq + 1 };
    const event: AlertEvent = { seq: counters.eventSeq, type, at: now.toISOString(), alert };
    await this.ledger.batch(this.ledger.alertOps(alert, event, this.senders.map((s) => s.sinkId), counters));
    this.counters = counters;
    for (const sender of this.senders) sender.enqueued();
  }

  private idCounters(now: Date): Pick<BookCounters, 'idTime' | 'idCounter'> {
    // Never behind the last id's time, so ids sort by creation even if the clock steps back; past
    // 9999 in one millisecond the next millisecond is borrowed.
    let idTime = Math.max(now.getTime(), this.counters.idTime);
    let idCounter = idTime === this.counters.idTime ? this.counters.idCounter + 1 : 1;
    if (idCounter > 9999) {
      idTime += 1;
      idCounter = 1;
    }
    return { idTime, idCounter };
  }

  private async change<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) throw new HubError('HUB_ERR_ALERT_CLOSED');
    return this.ledger.serial(work);
  }
}
