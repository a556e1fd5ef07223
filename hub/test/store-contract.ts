/**
 * The behaviour every `HubStore` must have, whatever keeps its data: observation batches applied
 * once and atomically, the analysis journal, sensors, labels, settings, enrolments, identity through
 * aliases and address leases, collections, and all of it kept across a close and reopen. Each
 * implementation's test file calls `describeStoreContract` with a factory of fresh, empty stores.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { BehaviourBatch, DeviceKey, Observation } from '@wardsight/protocol';
import type { CollectionRange, HubStore } from '../src/store/hub-store.js';
import type { EnrolmentRecord } from '../src/sensors/enrolment-record.js';
import { FLOOR2, INFUSION_PUMP, PATIENT_MONITOR, health, observation, status } from './fixtures.js';

/** One fresh, empty store for one test, and the way back to its data. */
export interface StoreUnderTest {
  store: HubStore;
  /** A new store over the same data; the suite has closed the one before it. */
  reopen(): Promise<HubStore>;
  /** Removes the data; the suite has closed every store it was handed. */
  cleanup(): Promise<void>;
}

/** Makes a fresh, empty store per test. */
export interface StoreFactory {
  open(): Promise<StoreUnderTest>;
}

const RECEIVED = '2024-05-01T10:06:00.000Z';
const LATER = '2024-05-01T10:07:00.000Z';
const A = 'mac:00:09:fb:00:00:0a';
const B = 'mac:00:1b:63:00:00:0b';
const ADDRESS = '10.10.1.50';
const CLIENT_ID = 'ff:00:00:00:01:00:01:2c:11:22:33';

const macOf = (i: number): DeviceKey => `mac:02:00:00:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`;
const at = (hhmm: string): string => `2024-05-01T${hhmm}:00.000Z`;
const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** An observation of `device` over one moment. */
function seen(device: DeviceKey, attribute: string, value: string, signal: string, when: string): Observation {
  return observation({ device, attribute, value, signal, evidence: `${signal} ${value}`, confidence: 0.9, firstSeen: when, lastSeen: when });
}

/** A behaviour batch of one device talking HL7 for five minutes. */
function behaviour(sensorId: string, seq: number, device: DeviceKey): BehaviourBatch {
  const peer = { address: '10.20.0.10', port: 2575, transport: 'tcp' as const, role: 'client' as const, app: 'hl7', packets: 10, bytes: 2000 };
  const summary = { device, addresses: [ADDRESS], firstSeen: at('10:00'), lastSeen: at('10:04'), packets: 10, bytes: 2000, peers: [peer], peersOmitted: 0 };
  return { v: 1, sensorId, seq, sentAt: at('10:05'), intervalStart: at('10:00'), intervalEnd: at('10:05'), devices: [summary] };
}

/** An enrolment record awaiting its sensor, with one unused token. */
function enrolment(id: string): EnrolmentRecord {
  return {
    id,
    name: '2nd floor closet',
    location: FLOOR2,
    captureInterface: 'eth1',
    state: 'awaiting-enrolment',
    createdAt: RECEIVED,
    createdBy: 'admin',
    token: { hash: 'ab'.repeat(32), issuedAt: RECEIVED, expiresAt: LATER },
    retiredTokens: [],
    certificate: null,
    revokedCertificates: [],
    replacements: 0,
    revokedAt: null,
    revokedBy: null,
  };
}

/** Waits until `condition` holds, failing after a few seconds. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(5);
  }
}

/** The keys of a collection, in the order its entries come. */
async function keysOf(store: HubStore, name: string, range?: CollectionRange): Promise<string[]> {
  const keys: string[] = [];
  for await (const [key] of store.collection(name).entries(range)) keys.push(key);
  return keys;
}

