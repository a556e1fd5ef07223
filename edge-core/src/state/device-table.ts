/**
 * The sensor's device table and its one door for findings (`found`). Each device keeps, per
 * attribute and value, when it was first and last seen and the evidence behind it. A finding becomes
 * an observation for the hub when it is new, when its confidence rises, or when it has not been
 * reported for `refreshMs` (so the hub's last-seen stays current without a message per packet).
 */
import type { DeviceKey, Observation } from '@wardsight/protocol';

export interface FactRecord {
  signal: string;
  evidence: string;
  confidence: number;
  firstSeen: number;
  lastSeen: number;
  reportedAt: number;
}

export interface DeviceRecord {
  key: DeviceKey;
  firstSeen: number;
  lastSeen: number;
  /** attribute → value → fact */
  facts: Record<string, Record<string, FactRecord>>;
}

export interface Finding {
  attribute: string;
  value: string;
  signal: string;
  evidence: string;
  confidence: number;
}

/**
 * An observation as the table queues it: times as numbers (ms since the epoch). They become the
 * wire form's ISO strings on the main thread (`toObservation`), off the packet path.
 */
export type PendingObservation = Omit<Observation, 'firstSeen' | 'lastSeen'> & { firstSeen: number; lastSeen: number };

export function toObservation(p: PendingObservation): Observation {
  return { ...p, firstSeen: new Date(p.firstSeen).toISOString(), lastSeen: new Date(p.lastSeen).toISOString() };
}

/** A device record as the store keeps it: its key and its JSON text. */
export type StoredRecord = readonly [key: string, json: string];

/**
 * Findings as they cross from a shard to the main thread: observations already in their wire JSON
 * and changed records in their store JSON. Text crosses threads far more cheaply than object graphs,
 * and the main thread only writes it on.
 */
export interface EncodedFindings {
  observations: string[];
  records: StoredRecord[];
}

export const deviceTableDefaults = {
  /** Re-report a fact that keeps being seen at most this often. */
  refreshMs: 10 * 60_000,
  /** Devices kept in memory; the least recently seen is evicted past this bound. */
  maxDevices: 65_536,
  /** Values kept per attribute (a DHCP client that cycles through many hostnames stays bounded). */
  maxValuesPerAttribute: 16,
};
export type DeviceTableOptions = typeof deviceTableDefaults;

// Free-text fields from the wire are bounded before they are stored or sent.
const MAX_VALUE = 1024;
const MAX_EVIDENCE = 2048;

export class DeviceTable {
  private readonly devices = new Map<DeviceKey, DeviceRecord>();
  private readonly dirty = new Set<DeviceKey>();
  private readonly pending: PendingObservation[] = [];
  private readonly options: DeviceTableOptions;
  /** Devices forgotten to stay within `maxDevices`. */
  evicted = 0;

  constructor(options: Partial<DeviceTableOptions> = {}) {
    this.options = { ...deviceTableDefaults, ...options };
    // A refresh below a second would turn every packet into a message.
    this.options.refreshMs = Math.max(1000, this.options.refreshMs);
  }

  get size(): number {
    return this.devices.size;
  }

  /** How often a fact that keeps being seen is reported again. */
  get refreshMs(): number {
    return this.options.refreshMs;
  }

  records(): IterableIterator<DeviceRecord> {
    return this.devices.values();
  }

  get(key: DeviceKey): DeviceRecord | undefined {
    return this.devices.get(key);
  }

  load(records: Iterable<DeviceRecord>): void {
    for (const r of records) this.devices.set(r.key, r);
  }

  /** Marks a device as seen; returns true the first time this table sees it. */
  touch(key: DeviceKey, ts: number): boolean {
    const device = this.devices.get(key);
    if (device) {
      if (ts > device.lastSeen) device.lastSeen = ts;
      return false;
    }
    if (this.devices.size >= this.options.maxDevices) this.evictOldest();
    this.devices.set(key, { key, firstSeen: ts, lastSeen: ts, facts: {} });
    this.dirty.add(key);
    return true;
  }

