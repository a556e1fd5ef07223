/**
 * Keeps a restartable part of the sensor (the capture) running: when it crashes, or fails to start,
 * it is started again after a backoff that doubles from `minBackoffMs` up to `maxBackoffMs`, and
 * goes back to the minimum once the part has run well for `healthyAfterMs`. A part that ends on
 * purpose (a capture file read to its end) is not restarted. `stop()` ends it for good: a pending
 * restart is cancelled and a running part is stopped.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { ApplianceError } from './errors.js';

/** A started instance: `ended` rejects when it crashes, resolves when it stops on purpose. */
export interface RunningComponent {
  ended: Promise<void>;
  /** Stops it on purpose; resolves once it has stopped (`ended` should then resolve too). */
  stop(): Promise<void>;
}

export interface RestartableComponent {
  /** For logs: `capture`. */
  name: string;
  start(): Promise<RunningComponent>;
}

export interface SupervisorOptions {
  minBackoffMs: number;
  maxBackoffMs: number;
  /** Each restart waits this many times longer than the one before. */
  factor: number;
  /** 0 to 0.5: each wait is shortened by up to this fraction, at random, so that many sensors do not retry in step. */
  jitter: number;
  /** A run this long counts as healthy: its crash restarts at the minimum backoff again. */
  healthyAfterMs: number;
}

export const supervisorDefaults: SupervisorOptions = { minBackoffMs: 1000, maxBackoffMs: 60_000, factor: 2, jitter: 0.2, healthyAfterMs: 60_000 };

/** Bounds the options are clamped to. */
export const supervisorBounds = {
  /** Below 10 ms a part that fails at once would spin the main loop. */
  minBackoffMs: { min: 10, max: 60_000 },
  maxBackoffMs: { min: 10, max: 3_600_000 },
  factor: { min: 1, max: 10 },
  jitter: { min: 0, max: 0.5 },
  healthyAfterMs: { min: 0, max: 86_400_000 },
} as const;

export type SupervisorState = 'idle' | 'starting' | 'running' | 'backoff' | 'stopping' | 'stopped' | 'ended';

export interface SupervisorEvents {
  started: [{ name: string; attempt: number; restarts: number }];
  /** The part crashed or failed to start; it is started again after `delayMs`. */
  crashed: [{ name: string; error: Error; ranMs: number; restarts: number; delayMs: number }];
  /** The part ended on purpose; the supervisor is done. */
  ended: [{ name: string }];
  /** `stop()` finished. */
  stopped: [{ name: string; restarts: number }];
}

const clamp = (value: number, { min, max }: { min: number; max: number }) => Math.min(max, Math.max(min, value));

function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}

export class Supervisor extends EventEmitter<SupervisorEvents> {
  readonly options: SupervisorOptions;
  private current: RunningComponent | undefined;
  private startedAt = 0;
  private attempts = 0;
  private restartCount = 0;
  /** Crashes since the last healthy run: the exponent of the next backoff. */
  private failuresInRow = 0;
  private timer: NodeJS.Timeout | undefined;
  private stateNow: SupervisorState = 'idle';
  private error: Error | undefined;
  private stopRequested = false;
  private starting: Promise<void> | undefined;
  private finish!: () => void;
  /** Resolves when the part has ended on purpose, or `stop()` has finished. */
  readonly done: Promise<void>;

  constructor(
    private readonly component: RestartableComponent,
    options: Partial<SupervisorOptions> = {},
    private readonly log?: Logger,
  ) {
    super();
    const o = { ...supervisorDefaults, ...options };
    const minBackoffMs = clamp(o.minBackoffMs, supervisorBounds.minBackoffMs);
    this.options = {
      minBackoffMs,
      maxBackoffMs: Math.max(minBackoffMs, clamp(o.maxBackoffMs, supervisorBounds.maxBackoffMs)),
      factor: clamp(o.factor, supervisorBounds.factor),
      jitter: clamp(o.jitter, supervisorBounds.jitter),
      healthyAfterMs: clamp(o.healthyAfterMs, supervisorBounds.healthyAfterMs),
    };
    this.done = new Promise((resolve) => (this.finish = resolve));
  }

