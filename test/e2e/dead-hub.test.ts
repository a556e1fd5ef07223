/**
 * A dead hub and a killed sensor lose nothing: the sensor reads its traffic while the hub is down,
 * keeps every finding in its LevelDB outbox, is killed with SIGKILL, and once restarted with the
 * hub back up delivers everything. Real processes, real broker over TLS, real stores on disk.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceView, RunningHub } from '@wardsight/hub';
import { startHub } from '@wardsight/hub';
import { writeHospital } from '@wardsight/sim';
import { apiGet, enrolTestSensor, eventually, quietLogger, tempDir } from '@wardsight/test';

const CLI = fileURLToPath(new URL('../../bin/wardsight.js', import.meta.url));

interface Truth {
  devices: { mac: string; ip: string; hostname: string; floor: string }[];
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

describe('findings survive a dead hub and a killed sensor', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let hub: RunningHub | undefined;
  let mqttPort: number;
  let sensorArgs: string[];
  let truth: Truth;

  beforeAll(async () => {
    dir = await tempDir();
    const sim = await writeHospital(join(dir.path, 'sim'), { seed: 3 });
    truth = JSON.parse(await readFile(sim.truth, 'utf8')) as Truth;
    // First start makes the CA and enrols the sensor; then the hub goes away.
    const first = await startHub({ dataDir: join(dir.path, 'hub'), host: '127.0.0.1', mqttPort: 0, apiPort: 0 }, quietLogger());
    mqttPort = Number(new URL(first.mqttUrl).port);
    const { tlsDir } = await enrolTestSensor(first, 'floor-1', dir.path, { site: 'main', floor: '1' });
    await first.close();
    const floor1 = sim.pcaps.find((p) => p.floor === '1');
    sensorArgs = [CLI, 'sensor', '--id', 'floor-1', '--hub', `mqtts://127.0.0.1:${mqttPort}`, '--tls-dir', tlsDir, '--data-dir', join(dir.path, 'sensor-data'), '--floor', '1', '--pcap', floor1?.path ?? ''];
  });

  afterAll(async () => {
    await hub?.close();
    await dir?.remove();
  });

  it('keeps findings in the outbox while the hub is down, through a SIGKILL', async () => {
    let log = '';
    const sensor = spawn(process.execPath, sensorArgs, { stdio: ['ignore', 'ignore', 'pipe'] });
    sensor.stderr?.on('data', (c: Buffer) => (log += c.toString()));
    await eventually(async () => (log.includes('capture finished') ? true : undefined), 30_000, 'capture finished');
    expect(log).toMatch(/"devices":\d+/);
    const exited = exitOf(sensor);
    sensor.kill('SIGKILL');
    expect((await exited).signal).toBe('SIGKILL');
  });

  it('delivers everything once the hub is back and the sensor restarts', async () => {
    hub = await startHub({ dataDir: join(dir.path, 'hub'), host: '127.0.0.1', mqttPort, apiPort: 0 }, quietLogger());
    const sensor = spawn(process.execPath, [...sensorArgs, '--exit-when-done'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    sensor.stderr?.on('data', (c: Buffer) => (log += c.toString()));
    const { code } = await exitOf(sensor);
    expect(code, log).toBe(0);
    // The restarted sensor found its devices and its undelivered findings on disk.
    const started = JSON.parse(log.split('\n').find((l) => l.includes('sensor started')) ?? '{}') as { knownDevices?: number; outboxDepth?: number };
    expect(started.knownDevices).toBeGreaterThan(0);
    expect(started.outboxDepth).toBeGreaterThan(0);
    const running = hub;
    const devices = await eventually(
      async () => {
        const list = (await apiGet<{ devices: DeviceView[] }>(running, '/api/v1/devices')).body.devices;
        return list.filter((d) => d.hostname !== null).length >= truth.devices.filter((t) => t.floor === '1').length ? list : undefined;
      },
      15_000,
      'floor 1 devices at the hub',
    );
    for (const t of truth.devices.filter((x) => x.floor === '1')) {
      const d = devices.find((x) => x.mac === t.mac);
      expect({ ip: d?.ip, hostname: d?.hostname }).toEqual({ ip: t.ip, hostname: t.hostname });
    }
    const health = (await apiGet<{ ingest: { applied: number; duplicates: number } }>(running, '/api/v1/health')).body;
    expect(health.ingest.applied).toBeGreaterThan(0);
  });
});
