/**
 * A whole hub on Mosquitto: the hub writes the broker's configuration, runs Mosquitto, and drives
 * who may connect from its sensor register. Two sensors enrol over HTTPS; a real sensor publisher
 * sends an observation batch that reaches the inventory and is acknowledged on its commands topic;
 * no certificate, no entry; a publish under the other sensor's id is dropped (never applied at the
 * hub) and Mosquitto logs it; revoking a sensor in the register cuts it off within 5 s and keeps it
 * out while the other sensor carries on; replaced hardware's old certificate is refused and the new
 * one publishes at once; a restarted hub writes the broker from its register again. Real
 * Mosquitto, real TLS, real LevelDB.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { enrol } from '@wardsight/appliance';
import { Publisher, SensorStore } from '@wardsight/edge-core';
import { hubPaths, logOffset, mosquittoLayout, startHub, waitForLogLine, type DeviceView, type RunningHub } from '@wardsight/hub';
import { encodeMessage, topicFor, type ObservationBatch } from '@wardsight/protocol';
import { apiGet, enrolTestSensor, eventually, tempDir, withTimeout, type EnrolledSensor } from '@wardsight/test';

const MOSQUITTO = '/usr/sbin/mosquitto';
const present = existsSync(MOSQUITTO);
if (!present) console.warn(`test/e2e/mosquitto-hub.test.ts skipped: ${MOSQUITTO} is not installed (apt-get install mosquitto)`);

/** The spec's deadline for cutting off a revoked sensor. */
const CUT_OFF_DEADLINE_MS = 5_000;
const CONNECT_TIMEOUT_MS = 5_000;

const EAST = 'ward-east';
const WEST = 'ward-west';
const SWAP = 'ward-swap';

function batch(sensorId: string, seq: number, mac: string, hostname: string): string {
  const at = new Date().toISOString();
  return encodeMessage({
    v: 1,
    sensorId,
    seq,
    sentAt: at,
    observations: [{ device: `mac:${mac}`, attribute: 'hostname', value: hostname, signal: 'dhcp.option12', evidence: hostname, confidence: 0.9, firstSeen: at, lastSeen: at }],
  } satisfies ObservationBatch).toString();
}

