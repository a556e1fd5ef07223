/**
 * Bad input at the hub: a payload that is not JSON, one that fails the schema, one that speaks for
 * another sensor, a resent batch and a publish on another sensor's topic. Each is refused or
 * ignored and counted; ingest goes on; nothing is applied twice. Real broker over TLS, real store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import type { RunningHub } from '@wardsight/hub';
import { apiGet, connectAsSensor, eventually, startTestHub, tempDir } from '@wardsight/test';

interface Health {
  ingest: { received: number; applied: number; duplicates: number; observationsApplied: number; rejected: Record<string, number>; lastRejection: { reason: string; detail: string } | null };
  broker: { publishesDenied: number; connectionsRefused: number };
}

const TOPIC = 'wardsight/v1/sensors/ward-3/observations';

interface Ack {
  stored: number[];
  rejected: { seq: number; reason: string }[];
}
const acks: Ack[] = [];
const storedSeqs = () => acks.flatMap((a) => a.stored);
const rejectedSeqs = () => acks.flatMap((a) => a.rejected.map((r) => `${r.seq}:${r.reason}`));

function batch(seq: number, sensorId = 'ward-3', hostname = 'pump-7') {
  const at = '2026-01-01T08:00:00.000Z';
  return JSON.stringify({
    v: 1,
    sensorId,
    seq,
    sentAt: at,
    observations: [
      { device: 'mac:58:42:e4:00:00:07', attribute: 'hostname', value: hostname, signal: 'dhcp.option12', evidence: hostname, confidence: 0.9, firstSeen: at, lastSeen: at },
      { device: 'mac:58:42:e4:00:00:07', attribute: 'ip', value: '10.9.0.7', signal: 'arp.sender', evidence: 'arp', confidence: 0.9, firstSeen: at, lastSeen: at },
    ],
  });
}

describe('hub ingest refuses bad input and loses nothing', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let hub: RunningHub;
  let sensor: MqttClient;
  const health = async () => (await apiGet<Health>(hub, '/api/v1/health')).body;

  beforeAll(async () => {
    dir = await tempDir();
    hub = await startTestHub(dir.path);
    sensor = await connectAsSensor(hub, 'ward-3', dir.path);
    sensor.on('message', (_topic, payload) => acks.push(JSON.parse(payload.toString()) as Ack));
    await sensor.subscribeAsync('wardsight/v1/sensors/ward-3/commands', { qos: 1 });
  });
  afterAll(async () => {
    sensor?.end(true);
    await hub?.close();
    await dir?.remove();
  });

  it('applies a valid batch', async () => {
    await sensor.publishAsync(TOPIC, batch(100), { qos: 1 });
    const h = await eventually(async () => ((await health()).ingest.applied >= 1 ? health() : undefined), 5000, 'first batch applied');
    expect(h.ingest.observationsApplied).toBe(2);
  });

  it('counts a payload that is not JSON and goes on', async () => {
    await sensor.publishAsync(TOPIC, Buffer.from('{"v":1, this is not json'), { qos: 1 });
    const h = await eventually(async () => ((await health()).ingest.rejected.notJson === 1 ? health() : undefined), 5000, 'notJson counted');
    expect(h.ingest.lastRejection?.reason).toBe('notJson');
  });

  it('counts a payload that fails the schema, with the reason', async () => {
    const bad = JSON.parse(batch(101)) as { observations: { confidence: number }[] };
    bad.observations[0]!.confidence = 7;
    await sensor.publishAsync(TOPIC, JSON.stringify(bad), { qos: 1 });
    const h = await eventually(async () => ((await health()).ingest.rejected.schema === 1 ? health() : undefined), 5000, 'schema counted');
    expect(h.ingest.lastRejection?.detail).toMatch(/confidence/);
    // The sensor is told, so that it stops resending what will never be accepted.
    await eventually(async () => (rejectedSeqs().includes('101:schema') ? true : undefined), 5000, 'refusal sent to the sensor');
  });

  it('refuses a payload that claims another sensor id than the connection\'s own', async () => {
    await sensor.publishAsync(TOPIC, batch(102, 'ward-9', 'spoofed'), { qos: 1 });
    await eventually(async () => ((await health()).ingest.rejected.identityMismatch === 1 ? true : undefined), 5000, 'identityMismatch counted');
    const devices = (await apiGet<{ devices: { hostname: string | null }[] }>(hub, '/api/v1/devices')).body.devices;
    expect(devices.map((d) => d.hostname)).not.toContain('spoofed');
  });

  it('ignores a resent batch: counted as a duplicate, applied once', async () => {
    await sensor.publishAsync(TOPIC, batch(100), { qos: 1 });
    const h = await eventually(async () => ((await health()).ingest.duplicates === 1 ? health() : undefined), 5000, 'duplicate counted');
    expect(h.ingest.applied).toBe(1);
    // Stored once, confirmed both times: a sensor that resent may drop it.
    await eventually(async () => (storedSeqs().filter((s) => s === 100).length === 2 ? true : undefined), 5000, 'both copies confirmed');
    expect(h.ingest.observationsApplied).toBe(2);
  });

  it('goes on ingesting after all of that, and the first batch is intact', async () => {
    await sensor.publishAsync(TOPIC, batch(103, 'ward-3', 'pump-7-renamed'), { qos: 1 });
    await eventually(async () => ((await health()).ingest.applied === 2 ? true : undefined), 5000, 'second batch applied');
    const { body } = await apiGet<{ facts: Record<string, { value: string }[]> }>(hub, `/api/v1/devices/${encodeURIComponent('mac:58:42:e4:00:00:07')}`);
    expect(body.facts.hostname?.map((f) => f.value).sort()).toEqual(['pump-7', 'pump-7-renamed']);
    expect(body.facts.ip?.map((f) => f.value)).toEqual(['10.9.0.7']);
  });

  it('denies a publish on another sensor\'s topic at the broker, and counts it', async () => {
    const closed = new Promise<void>((resolve) => sensor.once('close', () => resolve()));
    sensor.publish('wardsight/v1/sensors/ward-9/observations', batch(104, 'ward-9', 'intruder'), { qos: 1 });
    await closed; // aedes drops a 3.1.1 client whose publish it refuses
    const h = await health();
    expect(h.broker.publishesDenied).toBe(1);
    const devices = (await apiGet<{ devices: { hostname: string | null }[] }>(hub, '/api/v1/devices')).body.devices;
    expect(devices.map((d) => d.hostname)).not.toContain('intruder');
    expect(h.ingest.applied).toBe(2);
  });
});
