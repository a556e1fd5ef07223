import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SensorStore } from '../../src/state/store.js';

describe('SensorStore: outbox and sequence on LevelDB', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wardsight-store-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('starts a new store\'s sequence at the current time in microseconds', async () => {
    const before = Date.now() * 1000;
    const store = await SensorStore.open(dir);
    const seq = await store.nextSeq();
    await store.close();
    expect(seq).toBeGreaterThan(before);
    expect(seq).toBeLessThanOrEqual(Date.now() * 1000 + 1);
  });

  it('keeps entries in order until acknowledged, across a reopen', async () => {
    let store = await SensorStore.open(dir);
    const entries = await store.enqueue(['a', 'b', 'c'].map((p) => ({ topic: 't', build: (seq: number) => `${p}:${seq}` })));
    const seqs = entries.map((e) => e.seq);
    expect(seqs[1]).toBe(seqs[0]! + 1);
    expect(entries[2]?.payload).toBe(`c:${seqs[2]}`);
    await store.acknowledge(seqs[0]!);
    expect(store.outboxDepth).toBe(2);
    await store.close();

    store = await SensorStore.open(dir);
    expect(store.outboxDepth).toBe(2);
    expect((await store.pending(0, 10)).map((e) => e.payload)).toEqual([`b:${seqs[1]}`, `c:${seqs[2]}`]);
    expect((await store.pending(seqs[1]!, 10)).map((e) => e.seq)).toEqual([seqs[2]]);
    expect(await store.nextSeq()).toBe(seqs[2]! + 1);
    await store.close();
  });

  it('refuses a second open of the same store in one process, and the first stays usable', async () => {
    const store = await SensorStore.open(dir);
    await expect(SensorStore.open(dir)).rejects.toMatchObject({ code: 'EDGE_ERR_STORE_LOCKED' });
    await store.enqueue([{ topic: 't', build: () => 'still works' }]);
    expect((await store.pending(0, 1))[0]?.payload).toBe('still works');
    await store.close();
    const reopened = await SensorStore.open(dir);
    await reopened.close();
  });

  it('saves and loads device records', async () => {
    const store = await SensorStore.open(dir);
    const record = { key: 'mac:00:00:00:00:00:01', firstSeen: 1, lastSeen: 2, facts: {} };
    await store.saveEncodedDevices([[record.key, JSON.stringify(record)]]);
    expect(await store.loadDevices()).toEqual([{ key: 'mac:00:00:00:00:00:01', firstSeen: 1, lastSeen: 2, facts: {} }]);
    await store.close();
  });
});
