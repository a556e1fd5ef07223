/**
 * The analysis over a real store: sightings and behaviour summaries go in through the store's own
 * apply path (and its journal), moves and anomalies come out.
 */
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { BehaviourBatch, BehaviourPeer, DeviceBehaviour } from '@wardsight/protocol';
import type { AlertFinding } from '../src/alerts/alert.js';
import { Analysis } from '../src/analysis/analysis.js';
import { Classifier } from '../src/inventory/classification.js';
import { movesOf } from '../src/location/presence.js';
import { LevelHubStore } from '../src/store/level-store.js';
import { observation, status, useTempDirs } from './fixtures.js';

const PUMP = 'mac:00:09:fb:00:00:01';
/** Another unit of the pump's kind, on floor 2. */
const PUMP2 = 'mac:00:09:fb:00:00:03';
const WORKSTATION = 'mac:00:14:22:00:00:02';
const ENGINE = '10.20.0.5';
const HOUR = 3600_000;
const T0 = Date.parse('2026-03-02T00:00:00.000Z');
const iso = (ms: number): string => new Date(ms).toISOString();

const hl7 = (address = ENGINE, bytes = 2000): BehaviourPeer => ({ address, port: 2575, transport: 'tcp', role: 'client', app: 'hl7', packets: 10, bytes });
const dns: BehaviourPeer = { address: '10.20.0.53', port: 53, transport: 'udp', role: 'client', app: 'dns', packets: 2, bytes: 150 };

function summary(device: string, at: number, peers: BehaviourPeer[], peersOmitted = 0): DeviceBehaviour {
  return { device, addresses: ['10.10.1.21'], firstSeen: iso(at), lastSeen: iso(at + 60_000), packets: peers.reduce((n, p) => n + p.packets, 0), bytes: peers.reduce((n, p) => n + p.bytes, 0), peers, peersOmitted };
}

function behaviour(sensorId: string, seq: number, at: number, devices: DeviceBehaviour[]): BehaviourBatch {
  const start = Math.floor(at / 300_000) * 300_000;
  return { v: 1, sensorId, seq, sentAt: iso(at), intervalStart: iso(start), intervalEnd: iso(start + 300_000), devices };
}

