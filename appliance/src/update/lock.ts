/**
 * One process at a time changes the install root: an update, a rollback, a confirmation, or the
 * launcher counting a start. The lock is a file created exclusively (O_CREAT|O_EXCL) holding the
 * holder's process id; a lock left by a process that no longer exists (a crash, a power cut) is
 * taken over. Uses node built-ins only (the launcher runs a copy of this code).
 */
import { open, readFile, stat, unlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { UpdateError } from './errors.js';
import { clampOption, updateBounds, updateDefaults, type UpdateLayout } from './layout.js';

const POLL_MS = 100;
/** A holder writes its id right after creating the file; an empty file older than this is abandoned. */
const EMPTY_LOCK_GRACE_MS = 5_000;

/** Runs `work` while holding the install root's lock, waiting up to `waitMs` for another holder. */
export async function withUpdateLock<T>(layout: UpdateLayout, work: () => Promise<T>, waitMs: number = updateDefaults.lockWaitMs): Promise<T> {
  const deadline = Date.now() + clampOption(waitMs, updateDefaults.lockWaitMs, updateBounds.lockWaitMs);
  const mine = `${process.pid}\n`;
  while (!(await tryLock(layout.lock, mine))) {
    const holder = await lockHolder(layout.lock);
    if (holder === null ? await isAbandoned(layout.lock) : !isRunning(holder)) {
      await removeIfUnchanged(layout.lock, holder === null ? '' : `${holder}\n`);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new UpdateError(
        'APPLIANCE_ERR_UPDATE_LOCKED',
        `process ${holder ?? '?'} holds ${layout.lock}; wait for it to finish, or remove the file if no update is running`,
      );
    }
    await sleep(POLL_MS);
  }
  try {
    return await work();
  } finally {
    await removeIfUnchanged(layout.lock, mine);
  }
}

async function tryLock(path: string, content: string): Promise<boolean> {
  try {
    const handle = await open(path, 'wx', 0o644);
    try {
      await handle.writeFile(content);
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

async function lockHolder(path: string): Promise<number | null> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const pid = Number.parseInt(text, 10);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
}

/** A lock file still empty long after its creation: its creator died before writing its id. */
async function isAbandoned(path: string): Promise<boolean> {
  const info = await stat(path).catch(() => null);
  return info !== null && Date.now() - info.mtimeMs > EMPTY_LOCK_GRACE_MS;
}

/** kill(2) with signal 0 checks that a process exists; EPERM means it exists under another user. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function removeIfUnchanged(path: string, content: string): Promise<void> {
  const now = await readFile(path, 'utf8').catch(() => null);
  if (now === content) await unlink(path).catch(() => undefined);
}
