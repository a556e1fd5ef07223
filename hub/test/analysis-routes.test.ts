/**
 * The location and behaviour API through the real app (credential, schemas) over a real store and
 * analysis: where a device is now and its moves, what moved in a range, what is missing, a device's
 * baseline and a model's expected behaviour; unknown devices and bad times refused clearly.
 */
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BehaviourBatch, BehaviourPeer } from '@wardsight/protocol';
import { Analysis } from '../src/analysis/analysis.js';
import { buildApp } from '../src/app.js';
import { CredentialVerifier } from '../src/auth/credentials.js';
import { Classifier } from '../src/inventory/classification.js';
import { createMetrics } from '../src/metrics.js';
import { LevelHubStore } from '../src/store/level-store.js';
import { adminLogin, observation, status, useTempDirs } from './fixtures.js';

const PUMP = 'mac:00:09:fb:00:00:01';
const T0 = Date.parse('2026-03-02T00:00:00.000Z');
const HOUR = 3600_000;
const iso = (ms: number): string => new Date(ms).toISOString();
const hl7: BehaviourPeer = { address: '10.20.0.5', port: 2575, transport: 'tcp', role: 'client', app: 'hl7', packets: 10, bytes: 2000 };

function behaviour(sensorId: string, seq: number, at: number): BehaviourBatch {
  return {
    v: 1,
    sensorId,
    seq,
    sentAt: iso(at),
    intervalStart: iso(at),
    intervalEnd: iso(at + 300_000),
    devices: [{ device: PUMP, addresses: ['10.10.1.21'], firstSeen: iso(at), lastSeen: iso(at + 60_000), packets: 10, bytes: 2000, peers: [hl7], peersOmitted: 0 }],
  };
}

describe('location and behaviour API', () => {
  const tempDir = useTempDirs();
  let store: LevelHubStore;
  let analysis: Analysis;
  let app: FastifyInstance;
  let authorization: string;

  beforeEach(async () => {
    const dir = await tempDir();
    store = await LevelHubStore.open(join(dir, 'store'));
    ({ authorization } = await adminLogin(store, dir));
    const classifier = new Classifier();
    analysis = await Analysis.open(store, classifier, { raise: () => Promise.resolve() }, { learningWindowMs: HOUR }, pino({ level: 'silent' }));
    app = await buildApp({ store, metrics: createMetrics(), verifier: new CredentialVerifier(store), version: 'test', embeddedBroker: false, logger: pino({ level: 'silent' }), analysis, classifier });
    await store.recordStatus(status('floor1', 1, 'online', { site: 'St Mary', building: 'North', floor: '1' }), iso(T0));
    await store.recordStatus(status('floor2', 1, 'online', { site: 'St Mary', building: 'North', floor: '2' }), iso(T0));
    await store.applyObservations('floor1', 1, [observation({ device: PUMP, firstSeen: iso(T0), lastSeen: iso(T0) })], iso(T0));
    for (let i = 0; i < 12; i++) await store.applyBehaviour(behaviour('floor1', 10 + i, T0 + i * 300_000), iso(T0));
    await store.applyBehaviour(behaviour('floor2', 1, T0 + 2 * HOUR), iso(T0));
    await analysis.idle({ release: true });
  });
  afterEach(async () => {
    await app.close();
    await analysis.close();
    await store.close();
  });

  const get = (url: string) => app.inject({ method: 'GET', url, headers: { authorization } });

  it('says where a device is now and how it got there', async () => {
    const response = await get(`/api/v1/devices/${PUMP}/location`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      device: PUMP,
      now: { floor: 'St Mary / North / 2', sensorId: 'floor2', start: iso(T0 + 2 * HOUR) },
      moves: [{ device: PUMP, from: 'St Mary / North / 1', to: 'St Mary / North / 2', at: iso(T0 + 2 * HOUR) }],
    });
  });

  it('lists what moved in a range, and nothing outside it', async () => {
    const within = await get(`/api/v1/movements?since=${iso(T0)}&until=${iso(T0 + 3 * HOUR)}`);
    expect((within.json() as { moves: unknown[] }).moves).toHaveLength(1);
    const before = await get(`/api/v1/movements?since=${iso(T0)}&until=${iso(T0 + HOUR)}`);
    expect((before.json() as { moves: unknown[] }).moves).toEqual([]);
    const bad = await get('/api/v1/movements?since=yesterday');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'HUB_ERR_BAD_REQUEST' });
  });

  it('lists devices not seen for a while, with where they were last', async () => {
    const missing = await get(`/api/v1/devices/missing?minutes=60&now=${iso(T0 + 5 * HOUR)}`);
    expect(missing.json()).toMatchObject({ devices: [{ id: PUMP, lastPlace: { floor: 'St Mary / North / 2' } }] });
    const recent = await get(`/api/v1/devices/missing?minutes=60&now=${iso(T0 + 30 * 60_000)}`);
    expect((recent.json() as { devices: unknown[] }).devices).toEqual([]);
  });

  it('shows a device\'s baseline and its model\'s expected behaviour', async () => {
    const baseline = await get(`/api/v1/devices/${PUMP}/baseline`);
    expect(baseline.json()).toMatchObject({ device: PUMP, clinicalPeers: { hl7: ['10.20.0.5'] }, protocols: ['hl7'] });
    const models = (await get('/api/v1/models')).json() as { models: { model: string; units: number; protocols: string[] }[] };
    expect(models.models).toHaveLength(1);
    const [vendor, model] = (models.models[0]?.model ?? '').split(' / ');
    const one = await get(`/api/v1/models/${encodeURIComponent(vendor ?? '')}/${encodeURIComponent(model ?? '')}/behaviour`);
    expect(one.json()).toMatchObject({ units: 1, protocols: ['hl7'], floors: ['St Mary / North / 1'] });
  });

  it('answers 404 with the reason for an unknown device or model', async () => {
    expect((await get('/api/v1/devices/mac:02:00:00:00:00:99/location')).json()).toMatchObject({ error: 'HUB_ERR_NOT_FOUND' });
    expect((await get('/api/v1/models/Nobody/Nothing/behaviour')).json()).toMatchObject({ error: 'HUB_ERR_NOT_FOUND', message: expect.stringContaining('Nobody / Nothing') as unknown });
  });
});
