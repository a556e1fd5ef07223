/**
 * Sensor identity and revocation on a real Mosquitto, started here with its own configuration in a
 * temporary directory, on a free port, with TLS from a CA made for this file: no certificate, no
 * entry; a sensor cannot write under another sensor's id (refused, logged, never delivered to the
 * hub) nor take over its session by asking for its client id; a revoked sensor is cut off within
 * 5 s and cannot come back; replaced hardware's certificate is refused while the new one works.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureCa, ensureHubClientIdentity, ensureHubServerIdentity, issueCertificate, issueSensorIdentity } from '@wardsight/provisioning';
import type { IdentityPem } from '@wardsight/provisioning';
import { brokerOwner, logOffset, MosquittoAccessControl, mosquittoLayout, startMosquitto, waitForLogLine, writeMosquittoConfig } from '../src/broker/mosquitto.js';
import type { MosquittoProcess } from '../src/broker/mosquitto.js';

const MOSQUITTO = '/usr/sbin/mosquitto';
const present = existsSync(MOSQUITTO);
if (!present) console.warn(`hub/test/mosquitto.test.ts skipped: ${MOSQUITTO} is not installed (apt-get install mosquitto)`);

/** The spec's deadline for cutting off a revoked sensor. */
const CUT_OFF_DEADLINE_MS = 5_000;
/** Connects that get no answer are given up after this: mqtt.js may never settle when TLS refuses the client. */
const CONNECT_TIMEOUT_MS = 5_000;

const topic = (sensorId: string, kind: string) => `wardsight/v1/sensors/${sensorId}/${kind}`;
/** The client id Mosquitto gives a sensor certificate (`use_username_as_clientid`), as it appears in its log. */
const sensorClientId = (sensorId: string) => `CN=${sensorId},OU=sensor,O=Wardsight`;

