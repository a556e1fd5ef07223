/**
 * The sensor's device table and its one door for findings (`found`). Each device keeps, per
 * attribute and value, when it was first and last seen and the evidence behind it. A finding becomes
 * an observation for the hub when it is new, when its confidence rises, or when it has not been
 * reported for `refreshMs` (so the hub's last-seen stays current without a message per packet).
 * Observations are queued as columns (`FoundBatch`), not as an object each.
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
 * Findings as a table queues them and as they cross from a shard to the main thread: per
 * observation five strings (device, attribute, value, signal, evidence) and three numbers
 * (confidence, first and last seen in ms), in two flat columns, with the keys of devices seen for
 * the first time. The strings are those the table already holds and the numbers sit in a typed
 * array, so queueing an observation allocates nothing; the strings cross the thread as one text
 * (NUL-separated: the table keeps no NUL in what it stores) and the main thread, which has time to
 * spare, writes the JSON (`encodeFindings`).
 *
 * `firstSightings` says, per observation, whether it is the first report of its fact (1) or a state
 * update of a fact already reported (0: a confidence rise or a refresh); the outbox never drops the
 * first and may coalesce the others. It is not part of the stored log of findings (which keeps each
 * fact's latest sighting only), so batches read back from the store have none: an observation
 * without the flag counts as a first sighting.
 */
export interface FoundBatch {
  text: string;
  numbers: Float64Array;
  devices: string[];
  firstSightings?: Uint8Array;
}

/** Separates the strings of a batch's text; never part of a stored string. */
const SEPARATOR = '\u0000';

const TEXT_FIELDS = 5;
const NUMBER_FIELDS = 3;

/** Findings as the uplink sends them: each observation in its wire JSON, and the devices new to the table. */
export interface EncodedFindings {
  observations: string[];
  devices: string[];
}

let cachedMinute = Number.NaN;
let cachedPrefix = '';

/**
 * `new Date(ms).toISOString()`, several times faster for the times of one capture: the part up to
 * the minute is kept from the previous call, only seconds and milliseconds are written.
 */
export function isoTime(ms: number): string {
  const t = Math.trunc(ms);
  // Before 1970 or past 9999 (six-digit years) the general case writes it.
  if (!(t >= 0 && t < 253_402_300_800_000)) return new Date(t).toISOString();
  const minute = Math.floor(t / 60_000);
  if (minute !== cachedMinute) {
    cachedMinute = minute;
    cachedPrefix = new Date(minute * 60_000).toISOString().slice(0, 17);
  }
  const rest = t - minute * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  return `${cachedPrefix}${seconds < 10 ? '0' : ''}${seconds}.${millis < 100 ? (millis < 10 ? '00' : '0') : ''}${millis}Z`;
}

/** Writes a batch's observations as wire JSON (the contract's Observation). */
export function encodeFindings(batch: FoundBatch): EncodedFindings {
  const observations: string[] = [];
  forEachFinding(batch, (device, attribute, value, signal, evidence, confidence, firstSeen, lastSeen) => {
    observations.push(JSON.stringify({ device, attribute, value, signal, evidence, confidence, firstSeen: isoTime(firstSeen), lastSeen: isoTime(lastSeen) }));
  });
  return { observations, devices: batch.devices };
}

/** One finding of a batch, as `forEachFinding` hands it on. */
export type FindingVisitor = (device: string, attribute: string, value: string, signal: string, evidence: string, confidence: number, firstSeen: number, lastSeen: number) => void;

/** Calls `visit` for each observation of a batch, in order. */
export function forEachFinding(batch: FoundBatch, visit: FindingVisitor): number {
  const { numbers } = batch;
  const text = batch.text.length > 0 ? batch.text.split(SEPARATOR) : [];
  const count = Math.min(Math.floor(text.length / TEXT_FIELDS), Math.floor(numbers.length / NUMBER_FIELDS));
  for (let i = 0; i < count; i++) {
    const t = i * TEXT_FIELDS;
    const n = i * NUMBER_FIELDS;
    visit(text[t] ?? '', text[t + 1] ?? '', text[t + 2] ?? '', text[t + 3] ?? '', text[t + 4] ?? '', numbers[n] ?? 0, numbers[n + 1] ?? 0, numbers[n + 2] ?? 0);
  }
  return count;
}

/** Observations in a batch. */
export function findingCount(batch: FoundBatch): number {
  return Math.floor(batch.numbers.length / NUMBER_FIELDS);
}

/**
 * Device records folded from batches of findings in the order they were found (a later sighting of
 * a fact replaces an earlier one), over `base` records if given.
 */
