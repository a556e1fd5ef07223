/**
 * The README's first command, as a user runs it: `wardsight demo` starts a hub and two sensors, and
 * `wardsight devices --json` then lists every device of the simulation's truth.json. Real processes.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceView } from '@wardsight/hub';
import { eventually, tempDir } from '@wardsight/test';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../../bin/wardsight.js', import.meta.url));
/** The feeds `make demo` imports where ../shared/data is present. */
const FEEDS = ['vuln', 'sbom', 'mds2'].map((d) => fileURLToPath(new URL(`../../../shared/data/${d}`, import.meta.url)));
const WITH_FEEDS = FEEDS.every((d) => existsSync(d));
if (!WITH_FEEDS) console.warn('[skipped] demo pre-purchase assessment: ../shared/data (vuln, sbom, mds2) is not present');

interface Assessment {
  score: number;
  level: string;
  components: Record<'vulnerabilities' | 'maker' | 'behaviour', { score: number | null; because: string[] }>;
  vulnerabilities: { id: string; cvss: { score: number } | null; kev: boolean; epss: number | null }[];
  maker: { advisories: unknown[]; fixRate: number | null; medianDaysToFix: number | null; sbom: { available: boolean }; mds2: { available: boolean }; unsupportedOs: { inAdvisories: string[] } };
  behaviour: { units: number; protocols: string[] } | null;
  deployed: { units: number; versions: string[] };
}

interface Truth {
  devices: { mac: string; ip: string; hostname: string; vendor: string; floor: string }[];
}

describe('wardsight demo, then wardsight devices --json', () => {
  let home: Awaited<ReturnType<typeof tempDir>>;
  let demo: ChildProcess;
  let output = '';

  beforeAll(async () => {
    home = await tempDir();
    const feeds = WITH_FEEDS ? ['--feeds', ...FEEDS] : [];
    demo = spawn(process.execPath, [CLI, 'demo', '--home', home.path, '--mqtt-port', '0', '--api-port', '0', ...feeds], { stdio: ['ignore', 'pipe', 'pipe'] });
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

  it.skipIf(!WITH_FEEDS)('answers the pre-purchase assessment of a model in the demo inventory with all its parts', async () => {
    expect(output).toMatch(/feeds\s+188 files, 2024 records imported/);
    const a = await eventually(
      async () => {
        const { stdout } = await run(process.execPath, [CLI, 'models', 'assess', 'Baxter', 'Sigma Spectrum', '--json', '--data-dir', join(home.path, 'hub')]);
        const answer = JSON.parse(stdout) as Assessment;
        return answer.behaviour && answer.behaviour.units >= 2 ? answer : undefined;
      },
      90_000,
      'the Sigma Spectrum units learnt',
    );
    expect(a.deployed).toEqual({ units: 2, versions: ['8.00.01'] });
    expect(a.behaviour?.protocols.length).toBeGreaterThan(0);
    expect(a.vulnerabilities.map((v) => v.id)).toEqual(expect.arrayContaining(['CVE-2022-26394', 'CVE-2020-12041']));
    expect(a.vulnerabilities.every((v) => v.cvss !== null && typeof v.kev === 'boolean')).toBe(true);
    expect(a.maker.advisories.length).toBeGreaterThan(0);
    expect(a.maker.fixRate).not.toBeNull();
    expect(a.maker.medianDaysToFix).not.toBeNull();
    expect(typeof a.maker.sbom.available).toBe('boolean');
    expect(typeof a.maker.mds2.available).toBe('boolean');
    for (const part of ['vulnerabilities', 'maker', 'behaviour'] as const) {
      expect(a.components[part].score, part).not.toBeNull();
      expect(a.components[part].because.length, part).toBeGreaterThan(0);
    }
    expect(a.score).toBeGreaterThan(0);
    expect(['Low', 'Medium', 'High', 'Critical']).toContain(a.level);
    const { stdout: priorities } = await run(process.execPath, [CLI, 'risk', 'priorities', '--json', '--data-dir', join(home.path, 'hub')]);
    const entries = (JSON.parse(priorities) as { entries: { model: string | null; reach: { reach: string } }[] }).entries;
    expect(entries.some((e) => e.model === 'Sigma Spectrum' && e.reach.reach !== 'unknown')).toBe(true);
  });

  it('stops cleanly on Ctrl-C', async () => {
    const exited = new Promise<number | null>((resolve) => demo.once('exit', (code) => resolve(code)));
    demo.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('SIGINT: stopping');
  });
});
