/**
 * The hub's embedded store on LevelDB. One writer: every change goes through a single queue, so an
 * observation batch and its `(sensorId, seq)` marker are read, merged and written as one atomic batch.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ClassicLevel } from 'classic-level';
import type { AbstractSublevel } from 'abstract-level';
import type { BehaviourBatch, DeviceKey, Health, Observation, Status } from '@wardsight/protocol';
import type { BindingHistory } from '../inventory/identity.js';
import { holderAt } from '../inventory/identity.js';
import type { DeviceRecord } from '../inventory/profile.js';
import { HubError } from '../errors.js';
import { COLLECTION_NAME, type Collection, type CollectionOp, type CollectionRange, type HubStore, type JournalEntry, type LabelRecord, type SensorRecord } from './hub-store.js';
import { LruCache } from '../lru-cache.js';
import { GroupedWrites, type PendingBatch } from './grouped-writes.js';
import { Resolution } from './resolution.js';
import type { EnrolmentRecord } from '../sensors/enrolment-record.js';

type Db = ClassicLevel<string, string>;
type Sub = AbstractSublevel<Db, string | Buffer | Uint8Array, string, string>;

/** Device records and bindings kept in memory: a large hospital's active devices. */
const DEVICE_CACHE = 50_000;
const BINDING_CACHE = 100_000;

/** Sublevels the store keeps for itself; a collection may not take their names. */
const OWN_SUBLEVELS = new Set(['devices', 'applied', 'sensors', 'labels', 'enrolments', 'settings', 'aliases', 'bindings', 'client-ids', 'journal']);
/** Journal keys sort in the order entries were written. */
const journalKey = (n: number): string => n.toString().padStart(16, '0');
const parse = <T>(text: string | undefined): T | undefined => (text === undefined ? undefined : (JSON.parse(text) as T));

/** Stores this process has open, by absolute path. */
const openInThisProcess = new Set<string>();
const appliedKey = (sensorId: string, seq: number): string => `${sensorId}!${seq.toString().padStart(16, '0')}`;
/** One label per device and attribute; a device's labels sort together. */
const labelKey = (deviceKey: DeviceKey, attribute: string): string => `${deviceKey}!${attribute}`;

export class LevelHubStore implements HubStore {
  private readonly writes = new GroupedWrites((group) => this.commitGroup(group));
  private journalListener: (() => void) | undefined;
  private readonly devices: Sub;
  private readonly applied: Sub;
  private readonly sensors: Sub;
  private readonly labels: Sub;
  private readonly enrolments: Sub;
  private readonly aliases: Sub;
  private readonly bindings: Sub;
  private readonly clientIds: Sub;
  private readonly journal: Sub;
  private readonly settings: Sub;
  /**
   * What ingest reads on every batch, kept in memory and written through: recent device records,
   * address bindings, every alias and client identifier (few), every sensor (few).
   */
  private readonly deviceCache = new LruCache<DeviceKey, DeviceRecord>(DEVICE_CACHE);
  private readonly bindingCache = new LruCache<string, BindingHistory>(BINDING_CACHE);
  private readonly aliasCache = new Map<DeviceKey, DeviceKey>();
  private readonly clientIdCache = new Map<string, DeviceKey>();
  private readonly sensorCache = new Map<string, SensorRecord>();
  /** Records the current group's prefetch found absent (devices new to the hub). */
  private absent = new Set<DeviceKey>();
  /** Every address with a binding history: an address never bound is answered without asking LevelDB. */
  private readonly boundAddresses = new Set<string>();
  /** Keys of the IP-only device records (few): most addresses have none, and asking LevelDB each time costs. */
  private readonly ipOnly = new Set<DeviceKey>();
  /** Observation batches waiting for the writer, written as one group. */

  private constructor(
    private readonly db: Db,
    private readonly where: string,
    /** Number of the last journal entry written. */
    private journalSeq: number,
  ) {
    const sub = (name: string): Sub => db.sublevel<string, string>(name, { valueEncoding: 'utf8' });
    this.devices = sub('devices');
    this.applied = sub('applied');
    this.sensors = sub('sensors');
    this.labels = sub('labels');
    this.enrolments = sub('enrolments');
    this.aliases = sub('aliases');
    this.bindings = sub('bindings');
    this.clientIds = sub('client-ids');
    this.journal = sub('journal');
    this.settings = sub('settings');
  }

