/**
 * What the outbox tests share: a temporary store directory, behaviour summaries of a chosen size,
 * and the hub's view of a set of messages (each `(sensorId, seq)` applied at most once, each fact
 * folded as hub/src/inventory/profile.ts `applyObservation` folds it).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyObservation, newDevice, type HubFact as HubFactAtHub } from '@wardsight/hub';
import { topicFor, type Observation } from '@wardsight/protocol';
import type { OutboxEntry } from '../../src/state/outbox-layout.js';
import type { SensorStore } from '../../src/state/store.js';

export const SENSOR = 'ward-3';
export const BEHAVIOUR_TOPIC = topicFor(SENSOR, 'behaviour');

export async function tempStoreDir(): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'wardsight-outbox-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** A behaviour summary of about `bytes` bytes for one device and interval. */
export function behaviourItem(interval: number, bytes = 1024): { topic: string; build: (seq: number) => string } {
  const peers = 'p'.repeat(Math.max(0, bytes - 160));
  return { topic: BEHAVIOUR_TOPIC, build: (seq) => JSON.stringify({ v: 1, sensorId: SENSOR, seq, sentAt: new Date(0).toISOString(), interval, device: 'mac:00:09:fb:00:00:01', peers }) };
}

/** Every entry waiting in the outbox, oldest first, read page by page as the publisher reads it. */
export async function drain(store: SensorStore, page = 7): Promise<OutboxEntry[]> {
  const out: OutboxEntry[] = [];
  let cursor = 0;
  for (;;) {
    const batch = await store.pending(cursor, page);
    if (batch.length === 0) return out;
    out.push(...batch);
    cursor = batch[batch.length - 1]!.seq;
  }
}

/** A fact as the hub keeps it, without the sensor that reported it (one sensor here). */
export type HubFact = Omit<HubFactAtHub, 'sensorId'>;

/** The hub's facts after applying `payloads` (ObservationBatch JSON), each seq at most once. */
export function hubView(payloads: Iterable<string>): Map<string, HubFact> {
  const applied = new Set<number>();
  const facts = new Map<string, HubFact>();
  for (const payload of payloads) {
    const message = JSON.parse(payload) as { seq: number; observations?: Observation[] };
    if (!message.observations || applied.has(message.seq)) continue;
    applied.add(message.seq);
    for (const o of message.observations) foldInto(facts, o);
  }
  return facts;
}

export function factKey(o: Pick<Observation, 'device' | 'attribute' | 'value'>): string {
  return `${o.device} ${o.attribute} ${o.value}`;
}

/**
 * Folds an observation into `facts` exactly as the hub does: through the hub's own
 * `applyObservation`, on a device record holding that one fact.
 */
export function foldInto(facts: Map<string, HubFact>, o: Observation): void {
  const key = factKey(o);
  const device = newDevice(o.device, o.firstSeen);
  const known = facts.get(key);
  if (known) device.facts[o.attribute] = { [o.value]: { ...known, sensorId: SENSOR } };
  const folded = applyObservation(device, o, SENSOR).facts[o.attribute]?.[o.value];
  if (!folded) throw new Error(`the hub kept no fact for ${key}`);
  const { sensorId: _sensor, ...fact } = folded;
  facts.set(key, fact);
}

/** The observations of the entries of one class, as objects. */
export function observationsOf(entries: readonly OutboxEntry[], cls: OutboxEntry['class']): Observation[] {
  return entries.filter((e) => e.class === cls).flatMap((e) => (JSON.parse(e.payload) as { observations: Observation[] }).observations);
}
