/**
 * Verifying a release bundle end to end: the manifest's signature against the trusted key first,
 * then every payload member against the signed manifest. This is what `wardsight provision release
 * verify` runs, what signing runs on its own output, and what a sensor runs before it installs.
 */
import type { KeyObject } from 'node:crypto';
import type { ReleaseManifest } from './release-manifest.js';
import { checkReleaseContent, type ReleaseContentSummary } from './release-content.js';
import { openSignedRelease } from './release-reader.js';

export interface VerifiedRelease extends ReleaseContentSummary {
  bundlePath: string;
  manifest: ReleaseManifest;
  /** Id of the key that signed it (the trusted key). */
  keyId: string;
}

/**
 * Verifies `bundlePath` with `publicKey`. With `extractTo` (an empty directory) the payload is written
 * there while it is checked; on a refusal the caller removes that directory.
 */
export async function verifyRelease(bundlePath: string, publicKey: KeyObject, options: { extractTo?: string } = {}): Promise<VerifiedRelease> {
  const release = await openSignedRelease(bundlePath, publicKey);
  const summary = await checkReleaseContent(release, options);
  return { bundlePath, manifest: release.manifest, keyId: release.keyId, ...summary };
}
