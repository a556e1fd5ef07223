/**
 * sd_notify and the systemd watchdog against a real notification socket: the test plays the service
 * manager (a datagram socket bound in a temp folder, named by NOTIFY_SOCKET) and runs a real child
 * Node process with the built modules. It sees READY=1, then WATCHDOG=1 at half of WATCHDOG_USEC;
 * when the child's main loop is blocked the pings stop (as systemd would notice), and they come back
 * once it runs again. Needs `npx tsc --build` first (the child imports appliance/dist).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DgramSocket } from 'node-unix-socket';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { notifyThroughCommand, SystemdNotifier, statusLine } from '../src/systemd-notify.js';
import { watchdogRequest } from '../src/watchdog.js';

const dist = new URL('../dist/', import.meta.url);

/** The child: notifies readiness, pings, and on stdin `block <ms>` busy-loops its main thread; `stop` shuts down. */
const childScript = `
import { SystemdNotifier } from ${JSON.stringify(new URL('systemd-notify.js', dist).href)};
import { Watchdog } from ${JSON.stringify(new URL('watchdog.js', dist).href)};
const notifier = new SystemdNotifier(process.env);
const watchdog = new Watchdog(notifier, { summary: () => 'eth1: 42 packets, 3 devices', statusIntervalMs: 1000 });
watchdog.start();
await notifier.ready('capturing on eth1');
process.stdin.setEncoding('utf8');
process.stdin.on('data', (text) => {
  const [command, arg] = text.trim().split(' ');
  if (command === 'block') {
    const until = Date.now() + Number(arg);
    while (Date.now() < until) { /* a hung main loop */ }
    void notifier.status('unblocked');
  } else if (command === 'stop') {
    watchdog.stop();
    void notifier.stopping('stopping').then(() => process.exit(0));
  }
});
`;

interface Notification {
  at: number;
  fields: Record<string, string>;
}

/** The service manager's side: every datagram, parsed into its assignments, with its arrival time. */
class FakeManager {
  readonly received: Notification[] = [];
  private readonly socket = new DgramSocket();
  private waiters: (() => void)[] = [];