describe('analysis: location and behaviour', () => {
  const tempDir = useTempDirs();

  it('records a move with its floors and time, learns a baseline, and raises each kind of departure once', async () => {
    const store = await LevelHubStore.open(await tempDir());
    const found: AlertFinding[] = [];
    const analysis = await Analysis.open(store, new Classifier(), { raise: (f) => Promise.resolve(found.push(f)) }, { learningWindowMs: 2 * HOUR }, pino({ level: 'silent' }));
    try {
      await store.recordStatus(status('floor1', 1, 'online', { site: 'St Mary', building: 'North', floor: '1' }), iso(T0));
      await store.recordStatus(status('floor2', 1, 'online', { site: 'St Mary', building: 'North', floor: '2' }), iso(T0));
      await store.applyObservations('floor1', 1, [observation({ device: PUMP, firstSeen: iso(T0), lastSeen: iso(T0) })], iso(T0));
      await store.applyObservations('floor1', 2, [observation({ device: WORKSTATION, value: 'Dell', firstSeen: iso(T0), lastSeen: iso(T0) })], iso(T0));
      await store.applyObservations('floor2', 30, [observation({ device: PUMP2, firstSeen: iso(T0), lastSeen: iso(T0) })], iso(T0));
      // Two hours of learning: every 5 minutes HL7 to the engine and DNS; the workstation serves nothing.
      let seq = 10;
      for (let t = T0; t < T0 + 2 * HOUR; t += 300_000) {
        await store.applyBehaviour(behaviour('floor1', seq++, t, [summary(PUMP, t, [hl7(), dns]), summary(WORKSTATION, t, [dns])]), iso(t));
        await store.applyBehaviour(behaviour('floor2', 100 + seq, t, [summary(PUMP2, t, [hl7(), dns])]), iso(t));
      }
      // After learning: the pump moves to floor 2 at 02:30 and carries on as usual there.
      const moveAt = T0 + 2.5 * HOUR;
      await store.applyBehaviour(behaviour('floor2', 1, moveAt, [summary(PUMP, moveAt, [hl7(), dns])]), iso(moveAt));
      await store.applyBehaviour(behaviour('floor1', seq++, moveAt, [summary(WORKSTATION, moveAt, [dns])]), iso(moveAt));
      await analysis.idle({ release: true });
      // The pump's kind has units on floor 2: its move there is no surprise.
      expect(found).toEqual([]);
      expect(analysis.baseline(PUMP)?.model).toBe(analysis.baseline(PUMP2)?.model);
      const moves = movesOf(analysis.spans(PUMP));
      expect(moves).toEqual([{ from: 'St Mary / North / 1', to: 'St Mary / North / 2', fromSensor: 'floor1', toSensor: 'floor2', at: iso(moveAt) }]);

      // Departures, each in its own interval.
      const t = (m: number): number => T0 + 3 * HOUR + m * 300_000;
      const odd: [string, number, DeviceBehaviour][] = [
        ['floor2', 2, summary(PUMP, t(0), [hl7(), { address: '198.51.100.7', port: 443, transport: 'tcp', role: 'client', app: 'tls', packets: 20, bytes: 5000 }])],
        ['floor2', 3, summary(PUMP, t(1), [hl7('10.20.0.99')])],
        ['floor2', 4, summary(PUMP, t(2), [hl7(), { address: '10.20.0.30', port: 21, transport: 'tcp', role: 'client', app: 'ftp', packets: 8, bytes: 900 }])],
        ['floor2', 5, summary(PUMP, t(3), [hl7(), { address: '10.10.2.40', port: 23, transport: 'tcp', role: 'server', app: 'telnet', packets: 8, bytes: 900 }])],
        ['floor2', 6, summary(PUMP, t(4), Array.from({ length: 60 }, (_, i) => ({ address: `10.10.2.${i + 2}`, port: 445, transport: 'tcp' as const, role: 'client' as const, packets: 1, bytes: 60 })))],
        ['floor2', 7, summary(PUMP, t(5), [hl7(ENGINE, 3_000_000)])],
        // The workstation, fixed on floor 1 all along, turns up on floor 2.
        ['floor2', 8, summary(WORKSTATION, t(6), [dns])],
      ];
      for (const [sensorId, s, d] of odd) await store.applyBehaviour(behaviour(sensorId, s, Date.parse(d.firstSeen), [d]), d.firstSeen);
      // Repeats of the same departures are not raised again.
      await store.applyBehaviour(behaviour('floor2', 9, t(7), [summary(PUMP, t(7), [hl7('10.20.0.99'), { address: '198.51.100.7', port: 443, transport: 'tcp', role: 'client', app: 'tls', packets: 20, bytes: 5000 }])]), iso(t(7)));
      // A device never seen before joins floor 2.
      await store.applyObservations('floor2', 20, [observation({ device: 'mac:02:00:00:00:00:99', firstSeen: iso(t(8)), lastSeen: iso(t(8)) })], iso(t(8)));
      await analysis.idle({ release: true });

      expect(found.map((f) => [f.kind, f.device, f.at])).toEqual([
        ['new-external-destination', PUMP, iso(t(0))],
        ['clinical-protocol-unknown-peer', PUMP, iso(t(1))],
        ['new-protocol-for-model', PUMP, iso(t(2))],
        ['new-listening-port', PUMP, iso(t(3))],
        ['scanning', PUMP, iso(t(4))],
        ['volume-outside-baseline', PUMP, iso(t(5))],
        ['unexpected-floor', WORKSTATION, iso(t(6))],
        ['new-device-clinical-segment', 'mac:02:00:00:00:00:99', iso(t(8))],
      ]);
      expect(found[0]?.evidence).toMatchObject({ peer: '198.51.100.7', port: 443 });
      expect(Number(found[5]?.evidence.bytes)).toBeGreaterThanOrEqual(3_000_000);
      expect(await store.readJournal(10)).toEqual([]);
    } finally {
      await analysis.close();
      await store.close();
    }
  });

  it('keeps what it learnt across a restart, and analyses what was journalled while it was stopped', async () => {
    const dir = await tempDir();
    let store = await LevelHubStore.open(dir);
    const found: AlertFinding[] = [];
    const sink = { raise: (f: AlertFinding) => Promise.resolve(found.push(f)) };
    let analysis = await Analysis.open(store, new Classifier(), sink, { learningWindowMs: HOUR }, pino({ level: 'silent' }));
    await store.recordStatus(status('floor1', 1, 'online', { site: 'St Mary', floor: '1' }), iso(T0));
    for (let i = 0; i < 12; i++) await store.applyBehaviour(behaviour('floor1', i + 1, T0 + i * 300_000, [summary(PUMP, T0 + i * 300_000, [hl7()])]), iso(T0));
    await analysis.idle({ release: true });
    await analysis.close();
    // Journalled with no analysis running (the hub stopped between ingest and analysis).
    await store.applyBehaviour(behaviour('floor1', 100, T0 + 2 * HOUR, [summary(PUMP, T0 + 2 * HOUR, [hl7('10.20.0.77')])]), iso(T0));
    await store.close();

    store = await LevelHubStore.open(dir);
    analysis = await Analysis.open(store, new Classifier(), sink, { learningWindowMs: HOUR }, pino({ level: 'silent' }));
    try {
      await analysis.idle({ release: true });
      expect(analysis.baseline(PUMP)?.clinicalPeers).toEqual({ hl7: [ENGINE] });
      expect(found.map((f) => f.kind)).toEqual(['clinical-protocol-unknown-peer']);
    } finally {
      await analysis.close();
      await store.close();
    }
  });
});

