/**
 * The behaviour every `HubStore` must have, whatever keeps its data: observation batches applied
 * once and atomically, the analysis journal, sensors, labels, settings, enrolments, identity through
 * aliases and address leases, collections, and all of it kept across a close and reopen. Each
 * implementation's test file calls `describeStoreContract` with a factory of fresh, empty stores.
 */
import { describe, expect, it } from 'vitest';
import type { Observation } from '@wardsight/protocol';
import { describeRecordContract } from './store-contract-records.js';
import { A, ADDRESS, B, CLIENT_ID, LATER, RECEIVED, at, behaviour, macOf, seen, until, useStore, type StoreFactory } from './store-contract-support.js';
import { INFUSION_PUMP, PATIENT_MONITOR, observation } from './fixtures.js';

export type { StoreFactory, StoreUnderTest } from './store-contract-support.js';

/** Declares the conformance suite of `HubStore` for one implementation. */
export function describeStoreContract(name: string, factory: StoreFactory): void {
  describe(`${name} (HubStore contract)`, () => {
    const subject = useStore(factory);

    describe('observation batches', () => {
      it('applies a batch once per (sensorId, seq); a resend returns false and changes nothing', async () => {
        const store = await subject.open();
        expect(await store.applyObservations('floor2', 7, [observation({ confidence: 0.5 })], RECEIVED)).toBe(true);
        const before = await store.getDevice(INFUSION_PUMP);
        expect(before?.facts.vendor?.['B. Braun']?.confidence).toBe(0.5);
        // Same (sensor, seq), even with other content and a later arrival: already applied.
        const resend = [observation({ confidence: 0.9, signal: 'dhcp.option60' }), observation({ device: PATIENT_MONITOR })];
        expect(await store.applyObservations('floor2', 7, resend, LATER)).toBe(false);
        expect(await store.getDevice(INFUSION_PUMP)).toEqual(before);
        expect(await store.getDevice(PATIENT_MONITOR)).toBeUndefined();
        expect((await store.getSensor('floor2'))?.lastMessageAt).toBe(RECEIVED);
      });

      it('treats the same seq from another sensor as another batch', async () => {
        const store = await subject.open();
        expect(await store.applyObservations('floor2', 7, [observation({ lastSeen: '2024-05-01T10:05:00.000Z' })], RECEIVED)).toBe(true);
        expect(await store.applyObservations('floor3', 7, [observation({ lastSeen: '2024-05-01T10:09:00.000Z' })], RECEIVED)).toBe(true);
        expect((await store.getDevice(INFUSION_PUMP))?.sensors).toEqual({ floor2: '2024-05-01T10:05:00.000Z', floor3: '2024-05-01T10:09:00.000Z' });
        expect((await store.listSensors()).map((s) => s.id).sort()).toEqual(['floor2', 'floor3']);
      });

      it('applies each of many batches sent at once, and each once', async () => {
        const store = await subject.open();
        const sent = Array.from({ length: 40 }, (_, i) => store.applyObservations('floor2', 1 + (i % 20), [observation({ device: macOf(i % 20) })], RECEIVED));
        const fresh = await Promise.all(sent);
        expect(fresh.filter(Boolean)).toHaveLength(20);
        expect(await store.listDevices()).toHaveLength(20);
      });

      it('never shows a reader part of a batch that touches many devices', async () => {
        const store = await subject.open();
        const applying = store.applyObservations('floor2', 1, Array.from({ length: 300 }, (_, i) => observation({ device: macOf(i) })), RECEIVED);
        let done = false;
        void applying.then(() => (done = true));
        const counts = new Set<number>();
        while (!done) {
          counts.add((await store.listDevices()).length);
          await new Promise((r) => setImmediate(r));
        }
        counts.add((await store.listDevices()).length);
        expect(await applying).toBe(true);
        expect([...counts].filter((n) => n !== 0 && n !== 300)).toEqual([]);
        expect(counts.has(300)).toBe(true);
      });

      it('writes nothing of a batch that fails part-way, so that its resend is applied', async () => {
        const store = await subject.open();
        // The second observation has no device key: the batch fails after its first observation.
        const broken = [observation(), { ...observation(), device: null } as unknown as Observation];
        await expect(store.applyObservations('floor2', 9, broken, RECEIVED)).rejects.toThrow();
        expect(await store.listDevices()).toEqual([]);
        expect(await store.readJournal(10)).toEqual([]);
        expect(store.journalWritten).toBe(0);
        expect(await store.applyObservations('floor2', 9, [observation()], RECEIVED)).toBe(true);
        expect((await store.listDevices()).map((d) => d.key)).toEqual([INFUSION_PUMP]);
      });
    });

    describe('journal', () => {
      it('journals each applied batch, observations and behaviour, in order; a resend adds nothing', async () => {
        const store = await subject.open();
        expect(store.journalWritten).toBe(0);
        expect(await store.readJournal(10)).toEqual([]);
        await store.applyObservations('floor2', 1, [seen(A, 'vendor', 'B. Braun', 'oui', at('10:00'))], RECEIVED);
        expect(await store.applyBehaviour(behaviour('floor2', 2, A), LATER)).toBe(true);
        expect(await store.applyBehaviour(behaviour('floor2', 2, B), LATER)).toBe(false);
        await store.applyObservations('floor2', 1, [seen(B, 'vendor', 'Philips', 'oui', at('10:00'))], LATER);

        const entries = await store.readJournal(10);
        expect(entries).toMatchObject([
          { kind: 'observations', sensorId: 'floor2', seq: 1, receivedAt: RECEIVED, sightings: [{ device: A, routed: false, points: [at('10:00')] }] },
          { kind: 'behaviour', sensorId: 'floor2', seq: 2, receivedAt: LATER, intervalStart: at('10:00'), intervalEnd: at('10:05'), devices: [{ device: A, packets: 10 }] },
        ]);
        expect(entries).toHaveLength(2);
        expect(Number(entries[0]!.id)).toBeLessThan(Number(entries[1]!.id));
        expect(Number(entries[1]!.id)).toBe(store.journalWritten);
        // A behaviour batch moves the sensor's last message time on, as any message does.
        expect((await store.getSensor('floor2'))?.lastMessageAt).toBe(LATER);
      });

      it('reads at most `limit` entries, after a given one, and forgets those completed', async () => {
        const store = await subject.open();
        for (let seq = 1; seq <= 5; seq++) await store.applyObservations('floor2', seq, [observation({ device: macOf(seq) })], RECEIVED);
        const all = await store.readJournal(10);
        expect(all.map((e) => e.kind === 'observations' && e.seq)).toEqual([1, 2, 3, 4, 5]);
        const ids = all.map((e) => e.id);
        expect((await store.readJournal(2)).map((e) => e.id)).toEqual(ids.slice(0, 2));
        expect((await store.readJournal(2, ids[1])).map((e) => e.id)).toEqual(ids.slice(2, 4));
        expect(await store.readJournal(10, ids[4])).toEqual([]);

        await store.completeJournal(ids.slice(0, 2));
        expect((await store.readJournal(10)).map((e) => e.id)).toEqual(ids.slice(2));
        await store.completeJournal([ids[3]!]);
        expect((await store.readJournal(10, ids[2])).map((e) => e.id)).toEqual([ids[4]]);
        expect(store.journalWritten).toBe(Number(ids[4]));
      });

      it('calls its one listener after each journal write; a second listener replaces the first', async () => {
        const store = await subject.open();
        const first: number[] = [];
        store.onJournal(() => first.push(store.journalWritten));
        await store.applyObservations('floor2', 1, [observation()], RECEIVED);
        const afterObservations = store.journalWritten;
        await until(() => first.includes(afterObservations), 'the listener after an observation batch');
        await store.applyBehaviour(behaviour('floor2', 2, INFUSION_PUMP), RECEIVED);
        const afterBehaviour = store.journalWritten;
        expect(afterBehaviour).toBeGreaterThan(afterObservations);
        await until(() => first.includes(afterBehaviour), 'the listener after a behaviour batch');

        const second: number[] = [];
        const calledBefore = first.length;
        store.onJournal(() => second.push(store.journalWritten));
        await store.applyObservations('floor2', 3, [observation()], RECEIVED);
        const afterReplacing = store.journalWritten;
        await until(() => second.includes(afterReplacing), 'the second listener');
        expect(first).toHaveLength(calledBefore);
      });
    });

    describe('identity', () => {
      it('journals behaviour and answers getDevice under the device two MACs with one client identifier became', async () => {
        const store = await subject.open();
        await store.applyObservations('floor1', 1, [seen(A, 'dhcp.clientId', CLIENT_ID, 'dhcp.option61', at('08:00')), seen(A, 'ip', ADDRESS, 'dhcp.yiaddr', at('08:00'))], RECEIVED);
        await store.applyObservations('floor1', 2, [seen(B, 'dhcp.clientId', CLIENT_ID, 'dhcp.option61', at('09:00')), seen(B, 'ip', '10.10.1.51', 'dhcp.yiaddr', at('09:00'))], RECEIVED);
        expect((await store.listDevices()).map((d) => d.key)).toEqual([A]);
        expect((await store.getDevice(B))?.key).toBe(A);
        expect((await store.getDevice('ip:10.10.1.51'))?.key).toBe(A);
        await store.applyBehaviour(behaviour('floor1', 3, B), RECEIVED);
        const entries = await store.readJournal(10);
        expect(entries.at(-1)).toMatchObject({ kind: 'behaviour', devices: [{ device: A }] });
      });

      it('answers an `ip:` key with the device holding the address now, as a lease passes on', async () => {
        const store = await subject.open();
        await store.applyObservations('floor1', 1, [seen(A, 'ip', ADDRESS, 'dhcp.yiaddr', at('08:00'))], RECEIVED);
        expect((await store.getDevice(`ip:${ADDRESS}`))?.key).toBe(A);
        await store.applyObservations('core', 1, [seen(`ip:${ADDRESS}`, 'service', 'tcp/2575', 'tcp.synAck', at('09:00'))], RECEIVED);
        await store.applyObservations('floor1', 2, [seen(B, 'ip', ADDRESS, 'dhcp.yiaddr', at('11:00'))], RECEIVED);
        await store.applyObservations('core', 2, [seen(`ip:${ADDRESS}`, 'http.server', 'MonitorWeb/2.1', 'http.server', at('11:30'))], RECEIVED);
        expect((await store.getDevice(`ip:${ADDRESS}`))?.key).toBe(B);
        expect(Object.keys((await store.getDevice(A))?.facts.service ?? {})).toEqual(['tcp/2575']);
        expect(Object.keys((await store.getDevice(B))?.facts['http.server'] ?? {})).toEqual(['MonitorWeb/2.1']);
        expect((await store.listDevices()).map((d) => d.key).sort()).toEqual([A, B]);
        expect(await store.getDevice('ip:10.99.0.1')).toBeUndefined();
      });

      it('keeps an IP-only device apart until a binding joins it to its MAC, and the join across a reopen', async () => {
        let store = await subject.open();
        const ipOnly = `ip:${ADDRESS}`;
        await store.applyObservations('core', 1, [seen(ipOnly, 'dicom.aeTitle', 'CT_SCANNER_1', 'dicom.callingAe', at('07:05'))], RECEIVED);
        expect((await store.getDevice(ipOnly))?.key).toBe(ipOnly);
        await store.applyObservations('floor1', 1, [seen(B, 'ip', ADDRESS, 'arp.sender', at('07:30'))], RECEIVED);
        store = await subject.reopen();
        expect((await store.listDevices()).map((d) => d.key)).toEqual([B]);
        expect((await store.getDevice(ipOnly))?.key).toBe(B);
        await store.applyObservations('core', 2, [seen(ipOnly, 'service', 'tcp/11112', 'tcp.synAck', at('09:00'))], RECEIVED);
        const b = await store.getDevice(B);
        expect(b?.aliases).toEqual([ipOnly]);
        expect(Object.keys(b?.facts ?? {}).sort()).toEqual(['dicom.aeTitle', 'ip', 'service']);
      });
    });

    describeRecordContract(subject);
  });
}
