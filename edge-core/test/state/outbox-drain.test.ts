/**
 * A sensor cut off from its broker keeps capturing: its outbox goes past its budget, sheds
 * behaviour and coalesces updates. When the broker (a real Mosquitto over TLS with client
 * certificates) is back, the sensor's publisher drains the outbox in order, and an entry leaves only
 * when the hub's side acknowledges it. The hub's side holds a persistent session, so it receives
 * everything published while it reads, in the order the broker took it.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmod, chown, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicFor, type AckCommand, type Observation } from '@wardsight/protocol';
import { DeviceTable, encodeFindings } from '../../src/state/device-table.js';
import { SensorStore } from '../../src/state/store.js';
import { Publisher } from '../../src/uplink/publisher.js';
import { BEHAVIOUR_TOPIC, behaviourItem, drain, foldInto, hubView, SENSOR, tempStoreDir, type HubFact } from './outbox-fixtures.js';

const run = promisify(execFile);
const BUDGET = 64 * 1024;
const HUB_CLIENT = 'outbox-test-hub';

/** A test CA, the broker's certificate for 127.0.0.1, and client certificates for the sensor and the hub. */
async function makeCertificates(dir: string): Promise<void> {
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await run('openssl', ['req', '-x509', ...key, '-keyout', join(dir, 'ca.key'), '-out', join(dir, 'ca.crt'), '-subj', '/CN=outbox-test-ca', '-days', '1']);
  await writeFile(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\n');
  for (const [name, cn] of [['server', '127.0.0.1'], ['sensor', SENSOR], ['hub', 'hub']] as const) {
    await run('openssl', ['req', ...key, '-keyout', join(dir, `${name}.key`), '-out', join(dir, `${name}.csr`), '-subj', `/CN=${cn}`]);
    const ext = name === 'server' ? ['-extfile', join(dir, 'server.ext')] : [];
    await run('openssl', ['x509', '-req', '-in', join(dir, `${name}.csr`), '-CA', join(dir, 'ca.crt'), '-CAkey', join(dir, 'ca.key'), '-CAcreateserial', '-out', join(dir, `${name}.crt`), '-days', '1', ...ext]);
  }
  // Mosquitto started as root reads its files as its own user (mosquitto.conf(5), `user`): test keys only.
  for (const f of ['ca.crt', 'server.crt', 'server.key']) await chmod(join(dir, f), 0o644);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`no ${what} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const accepts = (port: number): Promise<true | undefined> =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(undefined));
  });

describe('outbox drain after the broker was away', () => {
  let dir: Awaited<ReturnType<typeof tempStoreDir>>;
  let port: number;
  let conf: string;
  let broker: ChildProcess | undefined;
  let store: SensorStore;
  let publisher: Publisher;
  let hub: MqttClient | undefined;
  const tls = { ca: '', cert: '', key: '' };

  const startBroker = async (): Promise<void> => {
    broker = spawn('mosquitto', ['-c', conf], { stdio: 'ignore' });
    await until(() => accepts(port), 10_000, `Mosquitto on port ${port}`);
  };
  const stopBroker = async (): Promise<void> => {
    const b = broker;
    broker = undefined;
    if (!b || b.exitCode !== null) return;
    await new Promise((resolve) => {
      b.once('exit', resolve);
      b.kill('SIGTERM');
    });
  };
  /** The hub's side, listening before it connects: its session's queued messages come at once. */
  const connectHub = async (onMessage: (topic: string, payload: Buffer) => void = () => undefined): Promise<MqttClient> => {
    const client = mqtt.connect(`mqtts://127.0.0.1:${port}`, { clientId: HUB_CLIENT, clean: false, protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5000, ca: tls.ca, cert: await readFile(join(dir.path, 'hub.crt'), 'utf8'), key: await readFile(join(dir.path, 'hub.key'), 'utf8'), manualConnect: true });
    client.on('message', onMessage);
    client.connect();
    await until(() => (client.connected ? client : undefined), 10_000, 'hub-side connection');
    return client;
  };

  beforeAll(async () => {
    dir = await tempStoreDir();
    await chmod(dir.path, 0o755);
    await makeCertificates(dir.path);
    port = await freePort();
    const data = join(dir.path, 'broker');
    await mkdir(data, { mode: 0o700 });
    await chown(data, Number((await run('id', ['-u', 'mosquitto'])).stdout), Number((await run('id', ['-g', 'mosquitto'])).stdout)).catch(() => chmod(data, 0o777));
    conf = join(dir.path, 'mosquitto.conf');
    const at = (f: string): string => join(dir.path, f);
    await writeFile(
      conf,
      [`listener ${port} 127.0.0.1`, `cafile ${at('ca.crt')}`, `certfile ${at('server.crt')}`, `keyfile ${at('server.key')}`, 'require_certificate true', 'use_identity_as_username true', 'allow_anonymous false',
        'persistence true', `persistence_location ${data}/`, 'max_queued_messages 0', 'log_dest none', ''].join('\n'),
    );
    Object.assign(tls, { ca: await readFile(at('ca.crt'), 'utf8'), cert: await readFile(at('sensor.crt'), 'utf8'), key: await readFile(at('sensor.key'), 'utf8') });
    // The hub's side opens its persistent session, then the broker goes away.
    await startBroker();
    hub = await connectHub();
    await hub.subscribeAsync([topicFor('+', 'observations'), topicFor('+', 'behaviour')], { qos: 1 });
    await hub.endAsync();
    await stopBroker();

    store = await SensorStore.open(join(dir.path, 'sensor'), { outbox: { budgetBytes: BUDGET } });
    publisher = new Publisher(store, { sensorId: SENSOR, url: `mqtts://127.0.0.1:${port}`, ...tls, location: { site: 'Test', floor: '3' }, version: 'test', reconnectPeriodMs: 200, connectTimeoutMs: 2000 });
    await publisher.start();
  });

  afterAll(async () => {
    await publisher?.close();
    await store?.close();
    hub?.end(true);
    await stopBroker();
    await dir?.remove();
  });

  it('drains in order once the broker is back, and keeps what the hub has not acknowledged', async () => {
    // Away: thirty flushes of 40 devices' facts, refreshed each time, with behaviour summaries.
    const table = new DeviceTable({ refreshMs: 1000 });
    const truth = new Map<string, HubFact>();
    const firsts: string[] = [];
    for (let flush = 0; flush < 30; flush++) {
      await store.enqueue([behaviourItem(flush, 3000)]);
      for (let d = 0; d < 40; d++) table.found(`mac:00:09:fb:00:01:${d.toString(16).padStart(2, '0')}`, { attribute: 'hostname', value: `bed-${d}`, signal: 'dhcp.option12', evidence: `bed-${d}`, confidence: 0.9 }, 1_767_254_400_000 + flush * 1000 + d);
      const batch = table.takeBatch();
      encodeFindings(batch).observations.forEach((json, i) => {
        foldInto(truth, JSON.parse(json) as Observation);
        if (batch.firstSightings?.[i] === 1) firsts.push(json);
      });
      await store.enqueueFindings(SENSOR, [batch]);
      publisher.notify();
    }
    expect(publisher.counters.connected).toBe(false);
    const stats = store.outboxStats();
    expect(stats.shed.behaviourMessages).toBeGreaterThan(0);
    expect(stats.coalesced.observations).toBeGreaterThan(0);
    expect(stats.bytes).toBeLessThanOrEqual(BUDGET);
    const waiting = await drain(store);

    // Back: the broker queues what the sensor publishes for the hub's session, in order.
    await startBroker();
    await until(() => (publisher.counters.published >= waiting.length ? true : undefined), 20_000, 'every waiting entry published');
    const arrived: { topic: string; seq: number; payload: string }[] = [];
    hub = await connectHub((topic, payload) => arrived.push({ topic, seq: (JSON.parse(payload.toString()) as { seq: number }).seq, payload: payload.toString() }));
    await until(() => (arrived.length >= waiting.length ? true : undefined), 20_000, 'every entry at the hub side');
    expect(arrived.map((m) => m.seq)).toEqual(waiting.map((e) => e.seq));
    expect(hubView(arrived.map((m) => m.payload))).toEqual(truth);
    const arrivedFirsts = arrived.filter((m) => waiting.find((e) => e.seq === m.seq)?.class === 'first-sighting');
    expect(arrivedFirsts.flatMap((m) => (JSON.parse(m.payload) as { observations: Observation[] }).observations.map((o) => JSON.stringify(o)))).toEqual(firsts);

    // The hub acknowledges the observations only: the behaviour summaries stay.
    const ack = (stored: number[]): AckCommand => ({ v: 1, command: 'ack', sensorId: SENSOR, sentAt: new Date().toISOString(), stored, rejected: [] });
    const behaviour = arrived.filter((m) => m.topic === BEHAVIOUR_TOPIC).map((m) => m.seq);
    expect(behaviour.length).toBeGreaterThan(0);
    await hub.publishAsync(topicFor(SENSOR, 'commands'), JSON.stringify(ack(arrived.filter((m) => m.topic !== BEHAVIOUR_TOPIC).map((m) => m.seq))), { qos: 1 });
    await until(() => (store.outboxDepth === behaviour.length ? true : undefined), 10_000, 'observations confirmed');
    expect((await drain(store)).map((e) => e.seq)).toEqual(behaviour);

    await hub.publishAsync(topicFor(SENSOR, 'commands'), JSON.stringify(ack(behaviour)), { qos: 1 });
    await until(() => (store.outboxDepth === 0 ? true : undefined), 10_000, 'outbox empty');
    expect(store.outboxStats()).toMatchObject({ depth: 0, bytes: 0, overBudget: false });
  });
});
