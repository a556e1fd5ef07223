/**
 * Two hub instances behind one real Mosquitto, on one real PostgreSQL: the first runs the broker,
 * the second joins it. Sensors' reports are shared out between them through shared subscriptions;
 * every batch is applied once in all, each instance takes a part, and a sensor's acknowledgement
 * comes whichever instance stored its batch.
 */
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type RunningHub } from '@wardsight/hub';
import { hubPaths } from '@wardsight/hub/config';
import { topicFor } from '@wardsight/protocol';
import { apiGet, connectAsSensor, eventually, postgresAvailable, quietLogger, startPostgres, tempDir, type PostgresServer } from '@wardsight/test';
import { existsSync } from 'node:fs';

const available = postgresAvailable() && existsSync('/usr/sbin/mosquitto');
if (!available) console.warn('[skipped] hub instances: PostgreSQL server binaries or /usr/sbin/mosquitto are not installed');

const SENSORS = 6;
const BATCHES = 15;
const PER_BATCH = 4;

function batch(sensorId: string, seq: number): string {
  const at = new Date(Date.UTC(2026, 0, 1, 8, 0, seq)).toISOString();
  const observations = Array.from({ length: PER_BATCH }, (_, i) => {
    const device = `mac:02:${sensorId.slice(-2).padStart(2, '0')}:00:00:${seq.toString(16).padStart(2, '0')}:${i.toString(16).padStart(2, '0')}`;
    return { device, attribute: 'hostname', value: `${sensorId}-${seq}-${i}`, signal: 'dhcp.option12', evidence: 'dhcp', confidence: 0.9, firstSeen: at, lastSeen: at };
  });
  return JSON.stringify({ v: 1, sensorId, seq, sentAt: at, observations });
}

interface Health {
  ingest: { received: number; applied: number; duplicates: number; observationsApplied: number };
}

describe.skipIf(!available)('two hub instances sharing one Mosquitto and one PostgreSQL', () => {
  let pg: PostgresServer;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let other: Awaited<ReturnType<typeof tempDir>>;
  let first: RunningHub;
  let second: RunningHub;
  const sensors: MqttClient[] = [];
  const stored = new Map<string, Set<number>>();

  beforeAll(async () => {
    pg = await startPostgres();
    // Mosquitto runs as its own account and reaches the first instance's directory (as in the Mosquitto tests).
    dir = await tempDir();
    other = await tempDir();
    const a = dir.path;
    const b = other.path;
    const store = { kind: 'postgres' as const, url: pg.url };
    first = await startHub({ dataDir: a, host: '127.0.0.1', mqttPort: 0, apiPort: 0, broker: { kind: 'mosquitto', instances: ['b'] }, store }, quietLogger());
    // The second instance has the hub's CA and admin credential, and an ingest identity of its own.
    await cp(join(a, 'ca'), join(b, 'ca'), { recursive: true });
    await cp(hubPaths(a).adminCredential, hubPaths(b).adminCredential);
    second = await startHub({ dataDir: b, host: '127.0.0.1', mqttPort: 0, apiPort: 0, broker: { kind: 'join', url: first.mqttUrl }, store, instance: 'b' }, quietLogger());
    for (let i = 0; i < SENSORS; i++) {
      const id = `ward-${i + 10}`;
      const client = await connectAsSensor(first, id, dir.path);
      stored.set(id, new Set());
      client.on('message', (_topic, payload) => {
        const ack = JSON.parse(payload.toString()) as { stored?: number[] };
        for (const seq of ack.stored ?? []) stored.get(id)?.add(seq);
      });
      // Enrolment answered once Mosquitto had admitted the sensor: it may subscribe at once.
      const [grant] = await client.subscribeAsync(topicFor(id, 'commands'), { qos: 1 });
      expect(grant?.qos).toBe(1);
      sensors.push(client);
    }
  });
  afterAll(async () => {
    for (const s of sensors) s.end(true);
    await second?.close();
    await first?.close();
    await pg?.stop();
    await dir?.remove();
    await other?.remove();
  });

  it('applies every batch once, shared between the instances, and acknowledges each to its sensor', async () => {
    await Promise.all(
      sensors.map(async (client, i) => {
        for (let seq = 1; seq <= BATCHES; seq++) await client.publishAsync(topicFor(`ward-${i + 10}`, 'observations'), batch(`ward-${i + 10}`, seq), { qos: 1 });
      }),
    );
    await eventually(async () => ([...stored.values()].every((s) => s.size === BATCHES) ? true : undefined), 30_000, 'every batch acknowledged');
    const [h1, h2] = await Promise.all([first, second].map(async (hub) => (await apiGet<Health>(hub, '/api/v1/health')).body));
    expect(h1!.ingest.applied + h2!.ingest.applied).toBe(SENSORS * BATCHES);
    expect(h1!.ingest.applied).toBeGreaterThan(0);
    expect(h2!.ingest.applied).toBeGreaterThan(0);
    expect(h1!.ingest.observationsApplied + h2!.ingest.observationsApplied).toBe(SENSORS * BATCHES * PER_BATCH);
    const { body } = await apiGet<{ devices: unknown[] }>(second, '/api/v1/devices');
    expect(body.devices).toHaveLength(SENSORS * BATCHES * PER_BATCH);
  });

  it('applies a resent batch nowhere a second time, whichever instance it reaches', async () => {
    const before = await Promise.all([first, second].map(async (hub) => (await apiGet<Health>(hub, '/api/v1/health')).body.ingest));
    for (let k = 0; k < 6; k++) await sensors[0]!.publishAsync(topicFor('ward-10', 'observations'), batch('ward-10', 1), { qos: 1 });
    const after = await eventually(
      async () => {
        const now = await Promise.all([first, second].map(async (hub) => (await apiGet<Health>(hub, '/api/v1/health')).body.ingest));
        return now[0]!.duplicates + now[1]!.duplicates - before[0]!.duplicates - before[1]!.duplicates === 6 ? now : undefined;
      },
      15_000,
      'six duplicates recognised',
    );
    expect(after[0]!.applied + after[1]!.applied).toBe(before[0]!.applied + before[1]!.applied);
  });
});
