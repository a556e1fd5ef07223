/**
 * Which paths a release may carry. A release's files are addressed by relative POSIX paths that stay
 * inside the release tree, and its symbolic links point inside it too. The same rules are applied
 * when a release is signed and again when a sensor installs it, so a crafted bundle cannot write
 * outside the slot it is installed into (the tar "path traversal" and "symlink escape" attacks).
 */
export const releasePathDefaults = {
  /** PATH_MAX on Linux is 4096; release trees are far shallower. */
  maxPathLength: 1024,
  /** NAME_MAX on ext4 and most Linux file systems. */
  maxSegmentLength: 255,
} as const;

/** Control characters would make names ambiguous in messages, logs and shell scripts. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/** Why `path` may not name a file of a release, or null when it may. */
export function releasePathProblem(path: string): string | null {
  if (path.length === 0) return 'is empty';
  if (path.length > releasePathDefaults.maxPathLength) return `is longer than ${releasePathDefaults.maxPathLength} characters`;
  if (CONTROL_CHARACTERS.test(path)) return 'contains a control character';
  if (path.startsWith('/')) return 'is absolute';
  if (path.includes('\\')) return 'contains a backslash';
  for (const segment of path.split('/')) {
    if (segment === '') return 'has an empty segment (a doubled or trailing "/")';
    if (segment === '.' || segment === '..') return `contains a "${segment}" segment`;
    if (segment.length > releasePathDefaults.maxSegmentLength) return `has a name longer than ${releasePathDefaults.maxSegmentLength} characters`;
  }
  return null;
}

/**
 * Why a symbolic link at `linkPath` may not point at `target`, or null when it may. A target is
 * relative and made of leading ".." segments followed by names only: resolved from the link's own
 * directory (which is a real directory of the release, never a link) it stays inside the tree, and
 * no ".." after a name can climb out through another link that points at the tree's top.
 */
export function symlinkTargetProblem(linkPath: string, target: string): string | null {
  if (target.length === 0) return 'has an empty target';
  if (target.length > releasePathDefaults.maxPathLength) return `has a target longer than ${releasePathDefaults.maxPathLength} characters`;
  if (CONTROL_CHARACTERS.test(target)) return 'has a target with a control character';
  if (target.startsWith('/')) return `points to the absolute path ${target}`;
  const segments = target.split('/');
  const climbs = segments.findIndex((segment) => segment !== '..');
  const up = climbs === -1 ? segments.length : climbs;
  const names = segments.slice(up);
  if (names.some((segment) => segment === '' || segment === '.' || segment === '..')) {
    return `has the target ${JSON.stringify(target)}: use a plain relative path, with ".." only at its start`;
  }
  const depth = linkPath.split('/').length - 1;
  if (up > depth) return `points outside the release (${JSON.stringify(target)})`;
  return null;
}

/** The proper ancestors of a release path, nearest last: `a/b/c` → `a`, `a/b`. */
export function releasePathAncestors(path: string): string[] {
  const segments = path.split('/');
  return segments.slice(0, -1).map((_, i) => segments.slice(0, i + 1).join('/'));
}
