import { describe, expect, it } from 'vitest';
import { DeviceTable, toObservation } from '../../src/state/device-table.js';

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
    expect(obs[0]).toMatchObject({ device: KEY, attribute: 'hostname', value: 'mon-1', firstSeen: 1000, lastSeen: 1000 });
    expect(toObservation(obs[0]!)).toMatchObject({ firstSeen: new Date(1000).toISOString(), lastSeen: new Date(1000).toISOString() });
    expect(t.takeObservations()).toEqual([]);
  });

  it('reports again when the confidence rises, with the stronger evidence', () => {
    const t = new DeviceTable();
    t.found(KEY, { attribute: 'ip', value: '10.0.0.5', signal: 'dhcp.option50', evidence: 'requested', confidence: 0.5 }, 1000);
    t.found(KEY, { attribute: 'ip', value: '10.0.0.5', signal: 'dhcp.yiaddr', evidence: 'ack', confidence: 0.95 }, 2000);
    t.found(KEY, { attribute: 'ip', value: '10.0.0.5', signal: 'dhcp.option50', evidence: 'requested', confidence: 0.5 }, 3000);
    const obs = t.takeObservations();
    expect(obs.map((o) => [o.signal, o.confidence, o.lastSeen])).toEqual([
      ['dhcp.option50', 0.5, 1000],
      ['dhcp.yiaddr', 0.95, 2000],
    ]);
  });

  it('refreshes a fact that keeps being seen, no more often than refreshMs', () => {
    const t = new DeviceTable({ refreshMs: 60_000 });
    t.found(KEY, hostname('mon-1'), 0);
    t.found(KEY, hostname('mon-1'), 59_999);
    t.found(KEY, hostname('mon-1'), 60_000);
    t.found(KEY, hostname('mon-1'), 61_000);
    const obs = t.takeObservations();
    expect(obs.map((o) => o.lastSeen)).toEqual([0, 60_000]);
    expect(obs[1]?.firstSeen).toBe(0);
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

  it('hands changed records to the store once, and reloads them', () => {
    const t = new DeviceTable();
    expect(t.touch(KEY, 5)).toBe(true);
    expect(t.touch(KEY, 6)).toBe(false);
    t.found(KEY, hostname('mon-1'), 7);
    const dirty = t.takeDirty();
    expect(dirty.map((r) => r.key)).toEqual([KEY]);
    expect(t.takeDirty()).toEqual([]);
    const again = new DeviceTable();
    again.load(JSON.parse(JSON.stringify(dirty)) as typeof dirty);
    again.found(KEY, hostname('mon-1'), 8);
    expect(again.takeObservations()).toEqual([]);
  });
});
