/**
 * The alert book on a real LevelDB: deduplication while an alert is open, the lifecycle and what it
 * refuses, listing, bad findings refused whole, and everything (alerts, counters, queued events)
 * still there after the store is closed and opened again.
 */
import { createServer } from 'node:net';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertFinding } from '../src/alerts/alert.js';
import { AlertBook, type AlertBookOptions } from '../src/alerts/book.js';
import { alertSinks } from '../src/alerts/options.js';
import { HubError } from '../src/errors.js';
import { LevelHubStore } from '../src/store/level-store.js';
import { INFUSION_PUMP, PATIENT_MONITOR, useTempDirs } from './fixtures.js';

const log = pino({ level: 'silent' });

function finding(change: Partial<AlertFinding> = {}): AlertFinding {
  return {
    kind: 'new-external-destination',
    severity: 'medium',
    device: INFUSION_PUMP,
    sensorId: 'floor2',
    title: 'new internet destination 198.51.100.7:443/tcp',
    evidence: { peer: '198.51.100.7', port: 443, transport: 'tcp', baselineDays: 14 },
    at: '2024-05-01T10:05:00.000Z',
    dedup: '198.51.100.7:443/tcp',
    ...change,
  };
}

async function refusal(work: Promise<unknown>): Promise<HubError> {
  const err = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HubError);
  return err as HubError;
}

