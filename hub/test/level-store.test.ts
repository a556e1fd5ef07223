import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Observation } from '@wardsight/protocol';
import { LevelHubStore } from '../src/store/level-store.js';
import { INFUSION_PUMP, PATIENT_MONITOR, health, observation, status, useTempDirs } from './fixtures.js';

const RECEIVED = '2024-05-01T10:06:00.000Z';
const LATER = '2024-05-01T10:07:00.000Z';

const macOf = (i: number): string => `mac:02:00:00:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`;

describe('LevelHubStore: observation batches', () => {
  const tempDir = useTempDirs();

  it('applies a batch once per (sensorId, seq); a resend returns false and changes nothing', async () => {
    const store = await LevelHubStore.open(await tempDir());
    try {
      expect(await store.applyObservations('floor2', 7, [observation({ confidence: 0.5 })], RECEIVED)).toBe(true);
      const before = await store.getDevice(INFUSION_PUMP);
      expect(before?.facts.vendor?.['B. Braun']?.confidence).toBe(0.5);

      // Same (sensor, seq), even with other content and a later arrival: already applied.
      const resend = [observation({ confidence: 0.9, signal: 'dhcp.option60' }), observation({ device: PATIENT_MONITOR })];
      expect(await store.applyObservations('floor2', 7, resend, LATER)).toBe(false);
      expect(await store.getDevice(INFUSION_PUMP)).toEqual(before);
      expect(await store.getDevice(PATIENT_MONITOR)).toBeUndefined();
      expect((await store.getSensor('floor2'))?.lastMessageAt).toBe(RECEIVED);
    } finally {
      await store.close();
    }
  });

  it('treats the same seq from another sensor as another batch', async () => {
    const store = await LevelHubStore.open(await tempDir());
    try {
      expect(await store.applyObservations('floor2', 7, [observation({ lastSeen: '2024-05-01T10:05:00.000Z' })], RECEIVED)).toBe(true);
      expect(await store.applyObservations('floor3', 7, [observation({ lastSeen: '2024-05-01T10:09:00.000Z' })], RECEIVED)).toBe(true);
      expect((await store.getDevice(INFUSION_PUMP))?.sensors).toEqual({ floor2: '2024-05-01T10:05:00.000Z', floor3: '2024-05-01T10:09:00.000Z' });
      expect((await store.listSensors()).map((s) => s.id).sort()).toEqual(['floor2', 'floor3']);
    } finally {
      await store.close();
    }
  });

  it('never shows a reader part of a batch that touches many devices', async () => {
    const store = await LevelHubStore.open(await tempDir());
    try {
      const many = Array.from({ length: 300 }, (_, i) => observation({ device: macOf(i) }));
      const applying = store.applyObservations('floor2', 1, many, RECEIVED);
      let done = false;
      void applying.then(() => (done = true));
      const seen = new Set<number>();
      while (!done) {
        seen.add((await store.listDevices()).length);
        await new Promise((r) => setImmediate(r));
      }
      seen.add((await store.listDevices()).length);
      expect(await applying).toBe(true);
      expect([...seen].filter((n) => n !== 0 && n !== 300)).toEqual([]);
      expect(seen.has(300)).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('writes nothing of a batch that fails part-way, so that its resend is applied', async () => {
    const store = await LevelHubStore.open(await tempDir());
    try {
      // The second observation has no usable device key, which LevelDB refuses after the first was merged.
      const broken = [observation(), { ...observation(), device: null } as unknown as Observation];
      await expect(store.applyObservations('floor2', 9, broken, RECEIVED)).rejects.toThrow();
      expect(await store.listDevices()).toEqual([]);
      expect(await store.applyObservations('floor2', 9, [observation()], RECEIVED)).toBe(true);
      expect((await store.listDevices()).map((d) => d.key)).toEqual([INFUSION_PUMP]);
    } finally {
      await store.close();
    }
  });
});

describe('LevelHubStore: sensor status and health', () => {
  const tempDir = useTempDirs();

  it('records status changes and ignores a status seq it has already seen', async () => {
    const store = await LevelHubStore.open(await tempDir());
    try {
      expect(await store.recordStatus(status('floor2', 3, 'online'), RECEIVED)).toBe(true);
      expect(await store.getSensor('floor2')).toMatchObject({ state: 'online', stateChangedAt: RECEIVED, lastMessageAt: RECEIVED, version: '0.1.0', location: { floor: '2' } });

      expect(await store.recordStatus(status('floor2', 3, 'offline'), LATER)).toBe(false);
      expect(await store.getSensor('floor2')).toMatchObject({ state: 'online', stateChangedAt: RECEIVED });

      expect(await store.recordStatus(status('floor2', 4, 'offline'), LATER)).toBe(true);
      expect(await store.getSensor('floor2')).toMatchObject({ state: 'offline', stateChangedAt: LATER, lastMessageAt: LATER });
    } finally {
      await store.close();
    }
  });

  it('keeps the newest health: an older retained copy does not overwrite it', async () => {
    const store = await LevelHubStore.open(await tempDir());
    try {
      expect(await store.recordHealth(health('floor2', 10, 42), RECEIVED)).toBe(true);
      expect(await store.recordHealth(health('floor2', 5, 1), LATER)).toBe(false);
      expect(await store.recordHealth(health('floor2', 10, 1), LATER)).toBe(false);
      expect((await store.getSensor('floor2'))?.health).toMatchObject({ seq: 10, devices: 42 });

      expect(await store.recordHealth(health('floor2', 11, 43), LATER)).toBe(true);
      expect((await store.getSensor('floor2'))?.health).toMatchObject({ seq: 11, devices: 43 });
      // Health carries no online/offline state of its own.
      expect((await store.getSensor('floor2'))?.state).toBe('unknown');
    } finally {
      await store.close();
    }
  });
});

describe('LevelHubStore: analyst labels', () => {
  const tempDir = useTempDirs();

  it('keeps one label per device and attribute, replacing an earlier one, and lists them all', async () => {
    const store = await LevelHubStore.open(await tempDir());
    try {
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
    } finally {
      await store.close();
    }
  });

  it('deletes a label, says whether there was one, and leaves the device\'s other labels', async () => {
    const store = await LevelHubStore.open(await tempDir());
    try {
      await store.putLabel(INFUSION_PUMP, 'model', 'Space', 'admin', RECEIVED);
      await store.putLabel(INFUSION_PUMP, 'vendor', 'B. Braun', 'admin', RECEIVED);
      expect(await store.deleteLabel(INFUSION_PUMP, 'model')).toBe(true);
      expect(await store.deleteLabel(INFUSION_PUMP, 'model')).toBe(false);
      expect(await store.deleteLabel(PATIENT_MONITOR, 'vendor')).toBe(false);
      expect((await store.listLabels()).map((l) => l.attribute)).toEqual(['vendor']);
    } finally {
      await store.close();
    }
  });

  it('keeps labels across close and reopen, apart from devices and settings', async () => {
    const dir = await tempDir();
    let store = await LevelHubStore.open(dir);
    await store.applyObservations('floor2', 1, [observation()], RECEIVED);
    await store.putLabel(INFUSION_PUMP, 'model', 'Space', 'admin', RECEIVED);
    await store.putSetting('auth.admin', '{"username":"admin"}');
    await store.close();

    store = await LevelHubStore.open(dir);
    try {
      expect(await store.listLabels()).toEqual([{ deviceKey: INFUSION_PUMP, attribute: 'model', value: 'Space', by: 'admin', at: RECEIVED }]);
      expect((await store.listDevices()).map((d) => d.key)).toEqual([INFUSION_PUMP]);
      expect(await store.getSetting('auth.admin')).toBe('{"username":"admin"}');
    } finally {
      await store.close();
    }
  });
});

describe('LevelHubStore: on disk', () => {
  const tempDir = useTempDirs();

  it('keeps devices, sensors, settings and applied batches across close and reopen', async () => {
    const dir = await tempDir();
    let store = await LevelHubStore.open(dir);
    await store.applyObservations('floor2', 7, [observation()], RECEIVED);
    await store.recordStatus(status('floor2', 8, 'online'), RECEIVED);
    await store.putSetting('auth.admin', '{"username":"admin"}');
    const device = await store.getDevice(INFUSION_PUMP);
    await store.close();

    store = await LevelHubStore.open(dir);
    try {
      expect(await store.getDevice(INFUSION_PUMP)).toEqual(device);
      expect(await store.getSensor('floor2')).toMatchObject({ state: 'online', lastStatusSeq: 8 });
      expect(await store.getSetting('auth.admin')).toBe('{"username":"admin"}');
      expect(await store.getSetting('never.set')).toBeUndefined();
      expect(await store.applyObservations('floor2', 7, [observation({ device: PATIENT_MONITOR })], LATER)).toBe(false);
      expect(await store.recordStatus(status('floor2', 8, 'offline'), LATER)).toBe(false);
    } finally {
      await store.close();
    }
  });

  it('refuses a second open of the same directory in this process, and the first stays usable', async () => {
    const dir = await tempDir();
    const store = await LevelHubStore.open(dir);
    try {
      await expect(LevelHubStore.open(join(dir, '.'))).rejects.toMatchObject({ code: 'HUB_ERR_STORE_LOCKED' });
      expect(await store.applyObservations('floor2', 1, [observation()], RECEIVED)).toBe(true);
      expect(await store.getDevice(INFUSION_PUMP)).toBeDefined();
    } finally {
      await store.close();
    }
    const reopened = await LevelHubStore.open(dir);
    expect(await reopened.getDevice(INFUSION_PUMP)).toBeDefined();
    await reopened.close();
  });

  it('refuses to open a directory another process holds open', async () => {
    const dir = await tempDir();
    // Another process opens the same LevelDB, as a second hub would, and holds it until stdin closes.
    const holder = spawn(
      process.execPath,
      ['--input-type=module', '-e', `import { ClassicLevel } from 'classic-level'; const db = new ClassicLevel(${JSON.stringify(join(dir, 'db'))}); await db.open(); console.log('open'); process.stdin.resume(); process.stdin.on('end', async () => { await db.close(); });`],
      { cwd: join(import.meta.dirname, '..'), stdio: ['pipe', 'pipe', 'inherit'] },
    );
    try {
      const [line] = (await once(holder.stdout, 'data')) as [Buffer];
      expect(line.toString()).toContain('open');
      await expect(LevelHubStore.open(dir)).rejects.toMatchObject({ code: 'HUB_ERR_STORE_LOCKED', message: expect.stringContaining('another hub') as unknown });
    } finally {
      holder.stdin.end();
      await once(holder, 'exit');
    }
    const store = await LevelHubStore.open(dir);
    await store.close();
  });
});

describe('LevelHubStore: collections', () => {
  const tempDir = useTempDirs();

  it('keeps each collection apart, in key order, across a reopen; a batch is applied whole', async () => {
    const dir = await tempDir();
    let store = await LevelHubStore.open(dir);
    try {
      const moves = store.collection('movements');
      await moves.batch([
        { type: 'put', key: 'b', value: '2' },
        { type: 'put', key: 'a', value: '1' },
        { type: 'put', key: 'c', value: '3' },
      ]);
      await store.collection('alerts').put('a', 'other');
      await moves.del('c');
    } finally {
      await store.close();
    }
    store = await LevelHubStore.open(dir);
    try {
      const seen: [string, string][] = [];
      for await (const entry of store.collection('movements').entries()) seen.push(entry);
      expect(seen).toEqual([
        ['a', '1'],
        ['b', '2'],
      ]);
      const reversed: string[] = [];
      for await (const [key] of store.collection('movements').entries({ reverse: true, limit: 1 })) reversed.push(key);
      expect(reversed).toEqual(['b']);
      expect(await store.collection('alerts').get('a')).toBe('other');
      expect(await store.collection('alerts').get('b')).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('refuses the names of its own records and names that are not plain words', async () => {
    const store = await LevelHubStore.open(await tempDir());
    try {
      expect(() => store.collection('devices')).toThrow(expect.objectContaining({ code: 'HUB_ERR_COLLECTION' }));
      expect(() => store.collection('Bad Name')).toThrow(expect.objectContaining({ code: 'HUB_ERR_COLLECTION' }));
    } finally {
      await store.close();
    }
  });
});
