/**
 * LevelHubStore: the HubStore contract on LevelDB in a temporary directory, and what is LevelDB's
 * own: one process, one open store per directory.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LevelHubStore } from '../src/store/level-store.js';
import { INFUSION_PUMP, observation, useTempDirs } from './fixtures.js';
import { describeStoreContract, type StoreFactory } from './store-contract.js';

const RECEIVED = '2024-05-01T10:06:00.000Z';

/** Each store in a directory of its own, reopened from that directory. */
const levelFactory: StoreFactory = {
  async open() {
    const dir = await mkdtemp(join(tmpdir(), 'wardsight-hub-'));
    try {
      return { store: await LevelHubStore.open(dir), reopen: () => LevelHubStore.open(dir), cleanup: () => rm(dir, { recursive: true, force: true }) };
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
  },
};

describeStoreContract('LevelHubStore', levelFactory);

describe('LevelHubStore: one holder of a directory', () => {
  const tempDir = useTempDirs();

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