describe.skipIf(!present)('a hub with Mosquitto as its broker', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let hub: RunningHub;
  let logFile: string;
  const sensors: Record<string, EnrolledSensor> = {};
  const clients: MqttClient[] = [];
  const hubLog: { msg: string; sensorId?: string }[] = [];

  beforeAll(async () => {
    dir = await tempDir();
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString().split('\n')) if (line) hubLog.push(JSON.parse(line) as { msg: string });
        done();
      },
    });
    hub = await startHub({ dataDir: dir.path, host: '127.0.0.1', mqttPort: 0, apiPort: 0, broker: { kind: 'mosquitto' } }, pino({ level: 'info' }, sink));
    logFile = mosquittoLayout(hubPaths(dir.path).mosquitto).logFile;
    sensors[EAST] = await enrolTestSensor(hub, EAST, dir.path);
    sensors[WEST] = await enrolTestSensor(hub, WEST, dir.path);
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.end(true);
  });
  afterAll(async () => {
    await hub?.close();
    await dir?.remove();
  });

  /** A connected MQTT client, or the error that refused it; never waits longer than CONNECT_TIMEOUT_MS. */
  function connect(options: IClientOptions): Promise<MqttClient> {
    const client = mqtt.connect(hub.mqttUrl, { protocolVersion: 4, reconnectPeriod: 0, connectTimeout: CONNECT_TIMEOUT_MS, ...options });
    clients.push(client);
    return withTimeout(
      new Promise<MqttClient>((resolve, reject) => {
        client.once('connect', () => resolve(client));
        client.once('error', reject);
      }),
      CONNECT_TIMEOUT_MS,
      `no CONNACK for ${String(options.clientId)}`,
    );
  }
  const asSensor = (sensorId: string, options: IClientOptions = {}) => {
    const { pem } = sensors[sensorId]!;
    return connect({ clientId: `sensor-${sensorId}`, ca: pem.ca, cert: pem.cert, key: pem.key, ...options });
  };
  const device = async (mac: string): Promise<DeviceView | undefined> =>
    (await apiGet<{ devices: DeviceView[] }>(hub, '/api/v1/devices')).body.devices.find((d) => d.id === `mac:${mac}`);

  it("takes a sensor's observation batch into the inventory and acknowledges it on the sensor's commands topic", async () => {
    const store = await SensorStore.open(join(dir.path, 'sensor-east-store'));
    const { pem } = sensors[EAST]!;
    const publisher = new Publisher(store, { sensorId: EAST, url: hub.mqttUrl, ca: pem.ca, cert: pem.cert, key: pem.key, location: { site: 'test', floor: '1' }, version: 'test' });
    try {
      await store.enqueue([{ topic: topicFor(EAST, 'observations'), build: (seq) => batch(EAST, seq, '00:09:fb:00:00:e1', 'pump-east') }]);
      await publisher.start();
      const found = await eventually(() => device('00:09:fb:00:00:e1'), 10_000, 'the batch in the inventory');
      expect(found.hostname).toBe('pump-east');
      expect(found.location?.sensorId).toBe(EAST);
      // The outbox empties only on the hub's acknowledgement, which comes on the commands topic.
      await eventually(async () => (store.outboxDepth === 0 ? true : undefined), 10_000, "the hub's acknowledgement at the sensor");
      expect(publisher.counters.confirmed).toBe(1);
      expect(publisher.counters.rejected).toBe(0);
    } finally {
      await publisher.close();
      await store.close();
    }
  });

  it('refuses a client without a certificate', async () => {
    const offset = await logOffset(logFile);
    const ca = await readFile(hub.caFile, 'utf8');
    await expect(connect({ clientId: 'no-certificate', ca })).rejects.toThrow(/certificate required|handshake|socket|ECONNRESET/i);
    expect(await waitForLogLine(logFile, offset, /peer did not return a certificate/, CONNECT_TIMEOUT_MS)).not.toBeNull();
  });

  it("drops a publish under the other sensor's id, logs it, and never applies it", async () => {
    const forger = await asSensor(EAST);
    const owner = await asSensor(WEST);
    const offset = await logOffset(logFile);
    const received = hub.metrics.ingest.received;
    // MQTT 3.1.1 cannot say "not authorised" in a PUBACK: Mosquitto acknowledges and drops it.
    await forger.publishAsync(topicFor(WEST, 'observations'), batch(WEST, 900, '00:09:fb:00:00:f0', 'forged'), { qos: 1 });
    const denied = await waitForLogLine(logFile, offset, /Denied PUBLISH from CN=ward-east,OU=sensor,O=Wardsight .*'wardsight\/v1\/sensors\/ward-west\/observations'/, CONNECT_TIMEOUT_MS);
    expect(denied).not.toBeNull();

    // The owner's own batch, sent after the denial was logged, arrives; the forged one never did.
    await owner.publishAsync(topicFor(WEST, 'observations'), batch(WEST, 901, '00:09:fb:00:00:f1', 'genuine'), { qos: 1 });
    await eventually(() => device('00:09:fb:00:00:f1'), 10_000, "the owner's batch in the inventory");
    expect(await device('00:09:fb:00:00:f0')).toBeUndefined();
    expect(hub.metrics.ingest.received).toBe(received + 1);
  });

  it('cuts a revoked sensor off within 5 s and keeps it out; the other sensor carries on', async () => {
    // Reconnects as a sensor does, quickly and for ever: it must not get back in.
    const revoked = await asSensor(EAST, { reconnectPeriod: 200 });
    const bystander = await asSensor(WEST);
    let reconnected = 0;
    const refusals: string[] = [];
    revoked.on('connect', () => (reconnected += 1));
    revoked.on('error', (error) => refusals.push(error.message));
    const closed = new Promise<number>((resolve) => revoked.once('close', () => resolve(Date.now())));

    const started = Date.now();
    await hub.registry.revoke(EAST, 'test');
    expect((await withTimeout(closed, CUT_OFF_DEADLINE_MS, 'revoked sensor cut off')) - started).toBeLessThan(CUT_OFF_DEADLINE_MS);
    await eventually(async () => (refusals.length >= 2 ? true : undefined), CONNECT_TIMEOUT_MS, 'reconnects refused');
    revoked.end(true);
    expect(reconnected).toBe(0);
    expect(refusals.every((message) => /certificate revoked/.test(message))).toBe(true);
    await expect(asSensor(EAST)).rejects.toThrow(/certificate revoked/);
    expect(hubLog.some((l) => l.msg === 'sensor revoked and disconnected' && l.sensorId === EAST)).toBe(true);

    expect(bystander.connected).toBe(true);
    await bystander.publishAsync(topicFor(WEST, 'observations'), batch(WEST, 902, '00:09:fb:00:00:f2', 'still-here'), { qos: 1 });
    await eventually(() => device('00:09:fb:00:00:f2'), 10_000, "the other sensor's batch after the revocation");
  });

  it("refuses a replaced sensor's old certificate and lets the new hardware publish at once", async () => {
    sensors[SWAP] = await enrolTestSensor(hub, SWAP, dir.path);
    const old = await asSensor(SWAP);
    const closed = new Promise<void>((resolve) => old.once('close', () => resolve()));
    const { token } = await hub.registry.replace(SWAP, 'test');
    await withTimeout(closed, CUT_OFF_DEADLINE_MS, 'old hardware cut off');
    await eventually(async () => hubLog.find((l) => l.msg === 'sensor certificate retired and its sessions ended' && l.sensorId === SWAP), CONNECT_TIMEOUT_MS, 'the retirement done');
    await expect(asSensor(SWAP)).rejects.toThrow(/certificate revoked/);

    const tlsDir = join(dir.path, 'new-hardware');
    await mkdir(tlsDir, { recursive: true, mode: 0o700 });
    await writeFile(join(tlsDir, 'ca.crt'), await readFile(hub.caFile, 'utf8'));
    await enrol({ enrolUrl: hub.apiUrl, token, tlsDir });
    const [cert, key] = await Promise.all(['sensor.crt', 'sensor.key'].map((f) => readFile(join(tlsDir, f), 'utf8')));
    const fresh = await connect({ clientId: `sensor-${SWAP}`, ca: sensors[SWAP]!.pem.ca, cert, key });
    const [grant] = await fresh.subscribeAsync(topicFor(SWAP, 'commands'), { qos: 1 });
    expect(grant?.qos).toBe(1);
    await fresh.publishAsync(topicFor(SWAP, 'observations'), batch(SWAP, 1, '00:09:fb:00:00:a1', 'new-hardware'), { qos: 1 });
    await eventually(() => device('00:09:fb:00:00:a1'), 10_000, "the new hardware's batch in the inventory");
  });

  it('after a restart, writes the broker from the register: the revoked sensor stays out, the others come back', async () => {
    await hub.close();
    hub = await startHub({ dataDir: dir.path, host: '127.0.0.1', mqttPort: 0, apiPort: 0, broker: { kind: 'mosquitto' } }, pino({ level: 'silent' }));
    await expect(asSensor(EAST)).rejects.toThrow(/certificate revoked/);
    const back = await asSensor(WEST);
    await back.publishAsync(topicFor(WEST, 'observations'), batch(WEST, 903, '00:09:fb:00:00:f3', 'after-restart'), { qos: 1 });
    await eventually(() => device('00:09:fb:00:00:f3'), 10_000, 'a batch after the restart');
  });
});
