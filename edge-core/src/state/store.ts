/**
 * The sensor's LevelDB store: what it knows of each device, the outbox and the sequence counter, in
 * one database owned by one thread of one process. The outbox (outbox.ts) keeps messages for the hub
 * within a disk budget by a stated policy (outbox-policy.ts).
 *
 * What is known of devices is a log of the batches of findings as the shards send them, one entry
 * per batch (a write per finding would cost more than finding it): the devices are rebuilt by
 * replaying the log in order, and the log is compacted into one entry per few thousand facts, each
 * fact at its latest sighting, when it has grown long.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { pino, type Logger } from 'pino';
import { batchesFromRecords, findingCount, recordsFromBatches, type DeviceRecord, type FoundBatch } from './device-table.js';
import { Outbox } from './outbox.js';
import { findingItems, type OutboxItem } from './outbox-findings.js';
import { outboxParts, seqKey, type Db, type OutboxEntry } from './outbox-layout.js';
import { resolveOutboxOptions, type OutboxOptions, type OutboxStats } from './outbox-policy.js';
import { EdgeError } from '../errors.js';

export type { OutboxEntry } from './outbox-layout.js';

type Sublevels = ReturnType<typeof sublevels>;

export interface SensorStoreOptions {
  /** The outbox's budget and policy (outboxDefaults: 256 MiB). */
  outbox?: Partial<OutboxOptions>;
  /** The process's logger; the store logs under `module: 'store'`. Silent when absent. */
  log?: Logger;
}

/** Stores this process has open, by absolute path. */
const openInThisProcess = new Set<string>();

/**
 * A new store starts its sequence at the current time in microseconds, so that a sensor whose store
 * was replaced (same id, new disk) still numbers its messages above everything it sent before and
 * the hub's `(sensorId, seq)` idempotency does not mistake them for resends.
 */
function initialSeq(): number {
  return Date.now() * 1000;
}

/** Log entries past which the log is compacted (at open, and when `compactFacts` is asked). */
export const FACT_LOG_COMPACT_AT = 1024;

/**
 * A batch as a log entry: the count of its numbers (u32), the numbers (f64, little-endian as the
 * boards this runs on are), then its text in UTF-8.
 */
function encodeBatch(batch: FoundBatch): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32LE(batch.numbers.length, 0);
  return Buffer.concat([head, Buffer.from(batch.numbers.buffer, batch.numbers.byteOffset, batch.numbers.byteLength), Buffer.from(batch.text, 'utf8')]);
}

/** A log entry back as a batch; null when it is damaged. */
function decodeBatch(entry: Uint8Array): FoundBatch | null {
  const buf = Buffer.from(entry.buffer, entry.byteOffset, entry.byteLength);
  if (buf.length < 4) return null;
  const count = buf.readUInt32LE(0);
  const textAt = 4 + count * 8;
  if (textAt > buf.length) return null;
  const numbers = new Float64Array(count);
  Buffer.from(numbers.buffer).set(buf.subarray(4, textAt));
  return { numbers, text: buf.toString('utf8', textAt), devices: [] };
}

/** The store's parts, made once: a sublevel is an object with its own open state. */
function sublevels(db: Db) {
  const part = (name: string) => db.sublevel<string, string>(name, { valueEncoding: 'utf8' });
  return {
    factLog: db.sublevel<string, Uint8Array>('factlog', { valueEncoding: 'view' }),
    /** Whole device records, as stores written by earlier versions hold them: read, then moved into the log. */
    devices: part('devices'),
  };
}

export class SensorStore {
  private readonly factLog: Sublevels['factLog'];
  /** The last log entry's number, and how many entries the log holds. */
  private logSeq = 0;
  private logEntries = 0;
  private readonly devices: Sublevels['devices'];

  private constructor(
    private readonly db: Db,
    parts: Sublevels,
    private readonly where: string,
    private readonly outbox: Outbox,
  ) {
    ({ factLog: this.factLog, devices: this.devices } = parts);
  }

  static async open(dir: string, options: SensorStoreOptions = {}): Promise<SensorStore> {
    const where = resolve(dir);
    // LevelDB locks the database against other processes (and the OS frees that lock when a process
    // dies, even by SIGKILL); within one process a failed second open would release it, so refuse
    // the second open here before LevelDB sees it.
    if (openInThisProcess.has(where)) throw new EdgeError('EDGE_ERR_STORE_LOCKED', `${where} is already open in this process`);
    await mkdir(where, { recursive: true, mode: 0o700 });
    const db: Db = new ClassicLevel<string, string>(join(where, 'db'), { valueEncoding: 'utf8' });
    try {
      await db.open();
    } catch (err) {
      const locked = (err as { cause?: { code?: string } }).cause?.code === 'LEVEL_LOCKED';
      if (locked) throw new EdgeError('EDGE_ERR_STORE_LOCKED', `${where}; stop the other sensor first`, { cause: err });
      throw new EdgeError('EDGE_ERR_STORE_OPEN', `${where}: ${(err as Error).message}`, { cause: err });
    }
    openInThisProcess.add(where);
    try {
      const parts = sublevels(db);
      const log = (options.log ?? pino({ level: 'silent' })).child({ module: 'store' });
      const outbox = await Outbox.open(outboxParts(db), resolveOutboxOptions(options.outbox), log, initialSeq);
      const store = new SensorStore(db, parts, where, outbox);
      for await (const key of parts.factLog.keys()) {
        store.logEntries += 1;
        store.logSeq = Number(key);
      }
      return store;
    } catch (err) {
      await db.close();
      openInThisProcess.delete(where);
      throw new EdgeError('EDGE_ERR_STORE_OPEN', `${where}: ${(err as Error).message}`, { cause: err });
    }
  }