  /** Loads the small indexes whole. */
  private async warm(): Promise<void> {
    for await (const [key, value] of this.aliases.iterator()) this.aliasCache.set(key, value);
    for await (const [key, value] of this.clientIds.iterator()) this.clientIdCache.set(key, value);
    for await (const [key, value] of this.sensors.iterator()) this.sensorCache.set(key, JSON.parse(value) as SensorRecord);
    for await (const key of this.devices.keys({ gte: 'ip:', lt: 'ip;' })) this.ipOnly.add(key);
    for await (const key of this.bindings.keys()) this.boundAddresses.add(key);
  }

  static async open(dir: string): Promise<LevelHubStore> {
    const where = resolve(dir);
    // LevelDB locks the database against other processes (and the OS frees that lock when a process
    // dies, even by SIGKILL); within one process a failed second open would release it, so refuse
    // the second open here before LevelDB sees it.
    if (openInThisProcess.has(where)) throw new HubError('HUB_ERR_STORE_LOCKED', `${where} is already open in this process`);
    await mkdir(where, { recursive: true, mode: 0o700 });
    const db: Db = new ClassicLevel<string, string>(join(where, 'db'), { valueEncoding: 'utf8' });
    try {
      await db.open();
    } catch (err) {
      const locked = (err as { cause?: { code?: string } }).cause?.code === 'LEVEL_LOCKED';
      if (locked) throw new HubError('HUB_ERR_STORE_LOCKED', `${where}; is another hub running on this data directory?`, { cause: err });
      throw new HubError('HUB_ERR_DATA_DIR', `${where}: ${(err as Error).message}`, { cause: err });
    }
    openInThisProcess.add(where);
    let journalSeq = 0;
    for await (const key of db.sublevel<string, string>('journal', { valueEncoding: 'utf8' }).keys({ reverse: true, limit: 1 })) journalSeq = Number(key);
    const store = new LevelHubStore(db, where, journalSeq);
    await store.warm();
    return store;
  }

  collection(name: string): Collection {
    if (!COLLECTION_NAME.test(name) || OWN_SUBLEVELS.has(name)) throw new HubError('HUB_ERR_COLLECTION', `no collection may be named ${JSON.stringify(name)}`);
    const level = this.db.sublevel<string, string>(`c-${name}`, { valueEncoding: 'utf8' });
    return {
      get: (key) => level.get(key),
      put: (key, value) => level.put(key, value),
      del: (key) => level.del(key),
      batch: (ops: CollectionOp[]) => level.batch(ops.map((op) => (op.type === 'put' ? { type: 'put' as const, key: op.key, value: op.value } : { type: 'del' as const, key: op.key }))),
      entries: (range: CollectionRange = {}) => level.iterator(range),
    };
  }

  applyObservations(sensorId: string, seq: number, observations: Observation[], receivedAt: string): Promise<boolean> {
    return this.writes.observations(sensorId, seq, observations, receivedAt);
  }

