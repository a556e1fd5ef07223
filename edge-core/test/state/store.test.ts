import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClassicLevel } from 'classic-level';
import { DeviceTable } from '../../src/state/device-table.js';
import { FACT_LOG_COMPACT_AT, SensorStore } from '../../src/state/store.js';

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

  it('keeps the latest sighting of each fact and rebuilds devices from them after a reopen', async () => {
    const device = 'mac:00:00:00:00:00:01';
    const table = new DeviceTable({ refreshMs: 1000 });
    const hostname = (value: string, ts: number) => table.found(device, { attribute: 'hostname', value, signal: 'dhcp.option12', evidence: `option 12 ${value}`, confidence: 0.9 }, ts);
    let store = await SensorStore.open(dir);
    hostname('mon-1', 1000);
    hostname('mon 2', 2500);
    await store.saveFacts(table.takeBatch());
    hostname('mon-1', 9000);
    await store.saveFacts(table.takeBatch());
    await store.saveFacts(table.takeBatch()); // nothing new: nothing written
    await store.close();
    store = await SensorStore.open(dir);
    const [record, ...rest] = await store.loadDevices();
    expect(rest).toEqual([]);
    expect(record).toMatchObject({ key: device, firstSeen: 1000, lastSeen: 9000 });
    expect(Object.keys(record?.facts.hostname ?? {}).sort()).toEqual(['mon 2', 'mon-1']);
    expect(record?.facts.hostname?.['mon-1']).toEqual({ signal: 'dhcp.option12', evidence: 'option 12 mon-1', confidence: 0.9, firstSeen: 1000, lastSeen: 9000, reportedAt: 9000 });
    await store.close();
  });

  it('still reads the whole device records an earlier version wrote, with newer facts over them', async () => {
    const device = 'mac:00:09:fb:00:00:02';
    const old = { key: device, firstSeen: 500, lastSeen: 800, facts: { hostname: { 'old-name': { signal: 'dhcp.option12', evidence: 'old-name', confidence: 0.9, firstSeen: 500, lastSeen: 800, reportedAt: 800 } }, ip: { '10.0.0.9': { signal: 'arp.sender', evidence: 'arp', confidence: 0.9, firstSeen: 500, lastSeen: 600, reportedAt: 600 } } } };
    const raw = new ClassicLevel<string, string>(join(dir, 'db'), { valueEncoding: 'utf8' });
    await raw.sublevel<string, string>('devices', { valueEncoding: 'utf8' }).put(device, JSON.stringify(old));
    await raw.close();
    const store = await SensorStore.open(dir);
    const table = new DeviceTable();
    table.found(device, { attribute: 'ip', value: '10.0.0.9', signal: 'dhcp.yiaddr', evidence: 'ack', confidence: 0.95 }, 2000);
    await store.saveFacts(table.takeBatch());
    const [record, ...rest] = await store.loadDevices();
    expect(rest).toEqual([]);
    expect(record).toMatchObject({ key: device, firstSeen: 500, lastSeen: 2000 });
    expect(record?.facts.hostname?.['old-name']?.lastSeen).toBe(800);
    expect(record?.facts.ip?.['10.0.0.9']).toMatchObject({ signal: 'dhcp.yiaddr', confidence: 0.95, lastSeen: 2000 });
    await store.close();
  });

  it('compacts a long log of findings into the latest sighting of each fact, losing none', async () => {
    const table = new DeviceTable({ refreshMs: 1000 });
    let store = await SensorStore.open(dir);
    const entries = FACT_LOG_COMPACT_AT + 100;
    for (let i = 0; i < entries; i++) {
      // One device refreshed again and again, and a new device with each entry.
      table.found('mac:00:09:fb:00:00:01', { attribute: 'hostname', value: 'mon-1', signal: 'dhcp.option12', evidence: 'mon-1', confidence: 0.9 }, 1000 * (i + 1));
      table.found(`mac:00:09:fb:01:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`, { attribute: 'vendor', value: 'Philips', signal: 'oui', evidence: '0009FB', confidence: 0.7 }, 5000 + i);
      await store.saveFacts(table.takeBatch());
    }
    expect(store.factLogEntries).toBe(entries);
    await store.close();

    store = await SensorStore.open(dir);
    const before = await store.loadDevices();
    expect(store.factLogEntries).toBeLessThan(5);
    expect(before).toHaveLength(entries + 1);
    expect(before.find((r) => r.key === 'mac:00:09:fb:00:00:01')?.facts.hostname?.['mon-1']).toMatchObject({ firstSeen: 1000, lastSeen: 1000 * entries });
    await store.close();

    store = await SensorStore.open(dir);
    expect(await store.loadDevices()).toEqual(before);
    await store.close();
  });
});
