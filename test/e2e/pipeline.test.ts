/**
 * End to end with real parts only: pcap files of the simulated hospital → node_pcap → decoders →
 * sensor LevelDB → MQTT over TLS (aedes, client certificates) → hub ingest → hub LevelDB → HTTPS API,
 * compared field by field with the simulation's ground truth.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSensor, parseSensorConfig, type RunningSensor } from '@wardsight/appliance';
import type { DeviceView, RunningHub } from '@wardsight/hub';
import { writeHospital } from '@wardsight/sim';
import { apiGet, enrolTestSensor, eventually, quietLogger, startTestHub, tempDir } from '@wardsight/test';

interface Truth {
  devices: { mac: string; ip: string; hostname: string; vendor: string; category: string; floor: string }[];
}

describe('pcap to hub inventory, against the simulation\'s ground truth', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let hub: RunningHub;
  let truth: Truth;
  const sensors: RunningSensor[] = [];
  let devices: DeviceView[] = [];

  beforeAll(async () => {
    dir = await tempDir();
    const sim = await writeHospital(join(dir.path, 'sim'), { seed: 7 });
    truth = JSON.parse(await readFile(sim.truth, 'utf8')) as Truth;
    hub = await startTestHub(join(dir.path, 'hub'));
    for (const floor of sim.pcaps) {
      const sensorId = `floor-${floor.floor}`;
      const { tlsDir } = await enrolTestSensor(hub, sensorId, join(dir.path, sensorId), { site: 'Test General', floor: floor.floor });
      const config = parseSensorConfig({
        sensorId,
        hub: { url: hub.mqttUrl },
        tlsDir,
        dataDir: join(dir.path, sensorId, 'data'),
        location: { site: 'Test General', floor: floor.floor },
        capture: { file: floor.path },
        healthIntervalS: 1,
      });
      sensors.push(await startSensor(config, quietLogger()));
    }
    for (const sensor of sensors) {
      await sensor.captureDone;
      await sensor.drained();
    }
    devices = await eventually(
      async () => {
        const res = await apiGet<{ devices: DeviceView[] }>(hub, '/api/v1/devices');
        const found = res.body.devices.filter((d) => d.hostname !== null && d.location !== null);
        return found.length >= truth.devices.length ? res.body.devices : undefined;
      },
      20_000,
      'every simulated device at the hub',
    );
  });

  afterAll(async () => {
    for (const sensor of sensors) await sensor.close();
    await hub?.close();
    await dir?.remove();
  });

  it('the simulation has devices on two floors', () => {
    expect(truth.devices.length).toBeGreaterThanOrEqual(10);
    expect(new Set(truth.devices.map((d) => d.floor))).toEqual(new Set(['1', '2']));
  });

  it('lists every simulated device with the right MAC, IP, hostname, vendor and floor', () => {
    const byMac = new Map(devices.map((d) => [d.mac, d]));
    const mismatches: string[] = [];
    for (const t of truth.devices) {
      const d = byMac.get(t.mac);
      if (!d) {
        mismatches.push(`${t.hostname} (${t.mac}) missing`);
        continue;
      }
      const got = { ip: d.ip, hostname: d.hostname, vendor: d.vendor, floor: d.location?.floor };
      const want = { ip: t.ip, hostname: t.hostname, vendor: t.vendor, floor: t.floor };
      for (const field of Object.keys(want) as (keyof typeof want)[]) {
        if (got[field] !== want[field]) mismatches.push(`${t.mac} ${field}: got ${String(got[field])}, want ${want[field]}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('keeps the evidence behind each value', async () => {
    const t = truth.devices[0]!;
    const { body } = await apiGet<{ attributes: Record<string, { signal: string; evidence: string; sensorId: string }> }>(hub, `/api/v1/devices/${encodeURIComponent(`mac:${t.mac}`)}`);
    expect(body.attributes.hostname?.signal).toBe('dhcp.option12');
    expect(body.attributes.vendor?.signal).toBe('oui');
    expect(body.attributes.vendor?.evidence).toMatch(/^[0-9A-F]{6,9} /);
    expect(body.attributes.hostname?.sensorId).toBe(`floor-${t.floor}`);
  });

  it('sees the services the servers answer on', () => {
    const pacs = devices.find((d) => d.hostname === truth.devices.find((t) => t.category === 'pacs')?.hostname);
    expect(pacs?.services).toContain('tcp/104');
  });

  it('reports both sensors online with their floor and capture counters', async () => {
    const { body } = await apiGet<{ sensors: { id: string; state: string; location: { floor: string }; health: { capture: { packets: number } } | null }[] }>(hub, '/api/v1/sensors');
    const byId = new Map(body.sensors.map((s) => [s.id, s]));
    for (const floor of ['1', '2']) {
      const s = byId.get(`floor-${floor}`);
      expect(s?.state).toBe('online');
      expect(s?.location.floor).toBe(floor);
    }
    await eventually(async () => {
      const res = await apiGet<{ sensors: { health: { capture: { packets: number } } | null }[] }>(hub, '/api/v1/sensors');
      return res.body.sensors.every((s) => (s.health?.capture.packets ?? 0) > 0) ? true : undefined;
    }, 5000, 'health with packet counts');
  });
});
