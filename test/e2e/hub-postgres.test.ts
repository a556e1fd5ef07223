/**
 * Hubs on PostgreSQL: two hub instances share one real database (started by the test). What a
 * sensor reports through one instance is in the other's inventory; one instance analyses the
 * journal while the other stands by, and takes over when the first goes away.
 */
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type RunningHub } from '@wardsight/hub';
import { hubPaths } from '@wardsight/hub/config';
import { topicFor } from '@wardsight/protocol';
import { apiGet, connectAsSensor, eventually, postgresAvailable, quietLogger, startPostgres, tempDir, type PostgresServer } from '@wardsight/test';

const available = postgresAvailable();
if (!available) console.warn('[skipped] hubs on PostgreSQL: the PostgreSQL server binaries are not installed (Debian package postgresql)');

const PUMP = 'mac:58:42:e4:00:00:07';

function batch(seq: number, hostname: string): string {
  const at = `2026-01-01T08:0${seq}:00.000Z`;
  return JSON.stringify({
    v: 1,
    sensorId: 'ward-3',
    seq,
    sentAt: at,
    observations: [{ device: PUMP, attribute: 'hostname', value: hostname, signal: 'dhcp.option12', evidence: hostname, confidence: 0.9, firstSeen: at, lastSeen: at }],
  });
}

describe.skipIf(!available)('two hub instances on one PostgreSQL database', () => {
  let pg: PostgresServer;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let first: RunningHub;
  let second: RunningHub;
  let sensor: MqttClient;

  const start = (dataDir: string, url: string) => startHub({ dataDir, host: '127.0.0.1', mqttPort: 0, apiPort: 0, store: { kind: 'postgres', url } }, quietLogger());

  beforeAll(async () => {
    pg = await startPostgres();
    dir = await tempDir();
    const a = join(dir.path, 'a');
    const b = join(dir.path, 'b');
    first = await start(a, pg.url);
    // Instances of one hub share its CA, identities and admin credential, as an operator deploys them.
    await cp(join(a, 'ca'), join(b, 'ca'), { recursive: true });
    await cp(join(a, 'tls'), join(b, 'tls'), { recursive: true });
    await cp(hubPaths(a).adminCredential, hubPaths(b).adminCredential);
    second = await start(b, pg.url);
    sensor = await connectAsSensor(first, 'ward-3', dir.path);
  });
  afterAll(async () => {
    sensor?.end(true);
    await second?.close();
    await first?.close();
    await pg?.stop();
    await dir?.remove();
  });

  it('shows in one instance\'s inventory what a sensor reported through the other', async () => {
    await sensor.publishAsync(topicFor('ward-3', 'observations'), batch(1, 'pump-7'), { qos: 1 });
    const seen = await eventually(
      async () => {
        const { body } = await apiGet<{ devices: { id: string; hostname: string | null }[] }>(second, '/api/v1/devices');
        return body.devices.find((d) => d.id === PUMP && d.hostname === 'pump-7');
      },
      15_000,
      'the pump in the second instance\'s inventory',
    );
    expect(seen.hostname).toBe('pump-7');
    // The same batch again, through either instance: applied once.
    await sensor.publishAsync(topicFor('ward-3', 'observations'), batch(1, 'pump-7-renamed'), { qos: 1 });
    await sensor.publishAsync(topicFor('ward-3', 'observations'), batch(2, 'pump-7b'), { qos: 1 });
    await eventually(async () => ((await apiGet<{ hostname: string | null }>(second, `/api/v1/devices/${encodeURIComponent(PUMP)}`)).body.hostname === 'pump-7b' ? true : undefined), 15_000, 'the second batch');
    const { body } = await apiGet<{ attributes: Record<string, unknown>; facts?: unknown }>(first, `/api/v1/devices/${encodeURIComponent(PUMP)}`);
    expect(JSON.stringify(body)).not.toContain('pump-7-renamed');
  });

  it('analyses the journal in one instance; the other takes over when the first goes away', async () => {
    expect(first.analysis.isLeading).toBe(true);
    expect(second.analysis.isLeading).toBe(false);
    sensor.end(true);
    await first.close();
    await eventually(async () => (second.analysis.isLeading ? true : undefined), 20_000, 'the second instance leading the analysis');
    const { status } = await apiGet(second, '/api/v1/health');
    expect(status).toBe(200);
  });
});
