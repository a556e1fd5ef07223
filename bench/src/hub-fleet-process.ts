/**
 * The benchmark's side of one sensor fleet process: forks it (from the built `dist`, whichever of
 * `src` or `dist` this code runs from), hands it its plan and waits for each answer, failing at once
 * with the fleet's own error, or its exit, rather than waiting forever.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HUB_BENCH_ERRORS, HubBenchError, type HubBenchErrorCode } from './hub-errors.js';
import type { FleetCounters, FleetPlan, FleetReady, FleetResult, FromFleet, ToFleet } from './hub-fleet-messages.js';

/** `src/` and `dist/` are siblings: this resolves to the compiled entry from either. */
const ENTRY = fileURLToPath(new URL('../dist/hub-fleet-main.js', import.meta.url));

export const fleetProcessDefaults = {
  /** Enrolling and connecting a thousand sensors takes seconds; this bounds a fleet that hangs. */
  readyMs: 600_000,
  answerMs: 60_000,
};

type Answer<T extends FromFleet['type']> = Extract<FromFleet, { type: T }>;

export class FleetProcess {
  private waiting: { type: FromFleet['type']; resolve: (m: FromFleet) => void; reject: (e: Error) => void } | null = null;
  private stderr = '';
  private gone: Error | null = null;

  private constructor(private readonly child: ChildProcess) {
    child.stderr?.on('data', (c: Buffer) => (this.stderr = (this.stderr + c.toString()).slice(-2000)));
    child.on('message', (m: FromFleet) => this.onMessage(m));
    child.once('exit', (code, signal) => {
      this.gone = new HubBenchError('BENCH_ERR_HUB_FLEET', `fleet process ${child.pid ?? '?'} exited (${signal ?? `code ${code ?? '?'}`}) ${this.stderr.trim().split('\n').slice(-3).join(' ')}`.trim());
      this.waiting?.reject(this.gone);
      this.waiting = null;
    });
  }

  /** Forks a fleet process and resolves once all its sensors are enrolled and connected. */
  static async start(plan: FleetPlan): Promise<{ fleet: FleetProcess; ready: FleetReady }> {
    if (!existsSync(ENTRY)) throw new HubBenchError('BENCH_ERR_HUB_NOT_BUILT', `${ENTRY} is missing`);
    // No inherited flags (a test runner's loaders, a profiler): the fleet is plain Node.
    const child = fork(ENTRY, [], { execArgv: [], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const fleet = new FleetProcess(child);
    try {
      const answer = await fleet.ask({ type: 'plan', plan }, 'ready', fleetProcessDefaults.readyMs);
      return { fleet, ready: answer.ready };
    } catch (err) {
      fleet.kill();
      throw err;
    }
  }

  go(): void {
    this.tell({ type: 'go' });
  }

  async mark(): Promise<FleetCounters> {
    return (await this.ask({ type: 'mark' }, 'counters', fleetProcessDefaults.answerMs)).counters;
  }

  /** Stops publishing new batches; resolves with how many still await acknowledgement once none do or `ms` has passed. */
  async drain(ms: number): Promise<number> {
    return (await this.ask({ type: 'drain', ms }, 'drained', ms + fleetProcessDefaults.answerMs)).waiting;
  }

  async stop(): Promise<FleetResult> {
    return (await this.ask({ type: 'stop' }, 'result', fleetProcessDefaults.answerMs)).result;
  }

  kill(): void {
    if (this.gone === null) this.child.kill('SIGKILL');
  }

  private tell(message: ToFleet): void {
    if (this.gone) throw this.gone;
    this.child.send(message);
  }

  private ask<T extends FromFleet['type']>(message: ToFleet, type: T, ms: number): Promise<Answer<T>> {
    return new Promise<Answer<T>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = null;
        reject(new HubBenchError('BENCH_ERR_HUB_FLEET', `no ${type} from fleet process ${this.child.pid ?? '?'} within ${ms} ms`));
      }, ms);
      this.waiting = {
        type,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m as Answer<T>);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      try {
        this.tell(message);
      } catch (err) {
        this.waiting.reject(err as Error);
        this.waiting = null;
      }
    });
  }

  private onMessage(m: FromFleet): void {
    const w = this.waiting;
    if (!w) return;
    if (m.type === 'failed') {
      this.waiting = null;
      w.reject(failureOf(m.code, m.message));
      return;
    }
    if (m.type !== w.type) return;
    this.waiting = null;
    w.resolve(m);
  }
}

/** The fleet's own error, its code kept where it is one of ours and its message (already worded) as it was. */
function failureOf(code: string, message: string): HubBenchError {
  if (!(code in HUB_BENCH_ERRORS)) return new HubBenchError('BENCH_ERR_HUB_FLEET', `${code}: ${message}`);
  const err = new HubBenchError(code as HubBenchErrorCode);
  err.message = message;
  return err;
}
