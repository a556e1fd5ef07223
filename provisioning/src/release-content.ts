/**
 * Checks the payload of a signed release against its manifest, member by member, and optionally
 * writes it into an empty directory at the same time. Every member must be listed, of the listed
 * type, size and SHA-256; every listed entry must be present; nothing else (device files, hard links,
 * members outside `payload/`) is accepted. Files are created exclusively (O_CREAT|O_EXCL, which also
 * refuses to follow a link), only for listed, safe paths, and never below a link — so even a bundle
 * that fails the check cannot write outside the directory. A caller that extracts removes the
 * directory when the check fails.
 */
import { createHash, type Hash } from 'node:crypto';
import { createWriteStream, mkdirSync, symlinkSync, type WriteStream } from 'node:fs';
import { chmod } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { finished } from 'node:stream/promises';
import type { ReadEntry } from 'tar';
import { ProvisioningError, ProvisioningErrorCode } from './errors.js';
import { RELEASE_ENTRIES, type ReleaseEntry } from './release-manifest.js';
import { walkTar, type SignedRelease } from './release-reader.js';

export const releaseContentDefaults = {
  /** Problems listed in one refusal; the rest are counted. */
  maxProblemsListed: 20,
  /** Installed files and directories are never writable by group or others, whatever the bundle says. */
  installModeMask: 0o755,
} as const;

export interface ReleaseContentSummary {
  files: number;
  directories: number;
  symlinks: number;
  bytes: number;
}

interface ContentCheck {
  release: SignedRelease;
  listed: Map<string, ReleaseEntry>;
  seen: Set<string>;
  problems: string[];
  extractTo: string | undefined;
  writes: Promise<void>[];
  index: number;
}

/** Checks (and with `extractTo`, writes) the payload of `release`; throws PROV_ERR_RELEASE_TAMPERED listing what differs. */
export async function checkReleaseContent(release: SignedRelease, options: { extractTo?: string } = {}): Promise<ReleaseContentSummary> {
  const check: ContentCheck = {
    release,
    listed: new Map(release.manifest.files.map((entry) => [entry.path, entry])),
    seen: new Set(),
    problems: [],
    extractTo: options.extractTo,
    writes: [],
    index: 0,
  };
  await walkTar(release.bundlePath, (entry, walk) => {
    try {
      visitMember(check, entry);
    } catch (error) {
      walk.fail(error as Error);
    }
  });
  const written = await Promise.allSettled(check.writes);
  for (const result of written) if (result.status === 'rejected') check.problems.push(`could not be written: ${(result.reason as Error).message}`);
  for (const path of check.listed.keys()) if (!check.seen.has(path)) check.problems.push(`listed file ${path} is missing`);
  if (check.problems.length > 0) throw tampered(release.bundlePath, check.problems);
  if (options.extractTo) await applyModes(options.extractTo, release.manifest.files);
  return summarise(release.manifest.files);
}

function visitMember(check: ContentCheck, entry: ReadEntry): void {
  const index = check.index++;
  if (index < 2) return readHeadMember(check, entry, index);
  const name = entry.path.replace(/\/+$/, '');
  const path = name.startsWith(RELEASE_ENTRIES.payloadPrefix) ? name.slice(RELEASE_ENTRIES.payloadPrefix.length) : undefined;
  const listed = path === undefined ? undefined : check.listed.get(path);
  if (path === undefined || !listed) {
    check.problems.push(`unlisted file ${JSON.stringify(name)} (${entry.type})`);
    return void entry.resume();
  }
  if (check.seen.has(path)) {
    check.problems.push(`file ${path} appears twice`);
    return void entry.resume();
  }
  check.seen.add(path);
  const type = entry.type === 'File' ? 'file' : entry.type === 'Directory' ? 'directory' : entry.type === 'SymbolicLink' ? 'symlink' : undefined;
  if (type !== listed.type) {
    check.problems.push(`${path} is a ${entry.type} member where the manifest lists a ${listed.type}`);
    return void entry.resume();
  }
  const target = check.extractTo !== undefined && check.problems.length === 0 ? join(check.extractTo, path) : undefined;
  if (listed.type === 'directory') {
    if (target) mkdirSync(target, { recursive: true, mode: 0o755 });
  } else if (listed.type === 'symlink') {
    if (entry.linkpath !== listed.target) check.problems.push(`link ${path} points to ${JSON.stringify(entry.linkpath)} where the manifest says ${JSON.stringify(listed.target)}`);
    else if (target) makeLink(target, listed.target);
  } else {
    if (entry.size !== listed.size) {
      check.problems.push(`file ${path} has ${entry.size} bytes where the manifest lists ${listed.size}`);
      return void entry.resume();
    }
    return hashFile(check, entry, listed.sha256, path, target);
  }
  entry.resume();
}

