/**
 * The edge core's threads: one capture thread (libpcap, or capture files read straight into memory)
 * writing frames into one shared ring, and the shard workers that read it, each taking the frames
 * of the source MACs it owns, to decode and fingerprint them. The main thread
 * only receives what is new every `flushMs` and keeps the store and the uplink. A shard that dies is
 * started again on the same ring with the devices known at start (it re-learns the rest, and the
 * hub absorbs repeated findings); what it had taken but not yet reported is counted as lost.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { CaptureSpec } from '../capture/pcap-capture.js';
import { EdgeError } from '../errors.js';
import type { CoreCounters } from '../core.js';
import { behaviourDefaults, type IntervalBehaviour } from '../state/behaviour.js';
import type { DeviceRecord, DeviceTableOptions, FoundBatch } from '../state/device-table.js';
import type { CaptureThreadData } from './capture-thread.js';
import { COUNTER_BYTES, COUNTER_CAPTURED, COUNTER_LIBPCAP_DROPPED, COUNTER_LIBPCAP_IFDROPPED, COUNTER_LIBPCAP_RECEIVED, ControlView, FLAG_STOP, createControl, type PoolControl } from './control.js';
import { MAX_READERS, createRing, ringDefaults, ringDrops, wakeReaders, type RingBuffers } from './ring.js';
import { vendorRegistryBuffers } from '../fingerprints/vendor.js';
import { shardOfKey } from './shard.js';
import type { ShardMessage, ShardSetup, ShardThreadData } from './shard-thread.js';

export interface PoolOptions {
  /** Shard workers; by default one per core beyond the first, at least one. */
  shards: number;
  ringBytes: number;
  replay: 'fast' | 'recorded';
  flushMs: number;
  table: Partial<DeviceTableOptions>;
  /** Receives, on the main thread, what the shards found since their last report. */
  onFlush: (found: FoundBatch) => void;
  /** Length of a behaviour interval in capture time (0: none are summarised). */
  behaviourIntervalMs: number;
  /** Receives each shard's summaries of an interval that has ended. */
  onBehaviour?: (summary: IntervalBehaviour) => void;
}

export function poolDefaults(): Omit<PoolOptions, 'onFlush'> {
  return { shards: Math.max(1, availableParallelism() - 1), ringBytes: ringDefaults.bytes, replay: 'fast', flushMs: 500, table: {}, behaviourIntervalMs: behaviourDefaults.intervalMs };
}

export interface PoolCounters {
  /** Frames libpcap handed to the capture thread. */
  captured: number;
  bytes: number;
  /** Frames the shards decoded (reported so far). */
  packets: number;
  malformed: number;
  /** IP fragments among the packets. */
  fragments: number;
  weird: Record<string, number>;
  /** Live frames dropped because the ring was full (a shard fell behind). */
  queueDrops: number;
  /** Frames a crashed shard had taken but not reported. */
  lost: number;
  restarts: number;
  devices: number;
  libpcap: { received: number; dropped: number; ifDropped: number };
}

interface ShardState {
  worker: Worker | undefined;
  /** Counters of the current incarnation, as last reported. */
  reported: CoreCounters;
  /** Counters of the incarnations before it. */
  base: CoreCounters;
  drained: boolean;
  incarnation: number;
  /** Devices known before start, handed to the shard (and to it again after a crash). */
  records: DeviceRecord[];
}

/**
 * The threads allocate little per packet (frames stay in the rings), so a small young generation
 * does: it keeps the sensor's resident memory down without costing collections.
 */
const THREAD_LIMITS = { maxYoungGenerationSizeMb: 8 };

/** 32 MiB of live ring per shard (up to four): over a quarter of a second of a saturated gigabit link each. */
const LIVE_RING_BYTES = 32 * 1024 * 1024;

const emptyCounters = (): CoreCounters => ({ packets: 0, malformed: 0, fragments: 0, weird: {} });

function addCounters(a: CoreCounters, b: CoreCounters): CoreCounters {
  const weird = { ...a.weird };
  for (const [k, v] of Object.entries(b.weird)) weird[k] = (weird[k] ?? 0) + v;
  return { packets: a.packets + b.packets, malformed: a.malformed + b.malformed, fragments: a.fragments + b.fragments, weird };
}

