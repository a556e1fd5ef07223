import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { CredentialVerifier } from '../src/auth/credentials.js';
import { createMetrics, type HubMetrics } from '../src/metrics.js';
import { LevelHubStore } from '../src/store/level-store.js';
import { adminLogin, INFUSION_PUMP, PATIENT_MONITOR, health, observation, status, useTempDirs } from './fixtures.js';

const RECEIVED = '2024-05-01T10:06:00.000Z';
const API_ROUTES = ['/api/v1/health', '/api/v1/devices', `/api/v1/devices/${INFUSION_PUMP}`, `/api/v1/devices/${INFUSION_PUMP}/attributes/vendor`, '/api/v1/sensors'];

describe('hub HTTP application', () => {
  const tempDir = useTempDirs();
  let store: LevelHubStore;
  let metrics: HubMetrics;
  let app: FastifyInstance;
  let authorization: string;
  let password: string;

  beforeEach(async () => {
    const dir = await tempDir();
    store = await LevelHubStore.open(join(dir, 'store'));
    ({ authorization, password } = await adminLogin(store, dir));
    metrics = createMetrics();
    app = await buildApp({ store, metrics, verifier: new CredentialVerifier(store), version: 'test', embeddedBroker: false, logger: pino({ level: 'silent' }) });
  });
  afterEach(async () => {
    await app.close();
    await store.close();
  });

  const get = (url: string, headers: Record<string, string> = { authorization }) => app.inject({ method: 'GET', url, headers });

  it('answers 401 with a Basic challenge on every API route, the page and unknown routes when no credential is sent', async () => {
    for (const url of [...API_ROUTES, '/', '/?view=all', '/api/v1/alerts']) {
      const response = await get(url, {});
      expect(response.statusCode, url).toBe(401);
      expect(response.headers['www-authenticate'], url).toMatch(/^Basic realm="Wardsight"/);
      expect(response.json(), url).toMatchObject({ error: 'HUB_ERR_UNAUTHENTICATED' });
    }
  });

  it('answers 401 to a wrong password, a wrong username and a malformed header', async () => {
    for (const header of [
      `Basic ${Buffer.from('admin:wrong').toString('base64')}`,
      `Basic ${Buffer.from(`root:${password}`).toString('base64')}`,
      `Basic ${Buffer.from(`:${password}`).toString('base64')}`,
      `Bearer ${password}`,
      authorization.toLowerCase(),
    ]) {
      expect((await get('/api/v1/devices', { authorization: header })).statusCode, header).toBe(401);
    }
  });

  it('keeps the liveness probe open without a credential', async () => {
    const response = await get('/healthz', {});
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('shows the ingest counters and no broker counters when the broker is external', async () => {
    metrics.ingest.received = 3;
    metrics.ingest.rejected.schema = 1;
    const body = (await get('/api/v1/health')).json<{ version: string; ingest: HubMetrics['ingest']; broker: unknown }>();
    expect(body.version).toBe('test');
    expect(body.ingest).toMatchObject({ received: 3, rejected: { schema: 1, notJson: 0 } });
    expect(body.broker).toBeNull();
  });

  it('lists a device once the store has a batch, with its best values and the reporting sensor\'s location', async () => {
    expect((await get('/api/v1/devices')).json()).toEqual({ devices: [], count: 0 });
    await store.recordStatus(status('floor2', 1, 'online'), RECEIVED);
    await store.applyObservations('floor2', 2, [
      observation(),
      observation({ attribute: 'ip', value: '10.20.0.7', signal: 'arp.sender', evidence: '10.20.0.7 is-at 00:09:fb:12:34:56', confidence: 0.9 }),
      observation({ attribute: 'service', value: 'tcp/443', signal: 'tcp.synack', evidence: 'SYN-ACK from 443', confidence: 1 }),
    ], RECEIVED);

    const response = await get('/api/v1/devices');
    expect(response.statusCode).toBe(200);
    const body = response.json<{ devices: Record<string, unknown>[]; count: number }>();
    expect(body.count).toBe(1);
    expect(body.devices[0]).toMatchObject({
      id: INFUSION_PUMP,
      mac: '00:09:fb:12:34:56',
      ip: '10.20.0.7',
      vendor: 'B. Braun',
      hostname: null,
      services: ['tcp/443'],
      location: { sensorId: 'floor2', site: 'St Mary', floor: '2' },
      attributes: { vendor: { value: 'B. Braun', signal: 'oui', evidence: '00:09:fb' } },
    });
  });

  it('returns a device\'s facts with their evidence, and keeps its internal per-sensor record out', async () => {
    await store.applyObservations('floor2', 1, [observation(), observation({ value: 'Baxter', signal: 'http.server', evidence: 'Baxter-Sigma/1.2', confidence: 0.3 })], RECEIVED);
    const response = await get(`/api/v1/devices/${INFUSION_PUMP}`);
    expect(response.statusCode).toBe(200);
    const body = response.json<{ facts: Record<string, { value: string; evidence: string }[]> } & Record<string, unknown>>();
    expect(body.id).toBe(INFUSION_PUMP);
    expect(body.facts.vendor?.map((f) => [f.value, f.evidence]).sort()).toEqual([['B. Braun', '00:09:fb'], ['Baxter', 'Baxter-Sigma/1.2']]);
    expect(body).not.toHaveProperty('sensors');
    expect(body).not.toHaveProperty('key');
  });

  it('answers for any attribute of a device: the value, its confidence and its evidence, or an honest unknown', async () => {
    await store.applyObservations('floor2', 1, [
      observation({ value: 'Philips', evidence: '00:09:FB Philips Medical Systems', confidence: 0.7 }),
      observation({ attribute: 'dhcp.vendorClass', value: 'udhcp 1.30.1', signal: 'dhcp.option60', evidence: 'udhcp 1.30.1', confidence: 0.9 }),
    ], RECEIVED);

    const vendor = (await get(`/api/v1/devices/${INFUSION_PUMP}/attributes/vendor`)).json();
    expect(vendor).toMatchObject({ device: INFUSION_PUMP, attribute: 'vendor', value: 'Philips' });
    expect(vendor.confidence).toBeGreaterThan(0.5);
    expect(vendor.evidence).toContainEqual(
      expect.objectContaining({ signal: 'oui', value: 'Philips', sensorId: 'floor2', detail: '00:09:FB Philips Medical Systems', lastSeen: '2024-05-01T10:05:00.000Z' }),
    );

    const observed = (await get(`/api/v1/devices/${INFUSION_PUMP}/attributes/dhcp.vendorClass`)).json();
    expect(observed).toMatchObject({ value: 'udhcp 1.30.1', confidence: 0.9, evidence: [{ signal: 'dhcp.option60', rule: 'observed', detail: 'udhcp 1.30.1', sensorId: 'floor2' }] });

    // Nothing says which model this is: unknown, not a guess.
    expect((await get(`/api/v1/devices/${INFUSION_PUMP}/attributes/model`)).json()).toMatchObject({ value: null, confidence: 0, evidence: [] });
    expect((await get(`/api/v1/devices/${INFUSION_PUMP}/attributes/firmware`)).json()).toMatchObject({ value: null, candidates: [] });

    expect((await get(`/api/v1/devices/${PATIENT_MONITOR}/attributes/vendor`)).statusCode).toBe(404);
    const bad = await get(`/api/v1/devices/${INFUSION_PUMP}/attributes/${encodeURIComponent('no such!')}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'HUB_ERR_BAD_REQUEST' });
  });

  it('shows on the page what each device is: vendor, model, category and OS from the rule library', async () => {
    await store.applyObservations('floor2', 1, [
      observation({ value: 'Baxter', evidence: '58:42:E4 Baxter', confidence: 0.7 }),
      observation({ attribute: 'dhcp.vendorClass', value: 'Baxter Spectrum 8.00.01', signal: 'dhcp.option60', evidence: 'Baxter Spectrum 8.00.01', confidence: 0.9 }),
    ], RECEIVED);
    const html = (await get('/')).body;
    expect(html).toContain('<th>Model</th><th>Category</th><th>OS</th>');
    expect(html).toMatch(/<td>Baxter<\/td><td>Sigma Spectrum<\/td><td>infusion-pump<\/td>/);
  });

  it('answers 404 HUB_ERR_NOT_FOUND for an unknown device and an unknown route', async () => {
    const device = await get(`/api/v1/devices/${PATIENT_MONITOR}`);
    expect(device.statusCode).toBe(404);
    expect(device.json()).toMatchObject({ error: 'HUB_ERR_NOT_FOUND' });
    const route = await get('/api/v1/alerts');
    expect(route.statusCode).toBe(404);
    expect(route.json()).toMatchObject({ error: 'HUB_ERR_NOT_FOUND' });
  });

  it('answers 400 to a device id that is too short to be a key', async () => {
    const response = await get('/api/v1/devices/ab');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: 'HUB_ERR_BAD_REQUEST' });
  });

  it('escapes what devices and sensors say about themselves in the page', async () => {
    const hostile = '<script>alert("pwn")</script>';
    await store.recordStatus({ ...status('floor2', 1, 'online'), location: { site: '<b>St Mary</b>', floor: '2' } }, RECEIVED);
    await store.applyObservations('floor2', 2, [
      observation({ attribute: 'hostname', value: hostile, signal: 'dhcp.option12', confidence: 0.9 }),
      observation({ value: "O'Neil & <Sons>" }),
    ], RECEIVED);

    const response = await get('/');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    const html = response.body;
    expect(html).toContain('&lt;script&gt;alert(&quot;pwn&quot;)&lt;/script&gt;');
    expect(html).toContain('O&#39;Neil &amp; &lt;Sons&gt;');
    expect(html).toContain('&lt;b&gt;St Mary&lt;/b&gt;');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<Sons>');
    expect(html).not.toContain('<b>');
    expect(html).toContain('<strong id="device-count">1</strong>');
  });

  it('shows sensors without the store\'s bookkeeping fields', async () => {
    await store.recordStatus(status('floor2', 5, 'online'), RECEIVED);
    await store.recordHealth(health('floor2', 6, 12), RECEIVED);
    const body = (await get('/api/v1/sensors')).json<{ sensors: Record<string, unknown>[]; count: number }>();
    expect(body.count).toBe(1);
    const sensor = body.sensors[0]!;
    expect(sensor).toMatchObject({ id: 'floor2', state: 'online', version: '0.1.0', health: { seq: 6, devices: 12 } });
    expect(Object.keys(sensor).sort()).toEqual(['health', 'healthAt', 'id', 'lastMessageAt', 'location', 'stale', 'state', 'stateChangedAt', 'version']);
    expect(body).not.toHaveProperty('sensors.0.lastStatusSeq');
    expect(JSON.stringify(body)).not.toContain('lastStatusSeq');
    expect(JSON.stringify(body)).not.toContain('lastHealthSeq');
  });
});
