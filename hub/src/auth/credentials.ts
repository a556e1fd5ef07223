/**
 * The first-run admin credential. The hub keeps only a salted scrypt hash; the password itself is
 * written once to a file in the data directory, readable by its owner alone (mode 0600), where the
 * command line and the operator find it.
 */
import { randomBytes, scrypt, timingSafeEqual, createHash } from 'node:crypto';
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { HubStore } from '../store/hub-store.js';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

export interface AdminCredential {
  username: string;
  password: string;
}

interface StoredHash {
  username: string;
  salt: string;
  hash: string;
}

const SETTING = 'auth.admin';

/** Makes the admin credential on first start; afterwards returns nothing (the password is not kept). */
export async function ensureAdminCredential(store: HubStore, credentialFile: string): Promise<{ created: boolean }> {
  if ((await store.getSetting(SETTING)) !== undefined) return { created: false };
  const credential: AdminCredential = { username: 'admin', password: randomBytes(24).toString('base64url') };
  const salt = randomBytes(16);
  const hash = await scryptAsync(credential.password, salt, 32);
  await writeFile(credentialFile, `${JSON.stringify(credential, null, 2)}\n`, { mode: 0o600 });
  await chmod(credentialFile, 0o600);
  const stored: StoredHash = { username: credential.username, salt: salt.toString('base64'), hash: hash.toString('base64') };
  await store.putSetting(SETTING, JSON.stringify(stored));
  return { created: true };
}

export async function readAdminCredential(credentialFile: string): Promise<AdminCredential> {
  const info = await stat(credentialFile);
  if (info.mode & 0o077) throw new Error(`${credentialFile} is readable by others (mode ${(info.mode & 0o777).toString(8)}); run chmod 600 on it`);
  return JSON.parse(await readFile(credentialFile, 'utf8')) as AdminCredential;
}

/** Checks a username and password against the stored hash, caching successes briefly (scrypt is slow on purpose). */
export class CredentialVerifier {
  private readonly accepted = new Map<string, number>();
  private static readonly CACHE_MS = 5 * 60_000;

  constructor(private readonly store: HubStore) {}

  async verify(username: string, password: string): Promise<boolean> {
    const cacheKey = createHash('sha256').update(`${username}\0${password}`).digest('base64');
    const until = this.accepted.get(cacheKey);
    if (until !== undefined && until > Date.now()) return true;
    const raw = await this.store.getSetting(SETTING);
    if (raw === undefined) return false;
    const stored = JSON.parse(raw) as StoredHash;
    const expected = Buffer.from(stored.hash, 'base64');
    const actual = await scryptAsync(password, Buffer.from(stored.salt, 'base64'), expected.length);
    const ok = username === stored.username && timingSafeEqual(actual, expected);
    if (ok) this.accepted.set(cacheKey, Date.now() + CredentialVerifier.CACHE_MS);
    return ok;
  }
}
