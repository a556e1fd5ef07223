/**
 * The hub's store on PostgreSQL, which several hub instances can share. Every write of the inventory
 * (observation and behaviour batches, sensor status and health) is a transaction that first takes
 * one advisory lock, so that instances write it one at a time, and that reads what it needs inside
 * itself: no instance keeps records another could change. Observation batches arriving together are
 * written as one such transaction (group commit). Journal entries are numbered by the database and
 * every write of them is announced to every instance by NOTIFY.
 */
import { randomUUID } from 'node:crypto';
import type { Client, Pool, PoolClient } from 'pg';
import type { Logger } from 'pino';
import type { BehaviourBatch, DeviceBehaviour, DeviceKey, Health, Observation, Status } from '@wardsight/protocol';
import { holderAt, type BindingHistory } from '../inventory/identity.js';
import type { DeviceRecord } from '../inventory/profile.js';
import type { EnrolmentRecord } from '../sensors/enrolment-record.js';
import type { Collection, HubStore, JournalEntry, LabelRecord, SensorRecord } from './hub-store.js';
import { pgCollection } from './pg-collection.js';
import { connectError, openClient, openPool, pgStoreOptions, type PgStoreOptions } from './pg-connect.js';
import { InventoryReads, storableText, utf8Bytes } from './pg-inventory-reads.js';
import { numberJournal, readSensors, writeInventory, type UnnumberedEntry } from './pg-inventory-writes.js';
import { JournalListener, type JournalNotice } from './pg-journal-notices.js';
import { PgRecords } from './pg-records.js';
import { LOCK_SPACE, migrate } from './pg-schema.js';
import { inInventoryTransaction } from './pg-transaction.js';
import { GroupedWrites, type PendingBatch } from './grouped-writes.js';
import { Resolution } from './resolution.js';

/** A sensor's record with its last message time moved on (a new record when the sensor is new). */
function touched(before: SensorRecord | undefined, id: string, at: string): SensorRecord {
  const s: SensorRecord = before ? { ...before } : { id, location: null, state: 'unknown', stateChangedAt: null, lastMessageAt: at, version: null, health: null, lastStatusSeq: 0, lastHealthSeq: 0 };
  s.lastMessageAt = at > s.lastMessageAt ? at : s.lastMessageAt;
  return s;
}

export class PgHubStore implements HubStore {
  /** This instance's writes of the inventory, one after another (other instances wait on the lock). */
  private readonly writes = new GroupedWrites((group) => this.commitGroup(group));
  private journalListener: (() => void) | undefined;
  private notices: JournalListener | undefined;
  private closing: Promise<void> | undefined;
  /** Opens a connection of its own (for roles held for as long as this instance runs). */
  private connect: (() => Client) | undefined;
  private leadClient: Client | undefined;
  private readonly roles = new Set<string>();
  /** Names this instance in its journal notices, so that it is not woken by its own. */
  private readonly writer = randomUUID();
  private readonly records: PgRecords;

  private constructor(
    private readonly pool: Pool,
    /** The highest journal entry id this instance knows was written. */
    private journalSeq: number,
    private readonly log: Logger | undefined,
  ) {
    this.records = new PgRecords(pool);
  }

  /**
   * Connects (HUB_ERR_STORE_CONNECT when the database cannot be reached or refuses the credential),
   * brings the schema up to date and listens for other instances' journal writes.
   */
  static async open(url: string, options: Partial<PgStoreOptions> = {}): Promise<PgHubStore> {
    const o = pgStoreOptions(options);
    const pool = openPool(url, o);
    const store = new PgHubStore(pool, 0, o.log);
    store.connect = () => openClient(url, o);
    try {
      let client: PoolClient;
      try {
        client = await pool.connect();
      } catch (err) {
        throw connectError(url, err);
      }
      try {
        await migrate(client);
      } finally {
        client.release();
      }
      try {
        store.notices = await JournalListener.start(() => openClient(url, o), { notice: (n) => store.onNotice(n), resumed: () => void store.resumed() }, o.log);
      } catch (err) {
        throw connectError(url, err);
      }
      // Read once listening, so that no entry written in between goes unnoticed.
      store.journalWrote(await lastJournalId(pool));
      return store;
    } catch (err) {
      await store.notices?.close().catch(() => undefined);
      await pool.end().catch(() => undefined);
      throw err;
    }
  }

  collection(name: string): Collection {
    return pgCollection(this.pool, name);
  }

  applyObservations(sensorId: string, seq: number, observations: Observation[], receivedAt: string): Promise<boolean> {
    return this.writes.observations(sensorId, seq, observations, receivedAt);
  }