  get state(): SupervisorState {
    return this.stateNow;
  }

  /** Times the part was started again after a crash or a failed start. */
  get restarts(): number {
    return this.restartCount;
  }

  /** The last crash or failed start, if any. */
  get lastError(): Error | undefined {
    return this.error;
  }

  /** The wait before the next restart after `failures` crashes in a row (1 for the first). */
  backoffFor(failures: number, random = Math.random): number {
    const { minBackoffMs, maxBackoffMs, factor, jitter } = this.options;
    const base = Math.min(maxBackoffMs, minBackoffMs * factor ** Math.max(0, failures - 1));
    return Math.round(base * (1 - jitter * random()));
  }

  /** Starts the part; resolves after the first attempt (whether it started or is waiting to retry). */
  start(): Promise<void> {
    if (this.stopRequested) return Promise.reject(new ApplianceError('APPLIANCE_ERR_SUPERVISOR_STOPPED', `${this.component.name} was stopped; make a new supervisor to run it again`));
    if (this.stateNow !== 'idle') return this.starting ?? Promise.resolve();
    return this.attempt();
  }

  private attempt(): Promise<void> {
    this.timer = undefined;
    this.stateNow = 'starting';
    this.attempts += 1;
    const attempt = this.attempts;
    // A start() that throws at once is a failed start like any other.
    this.starting = Promise.resolve()
      .then(() => this.component.start())
      .then(
      (running) => {
        this.starting = undefined;
        this.current = running;
        this.startedAt = Date.now();
        this.stateNow = 'running';
        if (this.stopRequested) return;
        this.log?.info({ component: this.component.name, attempt, restarts: this.restartCount }, 'started');
        this.emit('started', { name: this.component.name, attempt, restarts: this.restartCount });
        running.ended.then(
          () => this.onEnded(running),
          (reason: unknown) => this.onCrash(running, asError(reason)),
        );
      },
      (reason: unknown) => {
        this.starting = undefined;
        this.startedAt = Date.now();
        this.onCrash(undefined, asError(reason));
      },
    );
    return this.starting;
  }

  private onEnded(running: RunningComponent): void {
    if (this.current !== running || this.stopRequested) return;
    this.current = undefined;
    this.stateNow = 'ended';
    this.log?.info({ component: this.component.name }, 'ended');
    this.emit('ended', { name: this.component.name });
    this.finish();
  }

  private onCrash(running: RunningComponent | undefined, error: Error): void {
    if (running && this.current !== running) return;
    this.current = undefined;
    this.error = error;
    if (this.stopRequested) return;
    const ranMs = running ? Date.now() - this.startedAt : 0;
    this.failuresInRow = ranMs >= this.options.healthyAfterMs && running ? 1 : this.failuresInRow + 1;
    const delayMs = this.backoffFor(this.failuresInRow);
    this.stateNow = 'backoff';
    this.log?.warn({ component: this.component.name, err: error, ranMs, restarts: this.restartCount, delayMs }, running ? 'crashed; restarting' : 'failed to start; retrying');
    this.emit('crashed', { name: this.component.name, error, ranMs, restarts: this.restartCount, delayMs });
    this.timer = setTimeout(() => {
      this.restartCount += 1;
      void this.attempt();
    }, delayMs);
  }

  /** Stops for good: cancels a pending restart, or stops the running part and waits for it. */
  async stop(): Promise<void> {
    if (this.stopRequested) return this.done;
    this.stopRequested = true;
    const wasEnded = this.stateNow === 'ended';
    this.stateNow = 'stopping';
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.starting;
    const running = this.current;
    this.current = undefined;
    if (running) {
      try {
        // Its `stop()` resolving is enough: a part whose `ended` never settles must not hang the sensor's shutdown.
        await running.stop();
      } catch (err) {
        this.error = asError(err);
        this.log?.warn({ component: this.component.name, err }, 'did not stop cleanly');
      }
    }
    this.stateNow = wasEnded ? 'ended' : 'stopped';
    this.log?.info({ component: this.component.name, restarts: this.restartCount }, 'stopped');
    this.emit('stopped', { name: this.component.name, restarts: this.restartCount });
    this.finish();
  }
}
