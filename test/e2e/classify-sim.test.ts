/**
 * The simulation's ground truth against the whole chain: `wardsight sim hospital` writes each
 * floor's capture and the truth; `wardsight read --devices` takes each capture through the sensor
 * pipeline (capture thread, shard workers, decoders, fingerprints, store) and the rule library.
 * Every simulated medical device must come out as its vendor, category and model; the rest must
 * not be given a wrong vendor or category.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '@wardsight/test';

const CLI = fileURLToPath(new URL('../../bin/wardsight.js', import.meta.url));
const MEDICAL = new Set(['infusion-pump', 'patient-monitor', 'ct']);

interface TruthDevice {
  mac: string;
  vendor: string;
  category: string;
  floor: string;
  model?: string;
}
interface ProfileRow {
  device: string;
  profile: Partial<Record<string, { value: string; confidence: number; because: string[] }>>;
}

function cli(...args: string[]): string {
  const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  if (run.status !== 0) throw new Error(`wardsight ${args.join(' ')} failed: ${run.stderr}`);
  return run.stdout;
}

describe('the simulated hospital, classified from its own traffic', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let truth: TruthDevice[];
  const seen = new Map<string, ProfileRow>();

  beforeAll(async () => {
    dir = await tempDir();
    cli('sim', 'hospital', '--out', dir.path, '--seed', '7');
    truth = (JSON.parse(readFileSync(join(dir.path, 'truth.json'), 'utf8')) as { devices: TruthDevice[] }).devices;
    for (const floor of ['1', '2']) {
      const out = JSON.parse(cli('read', join(dir.path, `floor-${floor}.pcap`), '--devices', '--json')) as { profiles: ProfileRow[] };
      for (const row of out.profiles) seen.set(row.device, row);
    }
  });
  afterAll(async () => {
    await dir.remove();
  });

  it('has medical devices of every simulated kind to classify', () => {
    expect(new Set(truth.filter((d) => MEDICAL.has(d.category)).map((d) => d.category))).toEqual(MEDICAL);
  });

  it('names every medical device\'s vendor, category and model', () => {
    const wrong: string[] = [];
    for (const device of truth.filter((d) => MEDICAL.has(d.category))) {
      const profile = seen.get(`mac:${device.mac}`)?.profile ?? {};
      const got = { vendor: profile.vendor?.value, category: profile.category?.value, model: profile.model?.value };
      const want = { vendor: device.vendor, category: device.category, model: device.model };
      if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push(`${device.mac}: got ${JSON.stringify(got)}, truth ${JSON.stringify(want)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('gives every device its maker, and no device a wrong vendor or category', () => {
    for (const device of truth) {
      const profile = seen.get(`mac:${device.mac}`)?.profile ?? {};
      expect(profile.vendor?.value, device.mac).toBe(device.vendor);
      if (profile.category) expect(profile.category.value, device.mac).toBe(device.category);
    }
  });

  it('says why: each conclusion names the rules behind it', () => {
    const monitor = truth.find((d) => d.category === 'patient-monitor');
    const because = seen.get(`mac:${monitor?.mac ?? ''}`)?.profile.model?.because ?? [];
    expect(because.length).toBeGreaterThan(0);
  });
});
