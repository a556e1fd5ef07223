/**
 * What the store-and-forward loss tests compare: the facts an offline read of a capture finds, the
 * facts a hub holds (read from its store once it has stopped), and what the hub's own log says it
 * did with each observation message, `(sensorId, seq)` by `(sensorId, seq)`.
 *
 * A fact is a `(device, attribute, value)` triple: both the sensor's and the hub's device records
 * keep, per attribute, one entry per value (edge-core/src/state/device-table.ts,
 * hub/src/inventory/profile.ts), so the triples are the whole of what was found. Times are left out:
 * a live capture stamps packets with the wall clock, an offline read with the file's.
 */
import { join } from 'node:path';
import { SensorStore, analyseCapture } from '@wardsight/edge-core';
import { LevelHubStore, type DeviceRecord, type DeviceView } from '@wardsight/hub';

/** device → attribute → values. */
export type FactSet = Map<string, Map<string, Set<string>>>;

interface FactRecords {
  key: string;
  facts: Record<string, Record<string, unknown>>;
}

export function factSetOf(devices: readonly FactRecords[]): FactSet {
  const set: FactSet = new Map();
  for (const d of devices) {
    const byAttribute = new Map<string, Set<string>>();
    for (const [attribute, byValue] of Object.entries(d.facts)) byAttribute.set(attribute, new Set(Object.keys(byValue)));
    set.set(d.key, byAttribute);
  }
  return set;
}

export function factCount(set: FactSet): number {
  let n = 0;
  for (const byAttribute of set.values()) for (const values of byAttribute.values()) n += values.size;
  return n;
}

/** Every device and fact an offline read of `pcap` finds (its store is made in `storeDir`). */
export async function offlineFacts(pcap: string, storeDir: string): Promise<FactSet> {
  await analyseCapture({ kind: 'file', path: pcap }, storeDir);
  return storeFacts(storeDir);
}

/** The devices and facts in a sensor's store (the sensor must not be running). */
export async function storeFacts(storeDir: string): Promise<FactSet> {
  const store = await SensorStore.open(storeDir);
  try {
    return factSetOf(await store.loadDevices());
  } finally {
    await store.close();
  }
}

/** The device records in a hub's store, every fact with its times (the hub must not be running). */
export async function hubDevices(hubDataDir: string): Promise<DeviceRecord[]> {
  const store = await LevelHubStore.open(join(hubDataDir, 'store'));
  try {
    return await store.listDevices();
  } finally {
    await store.close();
  }
}

/** Devices, and facts, that the hub says were first seen between `from` and `to` (ms since the epoch). */
export function firstSeenBetween(devices: readonly DeviceRecord[], from: number, to: number): { devices: number; facts: number } {
  const within = (iso: string) => {
    const t = Date.parse(iso);
    return t >= from && t <= to;
  };
  let facts = 0;
  for (const d of devices) for (const byValue of Object.values(d.facts)) for (const f of Object.values(byValue)) if (within(f.firstSeen)) facts += 1;
  return { devices: devices.filter((d) => within(d.firstSeen)).length, facts };
}

/** Triples of `expected` that `actual` lacks, as `device attribute=value` lines. */
export function missingFacts(expected: FactSet, actual: FactSet): string[] {
  const missing: string[] = [];
  for (const [device, byAttribute] of expected) {
    const there = actual.get(device);
    if (!there) {
      missing.push(`${device} (the whole device)`);
      continue;
    }
    for (const [attribute, values] of byAttribute) {
      for (const value of values) if (!there.get(attribute)?.has(value)) missing.push(`${device} ${attribute}=${value}`);
    }
  }
  return missing;
}

/**
 * Where the API's devices disagree with an offline read: a device it does not find, or an ip,
 * hostname or vendor the API shows that is not among the values found offline (the API's value of
 * an attribute is the best of the hub's facts, or the classifier's conclusion for the vendor, so
 * the vendor is checked for presence only).
 */