/** The store of the running test: opened fresh, reopened on demand, closed and removed after it. */
function useStore(factory: StoreFactory): { open(): Promise<HubStore>; reopen(): Promise<HubStore> } {
  let underTest: StoreUnderTest | undefined;
  let current: HubStore | undefined;
  afterEach(async () => {
    const [made, open] = [underTest, current];
    underTest = current = undefined;
    try {
      await open?.close();
    } finally {
      await made?.cleanup();
    }
  });
  return {
    async open() {
      underTest = await factory.open();
      current = underTest.store;
      return current;
    },
    async reopen() {
      if (!underTest) throw new Error('reopen before open');
      const before = current;
      current = undefined;
      await before?.close();
      current = await underTest.reopen();
      return current;
    },
  };
}

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

    describe('sensor status and health', () => {
      it('records status changes and ignores a status seq it has already seen', async () => {
        const store = await subject.open();
        expect(await store.recordStatus(status('floor2', 3, 'online'), RECEIVED)).toBe(true);
        expect(await store.getSensor('floor2')).toMatchObject({ state: 'online', stateChangedAt: RECEIVED, lastMessageAt: RECEIVED, version: '0.1.0', location: { floor: '2' } });
        expect(await store.recordStatus(status('floor2', 3, 'offline'), LATER)).toBe(false);
        expect(await store.getSensor('floor2')).toMatchObject({ state: 'online', stateChangedAt: RECEIVED });
        expect(await store.recordStatus(status('floor2', 4, 'offline'), LATER)).toBe(true);
        expect(await store.getSensor('floor2')).toMatchObject({ state: 'offline', stateChangedAt: LATER, lastMessageAt: LATER });
        expect(await store.getSensor('floor9')).toBeUndefined();
      });

      it('keeps the newest health: an older retained copy does not overwrite it', async () => {
        const store = await subject.open();
        expect(await store.recordHealth(health('floor2', 10, 42), RECEIVED)).toBe(true);
        expect(await store.recordHealth(health('floor2', 5, 1), LATER)).toBe(false);
        expect(await store.recordHealth(health('floor2', 10, 1), LATER)).toBe(false);
        expect((await store.getSensor('floor2'))?.health).toMatchObject({ seq: 10, devices: 42 });
        expect(await store.recordHealth(health('floor2', 11, 43), LATER)).toBe(true);
        expect(await store.getSensor('floor2')).toMatchObject({ health: { seq: 11, devices: 43 }, healthAt: LATER });
        // Health carries no online/offline state of its own.
        expect((await store.getSensor('floor2'))?.state).toBe('unknown');
      });
    });

    describe('analyst labels', () => {
      it('keeps one label per device and attribute, replacing an earlier one, and lists them all', async () => {
        const store = await subject.open();
        expect(await store.listLabels()).toEqual([]);
        const first = await store.putLabel(INFUSION_PUMP, 'model', 'Space', 'admin', RECEIVED);
        expect(first).toEqual({ deviceKey: INFUSION_PUMP, attribute: 'model', value: 'Space', by: 'admin', at: RECEIVED });
        await store.putLabel(INFUSION_PUMP, 'model', 'SpaceStation', 'nurse.lead', LATER);
        await store.putLabel(INFUSION_PUMP, 'category', 'infusion-pump', 'admin', LATER);
        await store.putLabel(PATIENT_MONITOR, 'model', 'IntelliVue MX450', 'admin', LATER);
        const labels = await store.listLabels();
        expect(labels).toHaveLength(3);
        expect(labels).toContainEqual({ deviceKey: INFUSION_PUMP, attribute: 'model', value: 'SpaceStation', by: 'nurse.lead', at: LATER });
        expect(labels).toContainEqual({ deviceKey: INFUSION_PUMP, attribute: 'category', value: 'infusion-pump', by: 'admin', at: LATER });
        expect(labels).toContainEqual({ deviceKey: PATIENT_MONITOR, attribute: 'model', value: 'IntelliVue MX450', by: 'admin', at: LATER });
      });

      it("deletes a label, says whether there was one, and leaves the device's other labels", async () => {
        const store = await subject.open();
        await store.putLabel(INFUSION_PUMP, 'model', 'Space', 'admin', RECEIVED);
        await store.putLabel(INFUSION_PUMP, 'vendor', 'B. Braun', 'admin', RECEIVED);
        expect(await store.deleteLabel(INFUSION_PUMP, 'model')).toBe(true);
        expect(await store.deleteLabel(INFUSION_PUMP, 'model')).toBe(false);
        expect(await store.deleteLabel(PATIENT_MONITOR, 'vendor')).toBe(false);
        expect((await store.listLabels()).map((l) => l.attribute)).toEqual(['vendor']);
      });
    });

    describe('settings and enrolments', () => {
      it('keeps settings by name, the latest value of each', async () => {
        const store = await subject.open();
        expect(await store.getSetting('auth.admin')).toBeUndefined();
        await store.putSetting('auth.admin', '{"username":"admin"}');
        await store.putSetting('auth.admin', '{"username":"root"}');
        await store.putSetting('broker.kind', 'embedded');
        expect(await store.getSetting('auth.admin')).toBe('{"username":"root"}');
        expect(await store.getSetting('broker.kind')).toBe('embedded');
      });

      it('creates and changes an enrolment through changeEnrolment; a change that throws writes nothing', async () => {
        const store = await subject.open();
        expect(await store.getEnrolment('floor2')).toBeUndefined();
        expect(await store.listEnrolments()).toEqual([]);
        const made = await store.changeEnrolment('floor2', (current) => Promise.resolve({ next: enrolment('floor2'), result: current === undefined }));
        expect(made).toBe(true);
        await store.changeEnrolment('floor3', () => Promise.resolve({ next: enrolment('floor3'), result: null }));
        expect(await store.getEnrolment('floor2')).toEqual(enrolment('floor2'));
        expect((await store.listEnrolments()).map((e) => e.id).sort()).toEqual(['floor2', 'floor3']);

        const refused = store.changeEnrolment('floor2', () => Promise.reject(new Error('token expired')));
        await expect(refused).rejects.toThrow('token expired');
        expect(await store.getEnrolment('floor2')).toEqual(enrolment('floor2'));
      });

      it('runs two changes of one sensor one after the other: one token enrols once', async () => {
        const store = await subject.open();
        await store.changeEnrolment('floor2', () => Promise.resolve({ next: enrolment('floor2'), result: null }));
        const useToken = (by: string) =>
          store.changeEnrolment('floor2', async (current) => {
            // Time for the other change to read the same record, were the two not one after the other.
            await pause(20);
            if (!current?.token) throw new Error('token already used');
            return { next: { ...current, state: 'active' as const, token: null, createdBy: by }, result: by };
          });
        const outcomes = await Promise.allSettled([useToken('first'), useToken('second')]);
        expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
        const winner = outcomes.find((o) => o.status === 'fulfilled')?.value;
        expect(await store.getEnrolment('floor2')).toMatchObject({ state: 'active', token: null, createdBy: winner });

        const replace = () =>
          store.changeEnrolment('floor2', async (current) => {
            await pause(20);
            const next = { ...current!, replacements: current!.replacements + 1 };
            return { next, result: next.replacements };
          });
        expect((await Promise.all([replace(), replace()])).sort()).toEqual([1, 2]);
        expect((await store.getEnrolment('floor2'))?.replacements).toBe(2);
      });
    });

    describe('across close and reopen', () => {
      it('keeps devices, sensors, labels, settings, enrolments, the journal and applied batches', async () => {
        let store = await subject.open();
        await store.applyObservations('floor2', 7, [observation()], RECEIVED);
        await store.applyBehaviour(behaviour('floor2', 9, INFUSION_PUMP), RECEIVED);
        await store.recordStatus(status('floor2', 8, 'online'), RECEIVED);
        await store.putLabel(INFUSION_PUMP, 'model', 'Space', 'admin', RECEIVED);
        await store.putSetting('auth.admin', '{"username":"admin"}');
        await store.changeEnrolment('floor2', () => Promise.resolve({ next: enrolment('floor2'), result: null }));
        const device = await store.getDevice(INFUSION_PUMP);
        const journal = await store.readJournal(10);
        const written = store.journalWritten;

        store = await subject.reopen();
        expect(await store.getDevice(INFUSION_PUMP)).toEqual(device);
        expect(await store.getSensor('floor2')).toMatchObject({ state: 'online', lastStatusSeq: 8 });
        expect(await store.listLabels()).toEqual([{ deviceKey: INFUSION_PUMP, attribute: 'model', value: 'Space', by: 'admin', at: RECEIVED }]);
        expect(await store.getSetting('auth.admin')).toBe('{"username":"admin"}');
        expect(await store.getEnrolment('floor2')).toEqual(enrolment('floor2'));
        expect(await store.readJournal(10)).toEqual(journal);
        expect(store.journalWritten).toBe(written);
        expect(await store.applyObservations('floor2', 7, [observation({ device: PATIENT_MONITOR })], LATER)).toBe(false);
        expect(await store.applyBehaviour(behaviour('floor2', 9, INFUSION_PUMP), LATER)).toBe(false);
        expect(await store.recordStatus(status('floor2', 8, 'offline'), LATER)).toBe(false);
        expect(await store.listDevices()).toHaveLength(1);
      });
    });

    describe('collections', () => {
      it('keeps each collection apart, in key order, across a reopen', async () => {
        let store = await subject.open();
        expect(await store.collection('movements').get('a')).toBeUndefined();
        expect(await keysOf(store, 'movements')).toEqual([]);
        const moves = store.collection('movements');
        await moves.batch([
          { type: 'put', key: 'b', value: '2' },
          { type: 'put', key: 'a', value: '1' },
          { type: 'put', key: 'c', value: '3' },
        ]);
        await store.collection('alerts').put('a', 'other');
        await moves.put('b', '2b');
        await moves.del('c');
        await moves.del('never-there');

        store = await subject.reopen();
        const entries: [string, string][] = [];
        for await (const entry of store.collection('movements').entries()) entries.push(entry);
        expect(entries).toEqual([
          ['a', '1'],
          ['b', '2b'],
        ]);
        expect(await store.collection('alerts').get('a')).toBe('other');
        expect(await store.collection('alerts').get('b')).toBeUndefined();
      });

      it('orders keys as strings compare, and reads ranges, in reverse and up to a limit', async () => {
        const store = await subject.open();
        // Code-unit order: upper case before lower, punctuation by its code, digits as characters.
        const ordered = ['B', 'a', 'a-c', 'a10', 'a9', 'a_b', 'ab', 'b'];
        await store.collection('baselines').batch([...ordered].reverse().map((key) => ({ type: 'put' as const, key, value: key })));
        expect(await keysOf(store, 'baselines')).toEqual(ordered);
        expect(await keysOf(store, 'baselines', { gte: 'a', lt: 'ab' })).toEqual(['a', 'a-c', 'a10', 'a9', 'a_b']);
        expect(await keysOf(store, 'baselines', { gt: 'a', lte: 'ab' })).toEqual(['a-c', 'a10', 'a9', 'a_b', 'ab']);
        expect(await keysOf(store, 'baselines', { reverse: true })).toEqual([...ordered].reverse());
        expect(await keysOf(store, 'baselines', { reverse: true, limit: 1 })).toEqual(['b']);
        expect(await keysOf(store, 'baselines', { gte: 'a', lt: 'b', reverse: true, limit: 2 })).toEqual(['ab', 'a_b']);
        expect(await keysOf(store, 'baselines', { gt: 'a9', limit: 2 })).toEqual(['a_b', 'ab']);
      });

      it('applies a batch whole: a reader sees all of it or none', async () => {
        const store = await subject.open();
        const queue = store.collection('delivery-queue');
        await queue.put('000-old', 'gone');
        const ops = [{ type: 'del' as const, key: '000-old' }, ...Array.from({ length: 300 }, (_, i) => ({ type: 'put' as const, key: `e${i.toString().padStart(3, '0')}`, value: `${i}` }))];
        const writing = queue.batch(ops);
        let done = false;
        void writing.then(() => (done = true));
        const counts = new Set<number>();
        while (!done) {
          counts.add((await keysOf(store, 'delivery-queue')).length);
          await new Promise((r) => setImmediate(r));
        }
        await writing;
        counts.add((await keysOf(store, 'delivery-queue')).length);
        expect([...counts].filter((n) => n !== 1 && n !== 300)).toEqual([]);
        expect(await queue.get('000-old')).toBeUndefined();
        expect(await queue.get('e299')).toBe('299');
      });

      it('refuses the names of its own records and names that are not plain words', async () => {
        const store = await subject.open();
        for (const refused of ['devices', 'applied', 'sensors', 'labels', 'enrolments', 'settings', 'Bad Name', 'movements_2', '2fast', '', `a${'b'.repeat(41)}`]) {
          expect(() => store.collection(refused), refused).toThrow(expect.objectContaining({ code: 'HUB_ERR_COLLECTION' }));
        }
        expect(() => store.collection(`a${'b'.repeat(40)}`)).not.toThrow();
      });
    });
  });
}
