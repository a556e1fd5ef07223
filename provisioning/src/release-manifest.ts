/**
 * The release manifest: what a signed release bundle contains, byte for byte. The Ed25519 signature
 * covers the manifest's exact bytes, and the manifest names every file of the payload with its size,
 * mode and SHA-256 — so checking the signature, then each file against the manifest, proves the whole
 * release. Parsing is strict: a signed manifest of another shape is refused, not guessed at.
 */
import { ProvisioningError, ProvisioningErrorCode } from './errors.js';
import { releasePathAncestors, releasePathProblem, symlinkTargetProblem } from './release-paths.js';
import { isReleaseVersion } from './release-version.js';

/** The only product a sensor installs. */
export const RELEASE_PRODUCT = 'wardsight-sensor';
/** Manifest format this code writes and reads; a change of shape gets a new number. */
export const RELEASE_FORMAT = 1;
/** Bundle layout: these two entries first, in this order, then the payload under `payload/`. */
export const RELEASE_ENTRIES = { manifest: 'manifest.json', signature: 'manifest.sig', payloadPrefix: 'payload/' } as const;

export const releaseManifestDefaults = {
  /** Most entries a release may list (a sensor tree with its node_modules has a few thousand). */
  maxEntries: 200_000,
  /** Largest manifest accepted, read into memory before its signature is checked. */
  maxManifestBytes: 32 * 1024 * 1024,
} as const;

export type ReleaseEntry =
  | { path: string; type: 'file'; size: number; mode: string; sha256: string }
  | { path: string; type: 'directory'; mode: string }
  | { path: string; type: 'symlink'; target: string };

export interface ReleaseManifest {
  format: typeof RELEASE_FORMAT;
  product: typeof RELEASE_PRODUCT;
  version: string;
  /** ISO 8601 UTC time of signing. */
  createdAt: string;
  /** The oldest version this release may update; absent when any older version may. */
  minimumFromVersion?: string;
  files: ReleaseEntry[];
}

/** Permission bits as four octal digits, e.g. "0755". */
export function formatMode(mode: number): string {
  return (mode & 0o777).toString(8).padStart(4, '0');
}

export function encodeReleaseManifest(manifest: ReleaseManifest): Buffer {
  return Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
}

const MODE_PATTERN = /^0[0-7]{3}$/;
const SHA256_PATTERN = /^[0-9a-f]{64}$/;
const ISO_UTC_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const TOP_KEYS = ['format', 'product', 'version', 'createdAt', 'minimumFromVersion', 'files'];
const ENTRY_KEYS = { file: ['path', 'type', 'size', 'mode', 'sha256'], directory: ['path', 'type', 'mode'], symlink: ['path', 'type', 'target'] };

function malformed(detail: string): ProvisioningError {
  return new ProvisioningError(ProvisioningErrorCode.ReleaseMalformed, `the release manifest ${detail}; sign the release again with \`wardsight provision release sign\``);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkKeys(value: Record<string, unknown>, allowed: readonly string[], where: string): void {
  const unknown = Object.keys(value).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) throw malformed(`has unknown field(s) ${unknown.join(', ')} in ${where}`);
}

/** Parses manifest bytes (already proven signed, or about to be) into a manifest, or throws PROV_ERR_RELEASE_MALFORMED. */
export function parseReleaseManifest(bytes: Uint8Array): ReleaseManifest {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw malformed('is not JSON');
  }
  if (!isRecord(value)) throw malformed('is not a JSON object');
  if (value.format !== RELEASE_FORMAT) throw malformed(`has format ${JSON.stringify(value.format)}, and this program reads format ${RELEASE_FORMAT}: update this program first`);
  checkKeys(value, TOP_KEYS, 'the manifest');
  if (value.product !== RELEASE_PRODUCT) throw malformed(`is for the product ${JSON.stringify(value.product)}, not ${RELEASE_PRODUCT}`);
  if (typeof value.version !== 'string' || !isReleaseVersion(value.version)) throw malformed(`has the invalid version ${JSON.stringify(value.version)}`);
  if (typeof value.createdAt !== 'string' || !ISO_UTC_PATTERN.test(value.createdAt)) throw malformed('has no valid createdAt time');
  const minimum = value.minimumFromVersion;
  if (minimum !== undefined && (typeof minimum !== 'string' || !isReleaseVersion(minimum))) throw malformed(`has the invalid minimumFromVersion ${JSON.stringify(minimum)}`);
  if (!Array.isArray(value.files)) throw malformed('has no files list');
  if (value.files.length > releaseManifestDefaults.maxEntries) throw malformed(`lists more than ${releaseManifestDefaults.maxEntries} entries`);
  const files = value.files.map((entry: unknown, index: number) => parseEntry(entry, index));
  checkTree(files);
  return {
    format: RELEASE_FORMAT,
    product: RELEASE_PRODUCT,
    version: value.version,
    createdAt: value.createdAt,
    ...(minimum === undefined ? {} : { minimumFromVersion: minimum }),
    files,
  };
}

function parseEntry(entry: unknown, index: number): ReleaseEntry {
  const where = `files[${index}]`;
  if (!isRecord(entry)) throw malformed(`has a ${where} that is not an object`);
  const { path, type } = entry;
  if (typeof path !== 'string') throw malformed(`has a ${where} without a path`);
  const problem = releasePathProblem(path);
  if (problem) throw malformed(`lists the unsafe path ${JSON.stringify(path)}, which ${problem}`);
  if (type !== 'file' && type !== 'directory' && type !== 'symlink') throw malformed(`gives ${path} the unknown type ${JSON.stringify(type)}`);
  checkKeys(entry, ENTRY_KEYS[type], `${where} (${path})`);
  if (type === 'symlink') {
    const { target } = entry;
    const targetProblem = typeof target === 'string' ? symlinkTargetProblem(path, target) : 'has no target';
    if (targetProblem || typeof target !== 'string') throw malformed(`lists the link ${path}, which ${targetProblem ?? 'has no target'}`);
    return { path, type, target };
  }
  const { mode } = entry;
  if (typeof mode !== 'string' || !MODE_PATTERN.test(mode)) throw malformed(`gives ${path} the invalid mode ${JSON.stringify(mode)}`);
  if (type === 'directory') return { path, type, mode };
  const { size, sha256 } = entry;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) throw malformed(`gives ${path} the invalid size ${JSON.stringify(size)}`);
  if (typeof sha256 !== 'string' || !SHA256_PATTERN.test(sha256)) throw malformed(`gives ${path} an invalid SHA-256`);
  return { path, type, size, mode, sha256 };
}

/** Each path once; nothing below a file or a link (so nothing is ever written through a link). */
function checkTree(files: ReleaseEntry[]): void {
  const types = new Map<string, ReleaseEntry['type']>();
  for (const entry of files) {
    if (types.has(entry.path)) throw malformed(`lists ${entry.path} twice`);
    types.set(entry.path, entry.type);
  }
  for (const entry of files) {
    for (const ancestor of releasePathAncestors(entry.path)) {
      const type = types.get(ancestor);
      if (type === 'file' || type === 'symlink') throw malformed(`lists ${entry.path} below the ${type} ${ancestor}`);
    }
  }
}
