/**
 * Live capture on a veth pair between two network namespaces made by the test: devices join on one
 * end (DHCP through their router, ARP), a sensor captures with libpcap on the other end, and the
 * devices appear at the hub. Hub and sensor run as real processes inside the capturing namespace.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHospital } from '@wardsight/sim';
import type { DeviceView } from '@wardsight/hub';
import { createVethLink, eventually, netnsSupport, tempDir, type VethLink } from '@wardsight/test';

const CLI = fileURLToPath(new URL('../../bin/wardsight.js', import.meta.url));
const support = netnsSupport();
if (!support.ok) console.warn(`[skip] live capture test: ${support.why}`);

describe.skipIf(!support.ok)('live capture on a veth between two namespaces', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let link: VethLink;
  const children: ChildProcess[] = [];
  const sensorLog: string[] = [];

  const wardsightIn = (ns: string, args: string[]): string =>
    execFileSync('ip', ['netns', 'exec', ns, process.execPath, CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
  const startIn = (ns: string, args: string[], log?: string[]): ChildProcess => {
    const child = spawn('ip', ['netns', 'exec', ns, process.execPath, CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stderr?.on('data', (c: Buffer) => log?.push(c.toString()));
    child.stdout?.on('data', (c: Buffer) => log?.push(c.toString()));
    children.push(child);
    return child;
  };

  beforeAll(async () => {
    dir = await tempDir();
    link = createVethLink();
    const hubDir = join(dir.path, 'hub');
    const hubLog: string[] = [];
    startIn(link.b.ns, ['hub', '--data-dir', hubDir, '--host', '127.0.0.1', '--mqtt-port', '18883', '--api-port', '18443'], hubLog);
    await eventually(async () => (existsSync(join(hubDir, 'hub.json')) ? true : undefined), 30_000, 'hub started').catch((err: unknown) => {
      throw new Error(`${(err as Error).message}\n${hubLog.join('')}`);
    });
    // The hub listens inside the namespace: the technician's command runs there too.
    execFileSync('ip', ['netns', 'exec', link.b.ns, process.execPath, CLI, 'provision', 'sensor', 'add', 'live-1', '--hub-data-dir', hubDir, '--out', join(dir.path, 'sensor'), '--floor', '3', '--interface', link.b.iface, '--no-qr']);
    startIn(link.b.ns, ['sensor', '--config', join(dir.path, 'sensor', 'wardsight.yaml')], sensorLog);
    await eventually(async () => (sensorLog.join('').includes('sensor started') ? true : undefined), 30_000, 'sensor capturing');
  });

  afterAll(async () => {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null) return resolve();
            c.once('exit', () => resolve());
            c.kill('SIGTERM');
            setTimeout(() => c.kill('SIGKILL'), 5000);
          }),
      ),
    );
    link?.remove();
    await dir?.remove();
  });

  it('sees devices that join on the other end of the link', async () => {
    const out = wardsightIn(link.a.ns, ['sim', 'inject', '--interface', link.a.iface, '--floor', '1']);
    expect(out).toMatch(/frames sent/);
    const hospital = buildHospital({ seed: 1, sessionsPerDevice: 0 });
    const expected = hospital.devices.filter((d) => d.floor === '1');
    const devices = await eventually(
      async () => {
        const list = JSON.parse(wardsightIn(link.b.ns, ['devices', '--json', '--data-dir', join(dir.path, 'hub')])) as DeviceView[];
        return expected.every((e) => list.some((d) => d.mac === e.mac && d.hostname === e.hostname)) ? list : undefined;
      },
      30_000,
      'injected devices at the hub',
    );
    for (const e of expected) {
      const d = devices.find((x) => x.mac === e.mac);
      expect({ mac: d?.mac, ip: d?.ip, hostname: d?.hostname, vendor: d?.vendor, floor: d?.location?.floor, sensor: d?.location?.sensorId }).toEqual({
        mac: e.mac,
        ip: e.ip,
        hostname: e.hostname,
        vendor: e.vendor,
        floor: '3',
        sensor: 'live-1',
      });
    }
  });
});
