/**
 * Which CVSS vector speaks for a vulnerability: among its statements' vectors of the wanted
 * versions, the first valid one in order of source (the advisory's publisher, then the CVE's own
 * numbering authority, then NVD, then enrichers), always recomputed from the vector — the score a
 * feed states is kept beside it only where it differs.
 */
import { scoreVector, type CvssScore, type CvssStatement, type VulnerabilityRecord } from '@wardsight/vulns';

export interface ScoredCvss {
  version: string;
  vector: string;
  /** Recomputed from the vector. */
  score: number;
  severity: string;
  /** Who gave the vector: a feed source, or `rubric` for the analyst's recorded answers. */
  source: string;
  /** The score the source stated, where it differs from the recomputed one. */
  statedScore?: number;
  /** The recomputation itself (metrics, attack vector). */
  scored: CvssScore;
}

const SOURCE_ORDER = ['cisa-csaf', 'cna', 'nvd'];
const sourceRank = (s: CvssStatement): number => {
  const i = SOURCE_ORDER.findIndex((p) => s.source.startsWith(p));
  return i === -1 ? SOURCE_ORDER.length : i;
};

/** The best valid vector of those versions, recomputed; null where none is valid. */
export function bestCvssOf(statements: readonly VulnerabilityRecord[], versions: readonly string[]): ScoredCvss | null {
  const candidates = statements.flatMap((s) => s.cvss).filter((c) => versions.includes(c.version)).sort((a, b) => sourceRank(a) - sourceRank(b));
  for (const c of candidates) {
    try {
      const scored = scoreVector(c.vector);
      const out: ScoredCvss = { version: scored.version, vector: scored.vector, score: scored.baseScore, severity: scored.severity, source: c.source, scored };
      if (c.statedScore !== undefined && c.statedScore !== scored.baseScore) out.statedScore = c.statedScore;
      return out;
    } catch {
      // an invalid vector is passed over; another source's may be valid
    }
  }
  return null;
}
