/**
 * The sensor's supervised capture on a live mirror port, in a network namespace the test makes: the
 * mirror port's interface is deleted (as when an adapter is pulled) and made again; the capture is
 * restarted (with backoff while the interface is missing), after which frames are counted again, on
 * top of the counts before. A first start on an interface that does not exist
 * fails at once with the reason. Needs root, iproute2 and tcpreplay; `npx tsc --build` first.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeMix } from '@wardsight/sim';
import { SupervisedCapture } from '../src/capture-supervision.js';

const root = process.getuid?.() === 0;
const tools = ['/usr/bin/tcpreplay'].every((p) => existsSync(p)) && ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip'].some((p) => existsSync(p));
if (!root || !tools) console.warn('[skip] supervised live capture: needs root, iproute2 and tcpreplay');

const MODULE = fileURLToPath(new URL('../dist/capture-supervision.js', import.meta.url));
const PINO = pathToFileURL(createRequire(import.meta.url).resolve('pino')).href;
const NS = `ws-sup-${process.pid}`;
const PORT = 'wsmirror0';
const FEED = 'wsfeed0';

/** The capture under test, as a process in the namespace: it takes commands on stdin and logs JSON lines. */
const script = `
import { createInterface } from 'node:readline';
import pinoModule from ${JSON.stringify(PINO)};
import { SupervisedCapture } from ${JSON.stringify(MODULE)};
const { pino } = pinoModule;
const log = pino({ level: 'info' });
const capture = new SupervisedCapture({
  spec: { kind: 'live', interface: ${JSON.stringify(PORT)} },
  pool: { onFlush: () => undefined },
  knownDevices: async () => [],
  backoff: { minBackoffMs: 200, maxBackoffMs: 800, jitter: 0 },
  interfaceCheckMs: 200,
  log,
});
await capture.start();
log.info('ready');
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'counters') log.info({ counters: capture.counters(), restarts: capture.restarts }, 'counters');
  else if (line === 'stop') { await capture.stop(); log.info('stopped'); process.exit(0); }
}
`;

interface LogLine {
  msg: string;
  counters?: { packets: number; restarts: number };
  restarts?: number;
  err?: { message: string };
}

describe.skipIf(!root || !tools)('supervised live capture', () => {
  let dir: string;
  let mix: string;
  let child: ChildProcess;
  const lines: LogLine[] = [];
  const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'ignore' });
  const makePort = () => {
    ip('-n', NS, 'link', 'add', PORT, 'type', 'veth', 'peer', 'name', FEED);
    ip('-n', NS, 'link', 'set', PORT, 'up');
    ip('-n', NS, 'link', 'set', FEED, 'up');
  };
  const replay = () => execFileSync('ip', ['netns', 'exec', NS, 'tcpreplay', '--topspeed', '-i', FEED, mix], { stdio: 'ignore' });
  const waitFor = async (what: (l: LogLine) => boolean, after: number, label: string): Promise<LogLine> => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const found = lines.slice(after).find(what);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`${label} not seen; log:\n${lines.map((l) => JSON.stringify(l)).join('\n')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const counters = async () => {
    const mark = lines.length;
    child.stdin?.write('counters\n');
    return (await waitFor((l) => l.msg === 'counters', mark, 'counters')).counters ?? { packets: -1, restarts: -1 };
  };
  /** Replays the mix until the capture has counted more packets than `above`. */
  const capturesMoreThan = async (above: number) => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      replay();
      const c = await counters();
      if (c.packets > above) return c;
      if (Date.now() > deadline) throw new Error(`no packets past ${above}`);
    }
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wardsight-capture-'));
    mix = join(dir, 'mix.pcap');
    await writeMix(mix, { packets: 2000, devices: 40, seed: 3 });
    ip('netns', 'add', NS);
    makePort();
    const file = join(dir, 'capture.mjs');
    await writeFile(file, script);
    child = spawn('ip', ['netns', 'exec', NS, process.execPath, file], { stdio: ['pipe', 'pipe', 'inherit'], cwd: fileURLToPath(new URL('..', import.meta.url)) });
    let rest = '';
    child.stdout?.on('data', (c: Buffer) => {
      const text = rest + c.toString();
      const parts = text.split('\n');
      rest = parts.pop() ?? '';
      for (const p of parts) if (p.trim()) lines.push(JSON.parse(p) as LogLine);
    });
    await waitFor((l) => l.msg === 'ready', 0, 'capture ready');
  });

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    try {
      ip('netns', 'del', NS);
    } catch {
      // already gone
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('notices a mirror port that went away, retries while it is missing, and captures again once it is back, counting on', async () => {
    const before = await capturesMoreThan(0);
    const mark = lines.length;
    ip('-n', NS, 'link', 'del', PORT);
    const crash = await waitFor((l) => l.msg === 'crashed; restarting', mark, 'lost interface noticed');
    expect(crash.err?.message).toMatch(/interface wsmirror0 has gone away/);
    await waitFor((l) => l.msg === 'failed to start; retrying', mark, 'a failed restart while the port is missing');
    makePort();
    await waitFor((l) => l.msg === 'started' && (l.restarts ?? 0) >= 1, mark, 'restart once the port is back');
    const after = await capturesMoreThan(before.packets);
    expect(after.restarts).toBeGreaterThanOrEqual(1);
    // A live capture that stops lets its process exit cleanly (libpcap's poll handle is closed, not left to abort the exit).
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const stopMark = lines.length;
    child.stdin?.write('stop\n');
    await waitFor((l) => l.msg === 'stopped', stopMark, 'clean stop');
    expect(await exited).toBe(0);
  });

  it('says at once why a first start fails, and does not retry it', async () => {
    const capture = new SupervisedCapture({ spec: { kind: 'live', interface: 'wsnosuch0' }, pool: { onFlush: () => undefined }, knownDevices: async () => [], log: pino({ level: 'silent' }) });
    await expect(capture.start()).rejects.toThrow(/wsnosuch0/);
    expect(capture.restarts).toBe(0);
  });
});
