/**
 * `wardsight read` on a capture file: as fast as it goes, or at the pace of the capture's own
 * timestamps, with every frame read either way; a speed it does not know is refused by name.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PcapWriter, buildHospital } from '@wardsight/sim';
import { tempDir } from '@wardsight/test';

const CLI = fileURLToPath(new URL('../../bin/wardsight.js', import.meta.url));

interface Summary {
  packets: number;
  devices: number;
  seconds: number;
}

describe('wardsight read', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let paced: string;
  const FRAMES = 400;

  beforeAll(async () => {
    dir = await tempDir();
    // 400 frames of the simulated floor, 3 ms apart: 1.2 s of capture.
    const frames = (buildHospital({ seed: 3 }).floors[0]?.frames ?? []).slice(0, FRAMES);
    paced = join(dir.path, 'paced.pcap');
    const writer = new PcapWriter(paced);
    frames.forEach(({ frame }, i) => writer.write(frame, BigInt(1_767_254_400_000_000 + i * 3000)));
    await writer.close();
  });
  afterAll(async () => {
    await dir.remove();
  });

  const read = (...args: string[]) => spawnSync(process.execPath, [CLI, 'read', paced, '--json', ...args], { encoding: 'utf8', timeout: 60_000 });

  it('replays at the recorded pace when asked, reading every frame', () => {
    const recorded = read('--speed', 'recorded');
    expect(recorded.status).toBe(0);
    const summary = JSON.parse(recorded.stdout) as Summary;
    expect(summary.packets).toBe(FRAMES);
    // The last frame is stamped 1.197 s after the first: a paced replay cannot end sooner.
    expect(summary.seconds).toBeGreaterThanOrEqual(1.19);
    const fast = JSON.parse(read().stdout) as Summary;
    expect(fast.packets).toBe(FRAMES);
    expect(fast.devices).toBe(summary.devices);
  });

  it('refuses a speed it does not know, naming the choices', () => {
    const bad = read('--speed', 'slow');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain("argument 'slow' is invalid. Allowed choices are fast, recorded");
  });
});
