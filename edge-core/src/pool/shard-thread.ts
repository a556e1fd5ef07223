/**
 * A shard worker: takes from the capture ring the frames of the MACs it owns, dissects and
 * fingerprints them, and keeps those devices' state. Every `flushMs` it sends the main thread what
 * is new: observations for the hub, changed device records for the store, and its counters.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { EdgeCore, type CoreCounters } from '../core.js';
import { lookupVendor, useVendorRegistry, type VendorRegistryBuffers } from '../fingerprints/vendor.js';
import type { IntervalBehaviour } from '../state/behaviour.js';
import { DeviceTable, type DeviceRecord, type DeviceTableOptions, type FoundBatch } from '../state/device-table.js';
import { ControlView, FLAG_ENDED, FLAG_STOP, type PoolControl } from './control.js';
import { RingReader, type RingBuffers } from './ring.js';

export interface ShardThreadData {
  shard: number;
  /** Which start of this shard this is (a restart after a crash is a new incarnation). */
  incarnation: number;
  ring: RingBuffers;
  control: PoolControl;
  records: DeviceRecord[];
  flushMs: number;
  table: Partial<DeviceTableOptions>;
  /** Length of a behaviour interval in capture time; 0: no summaries. */
  behaviourIntervalMs: number;
  /** Live capture: an interval also ends by the clock when no frame comes to end it. */
  live: boolean;
}

/** The first message a shard receives: the NIC vendor registry, shared by every shard (built while the shard boots). */
export interface ShardSetup {
  vendors: VendorRegistryBuffers;
}

export type ShardMessage =
  | { type: 'flush'; shard: number; incarnation: number; found: FoundBatch; counters: CoreCounters; devices: number; behaviour: IntervalBehaviour[] }
  | { type: 'drained'; shard: number; incarnation: number }
  | { type: 'ready'; shard: number; incarnation: number };

/** How long after its end by the clock a live interval is closed when no frame has closed it. */
const LIVE_INTERVAL_GRACE_MS = 2000;

/** Observations that make a batch worth sending before `flushMs` is up. */
const FLUSH_AT = 512;

/** Ring records (a file's block of thousands of frames is one) taken between two looks at the clock and the control flags. */
const BATCH = 4096;

function run(data: ShardThreadData, setup: ShardSetup): void {
  const control = new ControlView(data.control);
  const reader = new RingReader(data.ring, data.shard);
  const table = new DeviceTable(data.table);
  table.load(data.records);
  const core = new EdgeCore(table);
  let consumed = 0;
  let lastFlush = performance.now();
  let drainedSent = false;
  const interval = data.behaviourIntervalMs;
  /** The behaviour interval under way, in capture time; none before the first frame. */
  let intervalStart = 0;
  let intervalEnd = 0;
  let behaviour: IntervalBehaviour[] = [];
  const closeInterval = (): void => {
    if (intervalEnd === 0) return;
    const devices = core.closeInterval(intervalStart, intervalEnd);
    if (devices.length > 0) behaviour.push({ intervalStart, intervalEnd, devices });
    intervalEnd = 0;
  };
  /** A frame at `tsMs` past the interval's end closes it (before the frame counts) and opens the one it falls in. */
  const nextInterval = (tsMs: number): void => {
    closeInterval();
    intervalStart = Math.floor(tsMs / interval) * interval;
    intervalEnd = intervalStart + interval;
  };
  // The registry the pool loaded once for every shard; one lookup warms the path before frames come.
  useVendorRegistry(setup.vendors);
  lookupVendor(0x000000000001);
  parentPort?.postMessage({ type: 'ready', shard: data.shard, incarnation: data.incarnation } satisfies ShardMessage);

  /** Sends what is new: observations (the store keeps each fact's latest), new devices, counters. */
  const flush = (): void => {
    lastFlush = performance.now();
    const message: ShardMessage = {
      type: 'flush',
      shard: data.shard,
      incarnation: data.incarnation,
      found: table.takeBatch(),
      counters: core.snapshot(),
      devices: table.size,
      behaviour,
    };
    behaviour = [];
    parentPort?.postMessage(message);
  };

  /** Each frame; a burst of findings (devices joining) goes out as soon as it is a batch, so queues stay short. */
  const sink = (bytes: Uint8Array, start: number, end: number, tsMs: number): void => {
    if (tsMs >= intervalEnd && interval > 0) nextInterval(tsMs);
    core.onRecord(bytes, start, end, tsMs);
    if (table.pendingObservations >= FLUSH_AT) flush();
  };

  for (;;) {
    const n = reader.drain(sink, BATCH);
    if (n > 0) {
      consumed += n;
      Atomics.store(control.consumed, data.shard, BigInt(consumed));
      drainedSent = false;
    }
    // A quiet live port: the clock, not a frame, ends the interval (a little late, for frames in flight).
    if (data.live && intervalEnd > 0 && Date.now() >= intervalEnd + LIVE_INTERVAL_GRACE_MS) closeInterval();
    if (performance.now() - lastFlush >= data.flushMs) flush();
    if (n > 0) continue;
    if (control.isSet(FLAG_STOP) && reader.empty) break;
    if (control.isSet(FLAG_ENDED) && reader.empty && !drainedSent) {
      // The end of a capture file ends its last interval, however short.
      closeInterval();
      flush();
      parentPort?.postMessage({ type: 'drained', shard: data.shard, incarnation: data.incarnation } satisfies ShardMessage);
      drainedSent = true;
    }
    reader.waitForData(Math.max(1, Math.min(50, data.flushMs)));
  }
  closeInterval();
  flush();
}

parentPort?.once('message', (setup: ShardSetup) => run(workerData as ShardThreadData, setup));