  /**
   * Writes a group of observation batches as one atomic LevelDB batch: each batch at most once per
   * `(sensorId, seq)`, resolved against what the batches before it in the group changed, each with
   * its journal entry and its marker. A failed write fails every batch of the group and forgets
   * what the caches had taken from it.
   */
  private async commitGroup(group: PendingBatch[]): Promise<void> {
    const resolution = new Resolution({
      device: (id) => this.readDevice(id),
      alias: (key) => Promise.resolve(this.aliasCache.get(key)),
      bindings: (address) => this.readBindings(address),
      clientId: (value) => Promise.resolve(this.clientIdCache.get(value)),
    });
    const fresh: PendingBatch[] = [];
    const markers = new Set<string>();
    const entries: JournalEntry[] = [];
    const sensorsTouched = new Map<string, SensorRecord>();
    try {
      // One round trip each for the markers and for the records not in memory, not one per batch and device.
      const keys = group.map((item) => appliedKey(item.sensorId, item.seq));
      const seen = await this.applied.getMany(keys);
      await this.prefetch(group);
      for (const [i, item] of group.entries()) {
        const marker = keys[i] ?? '';
        if (markers.has(marker) || seen[i] !== undefined) continue;
        markers.add(marker);
        fresh.push(item);
        for (const obs of item.observations) await resolution.apply(obs, item.sensorId);
        entries.push({ id: journalKey(this.journalSeq + entries.length + 1), kind: 'observations', sensorId: item.sensorId, seq: item.seq, receivedAt: item.receivedAt, sightings: resolution.takeSightings() });
        sensorsTouched.set(item.sensorId, this.touched(sensorsTouched.get(item.sensorId) ?? this.sensorCache.get(item.sensorId), item.sensorId, item.receivedAt));
      }
    } catch (err) {
      for (const item of group) item.fail(err);
      return;
    }
    const r = resolution.finish();
    const put = (sublevel: Sub, key: string, value: string) => ({ type: 'put' as const, sublevel, key, value });
    try {
      if (fresh.length > 0) {
        await this.db.batch([
          ...[...r.devices.values()].map((d) => put(this.devices, d.key, JSON.stringify(d))),
          ...[...r.removed].map((key) => ({ type: 'del' as const, sublevel: this.devices, key })),
          ...[...r.aliases].map(([key, value]) => put(this.aliases, key, value)),
          ...[...r.bindings].filter(([, history]) => history.length > 0).map(([key, value]) => put(this.bindings, key, JSON.stringify(value))),
          ...[...r.clientIds].map(([key, value]) => put(this.clientIds, key, value)),
          ...entries.map((entry) => put(this.journal, entry.id, JSON.stringify(entry))),
          ...fresh.map((item) => put(this.applied, appliedKey(item.sensorId, item.seq), item.receivedAt)),
          ...[...sensorsTouched.values()].map((record) => put(this.sensors, record.id, JSON.stringify(record))),
        ]);
      }
    } catch (err) {
      // The records in the caches were changed in place for a write that did not happen.
      for (const key of [...r.devices.keys(), ...r.removed]) this.deviceCache.delete(key);
      for (const key of r.bindings.keys()) this.bindingCache.delete(key);
      for (const item of group) item.fail(err);
      return;
    }
    for (const key of r.removed) {
      this.deviceCache.delete(key);
      this.ipOnly.delete(key);
    }
    for (const [key, record] of r.devices) {
      this.deviceCache.set(key, record);
      if (key.startsWith('ip:')) this.ipOnly.add(key);
    }
    for (const [key, history] of r.bindings) {
      if (history.length === 0) continue;
      this.bindingCache.set(key, history);
      this.boundAddresses.add(key);
    }
    for (const [key, value] of r.aliases) this.aliasCache.set(key, value);
    for (const [key, value] of r.clientIds) this.clientIdCache.set(key, value);
    for (const record of sensorsTouched.values()) this.sensorCache.set(record.id, record);
    this.journalSeq += entries.length;
    const freshSet = new Set(fresh);
    for (const item of group) item.settle(freshSet.has(item));
    if (entries.length > 0) this.journalListener?.();
  }

  /** Reads into the cache, in one round trip, the records of the group's MACs that are not there. */
  private async prefetch(group: readonly PendingBatch[]): Promise<void> {
    const wanted = new Set<DeviceKey>();
    for (const item of group) {
      for (const obs of item.observations) {
        if (!obs.device.startsWith('mac:')) continue;
        const id = this.aliasCache.get(obs.device) ?? obs.device;
        if (this.deviceCache.get(id) === undefined) wanted.add(id);
      }
    }
    this.absent = new Set();
    if (wanted.size === 0) return;
    const ids = [...wanted];
    const values = await this.devices.getMany(ids);
    values.forEach((value, i) => {
      const id = ids[i];
      if (id === undefined) return;
      if (value === undefined) this.absent.add(id);
      else this.deviceCache.set(id, JSON.parse(value) as DeviceRecord);
    });
  }

