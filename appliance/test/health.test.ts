/**
 * The sensor's health report, gathered on this machine for real: it must validate against the
 * contract, name the file system of the data directory as df(1) does (also through a bind mount and
 * a symbolic link), give plausible memory, and turn failing sources into null, logged once.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateMessage, type Health } from '@wardsight/protocol';
import { createHealthReporter, type CaptureFigures, type HealthReporterOptions } from '../src/health.js';

const location = { site: 'St Mary', building: 'North', floor: '3', zone: 'ICU east' };
const capture: CaptureFigures = { devices: 7, packets: 5400, malformed: 2, fragments: 1, queueDrops: 0, lost: 0, restarts: 0, libpcap: { received: 5410, dropped: 3, ifDropped: 0 } };

/** A pino logger whose entries the test can read. */
function recordingLogger(): { log: Logger; entries: { level: number; code?: string; msg: string }[] } {
  const entries: { level: number; code?: string; msg: string }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) entries.push(JSON.parse(line) as { level: number; code?: string; msg: string });
      done();
    },
  });
  return { log: pino({ level: 'debug' }, sink), entries };
}

/** `df -P <dir>`: the mount point and the 1024-blocks, used and available columns, in MB of 10^6 bytes. */
function df(dir: string): { mount: string; totalMB: number; usedMB: number; freeMB: number } {
  const line = execFileSync('df', ['-P', dir], { encoding: 'utf8' }).trim().split('\n')[1]!;
  const m = /^(.+?)\s+(\d+)\s+(\d+)\s+(\d+)\s+\d+%\s+(.+)$/.exec(line);
  if (!m) throw new Error(`unexpected df output: ${line}`);
  const mb = (kib: string) => (Number(kib) * 1024) / 1e6;
  return { mount: m[5]!, totalMB: mb(m[2]!), usedMB: mb(m[3]!), freeMB: mb(m[4]!) };
}

function options(dataDir: string, log: Logger, change: Partial<HealthReporterOptions> = {}): HealthReporterOptions {
  let seq = 100;
  return {
    sensorId: 'icu-east-3',
    dataDir,
    version: '0.1.0',
    location,
    counters: () => capture,
    outbox: () => ({ depth: 4, bytes: 18_230, budgetBytes: 64 * 1024 * 1024, shedMessages: 0, coalesced: 1 }),
    clockOffsetMs: () => -42.4,
    nextSeq: async () => ++seq,
    log,
    ...change,
  };
}

function valid(message: Health): Health {
  const result = validateMessage('health', JSON.parse(JSON.stringify(message)));
  if (!result.ok) throw new Error(`health report refused by the contract: ${result.detail}`);
  return message;
}

describe('health report on this machine', () => {
  let root: string;
  let dataDir: string;
  let first: Health;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'wardsight-health-'));
    dataDir = join(root, 'data');
    await mkdir(dataDir);
    const reporter = createHealthReporter(options(dataDir, pino({ level: 'silent' })));
    first = valid(await reporter.collect());
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('is a valid Health message carrying what the sensor handed in', () => {
    expect(first).toMatchObject({
      v: 1,
      sensorId: 'icu-east-3',
      seq: 101,
      version: '0.1.0',
      location,
      devices: 7,
      outboxDepth: 4,
      outbox: { depth: 4, bytes: 18_230, budgetBytes: 64 * 1024 * 1024, shedMessages: 0, coalesced: 1 },
      capture: { packets: 5400, received: 5410, dropped: 3, ifDropped: 0, malformed: 2, fragments: 1, queueDrops: 0, lost: 0, restarts: 0 },
      clockOffsetMs: -42,
      healthIntervalS: 30,
    });
    expect(Date.parse(first.sentAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('names the file system of the data directory as df does, with its figures', () => {
    const expected = df(dataDir);
    expect(first.disk?.path).toBe(expected.mount);
    // The size does not move; used and free move with whatever else writes to this disk meanwhile.
    expect(first.disk!.totalMB).toBeCloseTo(expected.totalMB, 0);
    expect(Math.abs(first.disk!.usedMB - expected.usedMB)).toBeLessThan(Math.max(256, expected.totalMB * 0.01));
    expect(Math.abs(first.disk!.freeMB - expected.freeMB)).toBeLessThan(Math.max(256, expected.totalMB * 0.01));
  });

  it('gives plausible memory: the machine\'s total, used plus available making it up', () => {
    const m = first.memory!;
    expect(m.totalMB).toBeCloseTo(totalmem() / 1e6, 0);
    expect(m.usedMB + m.availableMB).toBeCloseTo(m.totalMB, 0);
    expect(m.usedMB).toBeGreaterThan(0);
    expect(m.availableMB).toBeGreaterThan(0);
    expect(first.memRssMB).toBeGreaterThan(0);
    expect(first.memRssMB).toBeLessThan(m.totalMB);
  });

  it('gives a temperature only where the board has a sensor (none on a virtual machine)', () => {
    const zones = execFileSync('sh', ['-c', 'cat /sys/class/thermal/thermal_zone*/temp 2>/dev/null || true'], { encoding: 'utf8' }).trim();
    if (zones === '') expect(first.temperatureC).toBeNull();
    else expect(first.temperatureC === null || (first.temperatureC! > -60 && first.temperatureC! < 150)).toBe(true);
  });

  it('gives the CPU load of the machine and of the process, and the load averages', () => {
    expect(first.cpuLoadPct === null || (first.cpuLoadPct! >= 0 && first.cpuLoadPct! <= 100)).toBe(true);
    expect(first.cpuPct).not.toBeNull();
    expect(first.cpuPct!).toBeGreaterThan(0);
    expect(first.loadAvg).toHaveLength(3);
  });
});

describe('health report: where the data directory is mounted', () => {
  let root: string;
  let mountPoint: string;
  let ramDisk: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'wardsight-health-mount-'));
    const source = join(root, 'source');
    mountPoint = join(root, 'card');
    ramDisk = join(root, 'ram disk');
    await mkdir(join(source, 'wardsight'), { recursive: true });
    await mkdir(mountPoint);
    await mkdir(ramDisk);
    // A bind mount is on the same device as / yet df names its own mount point (mount(8) --bind).
    execFileSync('mount', ['--bind', source, mountPoint]);
    // A tmpfs, which df's full listing leaves out, under a name with a space (\040 in /proc/self/mounts).
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', ramDisk]);
    await mkdir(join(ramDisk, 'wardsight'));
    await symlink(join(mountPoint, 'wardsight'), join(root, 'data-link'));
  });
  afterAll(async () => {
    for (const mounted of [mountPoint, ramDisk]) execFileSync('umount', [mounted]);
    await rm(root, { recursive: true, force: true });
  });

  it('picks the longest mount point holding the data directory, not the root file system', async () => {
    const dataDir = join(mountPoint, 'wardsight');
    const report = valid(await createHealthReporter(options(dataDir, pino({ level: 'silent' }))).collect());
    expect(df(dataDir).mount).toBe(mountPoint);
    expect(report.disk?.path).toBe(mountPoint);
  });

  it('follows a symbolic link to the directory it names', async () => {
    const report = valid(await createHealthReporter(options(join(root, 'data-link'), pino({ level: 'silent' }))).collect());
    expect(report.disk?.path).toBe(mountPoint);
  });

  it('finds a tmpfs and gives its own size', async () => {
    const dataDir = join(ramDisk, 'wardsight');
    const report = valid(await createHealthReporter(options(dataDir, pino({ level: 'silent' }))).collect());
    expect(df(dataDir).mount).toBe(ramDisk);
    expect(report.disk).toMatchObject({ path: ramDisk, totalMB: 67.1 });
    expect(report.disk!.usedMB).toBeLessThan(1);
  });
});

