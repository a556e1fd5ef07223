/**
 * The hub under test, as people run it: `wardsight hub` in a process of its own (so that it has a
 * core to itself and the sensors' work is not counted as the hub's), on 127.0.0.1 with free ports.
 * Where it listens is read from the `hub.json` it writes; its admin credential from its data
 * directory. With a profile directory it runs under `--cpu-prof`, which Node writes when the hub
 * exits after SIGTERM. Further flags choose its store, broker and instance name (hub-instances.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { hubPaths, type HubEndpoint } from '@wardsight/hub/config';
import type { ApiCredential } from './hub-https.js';
import { HubBenchError } from './hub-errors.js';

export interface HubChildOptions {
  repo: string;
  dataDir: string;
  cpuProfileDir?: string;
  startMs: number;
  stopMs: number;
  /** More `wardsight hub` flags, e.g. `--store postgres://…`, `--broker mosquitto`. */
  flags?: readonly string[];
}

export interface HubChild {
  endpoint: HubEndpoint;
  ca: string;
  credential: ApiCredential;
  /** CPU seconds the hub process has used so far (user and system), or null where /proc cannot say. */
  cpuSeconds(): Promise<number | null>;
  /** CPU seconds used so far by the hub's own child processes named `command` (e.g. its Mosquitto); null where /proc cannot say. */
  childCpuSeconds(command: string): Promise<number | null>;
  /** SIGKILL, as a crash or the OOM killer ends a hub: nothing is closed; resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM, then waits for the hub to close; resolves with the path of its CPU profile when one was asked for. */
  stop(): Promise<{ exitCode: number | null; cpuProfile: string | null }>;
}

/** Clock ticks per second of /proc/<pid>/stat (sysconf(_SC_CLK_TCK)); 100 on every Linux this runs on. */
const CLOCK_TICKS = 100;
const POLL_MS = 100;

export async function startHubChild(o: HubChildOptions): Promise<HubChild> {
  const entry = join(o.repo, 'bin', 'wardsight.js');
  if (!existsSync(join(o.repo, 'cli', 'dist', 'index.js'))) throw new HubBenchError('BENCH_ERR_HUB_NOT_BUILT', `${join(o.repo, 'cli', 'dist')} is missing`);
  const profiling = o.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', o.cpuProfileDir] : [];
  const args = [...profiling, entry, 'hub', '--data-dir', o.dataDir, '--host', '127.0.0.1', '--mqtt-port', '0', '--api-port', '0', ...(o.flags ?? [])];
  // The hub logs at warn and above: a refused sensor or a failed write shows; per-message lines would cost time.
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, WARDSIGHT_LOG: process.env.WARDSIGHT_LOG ?? 'warn' } });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let gone = false;
  void exited.then(() => (gone = true));
  const tail = () => stderr.trim().split('\n').slice(-5).join('\n');

  try {
    const endpoint = await waitForEndpoint(o.dataDir, child, () => gone, o.startMs, tail);
    const ca = await readFile(endpoint.caFile, 'utf8');
    const credential = JSON.parse(await readFile(hubPaths(o.dataDir).adminCredential, 'utf8')) as ApiCredential;
    return {
      endpoint,
      ca,
      credential,
      cpuSeconds: () => cpuSecondsOf(child.pid),
      childCpuSeconds: (command) => childCpuSecondsOf(child.pid, command),
      async kill() {
        if (!gone) child.kill('SIGKILL');
        await exited;
      },
      async stop() {
        if (!gone) child.kill('SIGTERM');
        const exitCode = await Promise.race([exited, new Promise<'late'>((r) => setTimeout(() => r('late'), o.stopMs).unref())]);
        if (exitCode === 'late') {
          child.kill('SIGKILL');
          await exited;
          throw new HubBenchError('BENCH_ERR_HUB_STOP', `it was still running ${o.stopMs} ms after SIGTERM and was killed; ${tail()}`);
        }
        const cpuProfile = o.cpuProfileDir ? await profileOf(o.cpuProfileDir, child.pid) : null;
        return { exitCode, cpuProfile };
      },
    };
  } catch (err) {
    if (!gone) child.kill('SIGKILL');
    await exited;
    throw err;
  }
}

async function waitForEndpoint(dataDir: string, child: ChildProcess, gone: () => boolean, ms: number, tail: () => string): Promise<HubEndpoint> {
  const file = hubPaths(dataDir).endpoint;
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (gone()) throw new HubBenchError('BENCH_ERR_HUB_START', `it exited: ${tail() || 'no message'}`);
    const text = await readFile(file, 'utf8').catch(() => '');
    // The hub writes it in place: a read may catch it half written, which the next poll completes.
    // A file naming another process is not ours.
    const endpoint = parseEndpoint(text);
    if (endpoint && endpoint.pid === child.pid) return endpoint;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  throw new HubBenchError('BENCH_ERR_HUB_START', `no ${file} within ${ms} ms; ${tail()}`);
}

function parseEndpoint(text: string): HubEndpoint | null {
  try {
    return text ? (JSON.parse(text) as HubEndpoint) : null;
  } catch {
    return null;
  }
}

/** proc(5): fields 14 and 15 of /proc/<pid>/stat are user and system time in clock ticks. */
async function cpuSecondsOf(pid: number | undefined): Promise<number | null> {
  if (pid === undefined) return null;
  const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // The command name (field 2) may hold spaces: count fields from after its closing parenthesis.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const user = Number(fields[11]);
  const system = Number(fields[12]);
  return Number.isFinite(user) && Number.isFinite(system) ? (user + system) / CLOCK_TICKS : null;
}

/** proc(5): `/proc/<pid>/task/<pid>/children` lists the main thread's children, `comm` each one's command name. */
async function childCpuSecondsOf(pid: number | undefined, command: string): Promise<number | null> {
  if (pid === undefined) return null;
  const list = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => null);
  if (list === null) return null;
  let total = 0;
  for (const child of list.trim().split(/\s+/).filter(Boolean)) {
    const comm = (await readFile(`/proc/${child}/comm`, 'utf8').catch(() => '')).trim();
    if (comm !== command) continue;
    const seconds = await cpuSecondsOf(Number(child));
    if (seconds === null) return null;
    total += seconds;
  }
  return total;
}

/** Node names a profile `CPU.<date>.<time>.<pid>.<thread>.<n>.cpuprofile`. */
async function profileOf(dir: string, pid: number | undefined): Promise<string | null> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const mine = names.filter((n) => n.endsWith('.cpuprofile') && n.split('.')[3] === String(pid)).sort();
  const last = mine[mine.length - 1];
  return last === undefined ? null : join(dir, last);
}
