/**
 * The health message's later fields: optional (an older sensor's report still validates, contract
 * version 1), null where a sensor could not read a figure, bounded, and closed to undeclared keys.
 */
import { describe, expect, it } from 'vitest';
import { HEALTH_BOUNDS, type Health } from '../src/schemas.js';
import { decodeMessage, encodeMessage, validateMessage } from '../src/validate.js';

const older: Health = {
  v: 1,
  sensorId: 'icu-east-3',
  seq: 41,
  sentAt: '2026-03-02T08:15:00.000Z',
  version: '0.1.0',
  uptimeS: 3600,
  memRssMB: 80.2,
  peakRssMB: 96.5,
  cpuPct: null,
  devices: 17,
  outboxDepth: 2,
  capture: { packets: 120_000, received: 120_050, dropped: 3, ifDropped: 0, malformed: 4, queueDrops: 0, lost: 0, restarts: 0 },
  location: { site: 'St Mary', building: 'North', floor: '3', zone: 'ICU east' },
};

const current: Health = {
  ...older,
  cpuPct: 4.2,
  healthIntervalS: 30,
  cpuLoadPct: 12.5,
  loadAvg: [0.42, 0.35, 0.3],
  temperatureC: 51.1,
  memory: { totalMB: 3978.3, usedMB: 612.9, availableMB: 3365.4 },
  disk: { path: '/var/lib/wardsight', totalMB: 29_804.2, usedMB: 4_110.7, freeMB: 24_166.1 },
  clockOffsetMs: -187.5,
  outbox: { depth: 2, bytes: 9_412, budgetBytes: 268_435_456, shedMessages: 0, coalesced: 5 },
};

const validated = (value: unknown) => validateMessage('health', value);
const detail = (value: unknown): string => {
  const result = validated(value);
  if (result.ok) throw new Error(`expected ${JSON.stringify(value)} to be refused`);
  return result.detail;
};

describe('health: compatibility', () => {
  it('accepts an older sensor\'s report without any of the later fields', () => {
    expect(decodeMessage('health', encodeMessage(older))).toEqual({ ok: true, message: older });
  });

  it('accepts a current report and returns it unchanged', () => {
    expect(decodeMessage('health', encodeMessage(current))).toEqual({ ok: true, message: current });
  });

  it('accepts null for every figure a board may not have or a source may fail to give', () => {
    const unread = { ...current, cpuPct: null, cpuLoadPct: null, loadAvg: null, temperatureC: null, memory: null, disk: null, clockOffsetMs: null };
    expect(validated(unread).ok).toBe(true);
  });

  it('accepts an outbox with only some of its counters, or none', () => {
    expect(validated({ ...current, outbox: { depth: 0 } }).ok).toBe(true);
    expect(validated({ ...current, outbox: {} }).ok).toBe(true);
  });

  it('accepts a clock decades behind, as a board without a real-time clock has before NTP', () => {
    const bootedIn1970 = Date.parse('2026-03-02T08:15:00Z') - 10_000;
    expect(validated({ ...current, clockOffsetMs: bootedIn1970 }).ok).toBe(true);
  });
});

describe('health: bounds', () => {
  it.each([
    ['cpuLoadPct', { cpuLoadPct: 100.1 }, '/cpuLoadPct must be <= 100'],
    ['cpuLoadPct', { cpuLoadPct: -1 }, '/cpuLoadPct must be >= 0'],
    ['cpuPct', { cpuPct: HEALTH_BOUNDS.processCpuPct.maximum + 1 }, '/cpuPct must be <= 12800'],
    ['temperatureC', { temperatureC: -273.15 }, '/temperatureC must be >= -60'],
    ['temperatureC', { temperatureC: 151 }, '/temperatureC must be <= 150'],
    ['clockOffsetMs', { clockOffsetMs: 2e13 }, '/clockOffsetMs must be <= 10000000000000'],
    ['healthIntervalS', { healthIntervalS: 0 }, '/healthIntervalS must be >= 1'],
    ['healthIntervalS', { healthIntervalS: 7.5 }, '/healthIntervalS must be integer'],
    ['memory', { memory: { totalMB: 1024, usedMB: -1, availableMB: 1025 } }, '/memory/usedMB must be >= 0'],
    ['disk', { disk: { path: '/', totalMB: 2e12, usedMB: 0, freeMB: 0 } }, '/disk/totalMB must be <= 1000000000000'],
    ['disk', { disk: { path: '', totalMB: 1, usedMB: 0, freeMB: 1 } }, '/disk/path must NOT have fewer than 1 characters'],
    ['outbox', { outbox: { depth: 1.5 } }, '/outbox/depth must be integer'],
    ['outbox', { outbox: { shedMessages: -2 } }, '/outbox/shedMessages must be >= 0'],
  ])('refuses %s out of bounds', (_field, change, expected) => {
    expect(detail({ ...current, ...change })).toBe(expected);
  });

  it('refuses NaN and infinities, which JSON carries as null or not at all', () => {
    // JSON.stringify turns NaN into null: a figure that is not a number arrives as "could not read".
    const decoded = decodeMessage('health', Buffer.from(JSON.stringify({ ...current, temperatureC: Number.NaN })));
    expect(decoded).toMatchObject({ ok: true, message: { temperatureC: null } });
    expect(decodeMessage('health', Buffer.from(JSON.stringify(current).replace('"cpuLoadPct":12.5', '"cpuLoadPct":Infinity'))).ok).toBe(false);
  });

  it('wants exactly three load averages', () => {
    expect(detail({ ...current, loadAvg: [0.1, 0.2] })).toMatch(/^\/loadAvg /);
    expect(detail({ ...current, loadAvg: [0.1, 0.2, 0.3, 0.4] })).toMatch(/^\/loadAvg /);
    expect(detail({ ...current, loadAvg: [0.1, -0.2, 0.3] })).toMatch(/^\/loadAvg/);
  });
});

describe('health: closed objects', () => {
  it.each([
    ['memory', { memory: { ...current.memory, swapMB: 0 } }, "/memory has an unexpected property 'swapMB'"],
    ['disk', { disk: { ...current.disk, device: '/dev/mmcblk0p2' } }, "/disk has an unexpected property 'device'"],
    ['outbox', { outbox: { ...current.outbox, oldestAt: 'x' } }, "/outbox has an unexpected property 'oldestAt'"],
  ])('refuses an undeclared key in %s', (_name, change, expected) => {
    expect(detail({ ...current, ...change })).toBe(expected);
  });

  it('wants every figure of memory and disk when they are sent', () => {
    const { availableMB: _a, ...memory } = current.memory!;
    expect(detail({ ...current, memory })).toMatch(/^\/memory /);
    const { path: _p, ...disk } = current.disk!;
    expect(detail({ ...current, disk })).toMatch(/^\/disk /);
  });
});
