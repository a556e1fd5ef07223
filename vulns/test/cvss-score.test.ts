/** Scores recomputed from vectors, against FIRST's published figures; malformed vectors refused. */
import { describe, it, expect } from 'vitest';
import { VulnError } from '../src/errors.js';
import { attackVectorOf, scoreVector, severityOf } from '../src/cvss/score.js';

// Expected scores are FIRST's, from the specification examples and its calculators.
describe('scoreVector on CVSS 3.x', () => {
  it('scores a 3.1 base vector with its sub-scores', () => {
    expect(scoreVector('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')).toEqual({
      version: '3.1',
      vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      baseScore: 9.8,
      severity: 'Critical',
      exploitability: 3.9,
      impact: 5.9,
      overallScore: 9.8,
      metrics: { AV: 'N', AC: 'L', PR: 'N', UI: 'N', S: 'U', C: 'H', I: 'H', A: 'H' },
    });
  });

  it('scores a changed scope (the specification example of a reflected XSS, 6.1)', () => {
    const score = scoreVector('CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N');
    expect([score.baseScore, score.severity, score.exploitability, score.impact]).toEqual([6.1, 'Medium', 2.8, 2.7]);
  });

  it('scores 3.0 vectors with the 3.0 formula', () => {
    expect(scoreVector('CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H')).toMatchObject({ version: '3.0', baseScore: 7.8, severity: 'High' });
  });

  it('gives 0, None, where nothing is lost', () => {
    expect(scoreVector('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N')).toMatchObject({ baseScore: 0, severity: 'None' });
  });

  it('keeps the base score apart from the temporal one', () => {
    const score = scoreVector('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:C');
    expect([score.baseScore, score.overallScore]).toEqual([9.8, 8.5]);
  });

  it('normalises the vector: specification order, Not Defined metrics left out', () => {
    const score = scoreVector('CVSS:3.1/A:H/I:H/C:H/S:U/UI:N/PR:N/AC:L/AV:N/RC:X/E:P');
    expect(score.vector).toBe('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P');
    expect(score.metrics.RC).toBe('X');
  });
});

describe('scoreVector on CVSS 4.0', () => {
  it('scores base vectors', () => {
    expect(scoreVector('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N')).toMatchObject({ version: '4.0', baseScore: 9.3, severity: 'Critical', overallScore: 9.3 });
    expect(scoreVector('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N')).toMatchObject({ baseScore: 6.9, severity: 'Medium' });
  });

  it('has no 3.x sub-scores', () => {
    const score = scoreVector('CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N');
    expect(score.exploitability).toBeUndefined();
    expect(score.impact).toBeUndefined();
  });

  it('keeps CVSS-B as the base score when Threat or Environmental metrics lower or raise the whole', () => {
    const unreported = scoreVector('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U');
    expect(unreported.baseScore).toBe(9.3);
    expect(unreported.overallScore).toBeLessThan(9.3);
    const safety = scoreVector('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:H/VA:H/SC:N/SI:N/SA:N/MSI:S/MSA:S/S:P');
    expect(safety.overallScore).toBeGreaterThan(safety.baseScore);
  });
});

describe('scoreVector on vectors that break their specification', () => {
  function refusal(vector: string): VulnError {
    try {
      scoreVector(vector);
    } catch (error) {
      if (error instanceof VulnError) return error;
      throw error;
    }
    throw new Error(`${vector} was scored`);
  }

  it('throws VULN_ERR_CVSS_VECTOR with the problem, where the calculator alone would score it', () => {
    const error = refusal('CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H');
    expect(error.code).toBe('VULN_ERR_CVSS_VECTOR');
    expect(error.message).toContain('AV:X is not a value of AV (N, A, L, P)');
    expect(refusal('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N').message).toContain('SI:S is not a value of SI');
  });

  it('refuses a 2.0 vector as unsupported', () => {
    expect(refusal('AV:N/AC:L/Au:N/C:P/I:P/A:P').message).toContain('version 2.0 is not supported');
  });
});

describe('severityOf', () => {
  it('rates scores on the CVSS bands', () => {
    const rated = [0, 0.1, 3.9, 4, 6.9, 7, 8.9, 9, 10].map(severityOf);
    expect(rated).toEqual(['None', 'Low', 'Low', 'Medium', 'Medium', 'High', 'High', 'Critical', 'Critical']);
  });
});

describe('attackVectorOf', () => {
  it('names the attack vector of 3.x and 4.0 vectors', () => {
    expect(attackVectorOf(scoreVector('CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'))).toBe('adjacent');
    expect(attackVectorOf(scoreVector('CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'))).toBe('physical');
    expect(attackVectorOf(scoreVector('CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N'))).toBe('local');
    expect(attackVectorOf(scoreVector('CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N'))).toBe('network');
  });

  it('prefers a Modified Attack Vector the environment sets, and ignores a Not Defined one', () => {
    expect(attackVectorOf(scoreVector('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/MAV:L'))).toBe('local');
    expect(attackVectorOf(scoreVector('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/MAV:X'))).toBe('network');
  });
});