/** The first member must be the very manifest that was verified (the file may not change between reads). */
function readHeadMember(check: ContentCheck, entry: ReadEntry, index: number): void {
  if (index === 1) return void entry.resume();
  if (entry.size !== check.release.manifestBytes.length) {
    check.problems.push(`${RELEASE_ENTRIES.manifest} changed while the bundle was being read`);
    return void entry.resume();
  }
  const chunks: Buffer[] = [];
  entry.on('data', (chunk: Buffer) => chunks.push(chunk));
  entry.on('end', () => {
    if (!Buffer.concat(chunks).equals(check.release.manifestBytes)) check.problems.push(`${RELEASE_ENTRIES.manifest} changed while the bundle was being read`);
  });
}

function hashFile(check: ContentCheck, entry: ReadEntry, sha256: string, path: string, target: string | undefined): void {
  const hash: Hash = createHash('sha256');
  let sink: WriteStream | undefined;
  if (target) {
    mkdirSync(dirname(target), { recursive: true, mode: 0o755 });
    const file = createWriteStream(target, { flags: 'wx', mode: 0o600 });
    const written = finished(file);
    // Awaited with the others at the end; until then a failure must not count as unhandled.
    written.catch(() => undefined);
    check.writes.push(written);
    // A failed write (disk full, …) is reported through `finished`; reading goes on so the walk does not stall.
    file.on('error', () => {
      sink = undefined;
      entry.resume();
    });
    sink = file;
  }
  // One consumer for both the hash and the file, so the file holds exactly the bytes that were hashed.
  entry.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    if (sink && !sink.write(chunk)) {
      entry.pause();
      sink.once('drain', () => entry.resume());
    }
  });
  entry.on('end', () => {
    sink?.end();
    if (hash.digest('hex') !== sha256) check.problems.push(`file ${path} hash mismatch (its SHA-256 is not the signed one)`);
  });
}

function makeLink(target: string, linkTarget: string): void {
  mkdirSync(dirname(target), { recursive: true, mode: 0o755 });
  symlinkSync(linkTarget, target);
}

/** Modes last, deepest first, so a read-only directory does not stop the files written into it. */
async function applyModes(root: string, files: ReleaseEntry[]): Promise<void> {
  const withModes = files.flatMap((entry) => (entry.type === 'symlink' ? [] : [entry]));
  withModes.sort((a, b) => b.path.split('/').length - a.path.split('/').length);
  for (const entry of withModes) {
    await chmod(join(root, entry.path), parseInt(entry.mode, 8) & releaseContentDefaults.installModeMask);
  }
}

function summarise(files: ReleaseEntry[]): ReleaseContentSummary {
  const summary: ReleaseContentSummary = { files: 0, directories: 0, symlinks: 0, bytes: 0 };
  for (const entry of files) {
    if (entry.type === 'file') {
      summary.files += 1;
      summary.bytes += entry.size;
    } else if (entry.type === 'directory') summary.directories += 1;
    else summary.symlinks += 1;
  }
  return summary;
}

function tampered(bundlePath: string, problems: string[]): ProvisioningError {
  const max = releaseContentDefaults.maxProblemsListed;
  const listed = problems.slice(0, max).join('; ');
  const more = problems.length > max ? `; and ${problems.length - max} more` : '';
  return new ProvisioningError(
    ProvisioningErrorCode.ReleaseTampered,
    `${bundlePath} does not match its signed manifest: ${listed}${more}. Do not install it; get the bundle again from the release source`,
  );
}
