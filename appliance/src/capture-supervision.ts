/**
 * The sensor's capture under a supervisor: a capture that crashes (its thread lost, its mirror port
 * gone) is started again with backoff, with the devices the store holds, and its counters carry on
 * from where the lost one stopped. A live interface that disappears (a USB adapter pulled, a link
 * deleted) is noticed by its index in /sys/class/net: libpcap itself keeps a dead handle quietly.
 * The first start is not retried: a wrong interface name or file is said at once.
 */
import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import { CapturePool, EdgeError, type CaptureSpec, type DeviceRecord, type PoolCounters, type PoolOptions } from '@wardsight/edge-core';
import { Supervisor, type RunningComponent, type SupervisorOptions } from './supervisor.js';

export const captureSupervisionDefaults = {
  /** How often a live interface is checked for having gone away. */
  interfaceCheckMs: 2000,
};

export interface SupervisedCaptureOptions {
  spec: CaptureSpec;
  pool: Partial<Omit<PoolOptions, 'onFlush'>> & Pick<PoolOptions, 'onFlush'>;
  /** The devices to start each capture with (what the store knows by then). */
  knownDevices: () => Promise<DeviceRecord[]>;
  /** Called before a restart, while no capture runs (to move findings into the store first). */
  beforeRestart?: () => Promise<void>;
  backoff?: Partial<SupervisorOptions>;
  interfaceCheckMs?: number;
  log: Logger;
}

function zeroCounters(): PoolCounters {
  return { captured: 0, bytes: 0, packets: 0, malformed: 0, fragments: 0, weird: {}, queueDrops: 0, lost: 0, restarts: 0, devices: 0, libpcap: { received: 0, dropped: 0, ifDropped: 0 } };
}

function addCounters(a: PoolCounters, b: PoolCounters): PoolCounters {
  const weird = { ...a.weird };
  for (const [k, v] of Object.entries(b.weird)) weird[k] = (weird[k] ?? 0) + v;
  return {
    captured: a.captured + b.captured,
    bytes: a.bytes + b.bytes,
    packets: a.packets + b.packets,
    malformed: a.malformed + b.malformed,
    fragments: a.fragments + b.fragments,
    weird,
    queueDrops: a.queueDrops + b.queueDrops,
    lost: a.lost + b.lost,
    restarts: a.restarts + b.restarts,
    devices: b.devices,
    libpcap: { received: a.libpcap.received + b.libpcap.received, dropped: a.libpcap.dropped + b.libpcap.dropped, ifDropped: a.libpcap.ifDropped + b.libpcap.ifDropped },
  };
}

/** The kernel's index of a network interface, or null when there is none by that name. */
async function interfaceIndex(name: string): Promise<number | null> {
  try {
    return Number((await readFile(`/sys/class/net/${name}/ifindex`, 'utf8')).trim());
  } catch {
    return null;
  }
}

export class SupervisedCapture {
  private pool: CapturePool | undefined;
  /** Counters of the captures before the current one. */
  private before = zeroCounters();
  private readonly supervisor: Supervisor;
  private watch: NodeJS.Timeout | undefined;
  /** Resolves when the capture has ended by itself (a file read to its end). */
  readonly finished: Promise<void>;

  constructor(private readonly o: SupervisedCaptureOptions) {
    this.supervisor = new Supervisor({ name: 'capture', start: () => this.startOne() }, o.backoff, o.log);
    this.finished = new Promise((resolve) => this.supervisor.once('ended', () => resolve()));
  }

  /** Starts the first capture; throws if it cannot start (then nothing is retried). */
  async start(): Promise<void> {
    await this.supervisor.start();
    if (this.supervisor.state === 'backoff' && this.supervisor.restarts === 0) {
      const error = this.supervisor.lastError;
      await this.supervisor.stop();
      throw error ?? new Error('the capture could not start');
    }
  }

  /** The current capture's warnings from libpcap. */
  get warnings(): string[] {
    return this.pool?.warnings ?? [];
  }

  get shardCount(): number {
    return this.pool?.shardCount ?? 0;
  }

  /** Times the capture was started again after a crash. */
  get restarts(): number {
    return this.supervisor.restarts;
  }

  counters(): PoolCounters {
    const now = this.pool?.counters() ?? zeroCounters();
    const total = addCounters(this.before, now);
    return { ...total, restarts: total.restarts + this.supervisor.restarts };
  }

  async stop(): Promise<void> {
    clearInterval(this.watch);
    await this.supervisor.stop();
  }

  private async startOne(): Promise<RunningComponent> {
    clearInterval(this.watch);
    const old = this.pool;
    if (old) {
      this.pool = undefined;
      await old.close().catch((err: unknown) => this.o.log.warn({ err }, 'closing the lost capture failed'));
      this.before = addCounters(this.before, old.counters());
      await this.o.beforeRestart?.();
    }
    const spec = this.o.spec;
    const index = spec.kind === 'live' ? await interfaceIndex(spec.interface) : null;
    const pool = new CapturePool(spec, this.o.pool);
    try {
      await pool.start(await this.o.knownDevices());
    } catch (err) {
      await pool.close().catch(() => undefined);
      throw err;
    }
    this.pool = pool;
    let stopped!: () => void;
    const onPurpose = new Promise<void>((resolve) => (stopped = resolve));
    const lost = spec.kind === 'live' ? this.watchInterface(spec.interface, index) : new Promise<never>(() => undefined);
    return {
      ended: Promise.race([pool.ended, onPurpose, lost]),
      stop: async () => {
        clearInterval(this.watch);
        stopped();
        await pool.close();
      },
    };
  }

  /** Rejects when the interface goes away or is replaced by another of the same name. */
  private watchInterface(name: string, index: number | null): Promise<never> {
    return new Promise<never>((_, reject) => {
      this.watch = setInterval(() => {
        void interfaceIndex(name).then((now) => {
          if (now !== index) {
            clearInterval(this.watch);
            reject(new EdgeError('EDGE_ERR_CAPTURE_LOST', now === null ? `interface ${name} has gone away` : `interface ${name} was replaced`));
          }
        });
      }, this.o.interfaceCheckMs ?? captureSupervisionDefaults.interfaceCheckMs);
    });
  }
}
