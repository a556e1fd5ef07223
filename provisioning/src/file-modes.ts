/**
 * Writing and checking the files that hold keys and certificates. Keys are 0600 in 0700 directories;
 * certificates are 0644. Modes are set explicitly after writing, since the process umask may have
 * narrowed (or a pre-existing file kept) another mode.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { ProvisioningError, ProvisioningErrorCode } from './errors.js';

export const fileModes = {
  privateDir: 0o700,
  privateKey: 0o600,
  certificate: 0o644,
} as const;

/** Windows has no owner/group/other mode bits to check or set. */
const MODES_APPLY = process.platform !== 'win32';

/** Creates `dir` (and any missing parents) as 0700. An existing directory is left as it is. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: fileModes.privateDir });
}

/** Writes `path` only if it does not exist yet; EEXIST is left for the caller to explain. */
export async function writeNewFile(path: string, content: string, mode: number): Promise<void> {
  await writeFile(path, content, { flag: 'wx', mode });
  if (MODES_APPLY) await chmod(path, mode);
}

/**
 * Replaces `path` in one step: a reader sees the old content or the new, never half a key. The
 * temporary file is created with the final mode, so a key is never readable by others in between.
 */
export async function replaceFile(path: string, content: string, mode: number): Promise<void> {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, content, { flag: 'wx', mode });
    if (MODES_APPLY) await chmod(temporary, mode);
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

/** Refuses a private key file that users other than its owner may read, write or execute. */
export async function assertOwnerOnly(path: string, what: string): Promise<void> {
  if (!MODES_APPLY) return;
  const { mode } = await stat(path);
  if ((mode & 0o077) !== 0) {
    const octal = (mode & 0o777).toString(8).padStart(4, '0');
    throw new ProvisioningError(
      ProvisioningErrorCode.FileMode,
      `${what} ${path} has mode ${octal}, which gives users other than its owner access to it. ` +
        `Run "chmod 600 ${path}", and consider the key exposed if others had access.`,
    );
  }
}

/** True when `path` exists; false only when it does not (other errors are thrown). */
export async function fileExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

export function isNotFound(error: unknown): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === 'ENOENT';
}

export function isAlreadyExists(error: unknown): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === 'EEXIST';
}