describe.skipIf(!present)('Mosquitto as the external broker', () => {
  let hubDataDir: string;
  let brokerDir: string;
  let broker: MosquittoProcess;
  let url: string;
  let hub: IdentityPem;
  let access: MosquittoAccessControl;
  const sensors = new Map<string, { pem: IdentityPem; serial: string }>();
  const clients: MqttClient[] = [];

  beforeAll(async () => {
    hubDataDir = await mkdtemp(join(tmpdir(), 'wardsight-hub-data-'));
    brokerDir = await mkdtemp(join(tmpdir(), 'wardsight-mosquitto-'));
    await ensureHubServerIdentity(hubDataDir);
    hub = (await ensureHubClientIdentity(hubDataDir)).pem;
    for (const sensorId of ['floor3-east', 'floor4-west', 'floor5-north', 'floor6-south', 'floor7-east', 'floor8-west', 'hub']) {
      const issued = await issueSensorIdentity(hubDataDir, sensorId, join(hubDataDir, 'bundles', sensorId));
      sensors.set(sensorId, { pem: issued.pem, serial: issued.serial });
    }
    await writeMosquittoConfig(brokerDir, { hubDataDir, host: '127.0.0.1', port: 0, sensors: ['floor3-east', 'floor4-west', 'floor5-north', 'floor6-south', 'floor8-west'] });
    broker = await startMosquitto(brokerDir);
    url = `mqtts://127.0.0.1:${broker.port}`;
    access = await MosquittoAccessControl.open({ hubDataDir, configDir: brokerDir, url, reload: () => broker.reload() });
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.end(true);
  });

  afterAll(async () => {
    await access?.close();
    await broker?.stop();
    await Promise.all([hubDataDir, brokerDir].filter(Boolean).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  function sensor(sensorId: string): IdentityPem {
    const found = sensors.get(sensorId);
    if (!found) throw new Error(`no identity issued for ${sensorId}`);
    return found.pem;
  }

  /** A connected client, or the error that refused it; never waits longer than CONNECT_TIMEOUT_MS. */
  async function connect(identity: Partial<IdentityPem> & { ca: string }, options: IClientOptions): Promise<MqttClient> {
    const client = mqtt.connect(url, { ca: identity.ca, cert: identity.cert, key: identity.key, rejectUnauthorized: true, reconnectPeriod: 0, connectTimeout: CONNECT_TIMEOUT_MS, ...options });
    clients.push(client);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no CONNACK within ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS);
      client.once('connect', () => {
        clearTimeout(timer);
        resolve(client);
      });
      client.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  /**
   * The hub's subscriber, recording every report it receives. One at a time: every connection with
   * the hub's certificate has the same client id, and a second one would close the first.
   */
  async function hubSubscriber(kind: string): Promise<{ client: MqttClient; received: string[]; next: (wanted: string) => Promise<void> }> {
    const client = await connect(hub, { clientId: `hub-test-${kind}`, protocolVersion: 5 });
    const received: string[] = [];
    const waiting: { wanted: string; resolve: () => void }[] = [];
    client.on('message', (t, payload) => {
      const entry = `${t} ${payload.toString('utf8')}`;
      received.push(entry);
      for (const w of waiting.filter((w) => w.wanted === entry)) w.resolve();
    });
    const [grant] = await client.subscribeAsync(`wardsight/v1/sensors/+/${kind}`, { qos: 1 });
    expect(grant?.qos).toBe(1);
    return {
      client,
      received,
      next: (wanted) => (received.includes(wanted) ? Promise.resolve() : new Promise((resolve) => waiting.push({ wanted, resolve }))),
    };
  }

  /** The SUBACK codes for `filters`, in order: the QoS granted, or the code of the refusal. */
  async function subackCodes(client: MqttClient, filters: string[]): Promise<number[]> {
    try {
      return (await client.subscribeAsync(filters, { qos: 1 })).map((grant) => grant.qos);
    } catch (error) {
      // mqtt.js rejects when any filter is refused, with the SUBACK attached.
      const granted = (error as { packet?: { granted?: (number | { qos: number })[] } }).packet?.granted;
      if (!granted) throw error;
      return granted.map((grant) => (typeof grant === 'number' ? grant : grant.qos));
    }
  }

  it('writes a configuration that requires certificates, owned by the account Mosquitto runs as', async () => {
    const layout = mosquittoLayout(brokerDir);
    const conf = await readFile(layout.configFile, 'utf8');
    for (const line of ['allow_anonymous false', 'require_certificate true', 'use_subject_as_username true', 'use_username_as_clientid true', 'tls_version tlsv1.2', 'persistence true', 'log_type debug', `crlfile ${layout.crlFile}`]) {
      expect(conf.split('\n')).toContain(line);
    }
    expect((await stat(layout.keyFile)).mode & 0o777).toBe(0o600);
    const owner = await brokerOwner('mosquitto');
    if (owner) expect((await stat(layout.keyFile)).uid).toBe(owner.uid);
    await expect(writeMosquittoConfig(join(hubDataDir, 'a broker'), { hubDataDir, port: 0, host: '127.0.0.1' })).rejects.toMatchObject({ code: 'HUB_ERR_MOSQUITTO_CONFIG' });
  });

  it('refuses a client without a certificate, and one from another CA', async () => {
    const offset = await logOffset(broker.logFile);
    await expect(connect({ ca: hub.ca }, { clientId: 'no-certificate' })).rejects.toThrow(/certificate required|handshake|socket|ECONNRESET/i);

    const stranger = await issueCertificate(await ensureCa(join(hubDataDir, 'other-ca')), { commonName: 'floor3-east', role: 'sensor', usage: 'client' });
    await expect(connect({ ca: hub.ca, cert: stranger.certPem, key: stranger.keyPem }, { clientId: 'sensor-floor3-east' })).rejects.toThrow(/unknown ca|certificate/i);

    expect(await waitForLogLine(broker.logFile, offset, /peer did not return a certificate/, CONNECT_TIMEOUT_MS)).not.toBeNull();
    expect(await waitForLogLine(broker.logFile, offset, /certificate verify failed/, CONNECT_TIMEOUT_MS)).not.toBeNull();
  });

  for (const protocolVersion of [4, 5] as const) {
    it(`drops and logs a publish under another sensor's id (MQTT ${protocolVersion === 4 ? '3.1.1' : '5'}); the hub never receives it`, async () => {
      const reports = await hubSubscriber(`observations`);
      const forger = await connect(sensor('floor3-east'), { clientId: `sensor-floor3-east`, protocolVersion });
      const victim = await connect(sensor('floor4-west'), { clientId: `sensor-floor4-west`, protocolVersion });
      const offset = await logOffset(broker.logFile);
      const forged = `forged over MQTT ${protocolVersion}`;

      const attempt = forger.publishAsync(topic('floor4-west', 'observations'), forged, { qos: 1 });
      if (protocolVersion === 4) {
        // MQTT 3.1.1 has no reason code in PUBACK: Mosquitto acknowledges and drops the message.
        await expect(attempt).resolves.toBeDefined();
      } else {
        await expect(attempt).rejects.toMatchObject({ code: 135, message: expect.stringMatching(/Not authorized/) as unknown });
      }
      // The client id in the log is the forger's certificate subject, whatever id it asked for.
      const denied = await waitForLogLine(broker.logFile, offset, /Denied PUBLISH from CN=floor3-east,OU=sensor,O=Wardsight .*'wardsight\/v1\/sensors\/floor4-west\/observations'/, CONNECT_TIMEOUT_MS);
      expect(denied).toMatch(/^\S+: Denied PUBLISH from CN=floor3-east,OU=sensor,O=Wardsight \(d0, q1, r0, m\d+, 'wardsight\/v1\/sensors\/floor4-west\/observations', \.\.\. \(\d+ bytes\)\)$/);

      // The owner's own report is delivered after the forged one was refused: had the forged one
      // been let through, it would have arrived first on the hub's one ordered connection.
      const genuine = `genuine over MQTT ${protocolVersion}`;
      await victim.publishAsync(topic('floor4-west', 'observations'), genuine, { qos: 1 });
      await reports.next(`${topic('floor4-west', 'observations')} ${genuine}`);
      expect(reports.received).toEqual([`${topic('floor4-west', 'observations')} ${genuine}`]);
    });
  }

  it("does not let a sensor take over another's session by asking for its client id", async () => {
    const owner = await connect(sensor('floor4-west'), { clientId: 'sensor-floor4-west', protocolVersion: 4 });
    let ownerClosed = false;
    owner.on('close', () => (ownerClosed = true));
    await owner.subscribeAsync(topic('floor4-west', 'commands'), { qos: 1 });
    const offset = await logOffset(broker.logFile);
    const usurper = await connect(sensor('floor3-east'), { clientId: 'sensor-floor4-west', protocolVersion: 4 });
    expect(await waitForLogLine(broker.logFile, offset, new RegExp(`New client connected from \\S+ as ${sensorClientId('floor3-east')} `), CONNECT_TIMEOUT_MS)).not.toBeNull();

    // The owner still gets its commands, on the connection it had: the usurper sits in its own session.
    const leaked: string[] = [];
    usurper.on('message', (t) => leaked.push(t));
    const reports = await hubSubscriber('status');
    const command = new Promise<string>((resolve) => owner.once('message', (_t, payload) => resolve(payload.toString('utf8'))));
    await reports.client.publishAsync(topic('floor4-west', 'commands'), 'for floor4-west only', { qos: 1 });
    expect(await command).toBe('for floor4-west only');
    expect(ownerClosed).toBe(false);
    expect(leaked).toEqual([]);
  });

  it("refuses a sensor the other sensors' commands and the hub's reading rights", async () => {
    const nosy = await connect(sensor('floor3-east'), { clientId: 'sensor-floor3-east', protocolVersion: 4 });
    const filters = [topic('floor4-west', 'commands'), 'wardsight/v1/sensors/+/observations', '#', topic('floor3-east', 'commands')];
    // MQTT 3.1.1 SUBACK: 0x80 is "failure" (OASIS MQTT 3.1.1 §3.9.3).
    expect(await subackCodes(nosy, filters)).toEqual([128, 128, 128, 1]);
  });

  it('gives a sensor certificate named "hub" none of the hub\'s rights', async () => {
    const impostor = await connect(sensor('hub'), { clientId: 'sensor-hub', protocolVersion: 5 });
    await expect(impostor.publishAsync(topic('floor3-east', 'commands'), 'shut down', { qos: 1 })).rejects.toMatchObject({ code: 135 });
    // MQTT 5 SUBACK reason code 0x87, "Not authorized" (OASIS MQTT 5.0 §3.9.3).
    expect(await subackCodes(impostor, ['wardsight/v1/sensors/+/observations'])).toEqual([135]);
  });

  it('lets the hub command a sensor, and a sensor admitted at run time report', async () => {
    const reports = await hubSubscriber('health');
    const newcomer = await connect(sensor('floor7-east'), { clientId: 'sensor-floor7-east', protocolVersion: 5 });
    await expect(newcomer.publishAsync(topic('floor7-east', 'health'), 'before', { qos: 1 })).rejects.toMatchObject({ code: 135 });

    await access.admit('floor7-east');
    await access.admit('floor7-east');
    const [grant] = await newcomer.subscribeAsync(topic('floor7-east', 'commands'), { qos: 1 });
    expect(grant?.qos).toBe(1);
    const command = new Promise<string>((resolve) => newcomer.once('message', (_t, payload) => resolve(payload.toString('utf8'))));
    await reports.client.publishAsync(topic('floor7-east', 'commands'), 'ack 1', { qos: 1 });
    expect(await command).toBe('ack 1');

    await newcomer.publishAsync(topic('floor7-east', 'health'), 'after', { qos: 1 });
    await reports.next(`${topic('floor7-east', 'health')} after`);
    expect(reports.received).toEqual([`${topic('floor7-east', 'health')} after`]);
  });

  it('cuts a revoked sensor off within 5 s and keeps it out, while the others stay connected', async () => {
    const revoked = sensors.get('floor5-north')!;
    // Reconnects as a sensor does, quickly and for ever: it must not get back in.
    const cutOff = await connect(revoked.pem, { clientId: 'sensor-floor5-north', protocolVersion: 4, reconnectPeriod: 200 });
    const bystander = await connect(sensor('floor6-south'), { clientId: 'sensor-floor6-south', protocolVersion: 4 });
    let reconnected = 0;
    const refusals: string[] = [];
    cutOff.on('connect', () => (reconnected += 1));
    cutOff.on('error', (error) => refusals.push(error.message));
    const closed = new Promise<number>((resolve) => cutOff.once('close', () => resolve(Date.now())));
    const offset = await logOffset(broker.logFile);

    const started = Date.now();
    await access.revoke('floor5-north', revoked.serial);
    expect((await closed) - started).toBeLessThan(CUT_OFF_DEADLINE_MS);
    expect(await waitForLogLine(broker.logFile, offset, new RegExp(`Client ${sensorClientId('floor5-north')} been disconnected by administrative action`), CONNECT_TIMEOUT_MS)).not.toBeNull();

    // Several reconnect attempts go by; each is refused at the TLS handshake.
    expect(await waitForLogLine(broker.logFile, offset, /certificate verify failed/, CONNECT_TIMEOUT_MS)).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    cutOff.end(true);
    expect(reconnected).toBe(0);
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals.every((message) => /certificate revoked/.test(message))).toBe(true);
    await expect(connect(revoked.pem, { clientId: 'sensor-floor5-north', protocolVersion: 5 })).rejects.toThrow(/certificate revoked/);

    expect(bystander.connected).toBe(true);
    await bystander.publishAsync(topic('floor6-south', 'status'), 'online', { qos: 1 });
  });

  it("retires replaced hardware's certificate: the old one is cut off and refused, the new one keeps the sensor's rights", async () => {
    const old = sensors.get('floor8-west')!;
    const replacement = await issueSensorIdentity(hubDataDir, 'floor8-west', join(hubDataDir, 'bundles', 'floor8-west-new'));
    const cutOff = await connect(old.pem, { clientId: 'sensor-floor8-west', protocolVersion: 4 });
    const closed = new Promise<number>((resolve) => cutOff.once('close', () => resolve(Date.now())));

    const started = Date.now();
    await access.retire('floor8-west', old.serial);
    expect((await closed) - started).toBeLessThan(CUT_OFF_DEADLINE_MS);
    await expect(connect(old.pem, { clientId: 'sensor-floor8-west', protocolVersion: 5 })).rejects.toThrow(/certificate revoked/);

    const reports = await hubSubscriber('behaviour');
    const fresh = await connect(replacement.pem, { clientId: 'sensor-floor8-west', protocolVersion: 5 });
    const [grant] = await fresh.subscribeAsync(topic('floor8-west', 'commands'), { qos: 1 });
    expect(grant?.qos).toBe(1);
    await fresh.publishAsync(topic('floor8-west', 'behaviour'), 'new hardware', { qos: 1 });
    await reports.next(`${topic('floor8-west', 'behaviour')} new hardware`);
  });

  it('revokes a sensor that was never admitted, and revokes twice without harm', async () => {
    const stray = sensors.get('hub')!;
    const connected = await connect(stray.pem, { clientId: 'sensor-hub', protocolVersion: 4 });
    const closed = new Promise<void>((resolve) => connected.once('close', () => resolve()));
    await access.revoke('hub', stray.serial);
    await closed;
    await access.revoke('hub', stray.serial);
    await expect(connect(stray.pem, { clientId: 'sensor-hub', protocolVersion: 4 })).rejects.toThrow(/certificate revoked/);
  });
});