export class CapturePool {
  private readonly o: PoolOptions;
  private readonly control: PoolControl;
  private readonly view: ControlView;
  private readonly shards: ShardState[];
  private readonly ring: RingBuffers;
  private capture: Worker | undefined;
  /** Threads that have ended, so that closing does not wait for them. */
  private readonly exited = new WeakSet<Worker>();
  private captureEnded = false;
  private closing = false;
  private lost = 0;
  private restarts = 0;
  private resolveEnded!: () => void;
  private rejectEnded!: (err: Error) => void;
  /** Resolves when a file capture has been read and every shard has reported all it found. */
  readonly ended: Promise<void>;
  warnings: string[] = [];
  /** Every device key a shard has reported or the store handed in (shards can share a device). */
  private readonly known = new Set<string>();

  constructor(
    private readonly spec: CaptureSpec,
    options: Partial<PoolOptions> & Pick<PoolOptions, 'onFlush'>,
  ) {
    this.o = { ...poolDefaults(), ...options };
    this.o.shards = Math.min(MAX_READERS, Math.max(1, Math.floor(this.o.shards)));
    // Replay waits when the ring is full; a live port cannot, so its ring absorbs bursts instead.
    if (options.ringBytes === undefined && spec.kind === 'live') this.o.ringBytes = LIVE_RING_BYTES * Math.min(4, this.o.shards);
    this.o.flushMs = Math.min(60_000, Math.max(20, this.o.flushMs));
    if (this.o.behaviourIntervalMs !== 0) this.o.behaviourIntervalMs = Math.min(behaviourDefaults.maxIntervalMs, Math.max(behaviourDefaults.minIntervalMs, Math.floor(this.o.behaviourIntervalMs)));
    this.control = createControl(this.o.shards);
    this.view = new ControlView(this.control);
    this.ring = createRing(this.o.ringBytes, this.o.shards);
    this.shards = Array.from({ length: this.o.shards }, () => ({
      worker: undefined,
      reported: emptyCounters(),
      base: emptyCounters(),
      drained: false,
      incarnation: 0,
      records: [],
    }));
    this.ended = new Promise<void>((resolve, reject) => {
      this.resolveEnded = resolve;
      this.rejectEnded = reject;
    });
    // Nobody may be awaiting `ended` yet; an unhandled rejection must not take the process down.
    this.ended.catch(() => undefined);
  }

  /**
   * Starts the shards with the devices already known, and the capture: a live capture only once
   * every shard is ready (the wire does not wait), a file at once (the ring waits for the shards).
   */
  async start(records: DeviceRecord[] = []): Promise<void> {
    for (const r of records) {
      this.shards[shardOfKey(r.key, this.o.shards)]?.records.push(r);
      this.known.add(r.key);
    }
    if (this.spec.kind === 'live') {
      await Promise.all(this.shards.map((_, i) => this.spawnShard(i)));
      await this.startCapture();
    } else {
      // The file's reader first: it fills the ring while the shards boot.
      const capturing = this.startCapture();
      await Promise.all([...this.shards.map((_, i) => this.spawnShard(i)), capturing]);
    }
  }

  private startCapture(): Promise<void> {
    const data: CaptureThreadData = { spec: this.spec, ring: this.ring, control: this.control, replay: this.o.replay };
    const capture = new Worker(new URL('./capture-thread.js', import.meta.url), { workerData: data, resourceLimits: THREAD_LIMITS });
    this.capture = capture;
    capture.once('exit', (code) => {
      this.exited.add(capture);
      // Gone without saying it ended (killed, or out of memory): the capture is lost, not finished.
      if (!this.captureEnded && !this.closing && this.capture === capture) this.rejectEnded(new EdgeError('EDGE_ERR_CAPTURE_LOST', `the capture thread exited with code ${code}`));
    });
    return new Promise<void>((resolve, reject) => {
      capture.on('message', (m: { type: string; message?: string; code?: string; warnings?: string[] }) => {
        if (m.type === 'started') {
          this.warnings = m.warnings ?? [];
          resolve();
        } else if (m.type === 'ended') {
          this.captureEnded = true;
          this.checkEnded();
        } else if (m.type === 'error') {
          const err = new EdgeError('EDGE_ERR_CAPTURE_OPEN', m.message ?? 'capture failed');
          reject(err);
          this.rejectEnded(err);
        }
      });
      capture.on('error', (err) => {
        reject(err);
        this.rejectEnded(err);
      });
    });
  }

