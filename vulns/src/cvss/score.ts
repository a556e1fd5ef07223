/**
 * CVSS scores recomputed from their vectors, never copied from a feed. A vector is checked against
 * its specification first (`vector.ts`), then scored by `ae-cvss-calculator`, the scorer that gets
 * every reference vector of CVSS 3.0, 3.1 and 4.0 right.
 */
import cvssCalculator from 'ae-cvss-calculator';
import { VulnError } from '../errors.js';
import type { CvssVersion } from '../model.js';
import { canonicalVector, validateVector } from './vector.js';

const { Cvss3P0, Cvss3P1, Cvss4P0 } = cvssCalculator;

/** The qualitative rating of a score (CVSS 3.1 §5 and 4.0 §6 use the same bands). */
export type CvssSeverity = 'None' | 'Low' | 'Medium' | 'High' | 'Critical';

/** A CVSS vector scored by Wardsight. */
export interface CvssScore {
  version: CvssVersion;
  /** The vector in the specification's order, Not Defined optional metrics left out. */
  vector: string;
  /** The score of the Base metrics alone (for 4.0: CVSS-B). */
  baseScore: number;
  /** The rating of the base score. */
  severity: CvssSeverity;
  /** 3.x only: the Base exploitability sub-score. */
  exploitability?: number;
  /** 3.x only: the Base impact sub-score. */
  impact?: number;
  /**
   * The score with every Temporal/Threat and Environmental metric the vector gives applied
   * (3.x: the environmental score, else the temporal score; 4.0: CVSS-BT, -BE or -BTE). Equal to
   * `baseScore` when the vector holds Base metrics only.
   */
  overallScore: number;
  /** The metrics as the vector gives them, `{ AV: 'N', AC: 'L', … }`. */
  metrics: Record<string, string>;
}

/** Where a vector's attacker has to be. */
export type AttackVector = 'network' | 'adjacent' | 'local' | 'physical';

/** The rating of a CVSS score: 0 None, 0.1–3.9 Low, 4.0–6.9 Medium, 7.0–8.9 High, 9.0–10 Critical. */
export function severityOf(score: number): CvssSeverity {
  if (score === 0) return 'None';
  if (score < 4) return 'Low';
  if (score < 7) return 'Medium';
  if (score < 9) return 'High';
  return 'Critical';
}

/** A score the calculator must give for a complete vector; its absence is a fault of the calculator. */
function given(value: number | undefined, what: string, vector: string): number {
  if (value === undefined || Number.isNaN(value)) throw new Error(`the CVSS calculator gave no ${what} for ${vector}`);
  return value;
}

/**
 * Scores a CVSS 3.0, 3.1 or 4.0 vector. Throws VulnError VULN_ERR_CVSS_VECTOR, saying what is wrong
 * with it, when the vector breaks its specification (a 2.0 vector is refused as unsupported).
 */
export function scoreVector(vector: string): CvssScore {
  const check = validateVector(vector);
  if (!check.ok) throw new VulnError('VULN_ERR_CVSS_VECTOR', `${check.problem} in "${vector}"`);
  const { version, metrics } = check;
  const normalised = canonicalVector(version, metrics);
  if (version === '4.0') {
    const scores = new Cvss4P0(normalised).calculateScores();
    const baseScore = given(scores.baseMetricsOnly, 'base score', normalised);
    return { version, vector: normalised, baseScore, severity: severityOf(baseScore), overallScore: given(scores.overall, 'score', normalised), metrics };
  }
  const scores = (version === '3.0' ? new Cvss3P0(normalised) : new Cvss3P1(normalised)).calculateScores();
  const baseScore = given(scores.base, 'base score', normalised);
  return {
    version,
    vector: normalised,
    baseScore,
    severity: severityOf(baseScore),
    exploitability: given(scores.exploitability, 'exploitability sub-score', normalised),
    impact: given(scores.impact, 'impact sub-score', normalised),
    overallScore: given(scores.overall, 'score', normalised),
    metrics,
  };
}

const ATTACK_VECTORS: Readonly<Record<string, AttackVector>> = { N: 'network', A: 'adjacent', L: 'local', P: 'physical' };

/**
 * Where the attacker has to be for a scored vector: the Modified Attack Vector where the vector
 * sets one for its environment, else the Base Attack Vector.
 */
export function attackVectorOf(score: CvssScore): AttackVector {
  const modified = score.metrics.MAV;
  const value = modified !== undefined && modified !== 'X' ? modified : score.metrics.AV;
  const attackVector = value === undefined ? undefined : ATTACK_VECTORS[value];
  if (attackVector === undefined) throw new VulnError('VULN_ERR_CVSS_VECTOR', `no attack vector in "${score.vector}"`);
  return attackVector;
}
