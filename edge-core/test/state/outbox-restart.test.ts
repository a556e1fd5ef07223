/**
 * The outbox across restarts and versions, on a real LevelDB store: its policy's counters and its
 * sizes survive a close and reopen; it drains in order and loses an entry only to an
 * acknowledgement (or to its stated policy); a store written before the outbox had classes and a
 * budget (fact log and outbox in the earlier layout, built here byte for byte) still opens.
 */
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { topicFor } from '@wardsight/protocol';
import { DeviceTable } from '../../src/state/device-table.js';
import { entrySize, seqKey } from '../../src/state/outbox-layout.js';
import { outboxBounds, outboxDefaults, resolveOutboxOptions } from '../../src/state/outbox-policy.js';
import { SensorStore } from '../../src/state/store.js';
import { BEHAVIOUR_TOPIC, behaviourItem, drain, SENSOR, tempStoreDir } from './outbox-fixtures.js';

const BUDGET = 64 * 1024;
const device = (n: number): string => `mac:00:09:fb:00:${(n >> 8).toString(16).padStart(2, '0')}:${(n & 255).toString(16).padStart(2, '0')}`;

/** Fills a store past its budget with behaviour, first sightings and refreshes, so that the policy sheds and coalesces. */
async function fillPastBudget(store: SensorStore): Promise<void> {
  const table = new DeviceTable({ refreshMs: 1000 });
  for (let round = 0; round < 12; round++) {
    await store.enqueue([behaviourItem(round, 4096), behaviourItem(round, 4096)]);
    for (let d = 0; d < 60; d++) table.found(device(d), { attribute: 'hostname', value: `mon-${d}`, signal: 'dhcp.option12', evidence: `mon-${d}`, confidence: 0.9 }, 5000 + round * 1000 + d);
    await store.enqueueFindings(SENSOR, [table.takeBatch()]);
  }
}