/** A port nothing listens on: a destination that is down. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('alert book', () => {
  const tempDir = useTempDirs('wardsight-alerts-');
  const open: { store: LevelHubStore; book: AlertBook }[] = [];
  afterEach(async () => {
    for (const { store, book } of open.splice(0).reverse()) {
      await book.close();
      await store.close();
    }
  });

  async function openBook(dir: string, opts: Partial<AlertBookOptions> = {}) {
    const store = await LevelHubStore.open(join(dir, 'store'));
    const book = await AlertBook.open(store, { log, ...opts });
    open.push({ store, book });
    return book;
  }

  async function closeLast(): Promise<void> {
    const last = open.pop()!;
    await last.book.close();
    await last.store.close();
  }

  it('raises a new alert with the finding\'s facts, and folds the same finding into it while it is open', async () => {
    const book = await openBook(await tempDir());
    const first = await book.raise(finding());
    expect(first.created).toBe(true);
    expect(first.alert).toMatchObject({
      kind: 'new-external-destination',
      severity: 'medium',
      device: INFUSION_PUMP,
      sensorId: 'floor2',
      title: 'new internet destination 198.51.100.7:443/tcp',
      evidence: { peer: '198.51.100.7', port: 443 },
      dedupKey: `new-external-destination|${INFUSION_PUMP}|198.51.100.7:443/tcp`,
      firstAt: '2024-05-01T10:05:00.000Z',
      lastAt: '2024-05-01T10:05:00.000Z',
      count: 1,
      state: 'new',
      stateBy: null,
      stateAt: null,
    });
    expect(first.alert.id).toMatch(/^al-\d{8}T\d{9}Z-\d{4}$/);

    const again = await book.raise(finding({ at: '2024-05-01T10:35:00.000Z', severity: 'high' }));
    expect(again.created).toBe(false);
    expect(again.alert).toMatchObject({ id: first.alert.id, count: 2, severity: 'high', firstAt: '2024-05-01T10:05:00.000Z', lastAt: '2024-05-01T10:35:00.000Z' });
    // A lower severity and an earlier capture time (a resend) neither lower the severity nor the last time.
    const late = await book.raise(finding({ at: '2024-05-01T09:55:00.000Z', severity: 'low' }));
    expect(late.alert).toMatchObject({ count: 3, severity: 'high', firstAt: '2024-05-01T09:55:00.000Z', lastAt: '2024-05-01T10:35:00.000Z' });
    expect(await book.list()).toHaveLength(1);
    expect(await book.get(first.alert.id)).toEqual(late.alert);
  });

  it('keeps different kinds, devices and dedup parts apart', async () => {
    const book = await openBook(await tempDir());
    const results = [
      await book.raise(finding()),
      await book.raise(finding({ dedup: '203.0.113.9:443/tcp', title: 'new internet destination 203.0.113.9:443/tcp' })),
      await book.raise(finding({ device: PATIENT_MONITOR })),
      await book.raise(finding({ kind: 'new-listening-port', dedup: '198.51.100.7:443/tcp' })),
    ];
    expect(results.map((r) => r.created)).toEqual([true, true, true, true]);
    expect(new Set(results.map((r) => r.alert.id)).size).toBe(4);
  });

  it('moves an alert from new to acknowledged to resolved, and a finding after resolution opens a new alert', async () => {
    const book = await openBook(await tempDir(), { clock: () => new Date('2024-05-01T11:00:00.000Z') });
    const { alert } = await book.raise(finding());
    const acknowledged = await book.acknowledge(alert.id, 'nurse.it');
    expect(acknowledged).toMatchObject({ id: alert.id, state: 'acknowledged', stateBy: 'nurse.it', stateAt: '2024-05-01T11:00:00.000Z' });
    // Still open: the same finding counts on it.
    expect(await book.raise(finding())).toMatchObject({ created: false, alert: { id: alert.id, count: 2, state: 'acknowledged' } });

    const resolved = await book.resolve(alert.id, 'secops');
    expect(resolved).toMatchObject({ state: 'resolved', stateBy: 'secops', count: 2 });
    const reopened = await book.raise(finding({ at: '2024-05-02T08:00:00.000Z' }));
    expect(reopened.created).toBe(true);
    expect(reopened.alert.id).not.toBe(alert.id);
    expect(reopened.alert).toMatchObject({ state: 'new', count: 1 });
    expect(await book.get(alert.id)).toEqual(resolved);

    // A new alert may be resolved straight away.
    expect(await book.resolve(reopened.alert.id, 'secops')).toMatchObject({ state: 'resolved' });
  });

  it('refuses unknown ids and impossible moves with stable codes, changing nothing', async () => {
    const book = await openBook(await tempDir());
    const { alert } = await book.raise(finding());
    expect((await refusal(book.acknowledge('al-20240501T100600123Z-0001', 'secops'))).code).toBe('HUB_ERR_ALERT_UNKNOWN');
    await book.acknowledge(alert.id, 'secops');
    const twice = await refusal(book.acknowledge(alert.id, 'other'));
    expect(twice.code).toBe('HUB_ERR_ALERT_TRANSITION');
    expect(twice.message).toContain('acknowledged (by secops');
    const resolved = await book.resolve(alert.id, 'secops');
    expect((await refusal(book.acknowledge(alert.id, 'secops'))).code).toBe('HUB_ERR_ALERT_TRANSITION');
    expect((await refusal(book.resolve(alert.id, 'secops'))).code).toBe('HUB_ERR_ALERT_TRANSITION');
    expect((await refusal(book.resolve(alert.id, '  '))).code).toBe('HUB_ERR_ALERT_TRANSITION');
    expect(await book.get(alert.id)).toEqual(resolved);
  });

  it('refuses a bad finding whole, saying what is wrong, and loses nothing already in the book', async () => {
    const book = await openBook(await tempDir());
    const { alert } = await book.raise(finding());
    const bad: [Partial<AlertFinding> | Record<string, unknown>, RegExp][] = [
      [{ kind: 'port-knocking' }, /kind "port-knocking"/],
      [{ severity: 'urgent' }, /severity "urgent"/],
      [{ device: '00:09:fb:12:34:56' }, /device "00:09:fb:12:34:56" is not a device key/],
      [{ sensorId: 'Floor 2' }, /sensorId "Floor 2"/],
      [{ title: '' }, /title/],
      [{ title: 'two\nlines' }, /title/],
      [{ at: 'yesterday' }, /at "yesterday"/],
      [{ evidence: { peer: { ip: '198.51.100.7' } } }, /evidence peer/],
      [{ evidence: { ratio: Number.NaN } }, /evidence ratio/],
      [{ dedup: undefined }, /dedup/],
    ];
    for (const [change, message] of bad) {
      const err = await refusal(book.raise(finding(change as Partial<AlertFinding>)));
      expect(err.code, JSON.stringify(change)).toBe('HUB_ERR_ALERT_FINDING');
      expect(err.message).toMatch(message);
    }
    expect(await book.list()).toEqual([alert]);
  });

  it('lists newest first, by state, device and kind, up to the limit', async () => {
    const book = await openBook(await tempDir());
    const a = (await book.raise(finding())).alert;
    const b = (await book.raise(finding({ device: PATIENT_MONITOR, kind: 'scanning', dedup: '', title: 'scanning: 240 addresses in 60 s' }))).alert;
    const c = (await book.raise(finding({ device: PATIENT_MONITOR, dedup: '203.0.113.9:443/tcp' }))).alert;
    await book.acknowledge(b.id, 'secops');
    expect((await book.list()).map((x) => x.id)).toEqual([c.id, b.id, a.id]);
    expect((await book.list({ state: 'new' })).map((x) => x.id)).toEqual([c.id, a.id]);
    expect((await book.list({ device: PATIENT_MONITOR })).map((x) => x.id)).toEqual([c.id, b.id]);
    expect((await book.list({ kind: 'scanning' })).map((x) => x.id)).toEqual([b.id]);
    expect((await book.list({ device: PATIENT_MONITOR, state: 'new', kind: 'new-external-destination' })).map((x) => x.id)).toEqual([c.id]);
    expect((await book.list({ limit: 2 })).map((x) => x.id)).toEqual([c.id, b.id]);
  });

  it('folds findings raised all at once into one alert: the book has one writer', async () => {
    const book = await openBook(await tempDir());
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => book.raise(finding({ at: `2024-05-01T10:${String(i).padStart(2, '0')}:00.000Z` }))));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const [only] = await book.list();
    expect(only).toMatchObject({ count: 40, firstAt: '2024-05-01T10:00:00.000Z', lastAt: '2024-05-01T10:39:00.000Z' });
  });

  it('keeps alerts, open-alert deduplication and id order across a restart, even when the clock steps back', async () => {
    const dir = await tempDir();
    let book = await openBook(dir, { clock: () => new Date('2024-05-01T12:00:00.000Z') });
    const open1 = (await book.raise(finding())).alert;
    const closed = (await book.raise(finding({ device: PATIENT_MONITOR }))).alert;
    await book.resolve(closed.id, 'secops');
    await book.acknowledge(open1.id, 'secops');
    await closeLast();

    book = await openBook(dir, { clock: () => new Date('2024-05-01T11:00:00.000Z') });
    expect((await book.get(closed.id))?.state).toBe('resolved');
    expect(await book.raise(finding())).toMatchObject({ created: false, alert: { id: open1.id, count: 2, state: 'acknowledged' } });
    const fresh = await book.raise(finding({ device: PATIENT_MONITOR }));
    expect(fresh.created).toBe(true);
    expect(fresh.alert.id > closed.id).toBe(true);
    expect((await book.list()).map((x) => x.id)).toEqual([fresh.alert.id, closed.id, open1.id]);
  });

  it('queues an event per new alert and per change of state for each destination, and keeps them across a restart', async () => {
    const dir = await tempDir();
    const port = await closedPort();
    // A webhook that is down: every attempt fails, so everything stays queued; a long backoff keeps it to one attempt.
    const options = { syslog: [], webhooks: [{ url: `https://127.0.0.1:${port}/wardsight` }] };
    const retry = { initialBackoffMs: 3_600_000, maxBackoffMs: 3_600_000 };
    let book = await openBook(dir, { sinks: await alertSinks(options, { productVersion: 'test' }), retry });
    const { alert } = await book.raise(finding());
    await book.raise(finding()); // folded: no event
    await book.acknowledge(alert.id, 'secops');
    await book.resolve(alert.id, 'secops');
    const [status] = book.deliveries();
    expect(status).toMatchObject({ kind: 'webhook', target: `https://127.0.0.1:${port}/wardsight`, queued: 3, delivered: 0, lastDeliveredAt: null });
    await closeLast();

    book = await openBook(dir, { sinks: await alertSinks(options, { productVersion: 'test' }), retry });
    expect(book.deliveries()[0]).toMatchObject({ id: status!.id, queued: 3, delivered: 0 });
    // A book without that destination queues nothing for it, and the events already queued wait.
    await closeLast();
    book = await openBook(dir);
    await book.raise(finding({ device: PATIENT_MONITOR }));
    expect(book.deliveries()).toEqual([]);
    await closeLast();
    book = await openBook(dir, { sinks: await alertSinks(options, { productVersion: 'test' }), retry });
    expect(book.deliveries()[0]).toMatchObject({ queued: 3 });
  });
});
