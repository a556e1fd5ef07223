/** Temporary directories for one test each, removed afterwards. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

/** Registers cleanup in the calling test file and returns a factory for fresh directories. */
export function useTempDirs(): () => Promise<string> {
  const made: string[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wardsight-provisioning-'));
    made.push(dir);
    return dir;
  };
}

/** The permission bits of a file or directory, e.g. 0o600. */
export function permissionBits(mode: number): number {
  return mode & 0o777;
}
