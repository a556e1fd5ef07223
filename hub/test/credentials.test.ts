import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CredentialVerifier, ensureAdminCredential, readAdminCredential } from '../src/auth/credentials.js';
import { LevelHubStore } from '../src/store/level-store.js';
import { useTempDirs } from './fixtures.js';

const modesApply = process.platform !== 'win32';
const permissionBits = async (path: string): Promise<number> => (await stat(path)).mode & 0o777;

describe('admin credential', () => {
  const tempDir = useTempDirs();
  let dir: string;
  let store: LevelHubStore;
  let file: string;

  beforeEach(async () => {
    dir = await tempDir();
    store = await LevelHubStore.open(join(dir, 'store'));
    file = join(dir, 'admin-credential.json');
  });
  afterEach(async () => {
    await store.close();
  });

  it('is made once: the file is written with mode 0600 and a second call leaves it as it is', async () => {
    expect(await ensureAdminCredential(store, file)).toEqual({ created: true });
    const written = await readFile(file, 'utf8');
    const credential = JSON.parse(written) as { username: string; password: string };
    expect(credential.username).toBe('admin');
    // 24 random bytes in base64url: 32 characters, no padding.
    expect(credential.password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    if (modesApply) expect(await permissionBits(file)).toBe(0o600);
    const hash = await store.getSetting('auth.admin');
    // The store keeps a hash, never the password itself.
    expect(hash).toBeDefined();
    expect(hash).not.toContain(credential.password);

    const mtime = (await stat(file)).mtimeMs;
    expect(await ensureAdminCredential(store, file)).toEqual({ created: false });
    expect(await readFile(file, 'utf8')).toBe(written);
    expect((await stat(file)).mtimeMs).toBe(mtime);
    expect(await store.getSetting('auth.admin')).toBe(hash);
  });

  it.runIf(modesApply)('narrows a file that already existed with a wider mode to 0600', async () => {
    await writeFile(file, 'left over\n', { mode: 0o644 });
    await chmod(file, 0o644);
    await ensureAdminCredential(store, file);
    expect(await permissionBits(file)).toBe(0o600);
    expect((JSON.parse(await readFile(file, 'utf8')) as { username: string }).username).toBe('admin');
  });

  it('reads back the credential it wrote', async () => {
    await ensureAdminCredential(store, file);
    const credential = await readAdminCredential(file);
    expect(credential).toEqual(JSON.parse(await readFile(file, 'utf8')));
  });

  it.runIf(modesApply)('refuses to read a credential file others can read, and says to chmod it', async () => {
    await ensureAdminCredential(store, file);
    await chmod(file, 0o644);
    await expect(readAdminCredential(file)).rejects.toThrow(/mode 644.*chmod 600/);
    await chmod(file, 0o640);
    await expect(readAdminCredential(file)).rejects.toThrow(/chmod 600/);
  });

  it('verifies the right username and password and nothing else', async () => {
    await ensureAdminCredential(store, file);
    const { username, password } = await readAdminCredential(file);
    const verifier = new CredentialVerifier(store);
    expect(await verifier.verify(username, password)).toBe(true);
    // A second check of the right pair (from the cache) still holds, and does not open the door to others.
    expect(await verifier.verify(username, password)).toBe(true);
    expect(await verifier.verify(username, `${password}x`)).toBe(false);
    expect(await verifier.verify(username, password.slice(0, -1))).toBe(false);
    expect(await verifier.verify('root', password)).toBe(false);
    expect(await verifier.verify('Admin', password)).toBe(false);
    expect(await verifier.verify(username, '')).toBe(false);
    expect(await verifier.verify('', '')).toBe(false);
  });

  it('accepts nobody before a credential exists', async () => {
    const verifier = new CredentialVerifier(store);
    expect(await verifier.verify('admin', '')).toBe(false);
    expect(await verifier.verify('admin', 'admin')).toBe(false);
  });

  it('accepts only the password of its own store', async () => {
    await ensureAdminCredential(store, file);
    const other = await LevelHubStore.open(join(dir, 'other-store'));
    try {
      const otherFile = join(dir, 'other-credential.json');
      await ensureAdminCredential(other, otherFile);
      const mine = await readAdminCredential(file);
      const theirs = await readAdminCredential(otherFile);
      expect(theirs.password).not.toBe(mine.password);
      expect(await new CredentialVerifier(store).verify('admin', theirs.password)).toBe(false);
      expect(await new CredentialVerifier(other).verify('admin', theirs.password)).toBe(true);
    } finally {
      await other.close();
    }
  });
});
