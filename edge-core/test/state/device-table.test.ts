import { describe, expect, it } from 'vitest';
import { DeviceTable, batchesFromRecords, encodeFindings, isoTime, recordsFromBatches } from '../../src/state/device-table.js';

const at = (ms: number): string => new Date(ms).toISOString();

const KEY = 'mac:00:09:fb:00:00:01' as const;
const hostname = (value: string, confidence = 0.9) => ({ attribute: 'hostname', value, signal: 'dhcp.option12', evidence: value, confidence });

describe('DeviceTable: the one door for findings', () => {
  it('reports a new fact once, however often it is seen', () => {
    const t = new DeviceTable();
    t.found(KEY, hostname('mon-1'), 1000);
    t.found(KEY, hostname('mon-1'), 2000);
    t.found(KEY, hostname('mon-1'), 3000);
    const obs = t.takeObservations();
    expect(obs).toHaveLength(1);
    expect(obs[0]).toEqual({ device: KEY, attribute: 'hostname', value: 'mon-1', signal: 'dhcp.option12', evidence: 'mon-1', confidence: 0.9, firstSeen: at(1000), lastSeen: at(1000) });
    expect(t.takeObservations()).toEqual([]);
  });

  it('reports again when the confidence rises, with the stronger evidence', () => {
    const t = new DeviceTable();
    t.found(KEY, { attribute: 'ip', value: '10.0.0.5', signal: 'dhcp.option50', evidence: 'requested', confidence: 0.5 }, 1000);
    t.found(KEY, { attribute: 'ip', value: '10.0.0.5', signal: 'dhcp.yiaddr', evidence: 'ack', confidence: 0.95 }, 2000);
    t.found(KEY, { attribute: 'ip', value: '10.0.0.5', signal: 'dhcp.option50', evidence: 'requested', confidence: 0.5 }, 3000);
    const obs = t.takeObservations();
    expect(obs.map((o) => [o.signal, o.confidence, o.lastSeen])).toEqual([
      ['dhcp.option50', 0.5, at(1000)],
      ['dhcp.yiaddr', 0.95, at(2000)],
    ]);
  });

  it('refreshes a fact that keeps being seen, no more often than refreshMs', () => {
    const t = new DeviceTable({ refreshMs: 60_000 });
    t.found(KEY, hostname('mon-1'), 0);
    t.found(KEY, hostname('mon-1'), 59_999);
    t.found(KEY, hostname('mon-1'), 60_000);
    t.found(KEY, hostname('mon-1'), 61_000);
    const obs = t.takeObservations();
    expect(obs.map((o) => o.lastSeen)).toEqual([at(0), at(60_000)]);
    expect(obs[1]?.firstSeen).toBe(at(0));
  });

  it('clamps a refresh interval that would send a message per packet', () => {
    const t = new DeviceTable({ refreshMs: 1 });
    t.found(KEY, hostname('mon-1'), 0);
    t.found(KEY, hostname('mon-1'), 500);
    expect(t.takeObservations()).toHaveLength(1);
  });

  it('bounds the values kept per attribute, forgetting the least recently seen', () => {
    const t = new DeviceTable({ maxValuesPerAttribute: 3 });
    for (let i = 0; i < 5; i++) t.found(KEY, hostname(`name-${i}`), 1000 + i);
    t.found(KEY, hostname('name-2'), 9000);
    t.found(KEY, hostname('name-5'), 9001);
    expect(t.values(KEY, 'hostname').sort()).toEqual(['name-2', 'name-4', 'name-5']);
  });

  it('bounds free text from the wire', () => {
    const t = new DeviceTable();
    t.found(KEY, { attribute: 'dhcp.vendorClass', value: 'x'.repeat(5000), signal: 'dhcp.option60', evidence: 'y'.repeat(5000), confidence: 0.9 }, 0);
    const [o] = t.takeObservations();
    expect(o?.value.length).toBe(1024);
    expect(o?.evidence.length).toBe(2048);
  });

  it('evicts the least recently seen device past maxDevices', () => {
    const t = new DeviceTable({ maxDevices: 2 });
    t.touch('mac:00:00:00:00:00:01', 10);
    t.touch('mac:00:00:00:00:00:02', 30);
    t.touch('mac:00:00:00:00:00:01', 40);
    t.touch('mac:00:00:00:00:00:03', 50);
    expect(t.size).toBe(2);
    expect(t.get('mac:00:00:00:00:00:02')).toBeUndefined();
    expect(t.get('mac:00:00:00:00:00:01')).toBeDefined();
  });

  it('hands over new devices once, and each observation once', () => {
    const t = new DeviceTable();
    expect(t.touch(KEY, 5)).toBe(true);
    expect(t.touch(KEY, 6)).toBe(false);
    t.found(KEY, hostname('mon 1'), 7);
    const found = t.takeEncoded();
    expect(found.devices).toEqual([KEY]);
    expect(found.observations.map((o) => JSON.parse(o) as unknown)).toEqual([expect.objectContaining({ device: KEY, attribute: 'hostname', value: 'mon 1' })]);
    expect(t.takeEncoded()).toEqual({ observations: [], devices: [] });
  });

  it('starts again from its stored observations without reporting what the hub already has', () => {
    const t = new DeviceTable({ refreshMs: 60_000 });
    t.found(KEY, hostname('mon-1'), 1000);
    t.found(KEY, { attribute: 'ip', value: '10.0.0.5', signal: 'arp.sender', evidence: 'arp', confidence: 0.9 }, 3000);
    const [record, ...rest] = recordsFromBatches([t.takeBatch()]);
    expect(rest).toEqual([]);
    // Written back as batches and read again, the records are the same.
    expect(recordsFromBatches(batchesFromRecords([record!], 1))).toEqual([record]);
    expect(record?.facts.ip?.['10.0.0.5']).toEqual({ signal: 'arp.sender', evidence: 'arp', confidence: 0.9, firstSeen: 3000, lastSeen: 3000, reportedAt: 3000 });
    expect(record).toMatchObject({ key: KEY, firstSeen: 1000, lastSeen: 3000 });
    const again = new DeviceTable({ refreshMs: 60_000 });
    again.load([record!]);
    again.found(KEY, hostname('mon-1'), 8000);
    expect(again.takeObservations()).toEqual([]);
    again.found(KEY, hostname('mon-1'), 61_000);
    expect(again.takeObservations().map((o) => o.lastSeen)).toEqual([at(61_000)]);
  });

  it('marks the first report of each fact apart from its refreshes and confidence rises', () => {
    const t = new DeviceTable({ refreshMs: 1000, maxValuesPerAttribute: 2 });
    const ipAt = (value: string, confidence: number, ts: number) => t.found(KEY, { attribute: 'ip', value, signal: 'arp.sender', evidence: 'arp', confidence }, ts);
    ipAt('10.0.0.1', 0.5, 0); // first sighting
    ipAt('10.0.0.1', 0.5, 500); // not reported
    ipAt('10.0.0.1', 0.9, 600); // confidence rise
    ipAt('10.0.0.1', 0.5, 1600); // refresh
    ipAt('10.0.0.2', 0.5, 1700); // first sighting
    ipAt('10.0.0.3', 0.5, 1800); // first sighting, forgetting 10.0.0.1 (the least recently seen)
    ipAt('10.0.0.1', 0.5, 1900); // forgotten, so a first sighting again
    const batch = t.takeBatch();
    expect([...(batch.firstSightings ?? [])]).toEqual([1, 0, 0, 1, 1, 1]);
    expect(encodeFindings(batch).observations).toHaveLength(6);
    expect(t.takeBatch().firstSightings).toEqual(new Uint8Array(0));
    // Past the table's first thousand rows of a batch the marks still line up.
    for (let i = 0; i < 3000; i++) t.found(`mac:00:09:fb:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`, hostname('mon'), 5000 + (i % 2) * 2000);
    for (let i = 0; i < 3000; i += 2) t.found(`mac:00:09:fb:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`, hostname('mon'), 9000);
    const many = t.takeBatch();
    expect(many.firstSightings).toHaveLength(4500);
    expect(many.firstSightings?.subarray(0, 3000).every((f) => f === 1)).toBe(true);
    expect(many.firstSightings?.subarray(3000).every((f) => f === 0)).toBe(true);
  });

  it('does not take a fact loaded from the store for a first sighting', () => {
    const t = new DeviceTable({ refreshMs: 1000 });
    t.load([{ key: KEY, firstSeen: 0, lastSeen: 0, facts: { hostname: { 'mon-1': { signal: 'dhcp.option12', evidence: 'mon-1', confidence: 0.9, firstSeen: 0, lastSeen: 0, reportedAt: 0 } } } }]);
    t.found(KEY, hostname('mon-1'), 5000);
    t.found(KEY, hostname('mon-2'), 5000);
    const batch = t.takeBatch();
    expect(encodeFindings(batch).observations.map((o) => (JSON.parse(o) as { value: string }).value)).toEqual(['mon-1', 'mon-2']);
    expect([...(batch.firstSightings ?? [])]).toEqual([0, 1]);
  });

  it('writes text from the wire as valid JSON, whatever it holds, with NUL made visible', () => {
    const t = new DeviceTable();
    const odd = 'a"b\\c\n\u0000d\u2028é';
    t.found(KEY, { attribute: 'hostname', value: odd, signal: 'dhcp.option12', evidence: odd, confidence: 0.9 }, 0);
    t.found(KEY, { attribute: 'hostname', value: 'plain', signal: 'dhcp.option12', evidence: 'plain', confidence: 0.9 }, 0);
    const [o, plain] = t.takeObservations();
    const shown = 'a"b\\c\n\uFFFDd\u2028é';
    expect(o?.value).toBe(shown);
    expect(o?.evidence).toBe(shown);
    expect(plain).toMatchObject({ value: 'plain', evidence: 'plain' });
  });

  it('writes times exactly as Date#toISOString does', () => {
    let state = 12345;
    const next = () => (state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const times = [0, 999.999, 59_999.5, 60_000, 1_767_254_399_999.9, 253_402_300_799_999, 253_402_300_800_000, -1, -86_400_000.5];
    for (let i = 0; i < 20_000; i++) times.push(1_767_254_400_000 + next() * 86_400_000 * (i % 3 === 0 ? 400 : 1));
    times.sort((a, b) => a - b);
    for (const ms of times) expect(isoTime(ms)).toBe(new Date(ms).toISOString());
  });
});