  constructor(readonly path: string) {
    this.socket.bind(path);
    this.socket.on('data', (buf: Buffer) => {
      const fields = Object.fromEntries(
        buf
          .toString('utf8')
          .split('\n')
          .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
      ) as Record<string, string>;
      this.received.push({ at: performance.now(), fields });
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  /** Resolves with the first notification from index `from` on that matches; fails past the deadline. */
  async next(match: (n: Notification) => boolean, from = 0, deadlineMs = 10_000): Promise<Notification> {
    const end = performance.now() + deadlineMs;
    for (;;) {
      const hit = this.received.slice(from).find(match);
      if (hit) return hit;
      if (performance.now() > end) throw new Error(`no matching notification within ${deadlineMs} ms; got ${JSON.stringify(this.received.map((n) => n.fields))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  pings(): number[] {
    return this.received.filter((n) => n.fields.WATCHDOG === '1').map((n) => n.at);
  }

  close(): void {
    this.socket.close();
  }
}

const isPing = (n: Notification) => n.fields.WATCHDOG === '1';

describe('systemd notifications and watchdog (real socket, real child process)', () => {
  let dir: string;
  let manager: FakeManager;
  let child: ChildProcess | undefined;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wardsight-notify-'));
    await writeFile(join(dir, 'child.mjs'), childScript);
    manager = new FakeManager(join(dir, 'notify.sock'));
  });
  afterEach(async () => {
    child?.kill('SIGKILL');
    child = undefined;
    manager.close();
    await rm(dir, { recursive: true, force: true });
  });

  function startChild(env: Record<string, string>): ChildProcess {
    const { NOTIFY_SOCKET: _n, WATCHDOG_USEC: _u, WATCHDOG_PID: _p, ...base } = process.env;
    child = spawn(process.execPath, [join(dir, 'child.mjs')], { env: { ...base, ...env }, stdio: ['pipe', 'inherit', 'inherit'] });
    return child;
  }

  it('says READY=1, pings at half the watchdog interval, stops pinging while the main loop hangs, and resumes', async () => {
    const watchdogMs = 1000;
    const proc = startChild({ NOTIFY_SOCKET: manager.path, WATCHDOG_USEC: String(watchdogMs * 1000) });
    const ready = await manager.next((n) => n.fields.READY === '1');
    expect(ready.fields.STATUS).toBe('capturing on eth1');
    const readyIndex = manager.received.indexOf(ready);
    // Regular pings after READY=1, each well within the interval systemd enforces.
    for (let i = 0; i < 3; i += 1) await manager.next(isPing, manager.received.length);
    const before = manager.pings();
    expect(manager.received.slice(readyIndex + 1).filter(isPing).length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < before.length; i += 1) expect(before[i]! - before[i - 1]!).toBeLessThan(watchdogMs);

    // Hang the main loop for 2.5 s: the pings stop for longer than the watchdog interval...
    const blockMs = 2500;
    proc.stdin?.write(`block ${blockMs}\n`);
    await manager.next((n) => n.fields.STATUS === 'unblocked');
    // ...and come back once it runs again.
    await manager.next(isPing, manager.received.length);
    await manager.next(isPing, manager.received.length);
    const pings = manager.pings();
    const gaps = pings.slice(1).map((t, i) => t - pings[i]!);
    expect(Math.max(...gaps), 'silence longer than WatchdogSec, so systemd would restart the service').toBeGreaterThan(watchdogMs);
    expect(gaps.filter((g) => g > watchdogMs), 'only the hang is silent').toHaveLength(1);

    // A STATUS= summary now and then, and STOPPING=1 on shutdown.
    expect(manager.received.some((n) => n.fields.STATUS === 'eth1: 42 packets, 3 devices')).toBe(true);
    proc.stdin?.write('stop\n');
    const stopping = await manager.next((n) => n.fields.STOPPING === '1');
    expect(stopping.fields.STATUS).toBe('stopping');
  });

  it('does not ping when WATCHDOG_PID names another process, but still notifies', async () => {
    const proc = startChild({ NOTIFY_SOCKET: manager.path, WATCHDOG_USEC: '200000', WATCHDOG_PID: '1' });
    await manager.next((n) => n.fields.READY === '1');
    // At 100 ms a ping, a second is ten pings that must not come.
    await manager.next((n) => n.fields.STATUS === 'eth1: 42 packets, 3 devices');
    proc.stdin?.write('stop\n');
    await manager.next((n) => n.fields.STOPPING === '1');
    expect(manager.pings()).toEqual([]);
  });

  it('never throws when the manager has gone away', async () => {
    const notifier = new SystemdNotifier({ NOTIFY_SOCKET: join(dir, 'gone.sock') });
    expect(notifier.enabled).toBe(true);
    await expect(notifier.ready()).resolves.toBe(false);
    await expect(notifier.watchdog()).resolves.toBe(false);
    // And delivers once it is there.
    const notifier2 = new SystemdNotifier({ NOTIFY_SOCKET: manager.path });
    await expect(notifier2.status('line one\nline two')).resolves.toBe(true);
    const status = await manager.next((n) => n.fields.STATUS !== undefined);
    expect(status.fields).toEqual({ STATUS: 'line one line two' });
    await expect(notifier2.extendTimeout(90_000)).resolves.toBe(true);
    expect((await manager.next((n) => n.fields.EXTEND_TIMEOUT_USEC !== undefined)).fields).toEqual({ EXTEND_TIMEOUT_USEC: '90000000' });
  });

  it.skipIf(!existsSync('/usr/bin/systemd-notify'))('notifies through systemd-notify(1) where the native module is missing', async () => {
    const from = manager.received.length;
    await expect(notifyThroughCommand(Buffer.from('WATCHDOG=1\nSTATUS=capturing on eth1'), manager.path)).resolves.toBeNull();
    expect((await manager.next((n) => n.fields.WATCHDOG === '1', from)).fields).toMatchObject({ WATCHDOG: '1', STATUS: 'capturing on eth1' });
  });
});

describe('notification settings from the environment', () => {
  it('is a no-op without NOTIFY_SOCKET', async () => {
    const notifier = new SystemdNotifier({});
    expect(notifier.state).toEqual({ enabled: false, reason: 'no-notify-socket' });
    await expect(notifier.ready('x')).resolves.toBe(false);
    await expect(notifier.stopping()).resolves.toBe(false);
  });

  it('reports an abstract socket as unusable with this socket library, rather than pretending', async () => {
    const notifier = new SystemdNotifier({ NOTIFY_SOCKET: '@wardsight-test/notify' });
    expect(notifier.state).toMatchObject({ enabled: false, reason: 'unsupported', socket: '@wardsight-test/notify', error: { code: 'APPLIANCE_ERR_NOTIFY_SOCKET' } });
    await expect(notifier.ready()).resolves.toBe(false);
    expect(new SystemdNotifier({ NOTIFY_SOCKET: 'relative/notify' }).state).toMatchObject({ enabled: false, reason: 'unsupported' });
  });

  it('reads WATCHDOG_USEC and WATCHDOG_PID as sd_watchdog_enabled(3) does', () => {
    expect(watchdogRequest({}, 10)).toEqual({ enabled: false, reason: 'not-requested' });
    expect(watchdogRequest({ WATCHDOG_USEC: '30000000' }, 10)).toEqual({ enabled: true, intervalMs: 30_000 });
    expect(watchdogRequest({ WATCHDOG_USEC: '30000000', WATCHDOG_PID: '10' }, 10)).toEqual({ enabled: true, intervalMs: 30_000 });
    expect(watchdogRequest({ WATCHDOG_USEC: '30000000', WATCHDOG_PID: '11' }, 10)).toEqual({ enabled: false, reason: 'other-process' });
    for (const bad of ['0', '-5', '1e6', 'soon']) expect(watchdogRequest({ WATCHDOG_USEC: bad }, 10), bad).toEqual({ enabled: false, reason: 'invalid' });
  });

  it('keeps STATUS= to one line of bounded length', () => {
    expect(statusLine('a\r\nb\nc')).toBe('a b c');
    expect(statusLine('x'.repeat(1000))).toHaveLength(400);
  });
});
