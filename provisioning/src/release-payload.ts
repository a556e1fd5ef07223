/**
 * Reads the tree to be released (the built application: bin/, each workspace's dist/, package.json,
 * node_modules …) into manifest entries: every directory, regular file (size, permission bits,
 * SHA-256) and symbolic link, in a stable order. Anything a release may not carry — device files,
 * FIFOs, sockets, links pointing outside the tree or unsafe names — stops the signing with its path.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ProvisioningError, ProvisioningErrorCode } from './errors.js';
import { formatMode, releaseManifestDefaults, type ReleaseEntry } from './release-manifest.js';
import { releasePathProblem, symlinkTargetProblem } from './release-paths.js';

export interface ReleasePayload {
  entries: ReleaseEntry[];
  /** Sum of the regular files' sizes. */
  bytes: number;
}

/** SHA-256 of a file, streamed. */
export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function payloadError(path: string, detail: string): ProvisioningError {
  return new ProvisioningError(ProvisioningErrorCode.ReleasePayload, `cannot sign the release: ${path} ${detail}`);
}

/** Walks `root` (the payload directory) depth first, each directory's names sorted, so the manifest is stable. */
export async function readReleasePayload(root: string): Promise<ReleasePayload> {
  const rootStat = await lstat(root).catch((error: unknown) => {
    throw payloadError(root, `cannot be read (${(error as Error).message})`);
  });
  if (!rootStat.isDirectory()) throw payloadError(root, 'is not a directory: give the directory holding the built application');
  const payload: ReleasePayload = { entries: [], bytes: 0 };
  await walk(root, '', payload);
  if (!payload.entries.some((entry) => entry.type === 'file')) throw payloadError(root, 'holds no files');
  return payload;
}

async function walk(root: string, relativeDir: string, payload: ReleasePayload): Promise<void> {
  const names = (await readdir(join(root, relativeDir))).sort();
  for (const name of names) {
    const path = relativeDir === '' ? name : `${relativeDir}/${name}`;
    const problem = releasePathProblem(path);
    if (problem) throw payloadError(path, `has a name a release may not carry: it ${problem}`);
    if (payload.entries.length >= releaseManifestDefaults.maxEntries) throw payloadError(root, `holds more than ${releaseManifestDefaults.maxEntries} entries`);
    const absolute = join(root, path);
    const stat = await lstat(absolute);
    if (stat.isDirectory()) {
      payload.entries.push({ path, type: 'directory', mode: formatMode(stat.mode) });
      await walk(root, path, payload);
    } else if (stat.isFile()) {
      payload.entries.push({ path, type: 'file', size: stat.size, mode: formatMode(stat.mode), sha256: await sha256OfFile(absolute) });
      payload.bytes += stat.size;
    } else if (stat.isSymbolicLink()) {
      const target = await readlink(absolute);
      const targetProblem = symlinkTargetProblem(path, target);
      if (targetProblem) throw payloadError(path, `is a symbolic link that ${targetProblem}: make it relative and inside the tree, or copy what it points to`);
      payload.entries.push({ path, type: 'symlink', target });
    } else {
      throw payloadError(path, `is a ${kindOf(stat)}; a release carries only directories, regular files and symbolic links`);
    }
  }
}

function kindOf(stat: Awaited<ReturnType<typeof lstat>>): string {
  if (stat.isBlockDevice()) return 'block device';
  if (stat.isCharacterDevice()) return 'character device';
  if (stat.isFIFO()) return 'FIFO';
  if (stat.isSocket()) return 'socket';
  return 'special file';
}