describe('health report: failing sources', () => {
  it('sends null for a data directory that is gone, and logs it once however often it fails', async () => {
    const { log, entries } = recordingLogger();
    const reporter = createHealthReporter(options(join(tmpdir(), 'wardsight-no-such-dir', 'data'), log));
    for (let i = 0; i < 3; i += 1) expect(valid(await reporter.collect()).disk).toBeNull();
    const warnings = entries.filter((e) => e.code === 'APPLIANCE_ERR_HEALTH_DISK' && e.level === 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.msg).toMatch(/check that the data directory exists/);
  });

  it('sends null for a clock offset that throws or is not a number, then the offset once it is', async () => {
    const { log, entries } = recordingLogger();
    const offsets: (() => number | null)[] = [() => { throw new Error('no answer from the hub yet'); }, () => Number.NaN, () => 1e15, () => null, () => 1250.6];
    let current = offsets[0]!;
    const reporter = createHealthReporter(options(tmpdir(), log, { clockOffsetMs: () => current() }));
    const seen: (number | null | undefined)[] = [];
    for (const offset of offsets) {
      current = offset;
      seen.push(valid(await reporter.collect()).clockOffsetMs);
    }
    expect(seen).toEqual([null, null, null, null, 1251]);
    expect(entries.filter((e) => e.code === 'APPLIANCE_ERR_HEALTH_CLOCK' && e.level === 40)).toHaveLength(1);
    expect(entries.some((e) => e.code === 'APPLIANCE_ERR_HEALTH_CLOCK' && e.level === 30)).toBe(true);
  });

  it('sends the last good counters when the sensor\'s counters throw, and drops outbox figures that are not counts', async () => {
    const { log, entries } = recordingLogger();
    let fail = false;
    const reporter = createHealthReporter(
      options(tmpdir(), log, {
        counters: () => {
          if (fail) throw new Error('pool closed');
          return capture;
        },
        outbox: () => ({ depth: 3, bytes: -1, shedMessages: 2.5, coalesced: Number.NaN }),
      }),
    );
    const before = valid(await reporter.collect());
    fail = true;
    const after = valid(await reporter.collect());
    expect(after.capture).toEqual(before.capture);
    expect(after.devices).toBe(7);
    expect(after.outbox).toEqual({ depth: 3 });
    expect(entries.filter((e) => e.code === 'APPLIANCE_ERR_HEALTH_COUNTERS')).toHaveLength(1);
  });

  it('rejects only when there is no sequence number to send under', async () => {
    const reporter = createHealthReporter(options(tmpdir(), pino({ level: 'silent' }), { nextSeq: () => Promise.reject(new Error('store closed')) }));
    await expect(reporter.collect()).rejects.toThrow('store closed');
  });
});

describe('health reporter options', () => {
  it('reports every 30 s by default and clamps the interval into 1–3600 s, saying so', () => {
    const { log, entries } = recordingLogger();
    expect(createHealthReporter(options(tmpdir(), log)).intervalS).toBe(30);
    expect(createHealthReporter(options(tmpdir(), log, { intervalS: 1 })).intervalS).toBe(1);
    expect(createHealthReporter(options(tmpdir(), log, { intervalS: 0 })).intervalS).toBe(1);
    expect(createHealthReporter(options(tmpdir(), log, { intervalS: 86_400 })).intervalS).toBe(3600);
    expect(entries.filter((e) => e.code === 'APPLIANCE_ERR_HEALTH_OPTION')).toHaveLength(2);
  });
});