describe('outbox across restarts', () => {
  let dir: Awaited<ReturnType<typeof tempStoreDir>>;
  beforeEach(async () => {
    dir = await tempStoreDir();
  });
  afterEach(async () => {
    await dir.remove();
  });

  it('keeps its counters and sizes across a close and reopen', async () => {
    let store = await SensorStore.open(dir.path, { outbox: { budgetBytes: BUDGET } });
    await fillPastBudget(store);
    const before = store.outboxStats();
    expect(before.shed.behaviourMessages).toBeGreaterThan(0);
    expect(before.coalesced.observations).toBeGreaterThan(0);
    const entries = await drain(store);
    await store.close();

    store = await SensorStore.open(dir.path, { outbox: { budgetBytes: BUDGET } });
    expect(store.outboxStats()).toEqual(before);
    expect(await drain(store)).toEqual(entries);
    await store.close();

    // A new budget applies at once; what was counted stays counted.
    store = await SensorStore.open(dir.path, { outbox: { budgetBytes: 2 * BUDGET } });
    expect(store.outboxStats()).toEqual({ ...before, budgetBytes: 2 * BUDGET });
    await store.close();
  });

  it('drains in order and removes only what is acknowledged', async () => {
    const store = await SensorStore.open(dir.path, { outbox: { budgetBytes: BUDGET } });
    await fillPastBudget(store);
    const entries = await drain(store);
    const seqs = entries.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(await store.pending(seqs[2]!, 2)).toEqual(entries.slice(3, 5));

    // The hub confirms every other entry: exactly those leave.
    const confirmed = seqs.filter((_, i) => i % 2 === 0);
    for (const seq of confirmed) expect(await store.acknowledge(seq)).toBe(true);
    for (const seq of confirmed) expect(await store.acknowledge(seq)).toBe(false);
    expect(await store.acknowledge(seqs[seqs.length - 1]! + 1000)).toBe(false);
    const left = await drain(store);
    expect(left).toEqual(entries.filter((_, i) => i % 2 === 1));
    expect(store.outboxStats().depth).toBe(left.length);
    expect(store.outboxStats().bytes).toBe(left.reduce((n, e) => n + entrySize(seqKey(e.seq), JSON.stringify(e)), 0));

    // Numbers go on above everything queued, coalesced or not.
    expect(await store.nextSeq()).toBeGreaterThan(seqs[seqs.length - 1]!);
    await store.close();
  });

  it('gives every message its own number when numbers are asked for while messages are queued', async () => {
    const store = await SensorStore.open(dir.path);
    const [a, b, c] = await Promise.all([store.enqueue([behaviourItem(1), behaviourItem(2)]), store.nextSeq(), store.enqueue([behaviourItem(3)])]);
    const all = [...a.map((e) => e.seq), b, ...c.map((e) => e.seq)];
    expect(new Set(all).size).toBe(4);
    await store.close();
    const reopened = await SensorStore.open(dir.path);
    expect(await reopened.nextSeq()).toBe(Math.max(...all) + 1);
    await reopened.close();
  });

  it('opens a store written before outbox classes and budgets, fact log and outbox included', async () => {
    // The earlier layout: fact log entries of u32 count, f64 numbers (little-endian), NUL-separated
    // text; outbox entries {seq, topic, payload} without class or index; the counter in meta.
    const mac = 'mac:00:09:fb:00:00:42';
    const text = [mac, 'hostname', 'mon-42', 'dhcp.option12', 'option 12 mon-42', mac, 'vendor', 'Philips', 'oui', '0009FB'].join('\u0000');
    const numbers = new Float64Array([0.9, 1000, 9000, 0.7, 1000, 1000]);
    const head = Buffer.alloc(4);
    head.writeUInt32LE(numbers.length, 0);
    const logEntry = Buffer.concat([head, Buffer.from(numbers.buffer), Buffer.from(text, 'utf8')]);
    const seq = 1_760_000_000_000_000;
    const old = [
      { seq: seq + 1, topic: topicFor(SENSOR, 'observations'), payload: '{"old":"observations"}' },
      { seq: seq + 2, topic: BEHAVIOUR_TOPIC, payload: `{"old":"behaviour","pad":"${'x'.repeat(2000)}"}` },
      { seq: seq + 3, topic: topicFor(SENSOR, 'observations'), payload: '{"old":"observations 2"}' },
    ];
    const raw = new ClassicLevel<string, string>(join(dir.path, 'db'), { valueEncoding: 'utf8' });
    await raw.sublevel<string, Uint8Array>('factlog', { valueEncoding: 'view' }).put(seqKey(1), logEntry);
    const outbox = raw.sublevel<string, string>('outbox', { valueEncoding: 'utf8' });
    for (const e of old) await outbox.put(seqKey(e.seq), JSON.stringify(e));
    await raw.sublevel<string, string>('meta', { valueEncoding: 'utf8' }).put('seq', String(seq + 3));
    await raw.close();

    let store = await SensorStore.open(dir.path, { outbox: { budgetBytes: BUDGET } });
    const [record, ...others] = await store.loadDevices();
    expect(others).toEqual([]);
    expect(record).toMatchObject({ key: mac, firstSeen: 1000, lastSeen: 9000 });
    expect(record?.facts.hostname?.['mon-42']).toMatchObject({ confidence: 0.9, firstSeen: 1000, lastSeen: 9000 });
    expect(record?.facts.vendor?.Philips).toMatchObject({ signal: 'oui', evidence: '0009FB' });

    expect(await drain(store)).toEqual(old.map((e, i) => ({ ...e, class: i === 1 ? 'behaviour' : 'other' })));
    const oldBytes = old.reduce((n, e) => n + entrySize(seqKey(e.seq), JSON.stringify(e)), 0);
    expect(store.outboxStats()).toMatchObject({ depth: 3, bytes: oldBytes, byClass: { behaviour: { entries: 1 }, other: { entries: 2 } } });
    expect(await store.nextSeq()).toBe(seq + 4);

    // Under the new policy the old summary is the oldest behaviour, shed first; the old observations stay.
    for (let i = 0; i < 70; i++) await store.enqueue([behaviourItem(i, 1024)]);
    const left = await drain(store);
    expect(left.map((e) => e.seq)).not.toContain(seq + 2);
    expect(left.filter((e) => e.class === 'other').map((e) => e.seq)).toEqual([seq + 1, seq + 3]);
    expect(await store.acknowledge(seq + 1)).toBe(true);
    await store.close();

    store = await SensorStore.open(dir.path, { outbox: { budgetBytes: BUDGET } });
    expect((await drain(store)).map((e) => e.seq)).toEqual(left.map((e) => e.seq).filter((s) => s !== seq + 1));
    await store.close();
  });

  it('indexes again what an earlier version queued and removed on the same store in between', async () => {
    let store = await SensorStore.open(dir.path);
    const [kept, removed] = await store.enqueue([behaviourItem(1), behaviourItem(2)]);
    await store.close();
    // An update rolled back: the earlier version removes one entry and queues another, without index rows.
    const raw = new ClassicLevel<string, string>(join(dir.path, 'db'), { valueEncoding: 'utf8' });
    const outbox = raw.sublevel<string, string>('outbox', { valueEncoding: 'utf8' });
    await outbox.del(seqKey(removed!.seq));
    const added = { seq: removed!.seq + 1, topic: topicFor(SENSOR, 'observations'), payload: '{"earlier":"version"}' };
    await outbox.put(seqKey(added.seq), JSON.stringify(added));
    await raw.close();

    store = await SensorStore.open(dir.path);
    const left = await drain(store);
    expect(left).toEqual([kept, { ...added, class: 'other' }]);
    expect(store.outboxStats()).toMatchObject({
      depth: 2,
      bytes: entrySize(seqKey(kept!.seq), JSON.stringify(kept)) + entrySize(seqKey(added.seq), JSON.stringify(added)),
      byClass: { behaviour: { entries: 1 }, other: { entries: 1 } },
    });
    expect(await store.acknowledge(added.seq)).toBe(true);
    expect(await store.acknowledge(removed!.seq)).toBe(false);
    expect(store.outboxDepth).toBe(1);
    await store.close();
  });

  it('holds its options to their bounds', () => {
    expect(resolveOutboxOptions()).toEqual(outboxDefaults);
    expect(resolveOutboxOptions({ budgetBytes: 1 }).budgetBytes).toBe(outboxBounds.budgetBytes.min);
    expect(resolveOutboxOptions({ budgetBytes: 2 ** 40 }).budgetBytes).toBe(outboxBounds.budgetBytes.max);
    expect(resolveOutboxOptions({ budgetBytes: Number.NaN }).budgetBytes).toBe(outboxDefaults.budgetBytes);
    expect(resolveOutboxOptions({ recoalesceShare: 0 }).recoalesceShare).toBe(outboxBounds.recoalesceShare.min);
    expect(resolveOutboxOptions({ shedChunk: 0 }).shedChunk).toBe(1);
  });
});
