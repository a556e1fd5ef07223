/**
 * Every CVSS vector in the real CISA ICS medical advisories (CSAF 2.0) and in the CVE JSON 5
 * records of medical devices, checked and recomputed; the stated score is held against the
 * recomputed one. The JSON is read directly here, apart from the feed parsers.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, it, expect } from 'vitest';
import { scoreVector } from '../src/cvss/score.js';
import { validateVector } from '../src/cvss/vector.js';
import { sharedFiles } from './shared-data.js';

interface StatedScore {
  file: string;
  cve: string;
  /** Where in the record: `cvss_v3`, `cna cvssV3_1`, `adp CISA-ADP cvssV4_0`… */
  place: string;
  vector: unknown;
  stated: unknown;
  statedSeverity: unknown;
  statedVersion: unknown;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const objects = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isObject) : []);
const read = (file: string): Json => JSON.parse(readFileSync(file, 'utf8')) as Json;

function stated(file: string, cve: string, place: string, block: Json): StatedScore {
  return { file: basename(file), cve, place, vector: block.vectorString, stated: block.baseScore, statedSeverity: block.baseSeverity, statedVersion: block.version };
}

/** CSAF: vulnerabilities[].scores[].cvss_v3 (CSAF 2.0 has no CVSS 4.0 field). */
function csafScores(file: string): StatedScore[] {
  return objects(read(file).vulnerabilities).flatMap((vulnerability) =>
    objects(vulnerability.scores).flatMap((score) =>
      isObject(score.cvss_v3) ? [stated(file, String(vulnerability.cve), 'cvss_v3', score.cvss_v3)] : []));
}

const CVE5_KEYS = ['cvssV3_0', 'cvssV3_1', 'cvssV4_0'];

/** CVE JSON 5: containers.cna.metrics[] and containers.adp[].metrics[]. */
function cve5Scores(file: string): StatedScore[] {
  const record = read(file);
  const cve = isObject(record.cveMetadata) ? String(record.cveMetadata.cveId) : basename(file);
  const containers = isObject(record.containers) ? record.containers : {};
  const providers = [
    { who: 'cna', container: containers.cna },
    ...objects(containers.adp).map((adp) => ({ who: `adp ${isObject(adp.providerMetadata) ? String(adp.providerMetadata.shortName) : '?'}`, container: adp })),
  ];
  return providers.flatMap(({ who, container }) =>
    objects(isObject(container) ? container.metrics : undefined).flatMap((metric) =>
      CVE5_KEYS.flatMap((key) => (isObject(metric[key]) ? [stated(file, cve, `${who} ${key}`, metric[key])] : []))));
}

interface Difference {
  file: string;
  cve: string;
  vector: string;
  stated: unknown;
  recomputed: number | string;
}

/**
 * Stated scores known to be a publisher's arithmetic error, each with the recomputation shown.
 * None so far: every stated score in the feeds agrees with its vector.
 */
const KNOWN_DIFFERENCES: readonly Difference[] = [];
/** Vectors in the feeds that break their specification, with the problem. None so far. */
const KNOWN_INVALID: readonly { file: string; cve: string; vector: unknown; problem: string }[] = [];

const csafFiles = sharedFiles('vuln/csaf-icsma', '.json');
const cve5Files = sharedFiles('vuln/cve5-medical', '.json');

describe.skipIf(csafFiles.length === 0 || cve5Files.length === 0)('CVSS vectors of the medical advisories and CVE records', () => {
  const statements = [...csafFiles.flatMap(csafScores), ...cve5Files.flatMap(cve5Scores)];
  const invalid: { file: string; cve: string; vector: unknown; problem: string }[] = [];
  const differences: Difference[] = [];
  const severityDifferences: Difference[] = [];
  const versionDifferences: { file: string; cve: string; vector: string; statedVersion: unknown }[] = [];
  let agreeing = 0;
  for (const statement of statements) {
    const { file, cve, vector } = statement;
    const check = typeof vector === 'string' ? validateVector(vector) : { ok: false as const, problem: 'no vectorString' };
    if (!check.ok || typeof vector !== 'string') {
      invalid.push({ file, cve, vector, problem: check.ok ? 'no vectorString' : check.problem });
      continue;
    }
    const score = scoreVector(vector);
    if (score.baseScore === statement.stated) agreeing++;
    else differences.push({ file, cve, vector, stated: statement.stated, recomputed: score.baseScore });
    if (String(statement.statedSeverity).toLowerCase() !== score.severity.toLowerCase()) {
      severityDifferences.push({ file, cve, vector, stated: statement.statedSeverity, recomputed: score.severity });
    }
    if (String(statement.statedVersion) !== check.version) versionDifferences.push({ file, cve, vector, statedVersion: statement.statedVersion });
  }
  const byVersion = (version: string): number => statements.filter((s) => typeof s.vector === 'string' && s.vector.startsWith(`CVSS:${version}/`)).length;
  console.log(
    `[cvss-dataset] ${statements.length} vectors (${csafFiles.length} CSAF files, ${cve5Files.length} CVE records; `
    + `3.0: ${byVersion('3.0')}, 3.1: ${byVersion('3.1')}, 4.0: ${byVersion('4.0')}): ${agreeing} agree, `
    + `${differences.length} differ, ${invalid.length} invalid, ${severityDifferences.length} severities differ`,
  );
  for (const d of [...differences, ...severityDifferences]) console.log(`[cvss-dataset] ${d.file} ${d.cve} ${d.vector}: stated ${String(d.stated)}, recomputed ${d.recomputed}`);
  for (const i of invalid) console.log(`[cvss-dataset] invalid ${i.file} ${i.cve} ${String(i.vector)}: ${i.problem}`);

  it('finds vectors in both feeds, CVSS 4.0 among them', () => {
    expect(statements.filter((s) => s.place === 'cvss_v3').length).toBeGreaterThan(0);
    expect(statements.filter((s) => s.place !== 'cvss_v3').length).toBeGreaterThan(0);
    expect(byVersion('4.0')).toBeGreaterThan(0);
  });

  it('finds exactly the known invalid vectors', () => {
    expect(invalid).toEqual(KNOWN_INVALID);
  });

  it('recomputes every stated base score but the known publisher errors', () => {
    expect(differences).toEqual(KNOWN_DIFFERENCES);
    expect(agreeing + differences.length + invalid.length).toBe(statements.length);
  });

  it('agrees with every stated severity and version', () => {
    expect(severityDifferences).toEqual([]);
    expect(versionDifferences).toEqual([]);
  });
});
