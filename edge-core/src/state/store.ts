/**
 * The sensor's LevelDB store: what it knows of each device (every fact's latest sighting, under
 * the fact's key), the outbox and the sequence counter, in one database owned by one thread of one
 * process.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { factKey, factValue, forEachFinding, recordsFromFacts, type DeviceRecord, type FoundBatch } from './device-table.js';
import { EdgeError } from '../errors.js';

export interface OutboxEntry {
  seq: number;
  topic: string;
  payload: string;
}

type Db = ClassicLevel<string, string>;
type Sublevels = ReturnType<typeof sublevels>;

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

/** The store's parts, made once: a sublevel is an object with its own open state. */
function sublevels(db: Db) {
  const part = (name: string) => db.sublevel<string, string>(name, { valueEncoding: 'utf8' });
  return {
    facts: part('facts'),
    /** Whole device records, as stores written by earlier versions hold them; read, never written. */
    devices: part('devices'),
    outbox: part('outbox'),
    meta: part('meta'),
  };
}

export class SensorStore {
  private readonly facts: Sublevels['facts'];
  private readonly devices: Sublevels['devices'];
  private readonly outbox: Sublevels['outbox'];
  private readonly meta: Sublevels['meta'];

  private constructor(
    private readonly db: Db,
    parts: Sublevels,
    private readonly where: string,
    private lastSeq: number,
    private depth: number,
  ) {
    ({ facts: this.facts, devices: this.devices, outbox: this.outbox, meta: this.meta } = parts);
  }

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
    const parts = sublevels(db);
    const stored = await parts.meta.get(SEQ_KEY);
    let depth = 0;
    for await (const _ of parts.outbox.keys()) depth += 1;
    return new SensorStore(db, parts, where, stored === undefined ? initialSeq() : Number(stored), depth);
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

  /** Saves each finding of a batch (as the shards send them) as the latest of its fact. */
  async saveFacts(batch: FoundBatch): Promise<void> {
    // The database's own chained batch with the sublevel's prefix added here: a sublevel's batch
    // builds an object per operation and hands the database an array, which for a burst of joins
    // is most of the cost.
    const write = this.db.batch();
    const n = forEachFinding(batch, (device, attribute, value, signal, evidence, confidence, firstSeen, lastSeen) => {
      write.put(this.facts.prefixKey(factKey(device, attribute, value), 'utf8'), factValue(signal, evidence, confidence, firstSeen, lastSeen));
    });
    if (n === 0) {
      await write.close();
      return;
    }
    await write.write();
  }

  /** The devices this store knows, rebuilt from their facts (and from records an earlier version wrote). */
  async loadDevices(): Promise<DeviceRecord[]> {
    const legacy: DeviceRecord[] = [];
    for await (const value of this.devices.values()) legacy.push(JSON.parse(value) as DeviceRecord);
    const rebuilt = recordsFromFacts(await this.facts.iterator().all());
    if (legacy.length === 0) return rebuilt;
    // A fact saved since the upgrade is newer than the same fact in an old record.
    const byKey = new Map(legacy.map((r) => [r.key, r]));
    for (const r of rebuilt) {
      const old = byKey.get(r.key);
      if (!old) {
        byKey.set(r.key, r);
        continue;
      }
      old.firstSeen = Math.min(old.firstSeen, r.firstSeen);
      old.lastSeen = Math.max(old.lastSeen, r.lastSeen);
      for (const [attribute, values] of Object.entries(r.facts)) Object.assign((old.facts[attribute] ??= {}), values);
    }
    return [...byKey.values()];
  }

  async close(): Promise<void> {
    await this.db.close();
    openInThisProcess.delete(this.where);
  }
}
