/**
 * Writes a release bundle as a POSIX tar archive (pax interchange format, POSIX.1-2008 `pax`):
 * `manifest.json`, then `manifest.sig`, then each manifest entry under `payload/`, in manifest order.
 * Entries are written from the manifest, not by walking the disk again, so the archive holds exactly
 * what was hashed and signed (no hard links, no owners, one fixed time). node-tar supplies the header
 * and pax encoders.
 */
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { Header, Pax, type HeaderData } from 'tar';
import { ProvisioningError, ProvisioningErrorCode } from './errors.js';
import { RELEASE_ENTRIES, type ReleaseManifest } from './release-manifest.js';

/** A tar archive is a sequence of 512-byte blocks (POSIX.1-2008 `pax`, "ustar Interchange Format"). */
const BLOCK = 512;

export interface ReleaseTarInput {
  manifestBytes: Uint8Array;
  signatureBytes: Uint8Array;
  manifest: ReleaseManifest;
  /** The directory the manifest's paths are relative to. */
  payloadRoot: string;
}

/** Writes the archive to `outPath`, which must not exist yet (it is created exclusively, 0644). */
export async function writeReleaseTar(outPath: string, input: ReleaseTarInput): Promise<void> {
  const mtime = new Date(input.manifest.createdAt);
  const handle = await open(outPath, 'wx', 0o644);
  try {
    await writeMemberHeader(handle, { path: RELEASE_ENTRIES.manifest, type: 'File', mode: 0o644, size: input.manifestBytes.length, mtime });
    await writePadded(handle, input.manifestBytes);
    await writeMemberHeader(handle, { path: RELEASE_ENTRIES.signature, type: 'File', mode: 0o644, size: input.signatureBytes.length, mtime });
    await writePadded(handle, input.signatureBytes);
    for (const entry of input.manifest.files) {
      const path = `${RELEASE_ENTRIES.payloadPrefix}${entry.path}`;
      if (entry.type === 'directory') {
        await writeMemberHeader(handle, { path: `${path}/`, type: 'Directory', mode: parseInt(entry.mode, 8), size: 0, mtime });
      } else if (entry.type === 'symlink') {
        await writeMemberHeader(handle, { path, type: 'SymbolicLink', linkpath: entry.target, mode: 0o777, size: 0, mtime });
      } else {
        await writeMemberHeader(handle, { path, type: 'File', mode: parseInt(entry.mode, 8), size: entry.size, mtime });
        await copyFileContent(handle, join(input.payloadRoot, entry.path), entry.size, entry.path);
      }
    }
    // End of archive: two zero blocks.
    await handle.write(Buffer.alloc(2 * BLOCK));
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function writeMemberHeader(handle: FileHandle, data: HeaderData): Promise<void> {
  const header = new Header({ ...data, uid: 0, gid: 0, uname: '', gname: '' });
  // encode() answers true when a field (a long path or link target) does not fit the ustar header.
  if (header.encode()) {
    await handle.write(new Pax({ path: data.path, linkpath: data.linkpath, size: data.size, mtime: data.mtime }).encode());
  }
  if (!header.block) throw new Error(`tar header for ${data.path ?? '?'} could not be encoded`);
  await handle.write(header.block);
}

async function writePadded(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  await handle.write(bytes);
  await writePadding(handle, bytes.length);
}

async function writePadding(handle: FileHandle, written: number): Promise<void> {
  const rest = written % BLOCK;
  if (rest !== 0) await handle.write(Buffer.alloc(BLOCK - rest));
}

async function copyFileContent(handle: FileHandle, source: string, size: number, name: string): Promise<void> {
  let copied = 0;
  for await (const chunk of createReadStream(source)) {
    const bytes = chunk as Buffer;
    copied += bytes.length;
    if (copied > size) break;
    await handle.write(bytes);
  }
  if (copied !== size) {
    throw new ProvisioningError(ProvisioningErrorCode.ReleasePayload, `cannot sign the release: ${name} changed size while it was being signed; sign again once the build has finished`);
  }
  await writePadding(handle, size);
}
