import { describe, expect, it } from 'vitest';
import { BYTES, CountingTable, FIRST, LAST, PACKETS } from '../../src/state/counting-table.js';
import { Accounting } from '../../src/state/accounting.js';
import { createDissection, dissect } from '../../src/dissect.js';
import { buildHospital } from '@wardsight/sim';

const key = (...words: number[]) => Uint32Array.from(words);

describe('counting table', () => {
  it('counts packets and bytes per key with first and last seen', () => {
    const t = new CountingTable(2, { capacity: 100, idleMs: 1000 });
    const a = t.add(key(1, 2), 100, 10);
    t.add(key(1, 2), 50, 20);
    const b = t.add(key(2, 1), 7, 15);
    expect(a).not.toBe(b);
    expect([t.get(a, PACKETS), t.get(a, BYTES), t.get(a, FIRST), t.get(a, LAST)]).toEqual([2, 150, 10, 20]);
    expect([t.get(b, PACKETS), t.get(b, BYTES)]).toEqual([1, 7]);
    expect(t.size).toBe(2);
  });

  it('never holds more than its capacity: ages out the idle first, then the least recently seen', () => {
    const t = new CountingTable(1, { capacity: 16, idleMs: 100 });
    for (let i = 0; i < 16; i++) t.add(key(i), 1, i < 8 ? 0 : 500);
    t.add(key(99), 1, 550); // 0..7 have been idle since 0: they go
    expect(t.size).toBe(9);
    expect(t.evicted).toBe(8);
    for (let i = 100; i < 107; i++) t.add(key(i), 1, 600 + i);
    expect(t.size).toBe(16);
    t.add(key(200), 1, 700); // nothing idle: the least recently seen quarter goes
    expect(t.size).toBeLessThanOrEqual(16);
    expect(t.evicted).toBeGreaterThan(8);
    let found = false;
    t.forEach((slot) => {
      if (t.key(slot, 0) === 200) found = true;
    });
    expect(found).toBe(true);
  });

  it('grows from a few slots to its capacity, every entry findable with its counts', () => {
    const t = new CountingTable(4, { capacity: 65_536, idleMs: 1e9 });
    for (let round = 1; round <= 2; round++) for (let i = 0; i < 20_000; i++) t.add(key(i, i * 7, i ^ 0xffff, round === 1 ? 1 : 1), 10 * round, 1000 + i);
    expect(t.size).toBe(20_000);
    expect(t.evicted).toBe(0);
    let wrong = 0;
    for (let i = 0; i < 20_000; i++) {
      const slot = t.add(key(i, i * 7, i ^ 0xffff, 1), 0, 0);
      if (t.get(slot, PACKETS) !== 3 || t.get(slot, BYTES) !== 30 || t.get(slot, FIRST) !== 1000 + i || t.key(slot, 2) !== (i ^ 0xffff)) wrong += 1;
    }
    expect(wrong).toBe(0);
    expect(t.size).toBe(20_000);
  });

  it('keeps every survivor findable after a rebuild', () => {
    const t = new CountingTable(1, { capacity: 64, idleMs: 10 });
    for (let i = 0; i < 64; i++) t.add(key(i * 7919), 1, i);
    t.age(100 + 30);
    for (let i = 0; i < 64; i++) t.add(key(i * 7919), 1, 200);
    expect(t.size).toBe(64);
  });
});

describe('accounting on the simulated hospital', () => {
  it('counts every frame of a device, and a flow per direction', () => {
    const hospital = buildHospital({ seed: 3 });
    const frames = hospital.floors.find((f) => f.floor === '1')?.frames ?? [];
    const acc = new Accounting();
    const d = createDissection();
    let counted = 0;
    for (const { ts, frame } of frames) {
      if (!dissect(frame, d)) continue;
      acc.count(frame, d, frame.length, Number(ts / 1000n));
      counted += 1;
    }
    let packets = 0;
    acc.devices.forEach((slot) => (packets += acc.devices.get(slot, PACKETS)));
    expect(packets).toBe(counted);
    expect(acc.devices.size).toBeGreaterThanOrEqual(hospital.devices.filter((x) => x.floor === '1').length);
    expect(acc.flows.size).toBeGreaterThan(10);
  });
});
