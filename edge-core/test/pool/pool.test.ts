/**
 * The capture thread and shard workers on real capture files: the same devices whatever the number
 * of shards, a folder of files read as one capture, and a shard that crashes mid-capture restarted
 * with its loss counted. Runs the built package, since worker threads load compiled files.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CapturePool, DeviceTable, EdgeCore, analyseCapture } from '@wardsight/edge-core';
import { PcapWriter, buildHospital, writeHospital } from '@wardsight/sim';

describe('capture pool', () => {
  let dir: string;
  let floor1: string;
  let floor2: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wardsight-pool-'));
    const files = await writeHospital(join(dir, 'sim'), { seed: 11, sessionsPerDevice: 10 });
    floor1 = files.pcaps.find((p) => p.floor === '1')?.path ?? '';
    floor2 = files.pcaps.find((p) => p.floor === '2')?.path ?? '';
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** What one thread finds in the same frames: the reference the pool must match. */
  function singleThreaded(floor: string): { packets: number; devices: string[] } {
    const hospital = buildHospital({ seed: 11, sessionsPerDevice: 10 });
    const table = new DeviceTable();
    const core = new EdgeCore(table);
    const frames = hospital.floors.find((f) => f.floor === floor)?.frames ?? [];
    for (const { ts, frame } of frames) core.onFrame(frame, frame.length, Number(ts / 1000n));
    return { packets: frames.length, devices: [...table.records()].map((r) => r.key).sort() };
  }

  for (const shards of [1, 2, 3]) {
    it(`finds what a single thread finds, with ${shards} shard(s)`, async () => {
      const reference = singleThreaded('1');
      const found: string[] = [];
      const pool = new CapturePool({ kind: 'file', path: floor1 }, { shards, onFlush: ({ devices }) => found.push(...devices) });
      await pool.start();
      await pool.ended;
      await pool.close();
      const c = pool.counters();
      expect(c.captured).toBe(reference.packets);
      expect(c.packets).toBe(reference.packets);
      expect(c.malformed).toBe(0);
      expect([...new Set(found)].sort()).toEqual(reference.devices);
    });
  }

  it('reads a folder of capture files as one capture', async () => {
    const folder = join(dir, 'folder');
    await mkdir(folder);
    const { copyFile } = await import('node:fs/promises');
    await copyFile(floor1, join(folder, 'a.pcap'));
    await copyFile(floor2, join(folder, 'b.pcap'));
    const summary = await analyseCapture({ kind: 'file', path: folder }, join(dir, 'store-folder'), { shards: 2 });
    expect(summary.packets).toBe(singleThreaded('1').packets + singleThreaded('2').packets);
    expect(summary.devices).toBeGreaterThanOrEqual(singleThreaded('1').devices.length + singleThreaded('2').devices.length);
  });

  it('says clearly when the capture cannot be opened', async () => {
    const pool = new CapturePool({ kind: 'file', path: join(dir, 'missing.pcap') }, { shards: 1, onFlush: () => undefined });
    await expect(pool.start()).rejects.toMatchObject({ code: 'EDGE_ERR_CAPTURE_OPEN' });
    await pool.close();
  });

  it('restarts a shard that crashes mid-capture, counts what it lost, and carries on', async () => {
    // 2,000 frames replayed at their recorded pace over 1 s, so the crash lands mid-capture.
    const hospital = buildHospital({ seed: 11, sessionsPerDevice: 10 });
    const frames = (hospital.floors.find((f) => f.floor === '1')?.frames ?? []).slice(0, 2000);
    expect(frames.length).toBe(2000);
    const paced = join(dir, 'paced.pcap');
    const writer = new PcapWriter(paced);
    frames.forEach(({ frame }, i) => writer.write(frame, BigInt(1_767_254_400_000_000 + i * 500)));
    await writer.close();
    const found = new Set<string>();
    const pool = new CapturePool({ kind: 'file', path: paced }, { shards: 2, replay: 'recorded', flushMs: 50, onFlush: ({ devices }) => devices.forEach((key) => found.add(key)) });
    await pool.start();
    await new Promise((r) => setTimeout(r, 400));
    await pool.killShard(0);
    await pool.ended;
    await pool.close();
    const c = pool.counters();
    expect(c.restarts).toBe(1);
    expect(c.captured).toBe(2000);
    // Every captured frame was either decoded and reported, or counted as lost in the crash.
    expect(c.packets + c.lost).toBe(2000);
    expect(c.packets).toBeGreaterThan(1000);
    expect(found.size).toBeGreaterThan(0);
  });
});
