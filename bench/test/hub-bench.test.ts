/**
 * The hub benchmark through its own code on a small fleet: a real hub in its own process, sensors
 * enrolled over HTTPS with their own keys, MQTT over TLS, a real LevelDB. What the benchmark counts
 * as stored must be in the hub's store when it is opened after the hub stopped. No timing
 * threshold: the figures are the output, not the test.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hubPaths, LevelHubStore } from '@wardsight/hub';
import { validateMessage } from '@wardsight/protocol';
import { benchSensorId, factsOf, fleetDevices, hubJson, ObservationSource, runHubBench, storedRecordOf } from '../src/index.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

describe('hub benchmark observations', () => {
  it('deals each sensor devices of its own and makes batches the contract accepts', () => {
    const devices = fleetDevices(3, 20, 7);
    const keys = devices.flat().map((d) => factsOf(d).key);
    expect(keys).toHaveLength(60);
    expect(new Set(keys).size).toBe(60);

    const own = (devices[1] ?? []).map(factsOf);
    const source = new ObservationSource(benchSensorId(1), own, '2026-01-01T00:00:00.000Z');
    const seen = new Set<string>();
    for (let seq = 1; seq <= 3; seq++) {
      const { batch, devices: named } = source.next(100);
      expect(batch.seq).toBe(seq);
      expect(batch.observations).toHaveLength(100);
      const checked = validateMessage('observations', batch);
      expect(checked.ok, checked.ok ? '' : checked.detail).toBe(true);
      expect(new Set(batch.observations.map((o) => o.device))).toEqual(new Set(named));
      for (const key of named) seen.add(key);
    }
    // 300 observations of 8 facts each cover all 20 of the sensor's devices, and no other sensor's.
    expect(seen).toEqual(new Set(own.map((d) => d.key)));
    const attributes = new Set(own[0]?.facts.map((f) => f.attribute));
    expect([...attributes].sort()).toEqual(['dhcp.clientId', 'dhcp.parameterList', 'dhcp.vendorClass', 'hostname', 'ip', 'service', 'vendor']);
  });

  it('sizes the raw LevelDB values as device records the hub stores', () => {
    const [device] = fleetDevices(1, 1, 3)[0] ?? [];
    const record = JSON.parse(storedRecordOf(device!, benchSensorId(0), '2026-01-01T00:00:00.000Z')) as { key: string; facts: Record<string, unknown> };
    expect(record.key).toBe(`mac:${device!.mac}`);
    expect(Object.keys(record.facts).sort()).toEqual(['dhcp.clientId', 'dhcp.parameterList', 'dhcp.vendorClass', 'hostname', 'ip', 'service', 'vendor']);
  });
});

describe('hub benchmark run', () => {
  it('counts only what the hub acknowledged, and that is in its store', { timeout: 180_000 }, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'wardsight-hub-bench-test-'));
    try {
      const sensors = 10;
      const devicesPerSensor = 20;
      const batch = 100;
      const report = await runHubBench({ repo: REPO, sensors, seconds: 4, batch, devicesPerSensor, levelSeconds: 1, dataDir, reportDevices: true, log: () => undefined });

      const json = JSON.parse(hubJson(report)) as Record<string, unknown>;
      expect(Object.keys(json).slice(0, 4)).toEqual(['obsPerSec', 'sensors', 'levelPutsPerSec', 'ratio']);
      expect(json.sensors).toBe(sensors);
      expect(json.obsPerSec).toBeGreaterThan(0);
      expect(json.levelPutsPerSec).toBeGreaterThan(0);
      expect(json.ratio).toBeCloseTo(report.obsPerSec / report.levelPutsPerSec, 3);

      expect(report.errors, report.firstError ?? '').toBe(0);
      expect(report.rejected).toEqual({});
      expect(Object.values(report.hub.rejected).every((n) => n === 0)).toBe(true);
      expect(report.observationsAcked).toBe(report.batchesAcked * batch);
      expect(report.batchesAcked).toBeLessThanOrEqual(report.batchesPublished);
      // The hub applied at least what it acknowledged (a batch stored after the fleet stopped listening is not counted).
      expect(report.hub.observationsApplied).toBeGreaterThanOrEqual(report.observationsAcked);

      const acknowledged = report.acknowledgedDevices ?? {};
      expect(Object.keys(acknowledged).sort()).toEqual(Array.from({ length: sensors }, (_, i) => benchSensorId(i)));
      const roster = fleetDevices(sensors, devicesPerSensor, 1);
      const store = await LevelHubStore.open(hubPaths(dataDir).store);
      try {
        let checked = 0;
        for (const [sensorId, keys] of Object.entries(acknowledged)) {
          const index = Number(sensorId.slice('bench-'.length)) - 1;
          const own = new Map((roster[index] ?? []).map((d) => [`mac:${d.mac}`, d]));
          for (const key of keys) {
            const device = await store.getDevice(key);
            expect(device, `${key} of ${sensorId}`).toBeDefined();
            expect(device?.sensors[sensorId], `${key} seen by ${sensorId}`).toBeDefined();
            expect(Object.keys(device?.facts.vendor ?? {})).toEqual([own.get(key)?.vendor]);
            expect(Object.keys(device?.facts.hostname ?? {})).toEqual([own.get(key)?.hostname]);
            checked += 1;
          }
        }
        expect(checked).toBeGreaterThan(0);
        expect((await store.listDevices()).length).toBeLessThanOrEqual(sensors * devicesPerSensor);
      } finally {
        await store.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses options out of bounds before it starts anything, and touches nothing', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'wardsight-hub-bench-test-'));
    try {
      await writeFile(join(dataDir, 'keep.txt'), 'kept\n');
      await expect(runHubBench({ repo: REPO, batch: 1001, dataDir, log: () => undefined })).rejects.toMatchObject({
        code: 'BENCH_ERR_HUB_OPTIONS',
        message: expect.stringMatching(/batch 1001 is not a whole number from 1 to 1000/),
      });
      await expect(runHubBench({ repo: REPO, sensors: 2, processes: 3, dataDir, log: () => undefined })).rejects.toMatchObject({
        code: 'BENCH_ERR_HUB_OPTIONS',
        message: expect.stringMatching(/processes 3 is more than the 2 sensors/),
      });
      await expect(runHubBench({ repo: REPO, sensors: 0, seconds: 1.5, dataDir, log: () => undefined })).rejects.toMatchObject({
        message: expect.stringMatching(/sensors 0 .*; seconds 1.5 /),
      });
      expect(await readdir(dataDir)).toEqual(['keep.txt']);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
