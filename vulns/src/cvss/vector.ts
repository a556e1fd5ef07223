/**
 * CVSS vector strings checked against the specifications before anything scores them: the scorer
 * Wardsight uses accepts malformed vectors without a word, so a vector is only scored once every
 * metric is known, given once, holds one of its values and, for 4.0, stands in its place.
 *
 * CVSS 3.0 §6 and 3.1 §6 "Vector String": the prefix `CVSS:3.x/`, every Base metric exactly once,
 * Temporal and Environmental metrics optional (omitted = Not Defined, X), no metric twice, and
 * "programs reading CVSS v3.1 vector strings must accept metrics in any order".
 * CVSS 4.0 §7 "Vector String": the prefix `CVSS:4.0/`, every Base metric exactly once, Threat,
 * Environmental and Supplemental metrics optional, and "a vector string must contain metrics in
 * the order shown in Table 23, every other ordering is invalid". Table 23 lists the impacts as
 * VC, SC, VI, SI, VA, SA, which its authors called a slip (cvss-v4-calculator issue #44): the order
 * meant, and the one of FIRST's JSON schema, calculator and examples, is VC, VI, VA, SC, SI, SA.
 * That order is the one checked here.
 * CVSS 2.0 vectors (`AV:N/AC:L/Au:N/C:P/I:P/A:P`) are recognised and refused as unsupported.
 */
import type { CvssVersion } from '../model.js';

/** One metric of a CVSS version: its abbreviation, its values in the specification's order. */
export interface CvssMetricSpec {
  name: string;
  values: readonly string[];
  /** A Base metric: a vector must give it. */
  mandatory: boolean;
}

const CIA = ['H', 'L', 'N'] as const;
const REQUIREMENT_V3 = ['X', 'L', 'M', 'H'] as const;
const MODIFIED_CIA_V3 = ['X', 'N', 'L', 'H'] as const;

function base(name: string, values: readonly string[]): CvssMetricSpec {
  return { name, values, mandatory: true };
}
function optional(name: string, values: readonly string[]): CvssMetricSpec {
  return { name, values, mandatory: false };
}

/** CVSS 3.0 and 3.1 (§7.4 "Metric Values", Table 15 order): Base, Temporal, Environmental. */
const V3_METRICS: readonly CvssMetricSpec[] = [
  base('AV', ['N', 'A', 'L', 'P']), base('AC', ['L', 'H']), base('PR', ['N', 'L', 'H']),
  base('UI', ['N', 'R']), base('S', ['U', 'C']), base('C', CIA), base('I', CIA), base('A', CIA),
  optional('E', ['X', 'U', 'P', 'F', 'H']), optional('RL', ['X', 'O', 'T', 'W', 'U']),
  optional('RC', ['X', 'U', 'R', 'C']),
  optional('CR', REQUIREMENT_V3), optional('IR', REQUIREMENT_V3), optional('AR', REQUIREMENT_V3),
  optional('MAV', ['X', 'N', 'A', 'L', 'P']), optional('MAC', ['X', 'L', 'H']),
  optional('MPR', ['X', 'N', 'L', 'H']), optional('MUI', ['X', 'N', 'R']), optional('MS', ['X', 'U', 'C']),
  optional('MC', MODIFIED_CIA_V3), optional('MI', MODIFIED_CIA_V3), optional('MA', MODIFIED_CIA_V3),
];

const REQUIREMENT_V4 = ['X', 'H', 'M', 'L'] as const;
const MODIFIED_CIA_V4 = ['X', 'H', 'L', 'N'] as const;
const MODIFIED_SAFETY_V4 = ['X', 'S', 'H', 'L', 'N'] as const;

/** CVSS 4.0 (§7, Table 23 in the corrected order): Base, Threat, Environmental, Supplemental. */
const V4_METRICS: readonly CvssMetricSpec[] = [
  base('AV', ['N', 'A', 'L', 'P']), base('AC', ['L', 'H']), base('AT', ['N', 'P']),
  base('PR', ['N', 'L', 'H']), base('UI', ['N', 'P', 'A']),
  base('VC', CIA), base('VI', CIA), base('VA', CIA), base('SC', CIA), base('SI', CIA), base('SA', CIA),
  optional('E', ['X', 'A', 'P', 'U']),
  optional('CR', REQUIREMENT_V4), optional('IR', REQUIREMENT_V4), optional('AR', REQUIREMENT_V4),
  optional('MAV', ['X', 'N', 'A', 'L', 'P']), optional('MAC', ['X', 'L', 'H']), optional('MAT', ['X', 'N', 'P']),
  optional('MPR', ['X', 'N', 'L', 'H']), optional('MUI', ['X', 'N', 'P', 'A']),
  optional('MVC', MODIFIED_CIA_V4), optional('MVI', MODIFIED_CIA_V4), optional('MVA', MODIFIED_CIA_V4),
  optional('MSC', MODIFIED_CIA_V4), optional('MSI', MODIFIED_SAFETY_V4), optional('MSA', MODIFIED_SAFETY_V4),
  optional('S', ['X', 'N', 'P']), optional('AU', ['X', 'N', 'Y']), optional('R', ['X', 'A', 'U', 'I']),
  optional('V', ['X', 'D', 'C']), optional('RE', ['X', 'L', 'M', 'H']),
  optional('U', ['X', 'Clear', 'Green', 'Amber', 'Red']),
];

