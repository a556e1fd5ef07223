/**
 * A sensor's state and health at the hub, end to end with real parts: enrolled sensor certificates,
 * MQTT over TLS to the hub's broker (status with a last will, retained health), the hub's store,
 * the HTTPS API, and the dashboard page as a headless Chromium renders it. The sensor shows online
 * with its health, its health goes stale when reports stop, and it shows offline once its
 * connection breaks without a goodbye (the broker publishes its last will).
 */
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAdminCredential, type RunningHub } from '@wardsight/hub';
import { encodeMessage, topicFor, type Health, type Location, type Status } from '@wardsight/protocol';
import { apiGet, connectAsSensor, enrolTestSensor, eventually, startTestHub, tempDir, withTimeout } from '@wardsight/test';

interface SensorView {
  id: string;
  state: 'online' | 'offline' | 'unknown';
  location: Location | null;
  version: string | null;
  health: Health | null;
  healthAt: string | null;
  stale: boolean;
}

const ICU: Location = { site: 'St Mary', building: 'North', floor: '3', zone: 'ICU east' };
/** A sensor whose location text must reach the page as text, never as markup. */
const WARD: Location = { site: 'St Mary <b>annex</b>', floor: '5' };
const envelope = (sensorId: string, seq: number) => ({ v: 1 as const, sensorId, seq, sentAt: new Date().toISOString() });
const status = (sensorId: string, seq: number, state: Status['state'], location: Location): Status => ({ ...envelope(sensorId, seq), state, location, version: '0.1.0' });

const icuHealth = (seq: number): Health => ({
  ...envelope('icu-east-3', seq),
  version: '0.1.0',
  uptimeS: 3600,
  memRssMB: 82.4,
  peakRssMB: 97.1,
  cpuPct: 3.1,
  devices: 17,
  outboxDepth: 2,
  capture: { packets: 120_000, received: 120_050, dropped: 3, ifDropped: 1, malformed: 4, fragments: 0, queueDrops: 0, lost: 0, restarts: 0 },
  location: ICU,
  healthIntervalS: 30,
  cpuLoadPct: 12.5,
  loadAvg: [0.42, 0.35, 0.3],
  temperatureC: 51.1,
  memory: { totalMB: 3978.3, usedMB: 612.9, availableMB: 3365.4 },
  disk: { path: '/var/lib/wardsight', totalMB: 29_804.2, usedMB: 4_110.7, freeMB: 24_166.1 },
  clockOffsetMs: -187.5,
  outbox: { depth: 2, bytes: 9_412, budgetBytes: 268_435_456, shedMessages: 0, coalesced: 5 },
});

/** A sensor that sends the first health fields only, and its interval: every second. */
const wardHealth = (seq: number) => ({
  ...envelope('ward-5', seq),
  version: '0.0.9',
  uptimeS: 75,
  memRssMB: 60,
  peakRssMB: 61,
  cpuPct: null,
  devices: 2,
  outboxDepth: 0,
  capture: { packets: 10, received: 10, dropped: 0, ifDropped: 0, malformed: 0, queueDrops: 0, lost: 0, restarts: 0 },
  location: WARD,
  healthIntervalS: 1,
});

function publish(client: MqttClient, topic: string, payload: Buffer, qos: 0 | 1): Promise<void> {
  return withTimeout(new Promise<void>((resolve, reject) => client.publish(topic, payload, { qos, retain: true }, (err) => (err ? reject(err) : resolve()))), 5000, `publish on ${topic}`);
}

/** A sensor's MQTT session with its last will: the retained offline status the broker sends for it. */
async function connectWithWill(hub: RunningHub, sensorId: string, dir: string, will: Status): Promise<MqttClient> {
  const { pem } = await enrolTestSensor(hub, sensorId, dir, will.location);
  const client = mqtt.connect(hub.mqttUrl, {
    clientId: `sensor-${sensorId}`,
    protocolVersion: 4,
    ...pem,
    reconnectPeriod: 0,
    connectTimeout: 5000,
    will: { topic: topicFor(sensorId, 'status'), payload: encodeMessage(will), qos: 1, retain: true },
  });
  await withTimeout(new Promise<void>((resolve, reject) => client.once('connect', () => resolve()).once('error', reject)), 8000, `sensor ${sensorId} could not connect`);
  return client;
}

async function sensorsFromApi(hub: RunningHub): Promise<Map<string, SensorView>> {
  const res = await apiGet<{ sensors: SensorView[]; count: number }>(hub, '/api/v1/sensors');
  expect(res.status).toBe(200);
  return new Map(res.body.sensors.map((s) => [s.id, s]));
}

/** The text of each `data-field` cell of a sensor's row on the freshly loaded dashboard. */
async function dashboardRow(page: Page, hub: RunningHub, sensorId: string): Promise<{ state: string | null; stale: string | null; cells: Record<string, string> }> {
  const response = await page.goto(hub.apiUrl, { waitUntil: 'load' });
  expect(response?.status()).toBe(200);
  const row = page.locator(`#sensors tr[data-sensor="${sensorId}"]`);
  await row.waitFor({ timeout: 5000 });
  const cells: Record<string, string> = {};
  for (const cell of await row.locator('td[data-field]').all()) cells[(await cell.getAttribute('data-field')) ?? ''] = (await cell.innerText()).trim();
  return { state: await row.getAttribute('data-state'), stale: await row.getAttribute('data-stale'), cells };
}

