/**
 * The alerts API through the whole HTTP application (`app.inject`), on a real LevelDB: the analyst
 * credential, listing with filters, reading one alert, acknowledging and resolving as the
 * authenticated user, refusals with stable codes, and the delivery status of each destination.
 */
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alert, AlertFinding } from '../src/alerts/alert.js';
import { AlertBook } from '../src/alerts/book.js';
import { alertSinks } from '../src/alerts/options.js';
import { buildApp } from '../src/app.js';
import { CredentialVerifier } from '../src/auth/credentials.js';
import { createMetrics } from '../src/metrics.js';
import { LevelHubStore } from '../src/store/level-store.js';
import { adminLogin, INFUSION_PUMP, PATIENT_MONITOR, useTempDirs } from './fixtures.js';

const log = pino({ level: 'silent' });

const finding = (change: Partial<AlertFinding> = {}): AlertFinding => ({
  kind: 'clinical-protocol-unknown-peer',
  severity: 'high',
  device: INFUSION_PUMP,
  sensorId: 'floor2',
  title: 'HL7 to a peer never used: 10.30.0.44:2575/tcp',
  evidence: { protocol: 'hl7', peer: '10.30.0.44', port: 2575 },
  at: '2024-05-01T10:05:00.000Z',
  dedup: 'hl7|10.30.0.44',
  ...change,
});

describe('alerts API', () => {
  const tempDir = useTempDirs('wardsight-alert-routes-');
  let store: LevelHubStore;
  let book: AlertBook;
  let app: FastifyInstance;
  let authorization: string;

  beforeEach(async () => {
    const dir = await tempDir();
    store = await LevelHubStore.open(join(dir, 'store'));
    ({ authorization } = await adminLogin(store, dir));
    // One destination that is down (port 9 on loopback: nothing listens), so its status has something to say.
    const sinks = await alertSinks({ syslog: [{ url: 'tls://127.0.0.1:9' }], webhooks: [] }, { productVersion: 'test' });
    book = await AlertBook.open(store, { sinks, retry: { initialBackoffMs: 3_600_000, maxBackoffMs: 3_600_000 }, log });
    app = await buildApp({ store, metrics: createMetrics(), verifier: new CredentialVerifier(store), alerts: book, version: 'test', embeddedBroker: false, logger: log });
  });
  afterEach(async () => {
    await app.close();
    await book.close();
    await store.close();
  });

  const call = (method: 'GET' | 'POST', url: string, headers: Record<string, string> = { authorization }) => app.inject({ method, url, headers });

  it('asks for the analyst credential on every alerts route', async () => {
    const { alert } = await book.raise(finding());
    for (const [method, url] of [
      ['GET', '/api/v1/alerts'],
      ['GET', `/api/v1/alerts/${alert.id}`],
      ['POST', `/api/v1/alerts/${alert.id}/acknowledge`],
      ['POST', `/api/v1/alerts/${alert.id}/resolve`],
      ['GET', '/api/v1/alerts/deliveries'],
    ] as const) {
      const response = await call(method, url, {});
      expect(response.statusCode, url).toBe(401);
      expect(response.json()).toMatchObject({ error: 'HUB_ERR_UNAUTHENTICATED' });
    }
    expect((await book.get(alert.id))?.state).toBe('new');
  });

  it('lists alerts newest first with filters, and reads one', async () => {
    const a = (await book.raise(finding())).alert;
    const b = (await book.raise(finding({ device: PATIENT_MONITOR, kind: 'scanning', severity: 'critical', dedup: '', title: 'scanning: 512 addresses', evidence: { addresses: 512 } }))).alert;
    const all = (await call('GET', '/api/v1/alerts')).json<{ alerts: Alert[]; count: number }>();
    expect(all.count).toBe(2);
    expect(all.alerts).toEqual([b, a]);
    expect((await call('GET', `/api/v1/alerts?device=${encodeURIComponent(PATIENT_MONITOR)}`)).json<{ alerts: Alert[] }>().alerts.map((x) => x.id)).toEqual([b.id]);
    expect((await call('GET', '/api/v1/alerts?kind=clinical-protocol-unknown-peer&state=new&limit=5')).json<{ alerts: Alert[] }>().alerts.map((x) => x.id)).toEqual([a.id]);
    expect((await call('GET', '/api/v1/alerts?limit=1')).json<{ count: number }>().count).toBe(1);
    const one = await call('GET', `/api/v1/alerts/${a.id}`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toEqual(a);
  });

  it('acknowledges and resolves as the authenticated analyst, and refuses what cannot be', async () => {
    const { alert } = await book.raise(finding());
    const acknowledged = await call('POST', `/api/v1/alerts/${alert.id}/acknowledge`);
    expect(acknowledged.statusCode).toBe(200);
    expect(acknowledged.json()).toMatchObject({ id: alert.id, state: 'acknowledged', stateBy: 'admin' });

    const again = await call('POST', `/api/v1/alerts/${alert.id}/acknowledge`);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: 'HUB_ERR_ALERT_TRANSITION' });

    expect((await call('POST', `/api/v1/alerts/${alert.id}/resolve`)).json()).toMatchObject({ state: 'resolved', stateBy: 'admin' });
    expect((await call('POST', `/api/v1/alerts/${alert.id}/resolve`)).statusCode).toBe(409);

    const unknown = await call('POST', '/api/v1/alerts/al-20200101T000000000Z-0001/resolve');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: 'HUB_ERR_ALERT_UNKNOWN' });
    expect((await call('GET', '/api/v1/alerts/al-20200101T000000000Z-0001')).json()).toMatchObject({ error: 'HUB_ERR_ALERT_UNKNOWN' });
  });

  it('answers 400 to a bad query or id, and changes nothing', async () => {
    const { alert } = await book.raise(finding());
    for (const url of ['/api/v1/alerts?state=closed', '/api/v1/alerts?limit=0', '/api/v1/alerts?limit=100000', '/api/v1/alerts?device=pump-7', '/api/v1/alerts?kind=odd', '/api/v1/alerts/not-an-id']) {
      const response = await call('GET', url);
      expect(response.statusCode, url).toBe(400);
      expect(response.json(), url).toMatchObject({ error: 'HUB_ERR_BAD_REQUEST' });
    }
    expect((await call('POST', '/api/v1/alerts/..%2Fdevices/acknowledge')).statusCode).toBe(400);
    expect(await book.list()).toEqual([alert]);
  });

  it('shows each destination\'s delivery: queued, delivered, failures and the last error', async () => {
    await book.raise(finding());
    await book.raise(finding({ dedup: 'hl7|10.30.0.45' }));
    const response = await call('GET', '/api/v1/alerts/deliveries');
    expect(response.statusCode).toBe(200);
    const [sink] = response.json<{ sinks: Record<string, unknown>[] }>().sinks;
    expect(sink).toMatchObject({ id: 'syslog-127.0.0.1-9', kind: 'syslog', target: 'tls://127.0.0.1:9', queued: 2, delivered: 0, lastDeliveredAt: null });
    expect(Object.keys(sink!).sort()).toEqual(['delivered', 'failures', 'id', 'kind', 'lastDeliveredAt', 'lastError', 'lastErrorAt', 'queued', 'target']);
  });
});