  /** A device record, from the cache or the database (then cached); the resolution changes it in place. */
  private async readDevice(id: DeviceKey): Promise<DeviceRecord | undefined> {
    const cached = this.deviceCache.get(id);
    if (cached) return cached;
    if (this.absent.has(id) || (id.startsWith('ip:') && !this.ipOnly.has(id))) return undefined;
    const record = parse<DeviceRecord>(await this.devices.get(id));
    if (record) this.deviceCache.set(id, record);
    return record;
  }

  private async readBindings(address: string): Promise<BindingHistory | undefined> {
    const cached = this.bindingCache.get(address);
    if (cached) return cached;
    if (!this.boundAddresses.has(address)) return undefined;
    const history = parse<BindingHistory>(await this.bindings.get(address));
    if (history) this.bindingCache.set(address, history);
    return history;
  }

  /** A sensor's record with its last message time moved on (a new object: the cache changes only once written). */
  private touched(before: SensorRecord | undefined, id: string, at: string): SensorRecord {
    const s: SensorRecord = before
      ? { ...before }
      : { id, location: null, state: 'unknown', stateChangedAt: null, lastMessageAt: at, version: null, health: null, lastStatusSeq: 0, lastHealthSeq: 0 };
    s.lastMessageAt = at > s.lastMessageAt ? at : s.lastMessageAt;
    return s;
  }

  applyBehaviour(batch: BehaviourBatch, receivedAt: string): Promise<boolean> {
    return this.writes.serial(async () => {
      const marker = appliedKey(batch.sensorId, batch.seq);
      if ((await this.applied.get(marker)) !== undefined) return false;
      const devices = [];
      for (const d of batch.devices) devices.push({ ...d, device: this.aliasCache.get(d.device) ?? d.device });
      const id = journalKey(this.journalSeq + 1);
      const entry: JournalEntry = { id, kind: 'behaviour', sensorId: batch.sensorId, seq: batch.seq, receivedAt, intervalStart: batch.intervalStart, intervalEnd: batch.intervalEnd, devices };
      await this.db.batch([
        { type: 'put' as const, sublevel: this.journal, key: id, value: JSON.stringify(entry) },
        { type: 'put' as const, sublevel: this.applied, key: marker, value: receivedAt },
      ]);
      this.journalSeq += 1;
      await this.touchSensor(batch.sensorId, receivedAt, (s) => s);
      this.journalListener?.();
      return true;
    });
  }

  async readJournal(limit: number, after?: string): Promise<JournalEntry[]> {
    // Entry ids are consecutive numbers: the next ones are read in one round trip (an iterator takes
    // one per few entries, and waits behind ingest's writes each time). Entries already done are
    // gone from the range and skipped.
    let first = after === undefined ? undefined : Number(after) + 1;
    if (first === undefined) for await (const key of this.journal.keys({ limit: 1 })) first = Number(key);
    if (first === undefined || first > this.journalSeq) return [];
    const keys: string[] = [];
    for (let n = first; n <= this.journalSeq && keys.length < limit; n++) keys.push(journalKey(n));
    const values = await this.journal.getMany(keys);
    return values.filter((v): v is string => v !== undefined).map((v) => JSON.parse(v) as JournalEntry);
  }

  completeJournal(ids: string[]): Promise<void> {
    return this.writes.serial(() => this.journal.batch(ids.map((key) => ({ type: 'del' as const, key }))));
  }

  get journalWritten(): number {
    return this.journalSeq;
  }

  onJournal(listener: () => void): void {
    this.journalListener = listener;
  }

  recordStatus(status: Status, receivedAt: string): Promise<boolean> {
    return this.writes.serial(async () => {
      const before = await this.getSensor(status.sensorId);
      // A status older than the last one is stale: a connection's last will published after its sensor
      // already came back on a new connection (each will is numbered after its own online status).
      if (before && before.lastStatusSeq >= status.seq) return false;
      await this.touchSensor(status.sensorId, receivedAt, (s) => {
        if (s.state !== status.state) s.stateChangedAt = receivedAt;
        s.state = status.state;
        s.location = status.location;
        s.version = status.version;
        s.lastStatusSeq = status.seq;
        return s;
      });
      return true;
    });
  }

