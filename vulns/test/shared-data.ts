/**
 * The real third-party feeds under ../shared/data (not in the repository). Suites that read them
 * skip with a printed notice where the folder is absent.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
/** The shared third-party data folder beside the checkout. */
export const SHARED_DATA = resolve(HERE, '../../../shared/data');

/** The path of `relative` under the shared data folder, or null (with a printed notice) when absent. */
export function sharedPath(relative: string): string | null {
  const path = join(SHARED_DATA, relative);
  if (existsSync(path)) return path;
  console.warn(`[skipped] ${relative} is not under ${SHARED_DATA}`);
  return null;
}

/** The files of a shared folder ending in `suffix`, sorted; [] (with a notice) when it is absent. */
export function sharedFiles(folder: string, suffix: string): string[] {
  const dir = sharedPath(folder);
  if (dir === null) return [];
  return readdirSync(dir).filter((name) => name.endsWith(suffix)).sort().map((name) => join(dir, name));
}
