/**
 * Signing a release: reads the built application tree, writes the manifest (every entry with its
 * size, mode and SHA-256), signs the manifest's bytes with the release key (Ed25519) and writes the
 * bundle `wardsight-sensor-<version>.tar`. The bundle is verified with the key's public half before it
 * is given its final name, so a bundle that exists under that name has passed the sensor's own check.
 * A payload whose root package.json gives another version is refused: a sensor reads its running
 * version from that file, and a release that calls itself otherwise could never confirm its trial.
 */
import { createPublicKey, randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ProvisioningError, ProvisioningErrorCode } from './errors.js';
import { isAlreadyExists } from './file-modes.js';
import { loadReleasePrivateKey } from './release-keys.js';
import { encodeReleaseManifest, RELEASE_FORMAT, RELEASE_PRODUCT, type ReleaseManifest } from './release-manifest.js';
import { readReleasePayload } from './release-payload.js';
import { signReleaseManifest } from './release-signature.js';
import { writeReleaseTar } from './release-tar.js';
import { compareReleaseVersions, parseReleaseVersion } from './release-version.js';
import { verifyRelease, type VerifiedRelease } from './release-verify.js';

export interface SignReleaseRequest {
  /** The directory holding the release payload (the built application tree). */
  payloadDir: string;
  /** MAJOR.MINOR.PATCH[-PRERELEASE] of this release. */
  version: string;
  /** The release private key (`<name>.key` from keygen, mode 0600). */
  privateKeyPath: string;
  /** Where the bundle is written. */
  outDir: string;
  /** The oldest version this release may update, when older ones need an intermediate release. */
  minimumFromVersion?: string;
}

/** File name of the bundle of `version`. */
export function releaseBundleName(version: string): string {
  parseReleaseVersion(version);
  return `${RELEASE_PRODUCT}-${version}.tar`;
}

/**
 * The payload's own version (its root package.json, when it has one) must be the version signed: the
 * sensor reports and judges its trial by that file.
 */
export async function checkPayloadVersion(payloadRoot: string, version: string): Promise<void> {
  const path = join(payloadRoot, 'package.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new ProvisioningError(ProvisioningErrorCode.ReleasePayload, `cannot sign the release: ${path} cannot be read (${(error as Error).message})`);
  }
  let stated: unknown;
  try {
    stated = (JSON.parse(text) as { version?: unknown }).version;
  } catch {
    throw new ProvisioningError(ProvisioningErrorCode.ReleasePayload, `cannot sign the release: ${path} is not JSON`);
  }
  if (stated === version) return;
  const says = typeof stated === 'string' ? `version ${stated}` : 'no version';
  throw new ProvisioningError(
    ProvisioningErrorCode.ReleaseVersion,
    `the payload's package.json says ${says}, but it is being signed as ${version}: a sensor reports the version in that file, so set it to ${version} (npm version ${version} --no-git-tag-version) and rebuild${typeof stated === 'string' ? `, or sign the payload as ${stated}` : ''}`,
  );
}

export async function signRelease(request: SignReleaseRequest): Promise<VerifiedRelease> {
  const bundlePath = resolve(request.outDir, releaseBundleName(request.version));
  const minimum = request.minimumFromVersion;
  if (minimum !== undefined && compareReleaseVersions(minimum, request.version) >= 0) {
    throw new ProvisioningError(ProvisioningErrorCode.ReleaseVersion, `the minimum version to update from (${minimum}) must be older than the release itself (${request.version})`);
  }
  const privateKey = await loadReleasePrivateKey(request.privateKeyPath);
  const payloadRoot = resolve(request.payloadDir);
  await checkPayloadVersion(payloadRoot, request.version);
  const payload = await readReleasePayload(payloadRoot);
  const manifest: ReleaseManifest = {
    format: RELEASE_FORMAT,
    product: RELEASE_PRODUCT,
    version: request.version,
    createdAt: new Date().toISOString(),
    ...(minimum === undefined ? {} : { minimumFromVersion: minimum }),
    files: payload.entries,
  };
  const manifestBytes = encodeReleaseManifest(manifest);
  const signatureBytes = signReleaseManifest(manifestBytes, privateKey);
  await mkdir(request.outDir, { recursive: true });
  const partial = join(request.outDir, `.${releaseBundleName(request.version)}.${randomBytes(4).toString('hex')}.partial`);
  try {
    await writeReleaseTar(partial, { manifestBytes, signatureBytes, manifest, payloadRoot });
    const verified = await verifyRelease(partial, createPublicKey(privateKey));
    // link(2) never replaces an existing file: the final name appears only if it was free.
    await link(partial, bundlePath).catch((error: unknown) => {
      if (!isAlreadyExists(error)) throw error;
      throw new ProvisioningError(ProvisioningErrorCode.ReleaseExists, `${bundlePath} already exists: a signed release is never replaced; give the new build a new version`);
    });
    return { ...verified, bundlePath };
  } finally {
    await unlink(partial).catch(() => undefined);
  }
}
