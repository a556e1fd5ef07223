/**
 * The embedded broker takes a sensor's identity from its certificate and the hub's register, never
 * from what the client says: no certificate, no connection; a sensor publishing under another's id
 * is refused and the attempt logged; a revoked sensor is cut off within 5 s and cannot come back,
 * and a replaced sensor's old certificate stops working while the new one works. Real hub, real
 * broker over TLS, real enrolment.
 */
import { Writable } from 'node:stream';
import mqtt, { type MqttClient } from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type RunningHub } from '@wardsight/hub';
import { enrolTestSensor, eventually, tempDir, withTimeout, type EnrolledSensor } from '@wardsight/test';

interface LogLine {
  msg: string;
  topic?: string;
  clientId?: string;
  why?: string;
  sensorId?: string;
}

describe('sensor identity at the embedded broker', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let hub: RunningHub;
  const lines: LogLine[] = [];

  beforeAll(async () => {
    dir = await tempDir();
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line) as LogLine);
        done();
      },
    });
    hub = await startHub({ dataDir: dir.path, host: '127.0.0.1', mqttPort: 0, apiPort: 0 }, pino({ level: 'info' }, sink));
  });
  afterAll(async () => {
    await hub?.close();
    await dir?.remove();
  });

  /** Connects with an identity; resolves with the client, or rejects with the broker's answer. */
  const connect = (id: string, who: EnrolledSensor | null, extra: mqtt.IClientOptions = {}): Promise<MqttClient> => {
    const client = mqtt.connect(hub.mqttUrl, {
      clientId: `sensor-${id}`,
      protocolVersion: 4,
      ca: who?.pem.ca ?? extra.ca,
      ...(who ? { cert: who.pem.cert, key: who.pem.key } : {}),
      reconnectPeriod: 0,
      connectTimeout: 4000,
      ...extra,
    });
    return withTimeout(
      new Promise<MqttClient>((resolve, reject) => {
        client.once('connect', () => resolve(client));
        client.once('error', (err) => {
          client.end(true);
          reject(err);
        });
        client.once('close', () => reject(new Error('connection closed')));
      }),
      8000,
      `connect ${id}`,
    );
  };

  it('refuses a client without a certificate', async () => {
    const { readFile } = await import('node:fs/promises');
    const ca = await readFile(hub.caFile, 'utf8');
    await expect(connect('nobody', null, { ca })).rejects.toThrow(/certificate|closed|socket/i);
    expect(hub.metrics.broker.connectionsRefused).toBeGreaterThan(0);
  });

  it('refuses a publish under another sensor\'s id and logs the attempt; the forger\'s own topic still works', async () => {
    const a = await enrolTestSensor(hub, 'ward-a', dir.path);
    await enrolTestSensor(hub, 'ward-b', dir.path);
    const client = await connect('ward-a', a);
    const forged = JSON.stringify({ v: 1, sensorId: 'ward-b', seq: 1, sentAt: new Date().toISOString(), state: 'online', location: { site: 'x', floor: '1' }, version: 'x' });
    // aedes answers a denied 3.1.1 publish by closing the connection.
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.publish('wardsight/v1/sensors/ward-b/status', forged, { qos: 1 });
    await withTimeout(closed, 5000, 'forger disconnected');
    await eventually(async () => lines.find((l) => l.msg === 'publish denied' && l.topic === 'wardsight/v1/sensors/ward-b/status'), 5000, 'denied publish logged');
    expect(lines.find((l) => l.msg === 'publish denied')?.clientId).toBe('sensor-ward-a');
    expect(hub.metrics.broker.publishesDenied).toBeGreaterThanOrEqual(1);
    expect(await hub.registry.get('ward-b')).toMatchObject({ state: 'active' });

    // The same sensor claiming another's client id is refused at connect.
    await expect(connect('ward-b', a, { clientId: 'sensor-ward-b' })).rejects.toThrow(/Not authorized|closed/i);
  });

  it('cuts a revoked sensor off within 5 s, and it cannot come back', async () => {
    const c = await enrolTestSensor(hub, 'ward-c', dir.path);
    const client = await connect('ward-c', c);
    const closed = new Promise<number>((resolve) => client.once('close', () => resolve(Date.now())));
    const revokedAt = Date.now();
    await hub.registry.revoke('ward-c', 'test');
    const closedAt = await withTimeout(closed, 5000, 'revoked sensor cut off');
    expect(closedAt - revokedAt).toBeLessThan(5000);
    expect(lines.some((l) => l.msg === 'sensor cut off' && l.sensorId === 'ward-c')).toBe(true);
    await expect(connect('ward-c', c)).rejects.toThrow(/Not authorized|closed/i);
    expect(lines.some((l) => l.msg === 'connection refused' && l.why === 'sensor ward-c is revoked')).toBe(true);
  });

  it('after a replacement, the old hardware\'s certificate is cut off and refused; the new one connects', async () => {
    const old = await enrolTestSensor(hub, 'ward-d', dir.path);
    const client = await connect('ward-d', old);
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    const { token } = await hub.registry.replace('ward-d', 'test');
    await withTimeout(closed, 5000, 'old hardware cut off');
    await expect(connect('ward-d', old)).rejects.toThrow(/Not authorized|closed/i);

    const { enrol } = await import('@wardsight/appliance');
    const { mkdir, writeFile, readFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const tlsDir = join(dir.path, 'new-hardware');
    await mkdir(tlsDir, { recursive: true });
    await writeFile(join(tlsDir, 'ca.crt'), old.pem.ca);
    await enrol({ enrolUrl: hub.apiUrl, token, tlsDir });
    const fresh = { tlsDir, pem: { ca: old.pem.ca, cert: await readFile(join(tlsDir, 'sensor.crt'), 'utf8'), key: await readFile(join(tlsDir, 'sensor.key'), 'utf8') } };
    const replacement = await connect('ward-d', fresh);
    expect(replacement.connected).toBe(true);
    replacement.end(true);
  });
});