export function recordsFromBatches(batches: Iterable<FoundBatch>, base: Iterable<DeviceRecord> = []): DeviceRecord[] {
  const byKey = new Map<string, DeviceRecord>();
  for (const r of base) byKey.set(r.key, r);
  for (const batch of batches) {
    forEachFinding(batch, (device, attribute, value, signal, evidence, confidence, firstSeen, lastSeen) => {
      if (!Number.isFinite(firstSeen) || !Number.isFinite(lastSeen) || !Number.isFinite(confidence)) return;
      let record = byKey.get(device);
      if (!record) {
        record = { key: device as DeviceKey, firstSeen, lastSeen, facts: {} };
        byKey.set(device, record);
      }
      record.firstSeen = Math.min(record.firstSeen, firstSeen);
      record.lastSeen = Math.max(record.lastSeen, lastSeen);
      (record.facts[attribute] ??= {})[value] = { signal, evidence, confidence, firstSeen, lastSeen, reportedAt: lastSeen };
    });
  }
  return [...byKey.values()];
}

/** Records as batches of at most `size` findings each: every fact as its latest sighting. */
export function batchesFromRecords(records: Iterable<DeviceRecord>, size = 4096): FoundBatch[] {
  const out: FoundBatch[] = [];
  let text: string[] = [];
  let numbers: number[] = [];
  const close = (): void => {
    if (numbers.length === 0) return;
    out.push({ text: text.join(SEPARATOR), numbers: Float64Array.from(numbers), devices: [] });
    text = [];
    numbers = [];
  };
  for (const r of records) {
    for (const [attribute, values] of Object.entries(r.facts)) {
      for (const [value, fact] of Object.entries(values)) {
        text.push(r.key, attribute, clean(value, MAX_VALUE), fact.signal, clean(fact.evidence, MAX_EVIDENCE));
        numbers.push(fact.confidence, fact.firstSeen, fact.lastSeen);
        if (numbers.length >= size * NUMBER_FIELDS) close();
      }
    }
  }
  close();
  return out;
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

/** Wire text bounded, and without NUL (a C string's end, never meaningful in a name). */
function clean(text: string, max: number): string {
  const bounded = text.length > max ? text.slice(0, max) : text;
  return bounded.includes(SEPARATOR) ? bounded.replaceAll(SEPARATOR, '\uFFFD') : bounded;
}

/**
 * A device as the table keeps it: one Map of facts keyed by attribute and value together (`attribute
 * SOH value`), rather than an object per attribute. A Map neither interns its keys nor turns into a
 * dictionary-mode object, and a device has few enough facts to scan when one attribute is counted.
 * Times and confidences live in typed arrays at a numbered slot, not in the objects: a number in an
 * object field is an object of its own to the garbage collector, four per fact.
 */
interface Device {
  key: DeviceKey;
  /** Slot in the device columns. */
  slot: number;
  facts: Map<string, Fact>;
}

interface Fact {
  signal: string;
  evidence: string;
  /** Slot in the fact columns. */
  slot: number;
}

/** Joins attribute and value in a fact's key within a device; attribute names never hold it. */
const JOIN = '\u0001';

/** Columns of a device slot: first and last seen. */
const D_FIRST = 0;
const D_LAST = 1;
const DEVICE_COLUMNS = 2;
/** Columns of a fact slot: confidence, first and last seen, last reported. */
const F_CONFIDENCE = 0;
const F_FIRST = 1;
const F_LAST = 2;
const F_REPORTED = 3;
const FACT_COLUMNS = 4;

/** Numbered rows of a few doubles each in one typed array, grown by doubling, with freed rows reused. */
class Slots {
  values: Float64Array;
  private next = 0;
  private readonly free: number[] = [];

  constructor(private readonly columns: number) {
    this.values = new Float64Array(columns * 1024);
  }

  take(): number {
    const slot = this.free.pop() ?? this.next++;
    if ((slot + 1) * this.columns > this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    return slot;
  }

  release(slot: number): void {
    this.free.push(slot);
  }

  /** Rows handed out and not released. */
  get taken(): number {
    return this.next - this.free.length;
  }

  /** Releases every row at once. */
  clear(): void {
    this.next = 0;
    this.free.length = 0;
  }
}

export class DeviceTable {
  private readonly devices = new Map<DeviceKey, Device>();
  private readonly deviceSlots = new Slots(DEVICE_COLUMNS);
  private readonly factSlots = new Slots(FACT_COLUMNS);
  private lastKey: DeviceKey | undefined;
  private lastDevice: Device | undefined;
  /** Observations to send: their strings, and their numbers in rows of NUMBER_FIELDS. */
  private pendingText: string[] = [];
  private readonly pendingNumbers = new Slots(NUMBER_FIELDS);
  /** Per pending observation, 1 when it is the first report of its fact (grown with pendingNumbers). */
  private pendingFirsts = new Uint8Array(1024);
  /** Devices seen for the first time since the last `takeEncoded`. */
  private newDevices: string[] = [];
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

  /** Every device, as records (copies: changing them changes nothing here). */
  *records(): IterableIterator<DeviceRecord> {
    for (const device of this.devices.values()) yield this.toRecord(device);
  }

  get(key: DeviceKey): DeviceRecord | undefined {
    const device = this.devices.get(key);
    return device ? this.toRecord(device) : undefined;
  }

  load(records: Iterable<DeviceRecord>): void {
    this.lastKey = undefined;
    this.lastDevice = undefined;
    for (const r of records) {
      const old = this.devices.get(r.key);
      if (old) this.forget(old);
      const device = this.newDevice(r.key, r.firstSeen);
      this.deviceSlots.values[device.slot * DEVICE_COLUMNS + D_LAST] = r.lastSeen;
      for (const [attribute, values] of Object.entries(r.facts)) {
        for (const [value, fact] of Object.entries(values)) {
          const f = this.newFact(device, attribute + JOIN + value, fact.signal, fact.evidence, fact.confidence, fact.firstSeen);
          const v = this.factSlots.values;
          v[f.slot * FACT_COLUMNS + F_LAST] = fact.lastSeen;
          v[f.slot * FACT_COLUMNS + F_REPORTED] = fact.reportedAt;
        }
      }
    }
  }

  /** Marks a device as seen; returns true the first time this table sees it. */
  touch(key: DeviceKey, ts: number): boolean {
    const before = this.newDevices.length;
    this.seen(key, ts);
    return this.newDevices.length > before;
  }

  /** The device, made if new, with its last-seen brought up to `ts`: one lookup, none for the same device again. */
  private seen(key: DeviceKey, ts: number): Device {
    // Findings come in runs for one device (a DHCP message gives five): the last one is kept.
    let device = key === this.lastKey ? this.lastDevice : this.devices.get(key);
    if (device) {
      const at = device.slot * DEVICE_COLUMNS + D_LAST;
      const v = this.deviceSlots.values;
      if (ts > (v[at] ?? 0)) v[at] = ts;
    } else {
      if (this.devices.size >= this.options.maxDevices) this.evictOldest();
      device = this.newDevice(key, ts);
      this.newDevices.push(key);
    }
    this.lastKey = key;
    this.lastDevice = device;
    return device;
  }

  private newDevice(key: DeviceKey, ts: number): Device {
    const slot = this.deviceSlots.take();
    const v = this.deviceSlots.values;
    v[slot * DEVICE_COLUMNS + D_FIRST] = ts;
    v[slot * DEVICE_COLUMNS + D_LAST] = ts;
    const device: Device = { key, slot, facts: new Map() };
    this.devices.set(key, device);
    return device;
  }

  private newFact(device: Device, k: string, signal: string, evidence: string, confidence: number, ts: number): Fact {
    const slot = this.factSlots.take();
    const v = this.factSlots.values;
    const at = slot * FACT_COLUMNS;
    v[at + F_CONFIDENCE] = confidence;
    v[at + F_FIRST] = ts;
    v[at + F_LAST] = ts;
    v[at + F_REPORTED] = ts;
    const fact: Fact = { signal, evidence, slot };
    device.facts.set(k, fact);
    return fact;
  }

  /** Drops a device and frees its slots. */
  private forget(device: Device): void {
    for (const fact of device.facts.values()) this.factSlots.release(fact.slot);
    this.deviceSlots.release(device.slot);
    this.devices.delete(device.key);
  }

  /** The one door for findings: records the fact and queues an observation when the hub should hear of it. */
  found(key: DeviceKey, finding: Finding, ts: number): void {
    const device = this.seen(key, ts);
    const value = clean(finding.value, MAX_VALUE);
    const k = finding.attribute + JOIN + value;
    let fact = device.facts.get(k);
    let report = false;
    let first = false;
    if (!fact) {
      this.boundValues(device, finding.attribute);
      fact = this.newFact(device, k, finding.signal, clean(finding.evidence, MAX_EVIDENCE), finding.confidence, ts);
      report = true;
      first = true;
    }
    const v = this.factSlots.values;
    const at = fact.slot * FACT_COLUMNS;
    if (!first) {
      if (ts > (v[at + F_LAST] ?? 0)) v[at + F_LAST] = ts;
      if (finding.confidence > (v[at + F_CONFIDENCE] ?? 0)) {
        v[at + F_CONFIDENCE] = finding.confidence;
        fact.signal = finding.signal;
        fact.evidence = clean(finding.evidence, MAX_EVIDENCE);
        report = true;
      } else if ((v[at + F_LAST] ?? 0) - (v[at + F_REPORTED] ?? 0) >= this.options.refreshMs) {
        report = true;
      }
    }
    if (!report) return;
    const last = v[at + F_LAST] ?? ts;
    v[at + F_REPORTED] = last;
    this.pendingText.push(key, finding.attribute, value, fact.signal, fact.evidence);
    const row = this.pendingNumbers.take();
    if (row >= this.pendingFirsts.length) {
      const bigger = new Uint8Array(this.pendingFirsts.length * 2);
      bigger.set(this.pendingFirsts);
      this.pendingFirsts = bigger;
    }
    this.pendingFirsts[row] = first ? 1 : 0;
    const n = row * NUMBER_FIELDS;
    const p = this.pendingNumbers.values;
    p[n] = v[at + F_CONFIDENCE] ?? 0;
    p[n + 1] = v[at + F_FIRST] ?? ts;
    p[n + 2] = last;
  }

  /** Values recorded for one attribute of a device (e.g. its IPv4 addresses). */
  values(key: DeviceKey, attribute: string): string[] {
    const prefix = attribute + JOIN;
    const out: string[] = [];
    for (const k of this.devices.get(key)?.facts.keys() ?? []) if (k.startsWith(prefix)) out.push(k.slice(prefix.length));
    return out;
  }

  get pendingObservations(): number {
    return this.pendingNumbers.taken;
  }

  /** What is new, in columns (to post to the main thread); the caller takes ownership. */
  takeBatch(): FoundBatch {
    const taken = this.pendingNumbers.taken;
    const batch: FoundBatch = {
      text: this.pendingText.join(SEPARATOR),
      numbers: this.pendingNumbers.values.slice(0, taken * NUMBER_FIELDS),
      devices: this.newDevices,
      firstSightings: this.pendingFirsts.slice(0, taken),
    };
    this.pendingText = [];
    this.pendingNumbers.clear();
    this.newDevices = [];
    return batch;
  }

  /** What is new, written out (see `encodeFindings`). */
  takeEncoded(): EncodedFindings {
    return encodeFindings(this.takeBatch());
  }

  /** Observations waiting to be sent, oldest first, as objects (for callers in this thread). */
  takeObservations(): Observation[] {
    return this.takeEncoded().observations.map((json) => JSON.parse(json) as Observation);
  }

  private toRecord(device: Device): DeviceRecord {
    const facts: DeviceRecord['facts'] = {};
    const f = this.factSlots.values;
    for (const [k, fact] of device.facts) {
      const split = k.indexOf(JOIN);
      const at = fact.slot * FACT_COLUMNS;
      (facts[k.slice(0, split)] ??= {})[k.slice(split + 1)] = {
        signal: fact.signal,
        evidence: fact.evidence,
        confidence: f[at + F_CONFIDENCE] ?? 0,
        firstSeen: f[at + F_FIRST] ?? 0,
        lastSeen: f[at + F_LAST] ?? 0,
        reportedAt: f[at + F_REPORTED] ?? 0,
      };
    }
    const d = this.deviceSlots.values;
    return { key: device.key, firstSeen: d[device.slot * DEVICE_COLUMNS + D_FIRST] ?? 0, lastSeen: d[device.slot * DEVICE_COLUMNS + D_LAST] ?? 0, facts };
  }

  /** Makes room for one more value of `attribute` by forgetting its least recently seen one. */
  private boundValues(device: Device, attribute: string): void {
    // Most devices hold a handful of facts: count only once there could be too many.
    if (device.facts.size < this.options.maxValuesPerAttribute) return;
    const prefix = attribute + JOIN;
    const v = this.factSlots.values;
    let count = 0;
    let oldest: string | undefined;
    let oldestSeen = Infinity;
    for (const [k, fact] of device.facts) {
      if (!k.startsWith(prefix)) continue;
      count += 1;
      const seen = v[fact.slot * FACT_COLUMNS + F_LAST] ?? 0;
      if (seen < oldestSeen) {
        oldestSeen = seen;
        oldest = k;
      }
    }
    if (count < this.options.maxValuesPerAttribute || oldest === undefined) return;
    const dropped = device.facts.get(oldest);
    if (dropped) this.factSlots.release(dropped.slot);
    device.facts.delete(oldest);
  }

  /**
   * Makes room by forgetting the least recently seen eighth of the devices at once, so that a flood
   * of new source addresses costs a sort now and then rather than a scan per frame.
   */
  private evictOldest(): void {
    this.lastKey = undefined;
    this.lastDevice = undefined;
    const d = this.deviceSlots.values;
    const last = (device: Device): number => d[device.slot * DEVICE_COLUMNS + D_LAST] ?? 0;
    const byAge = [...this.devices.values()].sort((a, b) => last(a) - last(b));
    const drop = Math.max(1, Math.floor(byAge.length / 8));
    for (let i = 0; i < drop; i++) {
      const device = byAge[i];
      if (device) this.forget(device);
    }
    this.evicted += drop;
  }
}