  /** The next sequence number; persisted before it is used, so it survives a restart. */
  nextSeq(): Promise<number> {
    return this.outbox.nextSeq();
  }

  /**
   * Appends messages to the outbox, each with its own sequence number, in one atomic write together
   * with the counter, then holds the outbox to its budget (outbox-policy.ts). `build` receives the
   * number assigned to each message; `class` defaults to the topic's (behaviour, else other).
   * Returns the entries as written (the policy may have shed or coalesced some of them since).
   */
  enqueue(items: readonly OutboxItem[]): Promise<OutboxEntry[]> {
    return this.outbox.enqueue(items);
  }

  /**
   * Queues the shards' findings for the hub as ObservationBatch messages of `sensorId`: first
   * sightings (never dropped) apart from state updates (coalesced when over budget).
   */
  enqueueFindings(sensorId: string, batches: readonly FoundBatch[]): Promise<OutboxEntry[]> {
    return this.outbox.enqueue(findingItems(sensorId, batches));
  }

  /** The oldest entries not yet acknowledged, in order, starting after `afterSeq`. */
  pending(afterSeq: number, limit: number): Promise<OutboxEntry[]> {
    return this.outbox.pending(afterSeq, limit);
  }

  /** Whether an outbox entry is still waiting for the hub. */
  holds(seq: number): Promise<boolean> {
    return this.outbox.has(seq);
  }

  /** Drops an entry the hub has stored (or refused for good); false if it was not in the outbox. */
  acknowledge(seq: number): Promise<boolean> {
    return this.outbox.acknowledge(seq);
  }

  /** Messages written but not yet acknowledged by the hub. */
  get outboxDepth(): number {
    return this.outbox.depth;
  }

  /** The outbox's size against its budget, and what its policy has shed and coalesced. */
  outboxStats(): OutboxStats {
    return this.outbox.stats();
  }

  /** Appends a batch of findings (as the shards send them) to the log: one write, whatever its size. */
  async saveFacts(batch: FoundBatch): Promise<void> {
    if (findingCount(batch) === 0) return;
    this.logSeq += 1;
    await this.factLog.put(seqKey(this.logSeq), encodeBatch(batch));
    this.logEntries += 1;
  }

  /** Entries in the log of findings (see `compactFacts`). */
  get factLogEntries(): number {
    return this.logEntries;
  }

  /**
   * The devices this store knows, rebuilt from the log (over the whole records an earlier version
   * wrote); the log is compacted first when it has grown past FACT_LOG_COMPACT_AT entries.
   */
  async loadDevices(): Promise<DeviceRecord[]> {
    const { records, legacy, keys } = await this.readDevices();
    if (keys.length > FACT_LOG_COMPACT_AT || legacy > 0) await this.replaceLog(records, keys, legacy > 0);
    return records;
  }

  /** Rewrites the log as one entry per few thousand facts, each at its latest sighting; returns the entries dropped. */
  async compactFacts(): Promise<number> {
    const { records, legacy, keys } = await this.readDevices();
    await this.replaceLog(records, keys, legacy > 0);
    return keys.length;
  }

  private async readDevices(): Promise<{ records: DeviceRecord[]; legacy: number; keys: string[] }> {
    const old: DeviceRecord[] = [];
    for await (const value of this.devices.values()) old.push(JSON.parse(value) as DeviceRecord);
    const keys: string[] = [];
    const batches: FoundBatch[] = [];
    for await (const [key, value] of this.factLog.iterator()) {
      keys.push(key);
      const batch = decodeBatch(value);
      if (batch) batches.push(batch);
    }
    return { records: recordsFromBatches(batches, old), legacy: old.length, keys };
  }

  /** Writes `records` as a fresh log and drops the entries `keys` (and old whole records), atomically. */
  private async replaceLog(records: DeviceRecord[], keys: string[], dropLegacy: boolean): Promise<void> {
    const write = this.db.batch();
    for (const key of keys) write.del(key, { sublevel: this.factLog });
    if (dropLegacy) for await (const key of this.devices.keys()) write.del(key, { sublevel: this.devices });
    const fresh = batchesFromRecords(records);
    let seq = this.logSeq;
    for (const batch of fresh) write.put(seqKey(++seq), encodeBatch(batch), { sublevel: this.factLog });
    await write.write();
    this.logSeq = seq;
    this.logEntries = fresh.length;
  }

  async close(): Promise<void> {
    await this.outbox.settled();
    await this.db.close();
    openInThisProcess.delete(this.where);
  }
}
