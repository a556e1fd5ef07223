/**
 * What Mosquitto itself does, on which the Wardsight configuration and the order of a revocation
 * rest (hub/src/broker/mosquitto.ts explains each). If an upgrade of Mosquitto changes one of these,
 * this file says which assumption no longer holds.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { addToCrl, ensureHubClientIdentity, ensureHubServerIdentity, issueSensorIdentity } from '@wardsight/provisioning';
import type { IdentityPem } from '@wardsight/provisioning';
import { DynsecControl, ensureBrokerControlIdentity, installCrl, mosquittoLayout, startMosquitto, writeMosquittoConfig } from '../src/broker/mosquitto.js';
import type { DynsecDocument, MosquittoProcess } from '../src/broker/mosquitto.js';

const MOSQUITTO = '/usr/sbin/mosquitto';
const present = existsSync(MOSQUITTO);
if (!present) console.warn(`hub/test/mosquitto-behaviour.test.ts skipped: ${MOSQUITTO} is not installed (apt-get install mosquitto)`);

const CONNECT_TIMEOUT_MS = 5_000;
const commands = (sensorId: string) => `wardsight/v1/sensors/${sensorId}/commands`;

interface Setup {
  hubDataDir: string;
  brokerDir: string;
  broker: MosquittoProcess;
  url: string;
  hub: IdentityPem;
  control: IdentityPem;
  sensors: Record<string, { pem: IdentityPem; serial: string }>;
}

describe.skipIf(!present)('Mosquitto 2.0 as Wardsight relies on it', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  const clients: MqttClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.end(true);
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** A broker as writeMosquittoConfig makes it; `edit` may change its files before it starts. */
  async function setup(sensorIds: string[], edit?: (dir: string) => Promise<void>): Promise<Setup> {
    const hubDataDir = await mkdtemp(join(tmpdir(), 'wardsight-hub-data-'));
    const brokerDir = await mkdtemp(join(tmpdir(), 'wardsight-mosquitto-'));
    cleanups.push(() => Promise.all([hubDataDir, brokerDir].map((dir) => rm(dir, { recursive: true, force: true }))));
    await ensureHubServerIdentity(hubDataDir);
    const hub = (await ensureHubClientIdentity(hubDataDir)).pem;
    const control = await ensureBrokerControlIdentity(hubDataDir);
    const sensors: Setup['sensors'] = {};
    for (const sensorId of sensorIds) {
      const issued = await issueSensorIdentity(hubDataDir, sensorId, join(hubDataDir, 'bundles', sensorId));
      sensors[sensorId] = { pem: issued.pem, serial: issued.serial };
    }
    await writeMosquittoConfig(brokerDir, { hubDataDir, host: '127.0.0.1', port: 0, sensors: sensorIds });
    await edit?.(brokerDir);
    const broker = await startMosquitto(brokerDir);
    cleanups.push(() => broker.stop());
    return { hubDataDir, brokerDir, broker, url: `mqtts://127.0.0.1:${broker.port}`, hub, control, sensors };
  }

  async function connect(url: string, identity: IdentityPem, options: IClientOptions): Promise<MqttClient> {
    const client = mqtt.connect(url, { ca: identity.ca, cert: identity.cert, key: identity.key, reconnectPeriod: 0, connectTimeout: CONNECT_TIMEOUT_MS, ...options });
    clients.push(client);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no CONNACK within ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS);
      client.once('connect', () => (clearTimeout(timer), resolve(client)));
      client.once('error', (error) => (clearTimeout(timer), reject(error)));
    });
  }

  async function control(s: Setup): Promise<DynsecControl> {
    const connection = await DynsecControl.connect({ url: s.url, ca: s.control.ca, cert: s.control.cert, key: s.control.key });
    cleanups.push(() => connection.close());
    return connection;
  }

  const nextEvent = (client: MqttClient, event: 'close' | 'connect') => new Promise<void>((resolve) => client.once(event, () => resolve()));

  it('reads a new CRL on SIGHUP for new handshakes but leaves an open session open', async () => {
    const s = await setup(['floor3-east']);
    const sensor = s.sensors['floor3-east']!;
    const open = await connect(s.url, sensor.pem, { clientId: 'sensor-floor3-east' });
    await addToCrl(s.hubDataDir, [{ serial: sensor.serial, revokedAt: new Date() }]);
    await installCrl(s.hubDataDir, mosquittoLayout(s.brokerDir));
    await s.broker.reload();

    await expect(connect(s.url, sensor.pem, { clientId: 'sensor-floor3-east-again' })).rejects.toThrow(/certificate revoked/);
    expect(open.connected).toBe(true);
    await open.publishAsync('wardsight/v1/sensors/floor3-east/health', 'still here', { qos: 1 });
    expect(open.connected).toBe(true);
  });

  it('kicks on disableClient, but with the identity from the certificate the client comes straight back with its rights', async () => {
    const s = await setup(['floor3-east']);
    const sensor = await connect(s.url, s.sensors['floor3-east']!.pem, { clientId: 'sensor-floor3-east', reconnectPeriod: 100, protocolVersion: 5 });
    const kicked = nextEvent(sensor, 'close');
    const back = nextEvent(sensor, 'connect');
    await (await control(s)).expect({ command: 'disableClient', username: 'CN=floor3-east,OU=sensor,O=Wardsight' });
    await kicked;
    await back;
    await sensor.publishAsync('wardsight/v1/sensors/floor3-east/health', 'back again', { qos: 1 });
  });

  it('kicks on deleteClient and lets a reconnect in with no rights at all', async () => {
    const s = await setup(['floor3-east']);
    const sensor = await connect(s.url, s.sensors['floor3-east']!.pem, { clientId: 'sensor-floor3-east', reconnectPeriod: 100, protocolVersion: 5 });
    const kicked = nextEvent(sensor, 'close');
    const back = nextEvent(sensor, 'connect');
    await (await control(s)).expect({ command: 'deleteClient', username: 'CN=floor3-east,OU=sensor,O=Wardsight' });
    await kicked;
    await back;
    await expect(sensor.publishAsync('wardsight/v1/sensors/floor3-east/health', 'back again', { qos: 1 })).rejects.toMatchObject({ code: 135 });
  });

  /** The listener without `use_username_as_clientid`: the client's own id counts. */
  const clientChosenIds = async (dir: string) => {
    const layout = mosquittoLayout(dir);
    const conf = await readFile(layout.configFile, 'utf8');
    await writeFile(layout.configFile, conf.replace('use_username_as_clientid true\n', ''));
  };

  it('without use_username_as_clientid, does not tie a client id to a certificate, and sends a taken-over session nothing of its owner', async () => {
    const s = await setup(['floor3-east', 'floor4-west'], clientChosenIds);
    const owner = await connect(s.url, s.sensors['floor4-west']!.pem, { clientId: 'sensor-floor4-west', clean: false, protocolVersion: 4 });
    await owner.subscribeAsync(commands('floor4-west'), { qos: 1 });
    const ownerGone = nextEvent(owner, 'close');
    const usurper = await connect(s.url, s.sensors['floor3-east']!.pem, { clientId: 'sensor-floor4-west', clean: false, protocolVersion: 4 });
    await ownerGone;
    const leaked: string[] = [];
    usurper.on('message', (topic) => leaked.push(topic));

    const hub = await connect(s.url, s.hub, { clientId: 'hub-commands', protocolVersion: 4 });
    await hub.publishAsync(commands('floor4-west'), 'for floor4-west only', { qos: 1 });
    // The usurper's own commands topic is a barrier: once that arrives, anything queued before it has too.
    await usurper.subscribeAsync(commands('floor3-east'), { qos: 1 });
    const barrier = new Promise<void>((resolve) => usurper.on('message', (topic) => topic === commands('floor3-east') && resolve()));
    await hub.publishAsync(commands('floor3-east'), 'barrier', { qos: 1 });
    await barrier;
    expect(leaked).toEqual([commands('floor3-east')]);
  });

  it('with use_username_as_clientid, gives each certificate one session of its own, whatever id the client asks for', async () => {
    const s = await setup(['floor3-east', 'floor4-west']);
    const owner = await connect(s.url, s.sensors['floor4-west']!.pem, { clientId: 'sensor-floor4-west', protocolVersion: 4 });
    let ownerClosed = false;
    owner.on('close', () => (ownerClosed = true));
    await connect(s.url, s.sensors['floor3-east']!.pem, { clientId: 'sensor-floor4-west', protocolVersion: 4 });

    // The hub's persistent session, and what was queued in it, follow its certificate.
    const away = await connect(s.url, s.hub, { clientId: 'wardsight-hub-ingest', clean: false, protocolVersion: 4 });
    await away.subscribeAsync('wardsight/v1/sensors/+/health', { qos: 1 });
    await away.endAsync();
    await owner.publishAsync('wardsight/v1/sensors/floor4-west/health', 'queued while the hub was away', { qos: 1 });
    const back = mqtt.connect(s.url, { ca: s.hub.ca, cert: s.hub.cert, key: s.hub.key, clientId: 'another-id-altogether', clean: false, protocolVersion: 4, reconnectPeriod: 0 });
    clients.push(back);
    // Listening before the CONNACK: the queued message may come in the same read.
    const queued = new Promise<string>((resolve) => back.once('message', (_topic, payload) => resolve(payload.toString('utf8'))));
    await nextEvent(back, 'connect');
    expect(await queued).toBe('queued while the hub was away');
    expect(ownerClosed).toBe(false);

    // One connection per certificate: a second one closes the first.
    const backGone = nextEvent(back, 'close');
    await connect(s.url, s.hub, { clientId: 'hub-second-connection', protocolVersion: 4 });
    await backGone;
    const log = await readFile(mosquittoLayout(s.brokerDir).logFile, 'utf8');
    expect(log).toMatch(/Client CN=hub,OU=hub,O=Wardsight already connected, closing old connection\./);
  });

  it('with use_identity_as_username, gives a sensor certificate named "hub" the hub\'s rights', async () => {
    const s = await setup(['hub', 'floor3-east'], async (dir) => {
      const layout = mosquittoLayout(dir);
      const conf = await readFile(layout.configFile, 'utf8');
      await writeFile(layout.configFile, conf.replace('use_subject_as_username true', 'use_identity_as_username true'));
      const doc = JSON.parse(await readFile(layout.dynsecFile, 'utf8')) as DynsecDocument;
      // Usernames become the CN alone; the sensor called "hub" is left out, so only the hub's client has that name.
      doc.clients = doc.clients.filter((client) => !client.username.startsWith('CN=hub,OU=sensor')).map((client) => ({ ...client, username: /^CN=([^,]+)/.exec(client.username)![1]! }));
      await writeFile(layout.dynsecFile, JSON.stringify(doc));
    });
    const impostor = await connect(s.url, s.sensors['hub']!.pem, { clientId: 'sensor-hub', protocolVersion: 5 });
    const victim = await connect(s.url, s.sensors['floor3-east']!.pem, { clientId: 'sensor-floor3-east', protocolVersion: 5 });
    await victim.subscribeAsync(commands('floor3-east'), { qos: 1 });
    const received = new Promise<string>((resolve) => victim.once('message', (_topic, payload) => resolve(payload.toString('utf8'))));
    await impostor.publishAsync(commands('floor3-east'), 'from a sensor calling itself hub', { qos: 1 });
    expect(await received).toBe('from a sensor calling itself hub');
  });
});