describe('sensor state and health at the hub', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let hub: RunningHub;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let icu: MqttClient;
  let ward: MqttClient;

  beforeAll(async () => {
    dir = await tempDir();
    hub = await startTestHub(join(dir.path, 'hub'));
    const admin = await readAdminCredential(hub.credentialFile);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
    // The hub's certificate is signed by its own CA, which this browser profile does not hold.
    context = await browser.newContext({ httpCredentials: { username: admin.username, password: admin.password }, ignoreHTTPSErrors: true });
    page = await context.newPage();

    // As a real sensor numbers them: the connection's online status, then its will (newer, so the hub takes it when it comes).
    icu = await connectWithWill(hub, 'icu-east-3', dir.path, status('icu-east-3', 2, 'offline', ICU));
    await publish(icu, topicFor('icu-east-3', 'status'), encodeMessage(status('icu-east-3', 1, 'online', ICU)), 1);
    await publish(icu, topicFor('icu-east-3', 'health'), encodeMessage(icuHealth(3)), 0);
    ward = await connectAsSensor(hub, 'ward-5', dir.path);
    await publish(ward, topicFor('ward-5', 'status'), encodeMessage(status('ward-5', 1, 'online', WARD)), 1);
    await publish(ward, topicFor('ward-5', 'health'), Buffer.from(JSON.stringify(wardHealth(2))), 0);
  });

  afterAll(async () => {
    await browser?.close();
    icu?.end(true);
    ward?.end(true);
    await hub?.close();
    await dir?.remove();
  });

  it('lists the sensor online with its latest health, every field as sent, and when it arrived', async () => {
    const sent = icuHealth(3);
    const view = await eventually(async () => {
      const s = (await sensorsFromApi(hub)).get('icu-east-3');
      return s?.health && s.state === 'online' ? s : undefined;
    }, 10_000, 'health of icu-east-3 at the hub');
    expect(view).toMatchObject({ id: 'icu-east-3', state: 'online', location: ICU, version: '0.1.0', stale: false });
    expect(view.health).toEqual({ ...sent, sentAt: view.health!.sentAt });
    expect(Date.now() - Date.parse(view.healthAt!)).toBeLessThan(60_000);
  });

  it('keeps a report without the later fields as it came, and calls its health stale after three of its intervals without one', async () => {
    const view = await eventually(async () => {
      const s = (await sensorsFromApi(hub)).get('ward-5');
      return s?.stale ? s : undefined;
    }, 15_000, 'stale health of ward-5 (interval 1 s)');
    expect(view.health).toMatchObject({ devices: 2, healthIntervalS: 1 });
    expect(view.health).not.toHaveProperty('memory');
    expect(Date.now() - Date.parse(view.healthAt!)).toBeGreaterThan(3000);
    expect((await sensorsFromApi(hub)).get('icu-east-3')?.stale).toBe(false);
  });

  it('shows the sensor online on the dashboard with its location and health', async () => {
    const view = (await sensorsFromApi(hub)).get('icu-east-3')!;
    const { state, stale, cells } = await dashboardRow(page, hub, 'icu-east-3');
    expect(state).toBe('online');
    expect(stale).toBeNull();
    expect(cells).toEqual({
      id: 'icu-east-3',
      location: 'St Mary · North · floor 3 · ICU east',
      state: 'online',
      'health-at': `${view.healthAt!.slice(0, 19).replace('T', ' ')} UTC`,
      cpu: '12.5 % (load 0.42 0.35 0.30)',
      temperature: '51.1 °C',
      memory: '613 MB of 3,978 MB',
      disk: '24.2 GB free of 29.8 GB',
      packets: '120,000',
      drops: '4',
      outbox: '2',
      clock: '−188 ms',
      version: '0.1.0',
      uptime: '1 h',
    });
    await expect(page.locator('#sensors-section h2').innerText()).resolves.toBe('Sensors');
    await expect(page.locator('#sensors-online').innerText()).resolves.toBe('2');
  });

  it('shows what a sensor did not report as absent, its location as text, and its health as stale', async () => {
    const { stale, cells } = await dashboardRow(page, hub, 'ward-5');
    expect(stale).toBe('true');
    expect(cells).toMatchObject({ location: 'St Mary <b>annex</b> · floor 5', cpu: '—', temperature: '—', memory: '—', disk: '—', clock: '—', version: '0.0.9', uptime: '1 min 15 s' });
    expect(await page.locator('#sensors b').count()).toBe(0);
  });

  it('shows the sensor offline once its connection breaks without a goodbye', async () => {
    // No DISCONNECT packet: the broker sees the socket close and publishes the sensor's last will.
    icu.stream.destroy();
    const view = await eventually(async () => {
      const s = (await sensorsFromApi(hub)).get('icu-east-3');
      return s?.state === 'offline' ? s : undefined;
    }, 10_000, 'icu-east-3 offline at the hub');
    // The latest health stays on show beside the state.
    expect(view.health?.seq).toBe(3);
    const { state, cells } = await dashboardRow(page, hub, 'icu-east-3');
    expect(state).toBe('offline');
    expect(cells.state).toBe('offline');
    expect(cells.temperature).toBe('51.1 °C');
    await expect(page.locator('#sensors-online').innerText()).resolves.toBe('1');
  });
});
