/**
 * The embedded broker checks client certificates against the hub's revocation list: once the
 * register revokes or replaces a sensor, a new TLS handshake with the retired certificate is refused
 * by OpenSSL's verdict (CERT_REVOKED) before a byte of MQTT is read, also after a hub restart; other
 * certificates are unaffected. A real hub over TLS, sensors enrolled over HTTPS the way a real one
 * enrols.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import mqtt from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrol } from '@wardsight/appliance';
import { isRevoked, readCrl, type IdentityPem } from '@wardsight/provisioning';
import { startHub, type RunningHub } from '../src/hub.js';

interface LogLine {
  msg: string;
  why?: string;
  tlsError?: string;
  serial?: string;
  clientId?: string;
}

interface Sensor {
  pem: IdentityPem;
  serial: string;
}

/** An MQTT 3.1.1 CONNECT with a clean session and this client id (OASIS MQTT 3.1.1 §3.1). */
function connectPacket(clientId: string): Buffer {
  const id = Buffer.from(clientId, 'utf8');
  const variable = Buffer.from([0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x04, 0x02, 0x00, 0x3c]);
  const rest = Buffer.concat([variable, Buffer.from([id.length >> 8, id.length & 0xff]), id]);
  return Buffer.concat([Buffer.from([0x10, rest.length]), rest]);
}

describe('the embedded broker refuses revoked certificates at the TLS handshake', () => {
  let dir: string;
  let hub: RunningHub;
  const lines: LogLine[] = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line) as LogLine);
        done();
      },
    }),
  );
  const start = () => startHub({ dataDir: dir, host: '127.0.0.1', mqttPort: 0, apiPort: 0 }, logger);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wardsight-broker-crl-'));
    hub = await start();
  });
  afterAll(async () => {
    await hub?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Registered, then enrolled over HTTPS with a key made here, as a sensor does on first boot. */
  async function enrolSensor(sensorId: string, token?: string): Promise<Sensor> {
    const issued = token ?? (await hub.registry.add({ id: sensorId, location: { site: 'test', floor: '1' }, by: 'test' })).token;
    const tlsDir = await mkdtemp(join(dir, `tls-${sensorId}-`));
    await writeFile(join(tlsDir, 'ca.crt'), await readFile(hub.caFile, 'utf8'));
    await enrol({ enrolUrl: hub.apiUrl, token: issued, tlsDir });
    const [ca, cert, key] = await Promise.all(['ca.crt', 'sensor.crt', 'sensor.key'].map((f) => readFile(join(tlsDir, f), 'utf8')));
    const record = await hub.registry.get(sensorId);
    return { pem: { ca: ca ?? '', cert: cert ?? '', key: key ?? '' }, serial: record?.certificate?.serial ?? '' };
  }

  /** A TLS handshake with `sensor`'s certificate, then an MQTT CONNECT: what came back before the close. */
  function handshake(sensor: Sensor, clientId: string): Promise<{ received: Buffer; error: string | null }> {
    const url = new URL(hub.mqttUrl);
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let error: string | null = null;
      const socket = tlsConnect({ host: url.hostname, port: Number(url.port), ca: sensor.pem.ca, cert: sensor.pem.cert, key: sensor.pem.key, servername: 'localhost' });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error('the broker neither answered nor closed within 5 s'));
      }, 5_000);
      socket.on('secureConnect', () => socket.write(connectPacket(clientId)));
      socket.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        // A CONNACK (type 2) came: the MQTT layer answered; end here.
        socket.end();
      });
      socket.on('error', (err) => (error = err.message));
      socket.on('close', () => {
        clearTimeout(timer);
        resolve({ received: Buffer.concat(chunks), error });
      });
    });
  }

  const refusals = (serial: string) => lines.filter((l) => l.msg === 'connection refused' && l.serial === serial);

  it('lets an enrolled sensor in, then refuses its certificate at the handshake once it is revoked', async () => {
    const sensor = await enrolSensor('ward-crl');
    const before = await handshake(sensor, 'sensor-ward-crl');
    // CONNACK, return code 0 (OASIS MQTT 3.1.1 §3.2).
    expect([...before.received]).toEqual([0x20, 0x02, 0x00, 0x00]);

    const live = await mqtt.connectAsync(hub.mqttUrl, { clientId: 'sensor-ward-crl', protocolVersion: 4, ca: sensor.pem.ca, cert: sensor.pem.cert, key: sensor.pem.key, reconnectPeriod: 0 });
    const closed = new Promise<void>((resolve) => live.once('close', () => resolve()));
    await hub.registry.revoke('ward-crl', 'test');
    await closed;
    await expect.poll(async () => isRevoked((await readCrl(dir))!, sensor.serial), { timeout: 5_000 }).toBe(true);

    const after = await handshake(sensor, 'sensor-ward-crl');
    expect(after.received.length).toBe(0);
    const refused = refusals(sensor.serial);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ tlsError: 'CERT_REVOKED', why: 'sensor ward-crl is revoked' });
    // Refused before MQTT: the MQTT layer's refusals name the client id; this one never got that far.
    expect(refused[0]?.clientId).toBeUndefined();
  });

  it("refuses a replaced sensor's old certificate at the handshake; the new one and other sensors connect", async () => {
    const bystander = await enrolSensor('ward-ok');
    const old = await enrolSensor('ward-swap');
    const { token } = await hub.registry.replace('ward-swap', 'test');
    await expect.poll(async () => isRevoked((await readCrl(dir))!, old.serial), { timeout: 5_000 }).toBe(true);
    const fresh = await enrolSensor('ward-swap', token);

    expect((await handshake(old, 'sensor-ward-swap')).received.length).toBe(0);
    expect(refusals(old.serial)[0]).toMatchObject({ tlsError: 'CERT_REVOKED' });
    expect([...(await handshake(fresh, 'sensor-ward-swap')).received]).toEqual([0x20, 0x02, 0x00, 0x00]);
    expect([...(await handshake(bystander, 'sensor-ward-ok')).received]).toEqual([0x20, 0x02, 0x00, 0x00]);
  });

  it('still refuses a revoked certificate at the handshake after the hub restarts', async () => {
    const sensor = await enrolSensor('ward-gone');
    await hub.registry.revoke('ward-gone', 'test');
    await expect.poll(async () => isRevoked((await readCrl(dir))!, sensor.serial), { timeout: 5_000 }).toBe(true);
    await hub.close();
    hub = await start();
    const count = refusals(sensor.serial).length;
    expect((await handshake(sensor, 'sensor-ward-gone')).received.length).toBe(0);
    expect(refusals(sensor.serial).slice(count)).toEqual([expect.objectContaining({ tlsError: 'CERT_REVOKED' })]);
  });
});
