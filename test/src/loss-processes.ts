/**
 * The real processes of the store-and-forward loss tests, each run inside a network namespace: a
 * hub (`wardsight hub`) that can be stopped and started again on the same data directory, a sensor
 * (`wardsight sensor`) that can be killed and started again on the same store, and `tcpreplay` at a
 * steady rate onto the sensor's mirror port. `ip netns exec` execs its command in place (ip-netns(8)),
 * so a signal sent to the child reaches the hub or sensor process itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventually } from './harness.js';

export const CLI = fileURLToPath(new URL('../../bin/wardsight.js', import.meta.url));

export const lossProcessDefaults = {
  /** A hub or sensor that has not started within this is a failure (first starts make keys). */
  startTimeoutMs: 60_000,
  /** SIGTERM first; SIGKILL if a process has not stopped after this. */
  stopTimeoutMs: 20_000,
  /** Log text kept per process (the latest), for failure messages and parsing. */
  maxLogChars: 64 * 1024 * 1024,
};

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** One run of a command in a namespace, its output kept. */
export class NsProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<Exit>;
  private chunks: string[] = [];
  private size = 0;
  private readonly lineListeners = new Set<(line: string) => void>();

  constructor(ns: string, command: string[], env: NodeJS.ProcessEnv = process.env) {
    this.child = spawn('ip', ['netns', 'exec', ns, ...command], { stdio: ['ignore', 'pipe', 'pipe'], env });
    const keeper = () => {
      let partial = '';
      return (c: Buffer) => {
        const text = c.toString();
        this.chunks.push(text);
        this.size += text.length;
        if (this.size > lossProcessDefaults.maxLogChars) this.size -= this.chunks.shift()?.length ?? 0;
        if (this.lineListeners.size === 0) return;
        const lines = (partial + text).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) for (const listener of this.lineListeners) listener(line);
      };
    };
    this.child.stdout?.on('data', keeper());
    this.child.stderr?.on('data', keeper());
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /** Resolves with the next whole line of output that matches `pattern` (lines already out do not count). */
  nextLine(pattern: RegExp, timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.lineListeners.delete(listener);
        reject(new Error(`no output line matching ${pattern} within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (line: string) => {
        if (!pattern.test(line)) return;
        clearTimeout(timer);
        this.lineListeners.delete(listener);
        resolve(line);
      };
      this.lineListeners.add(listener);
    });
  }

  get output(): string {
    return this.chunks.join('');
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  kill(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  /** SIGTERM, then SIGKILL if it does not stop in time. */
  async stop(): Promise<Exit> {
    if (!this.running) return this.exited;
    const timer = setTimeout(() => this.kill('SIGKILL'), lossProcessDefaults.stopTimeoutMs);
    this.kill('SIGTERM');
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }
}

export interface HubAddress {
  ns: string;
  ip: string;
  mqttPort: number;
  apiPort: number;
}

/** `wardsight hub` in its namespace; every start on the same data directory, one after another. */
export class HubRun {
  /** Every run so far, the current one last (their logs together are the hub's history). */
  readonly runs: NsProcess[] = [];

  constructor(
    readonly address: HubAddress,
    readonly dataDir: string,
  ) {}

  /** Starts the hub and waits until it has written its endpoint file with its own pid. */
  async start(): Promise<NsProcess> {
    const a = this.address;
    const args = [process.execPath, CLI, 'hub', '--data-dir', this.dataDir, '--host', a.ip, '--public-name', a.ip, '--mqtt-port', String(a.mqttPort), '--api-port', String(a.apiPort)];
    // Debug level: the hub then logs each message it ingests with its sequence number and outcome.
    const run = new NsProcess(a.ns, args, { ...process.env, WARDSIGHT_LOG: 'debug' });
    this.runs.push(run);
    const endpoint = join(this.dataDir, 'hub.json');
    await eventually(
      async () => {
        if (!run.running) throw new Error(`hub exited: ${run.output.slice(-4000)}`);
        const text = await readFile(endpoint, 'utf8').catch(() => '');
        return text && (JSON.parse(text) as { pid: number }).pid === run.child.pid ? true : undefined;
      },
      lossProcessDefaults.startTimeoutMs,
      'hub started',
    );
    return run;
  }

  get current(): NsProcess | undefined {
    return this.runs.at(-1);
  }

  /** Stops the current run with SIGTERM, as a service manager does. */
  async stop(): Promise<Exit> {
    return (await this.current?.stop()) ?? { code: 0, signal: null };
  }

  /** The logs of every run, oldest first. */
  get output(): string {
    return this.runs.map((r) => r.output).join('');
  }
}

/** `wardsight sensor --config` in its namespace; started again on the same store after each kill. */
export class SensorRun {
  readonly runs: NsProcess[] = [];

  constructor(
    readonly ns: string,
    readonly config: string,
  ) {}

  /** Starts the sensor and waits until it says it is capturing. */
  async start(): Promise<NsProcess> {
    const run = new NsProcess(this.ns, [process.execPath, CLI, 'sensor', '--config', this.config]);
    this.runs.push(run);
    await eventually(
      async () => {
        if (run.output.includes('sensor started')) return true;
        if (!run.running) throw new Error(`sensor exited: ${run.output.slice(-4000)}`);
        return undefined;
      },
      lossProcessDefaults.startTimeoutMs,
      'sensor capturing',
    ).catch((err: unknown) => {
      throw new Error(`${(err as Error).message}\n${run.output.slice(-4000)}`);
    });
    return run;
  }

  get current(): NsProcess | undefined {
    return this.runs.at(-1);
  }

  /** Kills the current run with SIGKILL: no goodbye, no flush, no close of the store. */
  async kill(): Promise<Exit> {
    const run = this.current;
    if (!run) throw new Error('no sensor running');
    run.kill('SIGKILL');
    return run.exited;
  }

  async stop(): Promise<Exit> {
    return (await this.current?.stop()) ?? { code: 0, signal: null };
  }

  get output(): string {
    return this.runs.map((r) => r.output).join('');
  }
}

export interface Replay {
  process: NsProcess;
  /** Resolves with the packets tcpreplay says it sent (all loops). */
  done: Promise<number>;
  /** Interrupts it (SIGINT: tcpreplay stops and prints what it sent); resolves with the packets sent. */
  interrupt(): Promise<number>;
}

/**
 * `tcpreplay --pps=N` (tcpreplay(1): a steady packet rate, whatever the capture's timestamps) of
 * `pcap` onto `iface`, `loops` times.
 */
export function startReplay(ns: string, iface: string, pcap: string, pps: number, loops = 1): Replay {
  const replay = new NsProcess(ns, ['tcpreplay', `--pps=${pps}`, `--loop=${loops}`, '-i', iface, pcap]);
  let interrupted = false;
  const sent = (exit: Exit): number => {
    const count = /Actual: (\d+) packets/.exec(replay.output)?.[1];
    if ((exit.code !== 0 && !interrupted) || count === undefined) throw new Error(`tcpreplay failed (${exit.code ?? exit.signal}): ${replay.output.slice(-2000)}`);
    return Number(count);
  };
  const done = replay.exited.then(sent);
  return {
    process: replay,
    done,
    async interrupt() {
      interrupted = true;
      replay.kill('SIGINT');
      return done;
    },
  };
}
