/**
 * Opening a release bundle: its first two tar members, `manifest.json` and `manifest.sig`, are read
 * (bounded) and the signature checked against the trusted key before anything else of the bundle is
 * looked at. Only a manifest that verifies is parsed and handed on; the payload is checked after it.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { KeyObject } from 'node:crypto';
import { Parser, type ReadEntry } from 'tar';
import { ProvisioningError, ProvisioningErrorCode } from './errors.js';
import { parseReleaseManifest, RELEASE_ENTRIES, releaseManifestDefaults, type ReleaseManifest } from './release-manifest.js';
import { releaseSignatureDefaults, verifyReleaseManifest } from './release-signature.js';

/** A bundle whose manifest carries a valid signature of the trusted key. */
export interface SignedRelease {
  bundlePath: string;
  manifest: ReleaseManifest;
  /** The exact signed bytes; the payload check compares the bundle's manifest member against them. */
  manifestBytes: Buffer;
  keyId: string;
}

/** What a visitor may do with the tar member it is given; it must not throw. */
export interface TarWalk {
  stop(): void;
  fail(error: Error): void;
}

export function releaseMalformed(bundlePath: string, detail: string): ProvisioningError {
  return new ProvisioningError(ProvisioningErrorCode.ReleaseMalformed, `${bundlePath} is not a usable release bundle: ${detail}`);
}

/**
 * Streams the members of the tar file `bundlePath` to `visit`, one at a time (node-tar waits for each
 * member's data to be consumed). Resolves at the end of the archive or on `stop()`.
 */
export function walkTar(bundlePath: string, visit: (entry: ReadEntry, walk: TarWalk) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const stream = createReadStream(bundlePath);
    // strict: a bad header checksum or a truncated archive is an error, not a warning.
    const parser = new Parser({ strict: true });
    let settled = false;
    const walk: TarWalk = {
      stop: () => settle(),
      fail: (error) => settle(error),
    };
    function settle(error?: Error): void {
      if (settled) return;
      settled = true;
      stream.destroy();
      if (error) reject(error);
      else resolve();
    }
    parser.on('entry', (entry: ReadEntry) => {
      if (settled) entry.resume();
      else visit(entry, walk);
    });
    parser.on('ignoredEntry', (entry: ReadEntry) => settle(releaseMalformed(bundlePath, `its member ${JSON.stringify(entry.path)} cannot be read`)));
    parser.on('error', (error: Error) => settle(releaseMalformed(bundlePath, `it is not a readable tar archive (${error.message})`)));
    parser.on('end', () => settle());
    stream.on('error', (error) => settle(error));
    stream.pipe(parser as unknown as NodeJS.WritableStream);
  });
}

/** Reads the manifest and its signature, checks the signature with `publicKey`, then parses the manifest. */
export async function openSignedRelease(bundlePath: string, publicKey: KeyObject): Promise<SignedRelease> {
  await assertTarFile(bundlePath);
  const members: Buffer[] = [];
  const expected = [
    { name: RELEASE_ENTRIES.manifest, max: releaseManifestDefaults.maxManifestBytes },
    { name: RELEASE_ENTRIES.signature, max: releaseSignatureDefaults.maxSignatureBytes },
  ];
  await walkTar(bundlePath, (entry, walk) => {
    const want = expected[members.length];
    if (!want) return walk.stop();
    if (entry.path !== want.name || entry.type !== 'File') {
      return walk.fail(releaseMalformed(bundlePath, `member ${members.length + 1} is ${JSON.stringify(entry.path)} where ${want.name} must be`));
    }
    if (entry.size > want.max) return walk.fail(releaseMalformed(bundlePath, `${want.name} is larger than ${want.max} bytes`));
    const chunks: Buffer[] = [];
    entry.on('data', (chunk: Buffer) => chunks.push(chunk));
    entry.on('end', () => {
      members.push(Buffer.concat(chunks));
      if (members.length === expected.length) walk.stop();
    });
  });
  const [manifestBytes, signatureBytes] = members;
  if (!manifestBytes || !signatureBytes) throw releaseMalformed(bundlePath, `it does not start with ${RELEASE_ENTRIES.manifest} and ${RELEASE_ENTRIES.signature}`);
  const keyId = verifyReleaseManifest(manifestBytes, signatureBytes, publicKey);
  return { bundlePath, manifest: parseReleaseManifest(manifestBytes), manifestBytes, keyId };
}

/** A POSIX tar header carries "ustar" at offset 257 (POSIX.1-2008 `pax`, ustar header block). */
async function assertTarFile(bundlePath: string): Promise<void> {
  const handle = await open(bundlePath, 'r').catch((error: unknown) => {
    throw new ProvisioningError(ProvisioningErrorCode.ReleaseMalformed, `cannot open the release bundle ${bundlePath}: ${(error as Error).message}`, { cause: error });
  });
  try {
    const block = Buffer.alloc(512);
    const { bytesRead } = await handle.read(block, 0, 512, 0);
    if (bytesRead < 512 || block.subarray(257, 262).toString('latin1') !== 'ustar') {
      throw releaseMalformed(bundlePath, 'it is not a tar archive (a release bundle is the .tar file made by `wardsight provision release sign`)');
    }
  } finally {
    await handle.close();
  }
}