  /**
   * Writes a group of observation batches in one transaction: each batch at most once per
   * `(sensorId, seq)` (markers read after the lock is held, so a batch another instance applied is
   * seen), resolved against what the batches before it in the group changed, each with its journal
   * entry and its marker. A failure fails every batch of the group and writes nothing.
   */
  private async commitGroup(group: PendingBatch[]): Promise<void> {
    let written: { fresh: Set<PendingBatch>; lastId: number };
    try {
      written = await inInventoryTransaction(this.pool, async (client) => {
        const reads = new InventoryReads(client);
        const { applied, sensors } = await reads.begin(group);
        const fresh: PendingBatch[] = [];
        for (const item of group) {
          const marker = `${item.sensorId}!${item.seq}`;
          if (applied.has(marker)) continue;
          applied.add(marker);
          fresh.push(item);
        }
        if (fresh.length === 0) return { fresh: new Set<PendingBatch>(), lastId: 0 };
        await reads.prefetchDevices();
        const resolution = new Resolution(reads);
        const unnumbered: UnnumberedEntry[] = [];
        const touchedSensors = new Map<string, SensorRecord>();
        for (const item of fresh) {
          for (const obs of item.observations) await resolution.apply(obs, item.sensorId);
          unnumbered.push({ kind: 'observations', sensorId: item.sensorId, seq: item.seq, receivedAt: item.receivedAt, sightings: resolution.takeSightings() });
          touchedSensors.set(item.sensorId, touched(touchedSensors.get(item.sensorId) ?? sensors.get(item.sensorId), item.sensorId, item.receivedAt));
        }
        const entries = await numberJournal(client, unnumbered);
        await writeInventory(client, { resolved: resolution.finish(), entries, applied: fresh, sensors: [...touchedSensors.values()], writer: this.writer });
        return { fresh: new Set(fresh), lastId: Number(entries.at(-1)?.id) };
      });
    } catch (err) {
      for (const item of group) item.fail(err);
      return;
    }
    this.journalWrote(written.lastId);
    for (const item of group) item.settle(written.fresh.has(item));
    if (written.fresh.size > 0) this.journalListener?.();
  }

  applyBehaviour(batch: BehaviourBatch, receivedAt: string): Promise<boolean> {
    return this.writes.serial(async () => {
      const lastId = await inInventoryTransaction(this.pool, async (client) => {
        const reads = new InventoryReads(client);
        const { applied, sensors } = await reads.begin([{ sensorId: batch.sensorId, seq: batch.seq, observations: [] }]);
        if (applied.size > 0) return 0;
        await reads.prefetchAliases(batch.devices.map((d) => d.device));
        const devices: DeviceBehaviour[] = [];
        for (const d of batch.devices) devices.push({ ...d, device: (await reads.alias(d.device)) ?? d.device });
        const entry: UnnumberedEntry = { kind: 'behaviour', sensorId: batch.sensorId, seq: batch.seq, receivedAt, intervalStart: batch.intervalStart, intervalEnd: batch.intervalEnd, devices };
        const entries = await numberJournal(client, [entry]);
        const sensor = touched(sensors.get(batch.sensorId), batch.sensorId, receivedAt);
        await writeInventory(client, { entries, applied: [{ sensorId: batch.sensorId, seq: batch.seq, receivedAt }], sensors: [sensor], writer: this.writer });
        return Number(entries[0]?.id);
      });
      if (lastId === 0) return false;
      this.journalWrote(lastId);
      this.journalListener?.();
      return true;
    });
  }

  async readJournal(limit: number, after?: string): Promise<JournalEntry[]> {
    if (limit <= 0) return [];
    const { rows } = await this.pool.query<{ entry: JournalEntry }>('SELECT entry FROM journal WHERE id > $1 ORDER BY id LIMIT $2', [after === undefined ? 0 : Number(after), Math.floor(limit)]);
    return rows.map((r) => r.entry);
  }

  async completeJournal(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.pool.query('DELETE FROM journal WHERE id = ANY($1::bigint[])', [ids.map(Number)]);
  }

  get journalWritten(): number {
    return this.journalSeq;
  }

  onJournal(listener: () => void): void {
    this.journalListener = listener;
  }

  private journalWrote(lastId: number): void {
    if (lastId > this.journalSeq) this.journalSeq = lastId;
  }

  /** Another instance's journal write wakes this one's listener; this instance's own were told at commit. */
  private onNotice(notice: JournalNotice): void {
    this.journalWrote(notice.lastId);
    if (notice.writer !== this.writer) this.journalListener?.();
  }

  /** Listening again after a lost connection: what was written meanwhile is looked for. */
  private async resumed(): Promise<void> {
    try {
      this.journalWrote(await lastJournalId(this.pool));
    } catch (err) {
      this.log?.warn({ err }, 'could not read the journal after listening again');
    }
    this.journalListener?.();
  }

  recordStatus(status: Status, receivedAt: string): Promise<boolean> {
    // A status older than the last one is stale: a connection's last will published after its sensor
    // already came back on a new connection (each will is numbered after its own online status).
    return this.changeSensor(status.sensorId, receivedAt, (before, s) => {
      if (before && before.lastStatusSeq >= status.seq) return false;
      if (s.state !== status.state) s.stateChangedAt = receivedAt;
      s.state = status.state;
      s.location = status.location;
      s.version = status.version;
      s.lastStatusSeq = status.seq;
      return true;
    });
  }