  get shardCount(): number {
    return this.o.shards;
  }

  counters(): PoolCounters {
    let total = emptyCounters();
    for (const s of this.shards) {
      total = addCounters(total, addCounters(s.base, s.reported));
    }
    const v = this.view;
    return {
      captured: v.counter(COUNTER_CAPTURED),
      bytes: v.counter(COUNTER_BYTES),
      packets: total.packets,
      malformed: total.malformed,
      fragments: total.fragments,
      weird: total.weird,
      queueDrops: ringDrops(this.ring),
      lost: this.lost,
      restarts: this.restarts,
      devices: this.known.size,
      libpcap: { received: v.counter(COUNTER_LIBPCAP_RECEIVED), dropped: v.counter(COUNTER_LIBPCAP_DROPPED), ifDropped: v.counter(COUNTER_LIBPCAP_IFDROPPED) },
    };
  }

  /** Ends a shard worker abruptly, as a crash would (fault drills and tests). */
  async killShard(index: number): Promise<void> {
    await this.shards[index]?.worker?.terminate();
  }

  /** Stops capture and shards; every shard reports what it found before it exits. */
  async close(): Promise<void> {
    this.closing = true;
    this.view.set(FLAG_STOP);
    wakeReaders(this.ring);
    const running = [this.capture, ...this.shards.map((s) => s.worker)].filter((w): w is Worker => w !== undefined && !this.exited.has(w));
    const exits = running.map(
      (w) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => void w.terminate().then(() => resolve()), 5000);
          w.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
        }),
    );
    await Promise.all(exits);
  }

  /** Starts (or restarts) a shard; resolves when it is ready to take frames. */
  private spawnShard(index: number): Promise<void> {
    const s = this.shards[index];
    if (!s) return Promise.resolve();
    Atomics.store(this.view.consumed, index, 0n);
    s.reported = emptyCounters();
    s.incarnation += 1;
    s.drained = false;
    const data: ShardThreadData = { shard: index, incarnation: s.incarnation, ring: this.ring, control: this.control, records: s.records, flushMs: this.o.flushMs, table: this.o.table, behaviourIntervalMs: this.o.behaviourIntervalMs, live: this.spec.kind === 'live' };
    const worker = new Worker(new URL('./shard-thread.js', import.meta.url), { workerData: data, resourceLimits: THREAD_LIMITS });
    s.worker = worker;
    // The registry is indexed (once per process) while the thread boots, and sent as its first message.
    worker.postMessage({ vendors: vendorRegistryBuffers() } satisfies ShardSetup);
    worker.once('exit', () => this.exited.add(worker));
    const ready = new Promise<void>((resolve) => {
      worker.on('message', (m: ShardMessage) => (m.type === 'ready' ? resolve() : this.onShardMessage(m)));
      worker.once('exit', () => resolve());
    });
    worker.on('error', () => undefined); // the exit that follows decides
    worker.on('exit', () => {
      if (this.closing || s.worker !== worker) return;
      // A crash: what it took from its ring but never reported is gone; start again on the same ring.
      const taken = Number(Atomics.load(this.view.consumed, index));
      this.lost += Math.max(0, taken - s.reported.packets);
      s.base = addCounters(s.base, s.reported);
      this.restarts += 1;
      void this.spawnShard(index);
    });
    return ready;
  }

  private onShardMessage(m: ShardMessage): void {
    const s = this.shards[m.shard];
    if (!s) return;
    if (m.type === 'flush') {
      for (const key of m.found.devices) this.known.add(key);
      // Summaries of finished intervals count whichever incarnation sent them.
      for (const summary of m.behaviour) this.o.onBehaviour?.(summary);
    }
    if (m.incarnation !== s.incarnation) {
      // From a shard that has since crashed: its counts are in `lost` already, its findings still count.
      if (m.type === 'flush' && (m.found.text.length > 0 || m.found.devices.length > 0)) this.o.onFlush(m.found);
      return;
    }
    if (m.type === 'drained') {
      s.drained = true;
      this.checkEnded();
      return;
    }
    if (m.type !== 'flush') return;
    s.reported = m.counters;
    if (m.found.text.length > 0 || m.found.devices.length > 0) this.o.onFlush(m.found);
  }

  private checkEnded(): void {
    if (this.captureEnded && this.shards.every((s) => s.drained)) this.resolveEnded();
  }
}
