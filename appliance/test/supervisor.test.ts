/**
 * The supervisor with real components: a child process that crashes or refuses to start (as a
 * capture helper would), and the edge core's CapturePool on a capture file that is missing until the
 * test writes it. Restarts wait min·2ⁿ (bounded), the backoff returns to the minimum after a healthy
 * run, a part that ends on purpose is not restarted, and stop() is clean: a pending restart is
 * cancelled, a running part is stopped, nothing starts afterwards. Needs `npx tsc --build` first.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CapturePool } from '@wardsight/edge-core';
import { PcapWriter, buildHospital } from '@wardsight/sim';
import { Supervisor, type RestartableComponent, type SupervisorEvents } from '../src/supervisor.js';

/** A component process: its mode file says `fail-start`, `crash`, `crash-after <ms>` or `run`. */
const componentScript = `
import { readFileSync } from 'node:fs';
const [mode, arg] = readFileSync(process.argv[2], 'utf8').trim().split(' ');
if (mode === 'fail-start') process.exit(2);
process.on('SIGTERM', () => process.exit(0));
process.stdout.write('up\\n');
if (mode === 'crash') setTimeout(() => process.exit(1), 20);
else if (mode === 'crash-after') setTimeout(() => process.exit(1), Number(arg));
else setInterval(() => undefined, 1000);
`;

interface ChildComponent extends RestartableComponent {
  /** Every process started, in order, with when it was started. */
  starts: { pid: number; at: number }[];
}

/** Runs the script as a child; up once it prints `up`; a stop is SIGTERM and a clean exit. */
function childComponent(script: string, modeFile: string): ChildComponent {
  const starts: { pid: number; at: number }[] = [];
  return {
    name: 'child',
    starts,
    start: () =>
      new Promise((resolve, reject) => {
        const proc = spawn(process.execPath, [script, modeFile], { stdio: ['ignore', 'pipe', 'inherit'] });
        starts.push({ pid: proc.pid ?? -1, at: performance.now() });
        let stopping = false;
        const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => proc.once('exit', (code, signal) => done({ code, signal })));
        proc.once('error', reject);
        proc.stdout.once('data', () =>
          resolve({
            ended: exited.then(({ code }) => {
              if (!(stopping && code === 0)) throw new Error(`the component exited with code ${code}`);
            }),
            stop: async () => {
              stopping = true;
              proc.kill('SIGTERM');
              await exited;
            },
          }),
        );
        // Exiting before `up` is a failed start (a no-op once up).
        void exited.then(({ code }) => reject(new Error(`the component did not come up (code ${code})`)));
      }),
  };
}

