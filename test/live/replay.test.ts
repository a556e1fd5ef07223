/**
 * Live capture at speed: `tcpreplay --topspeed` of a hospital mix onto a veth in a namespace the
 * test makes, a sensor capturing on the other end. The sensor's own queues drop nothing, libpcap's
 * counters are reported, and the live run finds the same devices as an offline read of the file.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SensorStore, analyseCapture } from '@wardsight/edge-core';
import type { DeviceView } from '@wardsight/hub';
import { writeMix } from '@wardsight/sim';
import { createVethLink, eventually, netnsSupport, tempDir, type VethLink } from '@wardsight/test';

const CLI = fileURLToPath(new URL('../../bin/wardsight.js', import.meta.url));
const support = netnsSupport();
const tcpreplay = existsSync('/usr/bin/tcpreplay');
if (!support.ok) console.warn(`[skip] live replay test: ${support.why}`);
else if (!tcpreplay) console.warn('[skip] live replay test: needs tcpreplay (apt-get install tcpreplay)');

interface SensorRow {
  id: string;
  health: { capture: { packets: number; queueDrops: number; received: number; dropped: number; ifDropped: number; lost: number } } | null;
}

describe.skipIf(!support.ok || !tcpreplay)('tcpreplay --topspeed onto a veth', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let link: VethLink;
  let mix: string;
  const children: ChildProcess[] = [];
  const wardsightIn = (ns: string, args: string[]): string => execFileSync('ip', ['netns', 'exec', ns, process.execPath, CLI, ...args], { encoding: 'utf8', timeout: 60_000, maxBuffer: 256 * 1024 * 1024 });

  beforeAll(async () => {
    dir = await tempDir();
    mix = join(dir.path, 'mix.pcap');
    await writeMix(mix, { packets: 60_000, devices: 400, seed: 5 });
    link = createVethLink();
    const hubDir = join(dir.path, 'hub');
    const hub = spawn('ip', ['netns', 'exec', link.b.ns, process.execPath, CLI, 'hub', '--data-dir', hubDir, '--host', '127.0.0.1', '--mqtt-port', '18884', '--api-port', '18444'], { stdio: 'ignore' });
    children.push(hub);
    await eventually(async () => (existsSync(join(hubDir, 'hub.json')) ? true : undefined), 30_000, 'hub started');
    const bundle = join(dir.path, 'sensor');
    execFileSync('ip', ['netns', 'exec', link.b.ns, process.execPath, CLI, 'provision', 'sensor', 'add', 'replay-1', '--hub-data-dir', hubDir, '--out', bundle, '--floor', '4', '--interface', link.b.iface, '--no-qr']);
    await appendFile(join(bundle, 'wardsight.yaml'), 'healthIntervalS: 1\n');
    let log = '';
    const sensor = spawn('ip', ['netns', 'exec', link.b.ns, process.execPath, CLI, 'sensor', '--config', join(bundle, 'wardsight.yaml')], { stdio: ['ignore', 'ignore', 'pipe'] });
    sensor.stderr?.on('data', (c: Buffer) => (log += c.toString()));
    children.push(sensor);
    await eventually(async () => (log.includes('sensor started') ? true : undefined), 30_000, 'sensor capturing');
  });

  afterAll(async () => {
    for (const c of children) {
      if (c.exitCode !== null) continue;
      const exited = new Promise((resolve) => c.once('exit', resolve));
      c.kill('SIGTERM');
      setTimeout(() => c.kill('SIGKILL'), 5000);
      await exited;
    }
    link?.remove();
    await dir?.remove();
  });

  it('drops nothing in its own queues and finds what an offline read finds', async () => {
    const out = execFileSync('ip', ['netns', 'exec', link.a.ns, 'tcpreplay', '--topspeed', '-i', link.a.iface, mix], { encoding: 'utf8' });
    const sent = Number(/Actual: (\d+) packets/.exec(out)?.[1] ?? 'NaN');
    expect(sent).toBe(60_000);

    const hubDir = join(dir.path, 'hub');
    const sensor = await eventually(
      async () => {
        const rows = JSON.parse(wardsightIn(link.b.ns, ['sensors', '--json', '--data-dir', hubDir])) as SensorRow[];
        const row = rows.find((r) => r.id === 'replay-1');
        const c = row?.health?.capture;
        // Everything libpcap received has been decoded (or dropped somewhere we can see).
        return c && c.received > 0 && c.packets + c.queueDrops + c.dropped >= sent ? row : undefined;
      },
      60_000,
      'sensor caught up with the replay',
    );
    const c = sensor.health?.capture;
    expect(c?.queueDrops).toBe(0);
    expect(c?.lost).toBe(0);
    expect(c?.dropped).toBe(0);
    expect(c?.packets).toBe(sent);

    const offlineDir = join(dir.path, 'offline');
    await analyseCapture({ kind: 'file', path: mix }, offlineDir);
    const store = await SensorStore.open(offlineDir);
    const offline = new Set((await store.loadDevices()).map((r) => r.key));
    await store.close();
    const live = await eventually(
      async () => {
        const devices = JSON.parse(wardsightIn(link.b.ns, ['devices', '--json', '--data-dir', hubDir])) as DeviceView[];
        return devices.length >= offline.size ? new Set(devices.map((d) => d.id)) : undefined;
      },
      30_000,
      'every device at the hub',
    );
    expect([...live].sort()).toEqual([...offline].sort());
  });
});
