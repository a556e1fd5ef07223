/**
 * The outbox's budget policy on a real LevelDB store: oldest behaviour summaries shed first and
 * counted, state updates coalesced without changing what the hub would show, first sightings never
 * dropped however far over budget, and a confidence rise kept through coalescing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { topicFor, type Observation } from '@wardsight/protocol';
import { DeviceTable, encodeFindings, type FoundBatch } from '../../src/state/device-table.js';
import { observationBatchJson } from '../../src/state/outbox-findings.js';
import { entrySize, seqKey, type OutboxEntry } from '../../src/state/outbox-layout.js';
import { SensorStore } from '../../src/state/store.js';
import { behaviourItem, drain, factKey, foldInto, hubView, observationsOf, SENSOR, tempStoreDir, type HubFact } from './outbox-fixtures.js';

const BUDGET = 64 * 1024;
const mac = (n: number): string => `mac:00:09:fb:${((n >> 16) & 255).toString(16).padStart(2, '0')}:${((n >> 8) & 255).toString(16).padStart(2, '0')}:${(n & 255).toString(16).padStart(2, '0')}`;
const hostname = (n: number) => ({ attribute: 'hostname', value: `mon-${n}`, signal: 'dhcp.option12', evidence: `option 12 mon-${n}`, confidence: 0.9 });
const ip = (n: number, confidence = 0.5) => ({ attribute: 'ip', value: `10.0.${n >> 8}.${n & 255}`, signal: confidence > 0.5 ? 'dhcp.yiaddr' : 'arp.sender', evidence: confidence > 0.5 ? 'ack' : 'arp', confidence });
/** The size the budget counts for an entry (outbox-layout.ts `entrySize`). */
const sizeOf = (e: OutboxEntry): number => entrySize(seqKey(e.seq), JSON.stringify({ seq: e.seq, topic: e.topic, payload: e.payload, class: e.class }));

