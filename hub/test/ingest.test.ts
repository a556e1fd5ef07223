import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { topicFor } from '@wardsight/protocol';
import type { AckSink } from '../src/ingest/acks.js';
import { Ingest } from '../src/ingest/ingest.js';
import { createMetrics, type HubMetrics } from '../src/metrics.js';
import { LevelHubStore } from '../src/store/level-store.js';
import { INFUSION_PUMP, PATIENT_MONITOR, batch, health, observation, payload, status, useTempDirs } from './fixtures.js';

/** Keeps the acknowledgements ingest hands out, in order. */
class RecordedAcks implements AckSink {
  readonly sent: string[] = [];
  stored(sensorId: string, seq: number): void {
    this.sent.push(`stored ${sensorId} ${seq}`);
  }
  rejected(sensorId: string, seq: number, reason: string): void {
    this.sent.push(`rejected ${sensorId} ${seq} ${reason}`);
  }
}

const OBSERVATIONS = topicFor('floor2', 'observations');
const twoDevices = batch('floor2', 7, [observation(), observation({ device: PATIENT_MONITOR, value: 'Philips' })]);

describe('Ingest', () => {
  const tempDir = useTempDirs();
  let store: LevelHubStore;
  let metrics: HubMetrics;
  let acks: RecordedAcks;
  let ingest: Ingest;

  beforeEach(async () => {
    store = await LevelHubStore.open(await tempDir());
    metrics = createMetrics();
    acks = new RecordedAcks();
    ingest = new Ingest(store, metrics, pino({ level: 'silent' }), acks);
  });
  afterEach(async () => {
    await store.close();
  });

  it('applies a valid batch, stores its devices, counts it once and acknowledges it', async () => {
    expect(await ingest.handle(OBSERVATIONS, payload(twoDevices))).toBe('applied');
    expect((await store.listDevices()).map((d) => d.key).sort()).toEqual([INFUSION_PUMP, PATIENT_MONITOR].sort());
    expect(metrics.ingest).toMatchObject({ received: 1, applied: 1, duplicates: 0, observationsApplied: 2, lastRejection: null });
    expect(Object.values(metrics.ingest.rejected)).toEqual([0, 0, 0, 0]);
    expect(acks.sent).toEqual(['stored floor2 7']);
  });

  it('counts a resend as a duplicate, never as a second batch, and acknowledges it again', async () => {
    await ingest.handle(OBSERVATIONS, payload(twoDevices));
    const stored = await store.listDevices();
    expect(await ingest.handle(OBSERVATIONS, payload(twoDevices))).toBe('duplicate');
    expect(metrics.ingest).toMatchObject({ received: 2, applied: 1, duplicates: 1, observationsApplied: 2 });
    expect(await store.listDevices()).toEqual(stored);
    expect(acks.sent).toEqual(['stored floor2 7', 'stored floor2 7']);
  });

  it('refuses a time that has the right shape but names no moment, and goes on with the next batch', async () => {
    const impossible = batch('floor2', 8, [observation({ firstSeen: '2024-19-01T10:00:00.000Z' })]);
    expect(await ingest.handle(OBSERVATIONS, payload(impossible))).toBe('schema');
    expect(metrics.ingest.lastRejection?.detail).toContain('2024-19-01T10:00:00.000Z is not a moment in time');
    expect(acks.sent).toEqual(['rejected floor2 8 schema']);
    expect(await store.listDevices()).toEqual([]);
    // A time with an offset is brought to UTC; the next batch is applied as usual.
    expect(await ingest.handle(OBSERVATIONS, payload(batch('floor2', 9, [observation({ firstSeen: '2024-05-01T12:00:00+02:00' })])))).toBe('applied');
    expect((await store.getDevice(INFUSION_PUMP))?.firstSeen).toBe('2024-05-01T10:00:00.000Z');
  });

  it('rejects a payload that is not JSON, counting it with its reason and detail', async () => {
    expect(await ingest.handle(OBSERVATIONS, Buffer.from('{"v":1,'))).toBe('notJson');
    expect(metrics.ingest.rejected).toEqual({ notJson: 1, schema: 0, identityMismatch: 0, unknownTopic: 0 });
    expect(metrics.ingest.lastRejection).toMatchObject({ reason: 'notJson', topic: OBSERVATIONS });
    expect(metrics.ingest.lastRejection?.detail).toMatch(/JSON/);
    expect(metrics.ingest.applied).toBe(0);
    // Without a readable seq there is nothing the sensor could be told.
    expect(acks.sent).toEqual([]);
  });

  it('rejects a batch that fails the schema, names the field and tells the sensor which seq', async () => {
    const bad = batch('floor2', 8, [observation({ confidence: 1.5 })]);
    expect(await ingest.handle(OBSERVATIONS, payload(bad))).toBe('schema');
    expect(metrics.ingest.rejected.schema).toBe(1);
    expect(metrics.ingest.lastRejection).toMatchObject({ reason: 'schema', topic: OBSERVATIONS, detail: '/observations/0/confidence must be <= 1' });
    expect(await store.listDevices()).toEqual([]);
    expect(acks.sent).toEqual(['rejected floor2 8 schema']);
  });

  it('rejects a payload that speaks for another sensor than its topic, storing nothing', async () => {
    const claimed = batch('floor3', 9, [observation()]);
    expect(await ingest.handle(OBSERVATIONS, payload(claimed))).toBe('identityMismatch');
    expect(metrics.ingest.rejected.identityMismatch).toBe(1);
    expect(metrics.ingest.lastRejection?.detail).toBe('payload says sensor floor3, topic belongs to floor2');
    expect(await store.listDevices()).toEqual([]);
    expect(await store.getSensor('floor3')).toBeUndefined();
    // The refusal goes to the sensor that actually sent it: the owner of the topic.
    expect(acks.sent).toEqual(['rejected floor2 9 identityMismatch']);
  });

  it('rejects a topic outside the contract', async () => {
    for (const topic of ['wardsight/v1/sensors/floor2', 'wardsight/v2/sensors/floor2/observations', 'wardsight/v1/sensors/Floor2/health']) {
      expect(await ingest.handle(topic, payload(twoDevices)), topic).toBe('unknownTopic');
    }
    expect(metrics.ingest.rejected.unknownTopic).toBe(3);
    expect(metrics.ingest.lastRejection).toMatchObject({ reason: 'unknownTopic', topic: 'wardsight/v1/sensors/Floor2/health', detail: 'not a contract topic' });
    expect(metrics.ingest.received).toBe(3);
  });

  it('ignores an empty retained payload and anything on a commands topic, without counting a refusal', async () => {
    expect(await ingest.handle(topicFor('floor2', 'status'), new Uint8Array(0))).toBe('ignored');
    expect(await ingest.handle(topicFor('floor2', 'health'), new Uint8Array(0))).toBe('ignored');
    expect(await ingest.handle(topicFor('floor2', 'commands'), Buffer.from('not even JSON'))).toBe('ignored');
    expect(metrics.ingest).toMatchObject({ received: 3, applied: 0, duplicates: 0, lastRejection: null });
    expect(Object.values(metrics.ingest.rejected)).toEqual([0, 0, 0, 0]);
    expect(await store.listSensors()).toEqual([]);
    expect(acks.sent).toEqual([]);
  });

  it('applies status and health, counting a repeated status as a duplicate; acknowledges each status (the sensor learns the hub hears it), never health', async () => {
    expect(await ingest.handle(topicFor('floor2', 'status'), payload(status('floor2', 3, 'online')))).toBe('applied');
    expect(await ingest.handle(topicFor('floor2', 'status'), payload(status('floor2', 3, 'online')))).toBe('duplicate');
    expect(await ingest.handle(topicFor('floor2', 'health'), payload(health('floor2', 4)))).toBe('applied');
    expect(await store.getSensor('floor2')).toMatchObject({ state: 'online', health: { seq: 4 } });
    expect(metrics.ingest).toMatchObject({ received: 3, applied: 2, duplicates: 1, observationsApplied: 0 });
    expect(acks.sent).toEqual(['stored floor2 3', 'stored floor2 3']);
  });

  it('keeps a sensor online when the will of its earlier connection arrives after it came back', async () => {
    // Connection 1: online 1, will 2. Connection 2: online 3, will 4. The broker publishes will 2 late.
    expect(await ingest.handle(topicFor('floor2', 'status'), payload(status('floor2', 3, 'online')))).toBe('applied');
    expect(await ingest.handle(topicFor('floor2', 'status'), payload(status('floor2', 2, 'offline')))).toBe('duplicate');
    expect(await store.getSensor('floor2')).toMatchObject({ state: 'online', lastStatusSeq: 3 });
    expect(await ingest.handle(topicFor('floor2', 'status'), payload(status('floor2', 4, 'offline')))).toBe('applied');
    expect(await store.getSensor('floor2')).toMatchObject({ state: 'offline', lastStatusSeq: 4 });
  });

  it('gives every message exactly one outcome in the counters', async () => {
    const outcomes = [
      await ingest.handle(OBSERVATIONS, payload(twoDevices)),
      await ingest.handle(OBSERVATIONS, payload(twoDevices)),
      await ingest.handle(OBSERVATIONS, Buffer.from('x')),
      await ingest.handle(OBSERVATIONS, payload({ ...twoDevices, seq: 0 })),
      await ingest.handle(OBSERVATIONS, payload(batch('floor9', 1, [observation()]))),
      await ingest.handle('elsewhere/floor2', payload(twoDevices)),
    ];
    expect(outcomes).toEqual(['applied', 'duplicate', 'notJson', 'schema', 'identityMismatch', 'unknownTopic']);
    const m = metrics.ingest;
    const refused = Object.values(m.rejected).reduce((a, b) => a + b, 0);
    expect(m.applied + m.duplicates + refused).toBe(m.received);
    expect(m.rejected).toEqual({ notJson: 1, schema: 1, identityMismatch: 1, unknownTopic: 1 });
  });

  it('throws when the store fails instead of counting the message as refused or applied', async () => {
    await store.close();
    await expect(ingest.handle(OBSERVATIONS, payload(twoDevices))).rejects.toThrow();
    expect(metrics.ingest).toMatchObject({ received: 1, applied: 0, duplicates: 0, lastRejection: null });
    expect(acks.sent).toEqual([]);
    store = await LevelHubStore.open(await tempDir());
  });

  it('brings observation times with offsets and any precision to one UTC form, so the latest wins', async () => {
    const early = observation({ attribute: 'ip', value: '10.0.0.1', firstSeen: '2024-05-01T12:00:00+02:00', lastSeen: '2024-05-01T12:00:00+02:00' });
    const late = observation({ attribute: 'ip', value: '10.0.0.2', firstSeen: '2024-05-01T11:00:00Z', lastSeen: '2024-05-01T11:00:00Z' });
    await ingest.handle(OBSERVATIONS, payload(batch('floor2', 20, [early])));
    await ingest.handle(topicFor('floor3', 'observations'), payload(batch('floor3', 21, [late])));
    const device = await store.getDevice(INFUSION_PUMP);
    expect(device?.lastSeen).toBe('2024-05-01T11:00:00.000Z');
    expect(device?.facts.ip?.['10.0.0.1']?.lastSeen).toBe('2024-05-01T10:00:00.000Z');
    expect(device?.sensors).toEqual({ floor2: '2024-05-01T10:00:00.000Z', floor3: '2024-05-01T11:00:00.000Z' });
  });
});