  recordHealth(health: Health, receivedAt: string): Promise<boolean> {
    // Health is retained: an old retained copy must not overwrite a newer one.
    return this.changeSensor(health.sensorId, receivedAt, (before, s) => {
      if (before && before.lastHealthSeq >= health.seq) return false;
      s.health = health;
      s.healthAt = receivedAt;
      s.location = health.location;
      s.version = health.version;
      s.lastHealthSeq = health.seq;
      return true;
    });
  }

  /** Reads a sensor's record under the inventory lock; `change` edits the touched copy and says whether to write it. */
  private changeSensor(id: string, at: string, change: (before: SensorRecord | undefined, s: SensorRecord) => boolean): Promise<boolean> {
    return this.writes.serial(() =>
      inInventoryTransaction(this.pool, async (client) => {
        const before = (await readSensors(client, [id])).get(id);
        const s = touched(before, id, at);
        if (!change(before, s)) return false;
        await writeInventory(client, { entries: [], applied: [], sensors: [s], writer: this.writer });
        return true;
      }),
    );
  }

  async listDevices(): Promise<DeviceRecord[]> {
    const { rows } = await this.pool.query<{ record: DeviceRecord }>('SELECT record FROM devices ORDER BY key');
    return rows.map((r) => r.record);
  }

  async getDevice(key: DeviceKey): Promise<DeviceRecord | undefined> {
    // No record or alias is kept under a key PostgreSQL text cannot hold; an address with U+0000 may still be bound.
    const { rows } = storableText(key) ? await this.pool.query<{ record: DeviceRecord }>('SELECT record FROM devices WHERE key = coalesce((SELECT device FROM aliases WHERE key = $1), $1)', [key]) : { rows: [] };
    const own = rows[0]?.record;
    if (own || !key.startsWith('ip:')) return own;
    const bound = await this.pool.query<{ history: BindingHistory }>('SELECT history FROM bindings WHERE address = $1', [utf8Bytes(key.slice(3))]);
    const history = bound.rows[0]?.history;
    const holder = history ? holderAt(history, '\uffff') : null;
    return holder ? this.getDevice(holder.device) : undefined;
  }

  async listSensors(): Promise<SensorRecord[]> {
    const { rows } = await this.pool.query<{ record: SensorRecord }>('SELECT record FROM sensors ORDER BY id');
    return rows.map((r) => r.record);
  }

  async getSensor(id: string): Promise<SensorRecord | undefined> {
    if (!storableText(id)) return undefined;
    const { rows } = await this.pool.query<{ record: SensorRecord }>('SELECT record FROM sensors WHERE id = $1', [id]);
    return rows[0]?.record;
  }

  putLabel(deviceKey: DeviceKey, attribute: string, value: string, by: string, at: string): Promise<LabelRecord> {
    return this.records.putLabel({ deviceKey, attribute, value, by, at });
  }

  listLabels(): Promise<LabelRecord[]> {
    return this.records.listLabels();
  }

  deleteLabel(deviceKey: DeviceKey, attribute: string): Promise<boolean> {
    return this.records.deleteLabel(deviceKey, attribute);
  }

  getSetting(name: string): Promise<string | undefined> {
    return this.records.getSetting(name);
  }

  putSetting(name: string, value: string): Promise<void> {
    return this.records.putSetting(name, value);
  }

  getEnrolment(sensorId: string): Promise<EnrolmentRecord | undefined> {
    return this.records.getEnrolment(sensorId);
  }

  listEnrolments(): Promise<EnrolmentRecord[]> {
    return this.records.listEnrolments();
  }

  changeEnrolment<T>(sensorId: string, change: (current: EnrolmentRecord | undefined) => Promise<{ next: EnrolmentRecord; result: T }>): Promise<T> {
    return this.records.changeEnrolment(sensorId, change);
  }

  /**
   * Holds the role for as long as this instance's own connection lives: a session advisory lock,
   * which PostgreSQL lets go when the holder's connection ends (a killed hub included), so a
   * waiting instance can take the role over.
   */
  async tryLead(role: string): Promise<boolean> {
    if (this.roles.has(role)) return true;
    if (!this.leadClient) {
      const client = this.connect?.();
      if (!client) return false;
      await client.connect();
      client.on('error', (err: Error) => this.log?.error({ err }, 'the connection holding this hub instance\'s roles failed; another instance may take them over'));
      this.leadClient = client;
    }
    const { rows } = await this.leadClient.query<{ held: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS held', [LOCK_SPACE, `role:${role}`]);
    if (rows[0]?.held) this.roles.add(role);
    return this.roles.has(role);
  }

  /** Waits for this instance's writes under way, stops listening and closes the pool; idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.writes.idle();
      await this.notices?.close();
      await this.leadClient?.end().catch(() => undefined);
      await this.pool.end();
    })();
    return this.closing;
  }
}

/** The highest journal entry id written (0 before any). */
async function lastJournalId(db: Pool | PoolClient): Promise<number> {
  const { rows } = await db.query<{ last: string | null }>('SELECT max(id) AS last FROM journal');
  return Number(rows[0]?.last ?? 0);
}