describe('analysis: reports in capture-time order', () => {
  const tempDir = useTempDirs();

  it('waits for a sensor that is behind, so a device that moved is not taken for a new one', async () => {
    const store = await LevelHubStore.open(await tempDir());
    const found: AlertFinding[] = [];
    const analysis = await Analysis.open(store, new Classifier(), { raise: (f) => Promise.resolve(found.push(f)) }, { learningWindowMs: HOUR, maxHoldMs: 600_000, offlineGraceMs: 0 }, pino({ level: 'silent' }));
    try {
      await store.recordStatus(status('floor1', 1, 'online', { site: 'St Mary', floor: '1' }), new Date().toISOString());
      await store.recordStatus(status('floor2', 1, 'online', { site: 'St Mary', floor: '2' }), new Date().toISOString());
      // Floor 2's sensor is ahead: it reports the pump arriving at 05:00 before floor 1 has said anything.
      await store.applyObservations('floor2', 1, [observation({ device: PUMP, firstSeen: iso(T0 + 5 * HOUR), lastSeen: iso(T0 + 5 * HOUR) })], new Date().toISOString());
      await analysis.idle();
      expect(analysis.heldEntries).toBe(1);
      // Floor 1 catches up: the pump was there from midnight.
      await store.applyObservations('floor1', 1, [observation({ device: PUMP, firstSeen: iso(T0), lastSeen: iso(T0 + 4 * HOUR) })], new Date().toISOString());
      await store.applyObservations('floor1', 2, [observation({ device: WORKSTATION, value: 'Dell', firstSeen: iso(T0 + 6 * HOUR), lastSeen: iso(T0 + 6 * HOUR) })], new Date().toISOString());
      await analysis.idle();
      expect(analysis.heldEntries).toBe(1);
      // Floor 2 goes offline (its capture is over): nothing waits for it any more.
      await store.recordStatus(status('floor2', 2, 'offline', { site: 'St Mary', floor: '2' }), new Date().toISOString());
      await analysis.idle();
      expect(analysis.heldEntries).toBe(0);
      expect(movesOf(analysis.spans(PUMP)).map((m) => [m.from, m.to, m.at])).toEqual([['St Mary /  / 1', 'St Mary /  / 2', iso(T0 + 5 * HOUR)]]);
      // Only the workstation, first seen after the learning window, is new.
      expect(found.map((f) => [f.kind, f.device])).toEqual([['new-device-clinical-segment', WORKSTATION]]);
    } finally {
      await analysis.close();
      await store.close();
    }
  });
});