describe('outbox budget policy', () => {
  let dir: Awaited<ReturnType<typeof tempStoreDir>>;
  let store: SensorStore;
  beforeEach(async () => {
    dir = await tempStoreDir();
  });
  afterEach(async () => {
    await store?.close();
    await dir.remove();
  });

  it('sheds the oldest behaviour summaries first and counts them, keeping every first sighting', async () => {
    store = await SensorStore.open(dir.path, { outbox: { budgetBytes: BUDGET } });
    const table = new DeviceTable();
    const behaviour: OutboxEntry[] = [];
    const firsts: string[] = [];
    for (let i = 0; i < 100; i++) {
      behaviour.push(...(await store.enqueue([behaviourItem(i, 1024)])));
      if (i % 10 === 0) {
        table.found(mac(i), hostname(i), 1000 + i);
        const batch = table.takeBatch();
        firsts.push(...encodeFindings(batch).observations);
        await store.enqueueFindings(SENSOR, [batch]);
      }
      expect(store.outboxStats().bytes).toBeLessThanOrEqual(BUDGET);
    }
    const left = await drain(store);
    const leftBehaviour = left.filter((e) => e.class === 'behaviour').map((e) => e.seq);
    // What is left of the summaries is the newest of them, in order.
    expect(leftBehaviour).toEqual(behaviour.slice(behaviour.length - leftBehaviour.length).map((e) => e.seq));
    expect(leftBehaviour.length).toBeGreaterThan(30);
    expect(leftBehaviour.length).toBeLessThan(64);
    expect(observationsOf(left, 'first-sighting').map((o) => JSON.stringify(o))).toEqual(firsts);

    const shed = behaviour.slice(0, behaviour.length - leftBehaviour.length);
    const stats = store.outboxStats();
    expect(stats.shed).toEqual({ behaviourMessages: shed.length, behaviourBytes: shed.reduce((n, e) => n + sizeOf(e), 0) });
    expect(stats).toMatchObject({ depth: left.length, overBudget: false, overBudgetBytes: 0, timesOverBudget: 0, budgetBytes: BUDGET });
    expect(stats.bytes).toBe(left.reduce((n, e) => n + sizeOf(e), 0));
    expect(stats.coalesced.runs).toBe(0);
  });

  it('coalesces state updates, keeping for each fact what the hub would have made of them all', async () => {
    store = await SensorStore.open(dir.path, { outbox: { budgetBytes: BUDGET } });
    const table = new DeviceTable({ refreshMs: 1000 });
    const devices = 50;
    const all: FoundBatch[] = [];
    const enqueued = new Set<number>();
    for (let round = 0; round < 40; round++) {
      for (let d = 0; d < devices; d++) {
        const ts = 10_000 + round * 1000 + d;
        table.found(mac(d), hostname(d), ts);
        // A fifth of the devices get their address confirmed by DHCP halfway: a confidence rise.
        table.found(mac(d), ip(d, round >= 20 && d % 5 === 0 ? 0.95 : 0.5), ts);
      }
      const batch = table.takeBatch();
      all.push(batch);
      for (const e of await store.enqueueFindings(SENSOR, [batch])) enqueued.add(e.seq);
    }
    const truth = new Map<string, HubFact>();
    for (const batch of all) for (const json of encodeFindings(batch).observations) foldInto(truth, JSON.parse(json) as Observation);
    const firstSightings = all.flatMap((b) => encodeFindings(b).observations.filter((_, i) => b.firstSightings?.[i] === 1));
    expect(firstSightings).toHaveLength(devices * 2);

    const left = await drain(store);
    expect(hubView(left.map((e) => e.payload))).toEqual(truth);
    expect(observationsOf(left, 'first-sighting').map((o) => JSON.stringify(o))).toEqual(firstSightings);
    // Each merged entry carries its own new number, in its payload as in its key.
    for (const e of left) expect((JSON.parse(e.payload) as { seq: number }).seq).toBe(e.seq);
    const rewritten = left.filter((e) => !enqueued.has(e.seq));
    expect(rewritten.length).toBeGreaterThan(0);
    expect(rewritten.every((e) => e.class === 'update')).toBe(true);
    expect(new Set(left.map((e) => e.seq)).size).toBe(left.length);

    const stats = store.outboxStats();
    expect(stats.coalesced.runs).toBeGreaterThan(1);
    expect(stats.coalesced.observations).toBeGreaterThan(devices * 2 * 30);
    expect(stats.coalesced.entriesRewritten).toBeGreaterThan(stats.coalesced.entriesWritten);
    expect(stats).toMatchObject({ overBudget: false, timesOverBudget: 0 });
    expect(stats.bytes).toBeLessThanOrEqual(BUDGET);
    expect(stats.byClass.update.entries).toBeLessThanOrEqual(4);
  });

  it('never drops a first sighting, however far over budget, and says it is over', async () => {
    store = await SensorStore.open(dir.path, { outbox: { budgetBytes: BUDGET } });
    const table = new DeviceTable({ maxDevices: 10_000 });
    const firsts: string[] = [];
    for (let flush = 0; flush < 30; flush++) {
      await store.enqueue([behaviourItem(flush, 2048)]);
      for (let d = flush * 100; d < (flush + 1) * 100; d++) {
        table.found(mac(d), hostname(d), 1000 + d);
        table.found(mac(d), ip(d), 1000 + d);
      }
      const batch = table.takeBatch();
      firsts.push(...encodeFindings(batch).observations);
      await store.enqueueFindings(SENSOR, [batch]);
    }
    const left = await drain(store);
    expect(observationsOf(left, 'first-sighting').map((o) => JSON.stringify(o))).toEqual(firsts);
    const stats = store.outboxStats();
    expect(stats.bytes).toBeGreaterThan(10 * BUDGET);
    expect(stats).toMatchObject({ overBudget: true, overBudgetBytes: stats.bytes - BUDGET, byClass: { behaviour: { entries: 0, bytes: 0 } } });
    expect(stats.timesOverBudget).toBeGreaterThanOrEqual(25);
    expect(stats.shed.behaviourMessages).toBe(30);

    for (const e of left) expect(await store.acknowledge(e.seq)).toBe(true);
    expect(store.outboxStats()).toMatchObject({ depth: 0, bytes: 0, overBudget: false, overBudgetBytes: 0 });
  });

  it('keeps a confidence rise through coalescing, with its evidence, and the latest last-seen', async () => {
    store = await SensorStore.open(dir.path, { outbox: { budgetBytes: BUDGET, recoalesceShare: 0.01 } });
    const topic = topicFor(SENSOR, 'observations');
    const at = (s: number): string => new Date(Date.UTC(2026, 0, 1, 8, 0, s)).toISOString();
    const update = (o: Partial<Observation> & { lastSeen: string }): Observation => ({ device: mac(7), attribute: 'ip', value: '10.0.0.7', signal: 'arp.sender', evidence: 'arp', confidence: 0.5, firstSeen: at(0), ...o });
    const updates = [
      update({ lastSeen: at(10) }),
      update({ lastSeen: at(20), signal: 'dhcp.yiaddr', evidence: 'ack', confidence: 0.95, firstSeen: at(5) }),
      update({ lastSeen: at(30) }),
      update({ lastSeen: at(25), attribute: 'hostname', value: 'mon-7', signal: 'dhcp.option12', evidence: 'mon-7', confidence: 0.9 }),
    ];
    const originals = await store.enqueue(updates.map((o) => ({ topic, class: 'update' as const, build: (seq: number) => observationBatchJson(SENSOR, seq, JSON.stringify(o)) })));
    // First sightings of other devices take the outbox past its budget.
    const table = new DeviceTable();
    for (let d = 100; d < 500; d++) table.found(mac(d), hostname(d), 1000 + d);
    await store.enqueueFindings(SENSOR, [table.takeBatch()]);

    const left = await drain(store);
    const merged = left.filter((e) => e.class === 'update');
    expect(merged).toHaveLength(1);
    expect(originals.map((e) => e.seq)).not.toContain(merged[0]!.seq);
    expect(observationsOf(merged, 'update').map((o) => [factKey(o), o.confidence, o.signal, o.evidence, o.firstSeen, o.lastSeen])).toEqual([
      [factKey(updates[0]!), 0.95, 'dhcp.yiaddr', 'ack', at(0), at(30)],
      [factKey(updates[3]!), 0.9, 'dhcp.option12', 'mon-7', at(0), at(25)],
    ]);
    expect(store.outboxStats().coalesced).toEqual({ observations: 2, entriesRewritten: 4, entriesWritten: 1, runs: 1 });
  });
});