  /** The one door for findings: records the fact and queues an observation when the hub should hear of it. */
  found(key: DeviceKey, finding: Finding, ts: number): void {
    this.touch(key, ts);
    const device = this.devices.get(key);
    if (!device) return;
    const value = finding.value.slice(0, MAX_VALUE);
    // Values are open-ended strings (addresses, names): a prototype-less object stays a hash table
    // in V8 instead of growing a new hidden class for every value ever seen.
    const byValue = (device.facts[finding.attribute] ??= Object.create(null) as Record<string, FactRecord>);
    let fact = byValue[value];
    let report = false;
    if (!fact) {
      this.boundValues(byValue);
      fact = { signal: finding.signal, evidence: finding.evidence.slice(0, MAX_EVIDENCE), confidence: finding.confidence, firstSeen: ts, lastSeen: ts, reportedAt: ts };
      byValue[value] = fact;
      report = true;
    } else {
      if (ts > fact.lastSeen) fact.lastSeen = ts;
      if (finding.confidence > fact.confidence) {
        fact.confidence = finding.confidence;
        fact.signal = finding.signal;
        fact.evidence = finding.evidence.slice(0, MAX_EVIDENCE);
        report = true;
      } else if (fact.lastSeen - fact.reportedAt >= this.options.refreshMs) {
        report = true;
      }
    }
    if (!report) return;
    fact.reportedAt = fact.lastSeen;
    this.dirty.add(key);
    this.pending.push({
      device: key,
      attribute: finding.attribute,
      value,
      signal: fact.signal,
      evidence: fact.evidence,
      confidence: fact.confidence,
      firstSeen: fact.firstSeen,
      lastSeen: fact.lastSeen,
    });
  }

  /** Values recorded for one attribute of a device (e.g. its IPv4 addresses). */
  values(key: DeviceKey, attribute: string): string[] {
    const byValue = this.devices.get(key)?.facts[attribute];
    return byValue ? Object.keys(byValue) : [];
  }

  /** Observations waiting to be sent, oldest first; the caller takes ownership. */
  takeObservations(): PendingObservation[] {
    return this.pending.splice(0, this.pending.length);
  }

  get pendingObservations(): number {
    return this.pending.length;
  }

  /** What is new, encoded for the main thread: observations always, changed records when `withRecords`. */
  takeEncoded(withRecords: boolean): EncodedFindings {
    const observations = this.takeObservations().map((p) => JSON.stringify(toObservation(p)));
    const records: StoredRecord[] = withRecords ? this.takeDirty().map((r) => [r.key, JSON.stringify(r)] as const) : [];
    return { observations, records };
  }

  /** Records changed since the last call, for the store. */
  takeDirty(): DeviceRecord[] {
    const out: DeviceRecord[] = [];
    for (const key of this.dirty) {
      const r = this.devices.get(key);
      if (r) out.push(r);
    }
    this.dirty.clear();
    return out;
  }

  /** Makes room for one more value by forgetting the least recently seen one. */
  private boundValues(byValue: Record<string, FactRecord>): void {
    const entries = Object.entries(byValue);
    if (entries.length < this.options.maxValuesPerAttribute) return;
    let oldest = entries[0];
    for (const entry of entries) if (oldest && entry[1].lastSeen < oldest[1].lastSeen) oldest = entry;
    if (oldest) Reflect.deleteProperty(byValue, oldest[0]);
  }

  /**
   * Makes room by forgetting the least recently seen eighth of the devices at once, so that a flood
   * of new source addresses costs a sort now and then rather than a scan per frame.
   */
  private evictOldest(): void {
    const byAge = [...this.devices.values()].sort((a, b) => a.lastSeen - b.lastSeen);
    const drop = Math.max(1, Math.floor(byAge.length / 8));
    for (let i = 0; i < drop; i++) {
      const r = byAge[i];
      if (r) this.devices.delete(r.key);
    }
    this.evicted += drop;
  }
}
