/**
 * Release versions: Semantic Versioning 2.0.0 (https://semver.org) `MAJOR.MINOR.PATCH[-PRERELEASE]`,
 * and their precedence (§11), which decides whether an update moves a sensor forward. Build metadata
 * (`+build`) is refused: it has no precedence (§10), so two releases differing only there could not
 * be ordered.
 */
import { ProvisioningError, ProvisioningErrorCode } from './errors.js';

export const releaseVersionDefaults = {
  /** Longest version string accepted; real versions are far shorter. */
  maxLength: 64,
} as const;

export interface ReleaseVersion {
  major: number;
  minor: number;
  patch: number;
  /** Pre-release identifiers (§9): numbers for numeric identifiers, strings otherwise. Empty for a release. */
  prerelease: (number | string)[];
}

// §2 numeric identifiers have no leading zeros; §9 pre-release identifiers are [0-9A-Za-z-], numeric ones without leading zeros.
const NUMERIC = '0|[1-9]\\d*';
const PRERELEASE_IDENTIFIER = `(?:${NUMERIC}|\\d*[a-zA-Z-][0-9a-zA-Z-]*)`;
const VERSION_PATTERN = new RegExp(`^(${NUMERIC})\\.(${NUMERIC})\\.(${NUMERIC})(?:-(${PRERELEASE_IDENTIFIER}(?:\\.${PRERELEASE_IDENTIFIER})*))?$`);

/** Parses `text`, or throws PROV_ERR_RELEASE_VERSION saying what a version looks like. */
export function parseReleaseVersion(text: string): ReleaseVersion {
  const match = text.length <= releaseVersionDefaults.maxLength ? VERSION_PATTERN.exec(text) : null;
  const numbers = match ? [match[1], match[2], match[3]].map(Number) : [];
  if (!match || numbers.some((n) => !Number.isSafeInteger(n))) {
    throw new ProvisioningError(
      ProvisioningErrorCode.ReleaseVersion,
      `${JSON.stringify(text)} is not a release version: use MAJOR.MINOR.PATCH with an optional -PRERELEASE, e.g. 1.4.0 or 1.5.0-rc.1 (no leading zeros, no +build)`,
    );
  }
  const prerelease = match[4] === undefined ? [] : match[4].split('.').map((id) => (/^\d+$/.test(id) ? Number(id) : id));
  return { major: numbers[0] ?? 0, minor: numbers[1] ?? 0, patch: numbers[2] ?? 0, prerelease };
}

export function isReleaseVersion(text: string): boolean {
  try {
    parseReleaseVersion(text);
    return true;
  } catch {
    return false;
  }
}

/** Precedence of `a` against `b` (§11): negative if `a` is older, 0 if equal, positive if newer. */
export function compareReleaseVersions(a: string, b: string): number {
  const x = parseReleaseVersion(a);
  const y = parseReleaseVersion(b);
  const core = x.major - y.major || x.minor - y.minor || x.patch - y.patch;
  if (core !== 0) return Math.sign(core);
  // §11.3: a pre-release has lower precedence than the release of the same core.
  if (x.prerelease.length === 0 || y.prerelease.length === 0) return Math.sign(y.prerelease.length - x.prerelease.length);
  const shared = Math.min(x.prerelease.length, y.prerelease.length);
  for (let i = 0; i < shared; i += 1) {
    const order = compareIdentifiers(x.prerelease[i] ?? 0, y.prerelease[i] ?? 0);
    if (order !== 0) return order;
  }
  // §11.4.4: a larger set of identifiers has higher precedence when all before are equal.
  return Math.sign(x.prerelease.length - y.prerelease.length);
}

/** §11.4.1–3: numbers compare numerically and below alphanumerics; alphanumerics compare in ASCII order. */
function compareIdentifiers(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return Math.sign(a - b);
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