/** The metrics of a CVSS version in the specification's order. */
export function metricsOf(version: CvssVersion): readonly CvssMetricSpec[] {
  return version === '4.0' ? V4_METRICS : V3_METRICS;
}

export type VectorCheck =
  | { ok: true; version: CvssVersion; metrics: Record<string, string> }
  /** `unsupportedVersion` marks a well-recognised vector of a version Wardsight does not score. */
  | { ok: false; problem: string; unsupportedVersion?: '2.0' };

const PREFIX = /^CVSS:(\d+\.\d+)\//;
const SUPPORTED: readonly string[] = ['3.0', '3.1', '4.0'];
const METRIC_PART = /^([A-Za-z]+):([A-Za-z]+)$/;

/** A CVSS 2.0 vector written without a prefix, perhaps in parentheses: it has `AV` and `Au` (authentication). */
function looksLikeVersion2(vector: string): boolean {
  const names = vector.replace(/^\((.*)\)$/, '$1').split('/').map((part) => part.split(':')[0]);
  return names.includes('AV') && names.includes('Au');
}

/**
 * Checks a CVSS 3.0, 3.1 or 4.0 vector string against its specification. On success it gives the
 * version and the metrics as written (`{ AV: 'N', … }`); otherwise every problem found, in words
 * (`metric AV is missing; AC:X is not a value of AC (L, H)`), joined by `; `.
 */
export function validateVector(vector: string): VectorCheck {
  if (vector.length === 0) return { ok: false, problem: 'the vector is empty' };
  const prefix = PREFIX.exec(vector);
  if (prefix?.[1] === '2.0' || (prefix === null && looksLikeVersion2(vector))) {
    return { ok: false, problem: 'a CVSS 2.0 vector: version 2.0 is not supported (3.0, 3.1 and 4.0 are)', unsupportedVersion: '2.0' };
  }
  if (prefix === null) return { ok: false, problem: 'the vector does not begin with CVSS:3.0/, CVSS:3.1/ or CVSS:4.0/' };
  const written = prefix[1] ?? '';
  if (!SUPPORTED.includes(written)) {
    return { ok: false, problem: `CVSS:${written} is not a CVSS version Wardsight scores (3.0, 3.1, 4.0)` };
  }
  const version = written as CvssVersion;
  const specs = metricsOf(version);
  const problems: string[] = [];
  const metrics: Record<string, string> = {};
  let lastPlace = -1;
  let lastName = '';
  for (const part of vector.slice(prefix[0].length).split('/')) {
    const match = METRIC_PART.exec(part);
    if (match === null) {
      problems.push(part === '' ? 'an empty metric (a stray "/")' : `"${part}" is not of the form METRIC:VALUE`);
      continue;
    }
    const [, name = '', value = ''] = match;
    const place = specs.findIndex((spec) => spec.name === name);
    const spec = specs[place];
    if (spec === undefined) {
      problems.push(`${name} is not a CVSS ${version} metric`);
      continue;
    }
    if (Object.hasOwn(metrics, name)) {
      problems.push(`metric ${name} is given more than once`);
      continue;
    }
    if (!spec.values.includes(value)) problems.push(`${name}:${value} is not a value of ${name} (${spec.values.join(', ')})`);
    if (version === '4.0' && place < lastPlace) {
      problems.push(`metric ${name} comes after ${lastName}: CVSS 4.0 requires the specification's order`);
    }
    if (place > lastPlace) {
      lastPlace = place;
      lastName = name;
    }
    metrics[name] = value;
  }
  for (const spec of specs) if (spec.mandatory && !Object.hasOwn(metrics, spec.name)) problems.push(`metric ${spec.name} is missing`);
  return problems.length === 0 ? { ok: true, version, metrics } : { ok: false, problem: problems.join('; ') };
}

/**
 * The vector of `metrics` written the one way Wardsight stores it: the version prefix, the metrics
 * in the specification's order, and optional metrics left out where they are Not Defined (X), which
 * is what an omitted metric means.
 */
export function canonicalVector(version: CvssVersion, metrics: Readonly<Record<string, string>>): string {
  const parts = metricsOf(version)
    .filter((spec) => metrics[spec.name] !== undefined && (spec.mandatory || metrics[spec.name] !== 'X'))
    .map((spec) => `${spec.name}:${metrics[spec.name] ?? ''}`);
  return [`CVSS:${version}`, ...parts].join('/');
}
