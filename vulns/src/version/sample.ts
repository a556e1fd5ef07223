/**
 * Versions taken from a constraint's own bounds: one that each interval holds, and ones just
 * outside each interval — past its upper end, before its lower end — that the whole constraint
 * leaves out. They let a constraint be tested against itself — a device at the first must be
 * affected, a device at the others must not — as the CSAF evaluation does (`<= 2.3.6` → 2.3.6
 * and 2.3.7, `< B.06.18` → B.06.17 and B.06.18, `>= 4.4 | <= 4.12` → 4.12, and 4.3 and 4.13).
 */
import type { VersionConstraint, VersionInterval } from '../model.js';
import { containsVersion } from './constraint.js';
import { nextVersion, previousVersion } from './step.js';

/** A version the interval should hold: an inclusive end, else just inside an exclusive one. */
function inside(interval: VersionInterval): string | null {
  if (interval.end?.inclusive) return interval.end.version;
  if (interval.start?.inclusive) return interval.start.version;
  if (interval.end) return previousVersion(interval.end.version);
  if (interval.start) return nextVersion(interval.start.version);
  return null;
}

/** The version just past the interval's upper end; null when it has none. */
function above(interval: VersionInterval): string | null {
  if (!interval.end) return null;
  return interval.end.inclusive ? nextVersion(interval.end.version) : interval.end.version;
}

/** A version just before the interval's lower end; null when it has none or nothing is before it. */
function below(interval: VersionInterval): string | null {
  if (!interval.start) return null;
  return interval.start.inclusive ? previousVersion(interval.start.version) : interval.start.version;
}

function distinct(versions: (string | null)[]): string[] {
  return [...new Set(versions.filter((v): v is string => v !== null))];
}

/**
 * One version inside each interval, kept only where the constraint does hold it; for `any`,
 * `fallback` (every version is inside). Empty when the constraint was not understood.
 */
export function versionsInside(c: VersionConstraint, fallback = '1.0'): string[] {
  if (!c.understood) return [];
  if (c.any) return [fallback];
  return distinct(c.intervals.map(inside)).filter((v) => containsVersion(c, v) === true);
}

/**
 * The versions just past each interval's upper end and just before each lower end, kept only
 * where the whole constraint leaves them out (`1.1 | 1.2 | 1.4` → 1.0, 1.3 and 1.5, not 1.2).
 * Empty for `any` and for a constraint not understood.
 */
export function versionsOutside(c: VersionConstraint): string[] {
  if (!c.understood || c.any) return [];
  return distinct(c.intervals.flatMap((interval) => [above(interval), below(interval)])).filter((v) => containsVersion(c, v) === false);
}
