/**
 * The version of the running sensor software: the `version` of the application tree's root
 * package.json — the tree a signed release carries (`wardsight provision release sign` refuses a
 * payload whose package.json says another version than the one signed). It is found from this
 * module's own file upward, so a sensor started from an update slot reports that slot's release, and
 * the trial of a new version (update/health-check.ts) judges the code that actually runs.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApplianceError } from './errors.js';

export const versionDefaults = {
  /** Folders looked at above this module before giving up (dist/ → workspace → tree root, with room to spare). */
  maxLevels: 8,
  /** The root package's name, when its package.json does not list workspaces (a pruned release tree). */
  rootPackageName: 'wardsight',
} as const;

export interface TreeVersion {
  version: string;
  /** The package.json it was read from. */
  packageJson: string;
}

interface PackageFields {
  name?: unknown;
  version?: unknown;
  workspaces?: unknown;
}

function readPackage(path: string): PackageFields | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as PackageFields) : null;
  } catch {
    return null;
  }
}

/** The root of an application tree says so: it lists the workspaces, or carries the product's own name. */
function isTreeRoot(fields: PackageFields): boolean {
  return Array.isArray(fields.workspaces) || fields.name === versionDefaults.rootPackageName;
}

/**
 * The version of the application tree holding `fromDir`: the nearest package.json upward that is a
 * tree root; failing that, the nearest package.json with a version (a workspace's, versioned in step).
 */
export function readTreeVersion(fromDir: string, maxLevels: number = versionDefaults.maxLevels): TreeVersion {
  let nearest: TreeVersion | undefined;
  let dir = fromDir;
  for (let level = 0; level <= maxLevels; level += 1) {
    const path = join(dir, 'package.json');
    const fields = readPackage(path);
    if (fields && typeof fields.version === 'string' && fields.version !== '') {
      const found = { version: fields.version, packageJson: path };
      if (isTreeRoot(fields)) return found;
      nearest ??= found;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  if (nearest) return nearest;
  throw new ApplianceError('APPLIANCE_ERR_VERSION', `no package.json with a version above ${fromDir}: the sensor software is not installed as a whole tree; reinstall its release`);
}

let cached: TreeVersion | undefined;

/** The running tree's version and where it was read from (read once per process). */
export function sensorTreeVersion(): TreeVersion {
  cached ??= readTreeVersion(dirname(fileURLToPath(import.meta.url)));
  return cached;
}

/** The running sensor software's version, e.g. `1.4.0` (read once per process). */
export function sensorVersion(): string {
  return sensorTreeVersion().version;
}
