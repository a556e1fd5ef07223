/**
 * Test harness: real hubs on loopback with free ports, real sensor identities from the hub's CA,
 * HTTPS requests that verify the hub's certificate. Nothing here is a stand-in.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { pino, type Logger } from 'pino';
import { enrol } from '@wardsight/appliance';
import { readAdminCredential, startHub, type RunningHub } from '@wardsight/hub';
import type { Location } from '@wardsight/protocol';

export function quietLogger(): Logger {
  return pino({ level: process.env.WARDSIGHT_TEST_LOG ?? 'silent' });
}

export async function tempDir(prefix = 'wardsight-test-'): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

export async function startTestHub(dataDir: string): Promise<RunningHub> {
  return startHub({ dataDir, host: '127.0.0.1', mqttPort: 0, apiPort: 0 }, quietLogger());
}

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
}

/** GET on the hub's API over verified HTTPS; `auth` 'admin' uses the hub's credential file, a pair uses that pair, null sends none. */
export async function apiGet<T = unknown>(hub: RunningHub, path: string, auth: 'admin' | { username: string; password: string } | null = 'admin'): Promise<ApiResponse<T>> {
  const ca = await readFile(hub.caFile, 'utf8');
  const credential = auth === 'admin' ? await readAdminCredential(hub.credentialFile) : auth;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (credential) headers.authorization = `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`;
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, hub.apiUrl), { agent: new Agent({ ca }), headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON (the HTML page): keep the text
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: body as T });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

export interface EnrolledSensor {
  tlsDir: string;
  pem: { ca: string; cert: string; key: string };
}

/**
 * A sensor registered at the hub and enrolled the way a real one is: a token from the register, a
 * key made here, a certificate request over verified HTTPS.
 */
export async function enrolTestSensor(hub: RunningHub, sensorId: string, dir: string, location: Location = { site: 'test', floor: '1' }): Promise<EnrolledSensor> {
  const { token } = await hub.registry.add({ id: sensorId, location, by: 'test' });
  const tlsDir = join(dir, `tls-${sensorId}`);
  await mkdir(tlsDir, { recursive: true, mode: 0o700 });
  await writeFile(join(tlsDir, 'ca.crt'), await readFile(hub.caFile, 'utf8'));
  await enrol({ enrolUrl: hub.apiUrl, token, tlsDir });
  const [ca, cert, key] = await Promise.all(['ca.crt', 'sensor.crt', 'sensor.key'].map((f) => readFile(join(tlsDir, f), 'utf8')));
  return { tlsDir, pem: { ca: ca ?? '', cert: cert ?? '', key: key ?? '' } };
}

/** An MQTT client holding a real sensor certificate, enrolled at the hub. */
export async function connectAsSensor(hub: RunningHub, sensorId: string, dir: string): Promise<MqttClient> {
  const issued = await enrolTestSensor(hub, sensorId, dir);
  const client = mqtt.connect(hub.mqttUrl, {
    clientId: `sensor-${sensorId}`,
    protocolVersion: 4,
    ca: issued.pem.ca,
    cert: issued.pem.cert,
    key: issued.pem.key,
    reconnectPeriod: 0,
    connectTimeout: 5000,
  });
  await withTimeout(
    new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    }),
    8000,
    `sensor ${sensorId} could not connect`,
  );
  return client;
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} (after ${ms} ms)`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e as Error);
      },
    );
  });
}

/** Polls `probe` until it returns a value other than undefined, or fails after `ms`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not happen within ${ms} ms${last ? `: ${(last as Error).message}` : ''}`);
}
