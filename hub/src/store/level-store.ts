/**
 * The hub's embedded store on LevelDB. One writer: every change goes through a single queue, so an
 * observation batch and its `(sensorId, seq)` marker are read, merged and written as one atomic batch.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ClassicLevel } from 'classic-level';
import type { BehaviourBatch, DeviceKey, Health, Observation, Status } from '@wardsight/protocol';
import type { BindingHistory } from '../inventory/identity.js';
import { holderAt } from '../inventory/identity.js';
import type { DeviceRecord } from '../inventory/profile.js';
import { HubError } from '../errors.js';
import { COLLECTION_NAME, type Collection, type CollectionOp, type CollectionRange, type HubStore, type JournalEntry, type LabelRecord, type SensorRecord } from './hub-store.js';
import { Resolution } from './resolution.js';
import type { EnrolmentRecord } from '../sensors/enrolment-record.js';

type Db = ClassicLevel<string, string>;

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
  private queue: Promise<unknown> = Promise.resolve();
  private journalListener: (() => void) | undefined;

  private constructor(
    private readonly db: Db,
    private readonly where: string,
    /** Number of the last journal entry written. */
    private journalSeq: number,
  ) {}

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
    return new LevelHubStore(db, where, journalSeq);
  }

  private get devices() {
    return this.db.sublevel<string, string>('devices', { valueEncoding: 'utf8' });
  }
  private get applied() {
    return this.db.sublevel<string, string>('applied', { valueEncoding: 'utf8' });
  }
  private get sensors() {
    return this.db.sublevel<string, string>('sensors', { valueEncoding: 'utf8' });
  }
  private get labels() {
    return this.db.sublevel<string, string>('labels', { valueEncoding: 'utf8' });
  }
  private get enrolments() {
    return this.db.sublevel<string, string>('enrolments', { valueEncoding: 'utf8' });
  }
  private get aliases() {
    return this.db.sublevel<string, string>('aliases', { valueEncoding: 'utf8' });
  }
  private get bindings() {
    return this.db.sublevel<string, string>('bindings', { valueEncoding: 'utf8' });
  }
  private get clientIds() {
    return this.db.sublevel<string, string>('client-ids', { valueEncoding: 'utf8' });
  }
  private get journal() {
    return this.db.sublevel<string, string>('journal', { valueEncoding: 'utf8' });
  }
  private get settings() {
    return this.db.sublevel<string, string>('settings', { valueEncoding: 'utf8' });
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

  /** Runs writes one after another, whatever their callers do. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  applyObservations(sensorId: string, seq: number, observations: Observation[], receivedAt: string): Promise<boolean> {
    return this.serial(async () => {
      const marker = appliedKey(sensorId, seq);
      if ((await this.applied.get(marker)) !== undefined) return false;
      const resolution = new Resolution(
        {
          device: async (id) => parse<DeviceRecord>(await this.devices.get(id)),
          alias: (key) => this.aliases.get(key) as Promise<DeviceKey | undefined>,
          bindings: async (address) => parse<BindingHistory>(await this.bindings.get(address)),
          clientId: (value) => this.clientIds.get(value) as Promise<DeviceKey | undefined>,
        },
        sensorId,
      );
      for (const obs of observations) await resolution.apply(obs);
      const r = resolution.finish();
      const { devices, aliases, bindings, clientIds, journal } = this;
      const id = journalKey(this.journalSeq + 1);
      const entry: JournalEntry = { id, kind: 'observations', sensorId, seq, receivedAt, sightings: r.sightings };
      await this.db.batch([
        ...[...r.devices.values()].map((d) => ({ type: 'put' as const, sublevel: devices, key: d.key, value: JSON.stringify(d) })),
        ...[...r.removed].map((key) => ({ type: 'del' as const, sublevel: devices, key })),
        ...[...r.aliases].map(([key, value]) => ({ type: 'put' as const, sublevel: aliases, key, value })),
        ...[...r.bindings].map(([key, value]) => ({ type: 'put' as const, sublevel: bindings, key, value: JSON.stringify(value) })),
        ...[...r.clientIds].map(([key, value]) => ({ type: 'put' as const, sublevel: clientIds, key, value })),
        { type: 'put' as const, sublevel: journal, key: id, value: JSON.stringify(entry) },
        { type: 'put' as const, sublevel: this.applied, key: marker, value: receivedAt },
      ]);
      this.journalSeq += 1;
      await this.touchSensor(sensorId, receivedAt, (s) => s);
      this.journalListener?.();
      return true;
    });
  }

  applyBehaviour(batch: BehaviourBatch, receivedAt: string): Promise<boolean> {
    return this.serial(async () => {
      const marker = appliedKey(batch.sensorId, batch.seq);
      if ((await this.applied.get(marker)) !== undefined) return false;
      const devices = [];
      for (const d of batch.devices) devices.push({ ...d, device: ((await this.aliases.get(d.device)) as DeviceKey | undefined) ?? d.device });
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
    const out: JournalEntry[] = [];
    for await (const value of this.journal.values({ limit, ...(after === undefined ? {} : { gt: after }) })) out.push(JSON.parse(value) as JournalEntry);
    return out;
  }

  completeJournal(ids: string[]): Promise<void> {
    return this.serial(() => this.journal.batch(ids.map((key) => ({ type: 'del' as const, key }))));
  }

  onJournal(listener: () => void): void {
    this.journalListener = listener;
  }

  recordStatus(status: Status, receivedAt: string): Promise<boolean> {
    return this.serial(async () => {
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
    return this.serial(async () => {
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
    const s = (await this.getSensor(id)) ?? {
      id,
      location: null,
      state: 'unknown' as const,
      stateChangedAt: null,
      lastMessageAt: at,
      version: null,
      health: null,
      lastStatusSeq: 0,
      lastHealthSeq: 0,
    };
    s.lastMessageAt = at > s.lastMessageAt ? at : s.lastMessageAt;
    await this.sensors.put(id, JSON.stringify(change(s)));
  }

  async listDevices(): Promise<DeviceRecord[]> {
    const out: DeviceRecord[] = [];
    for await (const value of this.devices.values()) out.push(JSON.parse(value) as DeviceRecord);
    return out;
  }

  async getDevice(key: DeviceKey): Promise<DeviceRecord | undefined> {
    const own = parse<DeviceRecord>(await this.devices.get(((await this.aliases.get(key)) as DeviceKey | undefined) ?? key));
    if (own || !key.startsWith('ip:')) return own;
    const history = parse<BindingHistory>(await this.bindings.get(key.slice(3)));
    const holder = history ? holderAt(history, '\uffff') : null;
    return holder ? this.getDevice(holder.device) : undefined;
  }

  async listSensors(): Promise<SensorRecord[]> {
    const out: SensorRecord[] = [];
    for await (const value of this.sensors.values()) out.push(JSON.parse(value) as SensorRecord);
    return out;
  }

  async getSensor(id: string): Promise<SensorRecord | undefined> {
    const value = await this.sensors.get(id);
    return value === undefined ? undefined : (JSON.parse(value) as SensorRecord);
  }

  putLabel(deviceKey: DeviceKey, attribute: string, value: string, by: string, at: string): Promise<LabelRecord> {
    const label: LabelRecord = { deviceKey, attribute, value, by, at };
    return this.serial(async () => {
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
    return this.serial(async () => {
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
    return this.serial(() => this.settings.put(name, value));
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
    return this.serial(async () => {
      const { next, result } = await change(await this.getEnrolment(sensorId));
      await this.enrolments.put(sensorId, JSON.stringify(next));
      return result;
    });
  }

  async close(): Promise<void> {
    await this.queue;
    await this.db.close();
    openInThisProcess.delete(this.where);
  }
}
