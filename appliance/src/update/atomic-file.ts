/**
 * Changes to the install root that a power cut cannot leave half done. A file is written to a
 * temporary name, flushed and renamed over the old one; a link is switched by creating the new link
 * under a temporary name and renaming it over the old link (rename(2) replaces the link itself, never
 * what it points to, and is atomic within a file system). The directory is flushed after each rename
 * so the new name survives a crash (fsync(2): "an explicit fsync() on a file descriptor for the
 * directory is also needed").
 */
import { randomBytes } from 'node:crypto';
import { open, readlink, rename, symlink, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { UpdateError } from './errors.js';

function temporaryName(path: string): string {
  return `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
}

/** Flushes a directory's entries to disk. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Replaces `path` with `content` in one step: readers see the old content or the new, never a mix. */
export async function writeFileAtomic(path: string, content: string, mode = 0o644): Promise<void> {
  const temporary = temporaryName(path);
  try {
    const handle = await open(temporary, 'wx', mode);
    try {
      await handle.writeFile(content, 'utf8');
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dirname(path));
}

/** Makes `linkPath` a symbolic link to `target` in one step, replacing any link there. */
export async function pointLinkAt(linkPath: string, target: string): Promise<void> {
  const temporary = temporaryName(linkPath);
  try {
    await symlink(target, temporary);
    await rename(temporary, linkPath);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dirname(linkPath));
}

/** The target of the link at `linkPath`, or null when nothing is there; something other than a link is refused. */
export async function readLinkTarget(linkPath: string): Promise<string | null> {
  try {
    return await readlink(linkPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'EINVAL') {
      throw new UpdateError('APPLIANCE_ERR_UPDATE_LAYOUT', `${linkPath} is not a symbolic link: move it away, and install a release to recreate it`, { cause: error });
    }
    throw error;
  }
}