  recordHealth(health: Health, receivedAt: string): Promise<boolean> {
    return this.writes.serial(async () => {
      const before = await this.getSensor(health.sensorId);
      // Health is retained: an old retained copy must not overwrite a newer one.
      if (before && before.lastHealthSeq >= health.seq) return false;
      await this.touchSensor(health.sensorId, receivedAt, (s) => {
        s.health = health;
        s.healthAt = receivedAt;
        s.location = health.location;
        s.version = health.version;
        s.lastHealthSeq = health.seq;
        return s;
      });
      return true;
    });
  }

  private async touchSensor(id: string, at: string, change: (s: SensorRecord) => SensorRecord): Promise<void> {
    const record = change(this.touched(this.sensorCache.get(id), id, at));
    await this.sensors.put(id, JSON.stringify(record));
    this.sensorCache.set(id, record);
  }

  async listDevices(): Promise<DeviceRecord[]> {
    const out: DeviceRecord[] = [];
    for await (const value of this.devices.values()) out.push(JSON.parse(value) as DeviceRecord);
    return out;
  }

  async getDevice(key: DeviceKey): Promise<DeviceRecord | undefined> {
    const id = this.aliasCache.get(key) ?? key;
    // A copy: the cached record is the writer's to change.
    const cached = this.deviceCache.get(id);
    const own = cached ? structuredClone(cached) : parse<DeviceRecord>(await this.devices.get(id));
    if (own || !key.startsWith('ip:')) return own;
    const history = this.bindingCache.get(key.slice(3)) ?? parse<BindingHistory>(await this.bindings.get(key.slice(3)));
    const holder = history ? holderAt(history, '\uffff') : null;
    return holder ? this.getDevice(holder.device) : undefined;
  }

  listSensors(): Promise<SensorRecord[]> {
    return Promise.resolve([...this.sensorCache.values()].sort((a, b) => (a.id < b.id ? -1 : 1)).map((s) => structuredClone(s)));
  }

  getSensor(id: string): Promise<SensorRecord | undefined> {
    const s = this.sensorCache.get(id);
    return Promise.resolve(s ? structuredClone(s) : undefined);
  }

  putLabel(deviceKey: DeviceKey, attribute: string, value: string, by: string, at: string): Promise<LabelRecord> {
    const label: LabelRecord = { deviceKey, attribute, value, by, at };
    return this.writes.serial(async () => {
      await this.labels.put(labelKey(deviceKey, attribute), JSON.stringify(label));
      return label;
    });
  }

  async listLabels(): Promise<LabelRecord[]> {
    const out: LabelRecord[] = [];
    for await (const value of this.labels.values()) out.push(JSON.parse(value) as LabelRecord);
    return out;
  }

  deleteLabel(deviceKey: DeviceKey, attribute: string): Promise<boolean> {
    return this.writes.serial(async () => {
      const key = labelKey(deviceKey, attribute);
      if ((await this.labels.get(key)) === undefined) return false;
      await this.labels.del(key);
      return true;
    });
  }

  getSetting(name: string): Promise<string | undefined> {
    return this.settings.get(name);
  }

  putSetting(name: string, value: string): Promise<void> {
    return this.writes.serial(() => this.settings.put(name, value));
  }

  async getEnrolment(sensorId: string): Promise<EnrolmentRecord | undefined> {
    const stored = await this.enrolments.get(sensorId);
    return stored === undefined ? undefined : (JSON.parse(stored) as EnrolmentRecord);
  }

  async listEnrolments(): Promise<EnrolmentRecord[]> {
    const out: EnrolmentRecord[] = [];
    for await (const value of this.enrolments.values()) out.push(JSON.parse(value) as EnrolmentRecord);
    return out;
  }

  changeEnrolment<T>(sensorId: string, change: (current: EnrolmentRecord | undefined) => Promise<{ next: EnrolmentRecord; result: T }>): Promise<T> {
    return this.writes.serial(async () => {
      const { next, result } = await change(await this.getEnrolment(sensorId));
      await this.enrolments.put(sensorId, JSON.stringify(next));
      return result;
    });
  }

  /** One process holds a LevelDB store (its lock file sees to it): that process holds every role. */
  tryLead(): Promise<boolean> {
    return Promise.resolve(true);
  }

  async close(): Promise<void> {
    await this.writes.idle();
    await this.db.close();
    openInThisProcess.delete(this.where);
  }
}
