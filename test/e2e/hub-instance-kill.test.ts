/**
 * A hub instance killed mid-stream: instance a (running Mosquitto) and instance b (joined to it) as
 * `wardsight hub` processes on one PostgreSQL, fifty simulated sensors of the hub benchmark's fleet
 * publishing through a's broker. b gets SIGKILL while batches are on the way; the sensors go on,
 * then stop and send again whatever stays unacknowledged. Every batch published must end up applied
 * exactly once in the shared store — none lost with b, none twice — and acknowledged to its sensor.
 */
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchSensorId, FleetProcess, HubApi, hubInstancesAvailable, inParallel, startHubInstances, type FleetPlan, type FleetResult, type HubChild, type HubInstances } from '@wardsight/bench';
import { eventually } from '@wardsight/test';

const available = hubInstancesAvailable();
if (!available) console.warn('[skipped] hub instance kill: PostgreSQL server binaries or /usr/sbin/mosquitto are not installed');

/** The repository root, from this file's place in test/e2e: the hubs run as `bin/wardsight.js hub`. */
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const SENSORS = 50;
const DEVICES_PER_SENSOR = 4;
/** Small batches, and few in flight across the fleet, keep the stream steady and the test short. */
const BATCH = 8;
const FLEET_IN_FLIGHT = 30;
/** A batch unacknowledged this long goes again (the appliance waits 30 s; a test need not). */
const CONFIRM_TIMEOUT_MS = 1500;
const BEFORE_KILL_MS = 3000;
const AFTER_KILL_MS = 3000;
const DRAIN_MS = 40_000;

interface Health {
  ingest: { received: number; applied: number; duplicates: number; observationsApplied: number; rejected: Record<string, number> };
}

const health = async (hub: HubChild): Promise<Health['ingest']> => {
  const api = new HubApi(hub.endpoint.apiUrl, hub.ca, hub.credential);
  try {
    return (await api.call<Health>('GET', '/api/v1/health', 200)).ingest;
  } finally {
    api.close();
  }
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!available)('a hub instance killed while sensors publish through the shared broker', () => {
  let shared: HubInstances;
  let fleet: FleetProcess | undefined;
  let a: HubChild;
  let b: HubChild;

  beforeAll(async () => {
    shared = await startHubInstances({ repo: REPO, instances: 2, startMs: 60_000, stopMs: 30_000 });
    a = shared.instances[0]!.hub;
    b = shared.instances[1]!.hub;
    const api = new HubApi(a.endpoint.apiUrl, a.ca, a.credential);
    let tokens: string[];
    try {
      tokens = await inParallel(
        Array.from({ length: SENSORS }, (_, i) => i),
        8,
        async (i) => (await api.call<{ token: string }>('POST', '/api/v1/provisioning/sensors', 201, { id: benchSensorId(i), location: { site: 'Kill Test', floor: String(i % 5) } })).token,
      );
    } finally {
      api.close();
    }
    const plan: FleetPlan = {
      apiUrl: a.endpoint.apiUrl,
      mqttUrl: a.endpoint.mqttUrl,
      ca: a.ca,
      sensors: tokens.map((token, index) => ({ id: benchSensorId(index), index, token })),
      totalSensors: SENSORS,
      devicesPerSensor: DEVICES_PER_SENSOR,
      seed: 7,
      batch: BATCH,
      inFlight: 2,
      window: FLEET_IN_FLIGHT,
      confirmTimeoutMs: CONFIRM_TIMEOUT_MS,
      enrolConcurrency: 8,
      connectConcurrency: 50,
      reportDevices: true,
      reportBatches: true,
    };
    fleet = (await FleetProcess.start(plan)).fleet;
  });
  afterAll(async () => {
    fleet?.kill();
    await shared?.stop();
  });

  it('loses nothing and applies nothing twice', async () => {
    const running = fleet!;
    running.go();
    await sleep(BEFORE_KILL_MS);
    // b has been taking its share of the stream: the kill lands mid-stream, not on an idle instance.
    await eventually(async () => ((await health(b)).applied > 0 ? true : undefined), 10_000, 'instance b applying batches');
    await b.kill();
    await sleep(AFTER_KILL_MS);
    const stillWaiting = await running.drain(DRAIN_MS);
    const result: FleetResult = await running.stop();
    fleet = undefined;

    expect(stillWaiting).toBe(0);
    expect(result.rejected).toEqual({});
    expect(result.errors).toBe(0);
    const lastSeqs = result.lastSeqs ?? {};
    expect(Object.keys(lastSeqs)).toHaveLength(SENSORS);
    const published = Object.values(lastSeqs).reduce((n, last) => n + last, 0);
    expect(result.publishedBatches).toBe(published);
    expect(result.ackedBatches).toBe(published);
    // What b had taken when it died came back through the sensors' confirm timeout.
    expect(result.resentBatches).toBeGreaterThan(0);

    const client = new pg.Client({ connectionString: shared.store.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ sensor_id: string; seq: string }>("SELECT sensor_id, seq FROM applied WHERE sensor_id LIKE 'bench-%'");
      const applied = new Map<string, number[]>();
      for (const r of rows) applied.set(r.sensor_id, [...(applied.get(r.sensor_id) ?? []), Number(r.seq)]);
      // Each sensor's batches 1 to its last, each once, and nothing it did not publish.
      for (const [sensorId, last] of Object.entries(lastSeqs)) {
        expect((applied.get(sensorId) ?? []).sort((x, y) => x - y), sensorId).toEqual(Array.from({ length: last }, (_, i) => i + 1));
      }
      expect(rows).toHaveLength(published);
      const devices = Object.values(result.acknowledgedDevices ?? {}).flat();
      expect(devices).toHaveLength(SENSORS * DEVICES_PER_SENSOR);
      const stored = await client.query<{ n: string }>('SELECT count(*) AS n FROM devices WHERE key = ANY($1)', [devices]);
      expect(Number(stored.rows[0]!.n)).toBe(devices.length);
    } finally {
      await client.end();
    }

    // a, which outlived b, applied the rest, and counted as duplicates the batches sent again that were already in.
    const ingest = await health(a);
    expect(ingest.applied).toBeGreaterThan(0);
    expect(ingest.applied).toBeLessThan(published);
    expect(Object.entries(ingest.rejected).filter(([, n]) => n > 0)).toEqual([]);
    // Every first send is a batch of its own: a duplicate can only be one of the batches sent again.
    expect(ingest.duplicates).toBeLessThanOrEqual(result.resentBatches);
    console.info(`[hub instance kill] ${published} batches published, ${result.resentBatches} sent again; instance a applied ${ingest.applied} and recognised ${ingest.duplicates} duplicates`);
  }, 90_000);
});