export function apiDisagreements(views: readonly DeviceView[], offline: FactSet): string[] {
  const disagree: string[] = [];
  for (const v of views) {
    const found = offline.get(v.id);
    if (!found) {
      disagree.push(`${v.id}: not found offline`);
      continue;
    }
    for (const attribute of ['ip', 'hostname'] as const) {
      const values = found.get(attribute);
      const value = v[attribute];
      if (value === null ? values !== undefined : !values?.has(value)) disagree.push(`${v.id} ${attribute}: ${value} at the hub, ${[...(values ?? [])].join('|') || 'none'} offline`);
    }
    if ((v.vendor === null) !== !found.has('vendor')) disagree.push(`${v.id} vendor: ${v.vendor} at the hub, ${[...(found.get('vendor') ?? [])].join('|') || 'none'} offline`);
  }
  return disagree;
}

/** One message of one sensor as the hub's log records it. */
export interface IngestedMessage {
  /** When the hub ingested it (ms since the epoch). */
  at: number;
  kind: string;
  seq: number;
  outcome: string;
}

/** What the hub's log says it did with the messages of one sensor. */
export interface IngestHistory {
  messages: IngestedMessage[];
  /** Observation message seq → times the hub applied it (across all its runs). */
  applied: Map<number, number>;
  /** Observation messages the hub had already applied and did not apply again. */
  duplicates: number;
  /** Sequence numbers applied more than once: must be none. */
  appliedTwice: number[];
}

/**
 * Reads the hub's `message ingested` debug lines (hub/src/ingest/ingest.ts) for the topics of
 * `sensorId`, over every run of the hub.
 */
export function ingestHistory(hubLog: string, sensorId: string): IngestHistory {
  const prefix = `wardsight/v1/sensors/${sensorId}/`;
  const messages: IngestedMessage[] = [];
  for (const line of hubLog.split('\n')) {
    if (!line.includes('message ingested') || !line.includes(prefix)) continue;
    let entry: { time?: number; topic?: string; seq?: number; outcome?: string };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      continue;
    }
    if (!entry.topic?.startsWith(prefix) || typeof entry.seq !== 'number' || typeof entry.outcome !== 'string') continue;
    messages.push({ at: entry.time ?? 0, kind: entry.topic.slice(prefix.length), seq: entry.seq, outcome: entry.outcome });
  }
  const applied = new Map<number, number>();
  let duplicates = 0;
  for (const m of messages) {
    if (m.kind !== 'observations') continue;
    if (m.outcome === 'applied') applied.set(m.seq, (applied.get(m.seq) ?? 0) + 1);
    else if (m.outcome === 'duplicate') duplicates += 1;
  }
  const appliedTwice = [...applied].filter(([, n]) => n > 1).map(([seq]) => seq);
  return { messages, applied, duplicates, appliedTwice };
}

/**
 * The observation messages that waited in the outbox through an outage ending at `recoveredAt`:
 * those the hub ingested after it with a sequence number below that of the status by which the
 * sensor announced itself on its new connection (a fresh number, above any it used before; the
 * broker may also publish the old connection's last will, which carries the number of the sensor's
 * start), and when the last of them was ingested. Null when the sensor did not connect again.
 */
export function backlogAfter(history: IngestHistory, recoveredAt: number): { messages: number; lastAt: number } | null {
  let highestBefore = 0;
  for (const m of history.messages) if (m.at < recoveredAt && m.seq > highestBefore) highestBefore = m.seq;
  const after = history.messages.filter((m) => m.at >= recoveredAt);
  const announced = after.find((m) => m.kind === 'status' && m.outcome === 'applied' && m.seq > highestBefore);
  if (!announced) return null;
  const waited = after.filter((m) => m.kind === 'observations' && m.seq < announced.seq);
  return { messages: new Set(waited.map((m) => m.seq)).size, lastAt: Math.max(announced.at, ...waited.map((m) => m.at)) };
}

/** The hub's ingest counters (GET /api/v1/health), for one run of the hub. */
export interface IngestCounters {
  received: number;
  applied: number;
  duplicates: number;
  observationsApplied: number;
  rejected: Record<string, number>;
}

/** Messages the hub neither applied, nor recognised as already applied, nor rejected: must be 0. */
export function unaccounted(c: IngestCounters): number {
  const rejected = Object.values(c.rejected).reduce((a, b) => a + b, 0);
  return c.received - c.applied - c.duplicates - rejected;
}