/** Collects a supervisor's events and lets a test wait for the n-th of a kind. */
function record(supervisor: Supervisor) {
  const events: { kind: keyof SupervisorEvents; at: number; delayMs?: number; error?: Error }[] = [];
  supervisor.on('started', () => events.push({ kind: 'started', at: performance.now() }));
  supervisor.on('crashed', (e) => events.push({ kind: 'crashed', at: performance.now(), delayMs: e.delayMs, error: e.error }));
  supervisor.on('ended', () => events.push({ kind: 'ended', at: performance.now() }));
  supervisor.on('stopped', () => events.push({ kind: 'stopped', at: performance.now() }));
  const count = (kind: keyof SupervisorEvents) => events.filter((e) => e.kind === kind).length;
  const until = async (kind: keyof SupervisorEvents, n: number, deadlineMs = 20_000) => {
    const end = performance.now() + deadlineMs;
    while (count(kind) < n) {
      if (performance.now() > end) throw new Error(`only ${count(kind)} '${kind}' events within ${deadlineMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return { events, count, until, delays: () => events.filter((e) => e.kind === 'crashed').map((e) => e.delayMs) };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('supervisor with a real child process', () => {
  let dir: string;
  let script: string;
  let modeFile: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wardsight-supervisor-'));
    script = join(dir, 'component.mjs');
    modeFile = join(dir, 'mode');
    await writeFile(script, componentScript);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('restarts a crashing part with doubling backoff up to the maximum, then stops it cleanly', async () => {
    await writeFile(modeFile, 'crash');
    const component = childComponent(script, modeFile);
    const supervisor = new Supervisor(component, { minBackoffMs: 50, maxBackoffMs: 400, jitter: 0, healthyAfterMs: 60_000 });
    const log = record(supervisor);
    await supervisor.start();
    await log.until('crashed', 6);
    expect(log.delays().slice(0, 6)).toEqual([50, 100, 200, 400, 400, 400]);
    expect(supervisor.lastError?.message).toBe('the component exited with code 1');
    // Each restart came no sooner than its backoff after the crash before it (timers never fire early by more than their clock's 1 ms).
    const crashes = log.events.filter((e) => e.kind === 'crashed');
    for (let i = 0; i < 5; i += 1) expect(component.starts[i + 1]!.at - crashes[i]!.at).toBeGreaterThanOrEqual(crashes[i]!.delayMs! - 2);

    // Now it runs: the supervisor keeps it, counts the restarts, and stop() ends it for good.
    await writeFile(modeFile, 'run');
    const startedBefore = log.count('started');
    await log.until('started', startedBefore + 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(supervisor.state).toBe('running');
    const restarts = supervisor.restarts;
    expect(restarts).toBe(component.starts.length - 1);
    expect(restarts).toBeGreaterThanOrEqual(6);
    const running = component.starts.at(-1)!.pid;
    expect(alive(running)).toBe(true);
    await supervisor.stop();
    expect(supervisor.state).toBe('stopped');
    expect(alive(running)).toBe(false);
    await new Promise((r) => setTimeout(r, 600)); // longer than the longest backoff
    expect(component.starts.length).toBe(restarts + 1);
    expect(log.events.at(-1)?.kind).toBe('stopped');
    await expect(supervisor.start()).rejects.toMatchObject({ code: 'APPLIANCE_ERR_SUPERVISOR_STOPPED' });
  });

  it('treats a failed start like a crash, and stop() cancels the pending restart', async () => {
    await writeFile(modeFile, 'fail-start');
    const component = childComponent(script, modeFile);
    const supervisor = new Supervisor(component, { minBackoffMs: 5000, jitter: 0 });
    const log = record(supervisor);
    await supervisor.start();
    expect(supervisor.state).toBe('backoff');
    expect(log.delays()).toEqual([5000]);
    expect(supervisor.lastError?.message).toBe('the component did not come up (code 2)');
    const asked = performance.now();
    await supervisor.stop();
    // Stopped without waiting out the 5 s backoff, and nothing starts afterwards.
    expect(performance.now() - asked).toBeLessThan(5000);
    expect(supervisor.state).toBe('stopped');
    expect(component.starts).toHaveLength(1);
    await supervisor.done;
  });

  it('goes back to the shortest backoff after the part has run well for a while', async () => {
    await writeFile(modeFile, 'crash');
    const component = childComponent(script, modeFile);
    const supervisor = new Supervisor(component, { minBackoffMs: 50, maxBackoffMs: 10_000, jitter: 0, healthyAfterMs: 300 });
    const log = record(supervisor);
    await supervisor.start();
    await log.until('crashed', 3);
    await writeFile(modeFile, 'crash-after 700');
    const atChange = log.count('crashed');
    // The first crash after the change may still be a quick one (started before it); the second is after a healthy run.
    await log.until('crashed', atChange + 2);
    await supervisor.stop();
    const delays = log.delays();
    expect(delays.slice(0, 3)).toEqual([50, 100, 200]);
    expect(delays.at(-1)).toBe(50);
    expect(log.events.filter((e) => e.kind === 'crashed').at(-1)?.error?.message).toBe('the component exited with code 1');
  });

  it('does not restart a part that ends on purpose', async () => {
    await writeFile(modeFile, 'run');
    const component = childComponent(script, modeFile);
    let stopFirst: (() => Promise<void>) | undefined;
    const wrapped: RestartableComponent = {
      name: 'child',
      start: async () => {
        const running = await component.start();
        stopFirst = running.stop;
        return running;
      },
    };
    const supervisor = new Supervisor(wrapped, { minBackoffMs: 20, jitter: 0 });
    const log = record(supervisor);
    await supervisor.start();
    await stopFirst?.(); // the part stops by itself (a capture file read to its end)
    await supervisor.done;
    expect(supervisor.state).toBe('ended');
    expect(log.count('ended')).toBe(1);
    expect(log.count('crashed')).toBe(0);
    expect(component.starts).toHaveLength(1);
  });
});

describe('supervisor with a real capture', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wardsight-supervisor-capture-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** 2,000 frames of floor 1 spaced 500 µs apart: one second when replayed at the recorded pace. */
  async function writeCapture(path: string): Promise<void> {
    const frames = (buildHospital({ seed: 7, sessionsPerDevice: 10 }).floors.find((f) => f.floor === '1')?.frames ?? []).slice(0, 2000);
    expect(frames).toHaveLength(2000);
    const writer = new PcapWriter(path);
    frames.forEach(({ frame }, i) => writer.write(frame, BigInt(1_767_254_400_000_000 + i * 500)));
    await writer.close();
  }

  function captureComponent(path: string, replay: 'fast' | 'recorded', devices: Set<string>): RestartableComponent {
    return {
      name: 'capture',
      async start() {
        const pool = new CapturePool({ kind: 'file', path }, { shards: 1, replay, flushMs: 50, onFlush: (found) => found.devices.forEach((d) => devices.add(d)) });
        try {
          await pool.start();
        } catch (err) {
          await pool.close();
          throw err;
        }
        // A file capture ends by itself at the end of the file; stopped on purpose, it ends then too.
        let stopped!: () => void;
        const stopping = new Promise<void>((resolve) => (stopped = resolve));
        return {
          ended: Promise.race([pool.ended, stopping]).finally(() => pool.close()),
          stop: async () => {
            stopped();
            await pool.close();
          },
        };
      },
    };
  }

  it('retries a capture that cannot open with growing backoff, runs it once it can, and stops it cleanly mid-capture', async () => {
    const path = join(dir, 'ward1.pcap');
    const devices = new Set<string>();
    const supervisor = new Supervisor(captureComponent(path, 'recorded', devices), { minBackoffMs: 50, maxBackoffMs: 1000, jitter: 0 });
    const log = record(supervisor);
    await supervisor.start();
    await log.until('crashed', 3);
    expect(log.delays().slice(0, 3)).toEqual([50, 100, 200]);
    expect(supervisor.lastError).toMatchObject({ code: 'EDGE_ERR_CAPTURE_OPEN' });
    expect(log.count('started')).toBe(0);

    await writeCapture(path);
    await log.until('started', 1);
    const restarts = supervisor.restarts;
    expect(restarts).toBeGreaterThanOrEqual(3);
    // Mid-capture (one second of recorded pace): stop.
    await new Promise((r) => setTimeout(r, 300));
    expect(supervisor.state).toBe('running');
    await supervisor.stop();
    expect(supervisor.state).toBe('stopped');
    expect(log.count('crashed')).toBe(restarts);
    expect(devices.size).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(log.count('started')).toBe(1);
  });

  it('lets a capture file read to its end finish without a restart', async () => {
    const path = join(dir, 'ward1.pcap');
    await writeCapture(path);
    const devices = new Set<string>();
    const supervisor = new Supervisor(captureComponent(path, 'fast', devices), { minBackoffMs: 50, jitter: 0 });
    const log = record(supervisor);
    await supervisor.start();
    await supervisor.done;
    expect(supervisor.state).toBe('ended');
    expect(supervisor.restarts).toBe(0);
    expect(log.count('crashed')).toBe(0);
    expect(devices.size).toBeGreaterThan(0);
  });
});
