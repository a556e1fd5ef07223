/**
 * The sensor's LevelDB store: device table, outbox and sequence counter, in one database owned by
 * one thread of one process.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ClassicLevel } from 'classic-level';
import type { DeviceRecord, StoredRecord } from './device-table.js';
import { EdgeError } from '../errors.js';

export interface OutboxEntry {
  seq: number;
  topic: string;
  payload: string;
}

type Db = ClassicLevel<string, string>;

/** Stores this process has open, by absolute path. */
const openInThisProcess = new Set<string>();

const SEQ_KEY = 'seq';

/**
 * A new store starts its sequence at the current time in microseconds, so that a sensor whose store
 * was replaced (same id, new disk) still numbers its messages above everything it sent before and
 * the hub's `(sensorId, seq)` idempotency does not mistake them for resends.
 */
function initialSeq(): number {
  return Date.now() * 1000;
}
const seqKey = (seq: number): string => seq.toString().padStart(16, '0');

export class SensorStore {
  private constructor(
    private readonly db: Db,
    private readonly where: string,
    private lastSeq: number,
    private depth: number,
  ) {}

  static async open(dir: string): Promise<SensorStore> {
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
    const stored = await db.sublevel<string, string>('meta', { valueEncoding: 'utf8' }).get(SEQ_KEY);
    let depth = 0;
    for await (const _ of db.sublevel<string, string>('outbox', { valueEncoding: 'utf8' }).keys()) depth += 1;
    return new SensorStore(db, where, stored === undefined ? initialSeq() : Number(stored), depth);
  }

  private get devices() {
    return this.db.sublevel<string, string>('devices', { valueEncoding: 'utf8' });
  }
  private get outbox() {
    return this.db.sublevel<string, string>('outbox', { valueEncoding: 'utf8' });
  }
  private get meta() {
    return this.db.sublevel<string, string>('meta', { valueEncoding: 'utf8' });
  }

  /** The next sequence number; persisted before it is used, so it survives a restart. */
  async nextSeq(): Promise<number> {
    this.lastSeq += 1;
    await this.meta.put(SEQ_KEY, String(this.lastSeq));
    return this.lastSeq;
  }

  /**
   * Appends messages to the outbox, each with its own sequence number, in one atomic write together
   * with the counter. `build` receives the number assigned to each message.
   */
  async enqueue(items: { topic: string; build: (seq: number) => string }[]): Promise<OutboxEntry[]> {
    const entries = items.map((item) => {
      this.lastSeq += 1;
      return { seq: this.lastSeq, topic: item.topic, payload: item.build(this.lastSeq) };
    });
    const outbox = this.outbox;
    await this.db.batch([
      ...entries.map((e) => ({ type: 'put' as const, sublevel: outbox, key: seqKey(e.seq), value: JSON.stringify(e) })),
      { type: 'put' as const, sublevel: this.meta, key: SEQ_KEY, value: String(this.lastSeq) },
    ]);
    this.depth += entries.length;
    return entries;
  }

  /** The oldest entries not yet acknowledged, in order, starting after `afterSeq`. */
  async pending(afterSeq: number, limit: number): Promise<OutboxEntry[]> {
    const out: OutboxEntry[] = [];
    for await (const value of this.outbox.values({ gt: seqKey(afterSeq), limit })) out.push(JSON.parse(value) as OutboxEntry);
    return out;
  }

  /** Drops an entry the hub has stored (or refused for good); false if it was not in the outbox. */
  async acknowledge(seq: number): Promise<boolean> {
    const key = seqKey(seq);
    if ((await this.outbox.get(key)) === undefined) return false;
    await this.outbox.del(key);
    this.depth -= 1;
    return true;
  }

  /** Messages written but not yet acknowledged by the broker. */
  get outboxDepth(): number {
    return this.depth;
  }

  /** Saves records already in their JSON form (as the shards send them). */
  async saveEncodedDevices(records: readonly StoredRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.devices.batch(records.map(([key, value]) => ({ type: 'put' as const, key, value })));
  }

  async loadDevices(): Promise<DeviceRecord[]> {
    const out: DeviceRecord[] = [];
    for await (const value of this.devices.values()) out.push(JSON.parse(value) as DeviceRecord);
    return out;
  }

  async close(): Promise<void> {
    await this.db.close();
    openInThisProcess.delete(this.where);
  }
}
