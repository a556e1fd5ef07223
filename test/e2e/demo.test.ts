/**
 * The README's first command, as a user runs it: `wardsight demo` starts a hub and two sensors, and
 * `wardsight devices --json` then lists every device of the simulation's truth.json. Real processes.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceView } from '@wardsight/hub';
import { eventually, tempDir } from '@wardsight/test';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../../bin/wardsight.js', import.meta.url));

interface Truth {
  devices: { mac: string; ip: string; hostname: string; vendor: string; floor: string }[];
}

describe('wardsight demo, then wardsight devices --json', () => {
  let home: Awaited<ReturnType<typeof tempDir>>;
  let demo: ChildProcess;
  let output = '';

  beforeAll(async () => {
    home = await tempDir();
    demo = spawn(process.execPath, [CLI, 'demo', '--home', home.path, '--mqtt-port', '0', '--api-port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    demo.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    demo.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    await eventually(async () => (output.includes('Press Ctrl-C') ? true : undefined), 60_000, 'demo started');
  });

  afterAll(async () => {
    if (demo && demo.exitCode === null) {
      const exited = new Promise((resolve) => demo.once('exit', resolve));
      demo.kill('SIGINT');
      await exited;
    }
    await home?.remove();
  });

  it('prints where the dashboard and the credential are', () => {
    expect(output).toMatch(/dashboard\s+https:\/\/127\.0\.0\.1:\d+\//);
    expect(output).toContain(join(home.path, 'hub', 'admin-credential.json'));
  });

  it('lists every simulated device with the right MAC, IP, hostname, vendor and floor', async () => {
    const truth = JSON.parse(await readFile(join(home.path, 'demo', 'sim', 'truth.json'), 'utf8')) as Truth;
    const listed = await eventually(
      async () => {
        const { stdout } = await run(process.execPath, [CLI, 'devices', '--json', '--data-dir', join(home.path, 'hub')]);
        const devices = JSON.parse(stdout) as DeviceView[];
        return truth.devices.every((t) => devices.some((d) => d.mac === t.mac && d.hostname === t.hostname && d.location !== null)) ? devices : undefined;
      },
      60_000,
      'every truth device listed',
    );
    const got = truth.devices.map((t) => {
      const d = listed.find((x) => x.mac === t.mac);
      return { mac: d?.mac, ip: d?.ip, hostname: d?.hostname, vendor: d?.vendor, floor: d?.location?.floor };
    });
    expect(got).toEqual(truth.devices.map(({ mac, ip, hostname, vendor, floor }) => ({ mac, ip, hostname, vendor, floor })));
  });

  it('stops cleanly on Ctrl-C', async () => {
    const exited = new Promise<number | null>((resolve) => demo.once('exit', (code) => resolve(code)));
    demo.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('SIGINT: stopping');
  });
});
