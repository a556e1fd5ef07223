/**
 * The HubStore contract's second half: sensors' status and health, analyst labels, settings and
 * enrolments, data kept across a close and reopen, and collections.
 */
import { describe, expect, it } from 'vitest';
import { LATER, RECEIVED, behaviour, enrolment, keysOf, pause, type StoreSubject } from './store-contract-support.js';
import { INFUSION_PUMP, PATIENT_MONITOR, health, observation, status } from './fixtures.js';

/** Declares the record-keeping half of the suite for the store `subject` opens. */
export function describeRecordContract(subject: StoreSubject): void {
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
}
