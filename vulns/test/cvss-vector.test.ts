/** CVSS 3.x and 4.0 vector strings held to their specifications, and written the canonical way. */
import { describe, it, expect } from 'vitest';
import { canonicalVector, validateVector, type VectorCheck } from '../src/cvss/vector.js';

const V31 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
const V40 = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';

function problemOf(check: VectorCheck): string {
  if (check.ok) throw new Error('expected the vector to be refused');
  return check.problem;
}

describe('CVSS 3.x vectors', () => {
  it('accepts a complete base vector and gives its version and metrics', () => {
    const check = validateVector(V31);
    expect(check).toEqual({
      ok: true, version: '3.1',
      metrics: { AV: 'N', AC: 'L', PR: 'N', UI: 'N', S: 'U', C: 'H', I: 'H', A: 'H' },
    });
    expect(validateVector(V31.replace('3.1', '3.0'))).toMatchObject({ ok: true, version: '3.0' });
  });

  it('accepts metrics in any order, as 3.0 and 3.1 require of readers', () => {
    expect(validateVector('CVSS:3.1/A:L/I:L/C:N/S:C/AV:N/UI:N/PR:L/AC:H')).toMatchObject({ ok: true, version: '3.1' });
  });

  it('accepts Temporal and Environmental metrics, Not Defined among them', () => {
    const check = validateVector(`${V31}/E:U/RL:O/RC:X/CR:H/IR:X/AR:L/MAV:A/MAC:H/MPR:L/MUI:R/MS:C/MC:N/MI:L/MA:X`);
    expect(check.ok).toBe(true);
  });

  it('names a missing base metric', () => {
    expect(problemOf(validateVector('CVSS:3.1/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'))).toBe('metric AV is missing');
  });

  it('names a value a metric does not have, with the values it has', () => {
    expect(problemOf(validateVector('CVSS:3.1/AV:N/AC:X/PR:N/UI:N/S:U/C:H/I:H/A:H'))).toBe('AC:X is not a value of AC (L, H)');
    expect(problemOf(validateVector(`${V31}/E:A`))).toBe('E:A is not a value of E (X, U, P, F, H)');
  });

  it('refuses a metric given twice, an unknown metric and a 4.0 metric in a 3.1 vector', () => {
    expect(problemOf(validateVector(`${V31}/AV:L`))).toBe('metric AV is given more than once');
    expect(problemOf(validateVector(`${V31}/FOO:Z`))).toBe('FOO is not a CVSS 3.1 metric');
    expect(problemOf(validateVector(`${V31}/AT:N`))).toBe('AT is not a CVSS 3.1 metric');
  });

  it('refuses parts that are not METRIC:VALUE, and a stray slash', () => {
    expect(problemOf(validateVector(`${V31}/`))).toBe('an empty metric (a stray "/")');
    expect(problemOf(validateVector(`${V31}/E`))).toBe('"E" is not of the form METRIC:VALUE');
    expect(problemOf(validateVector(V31.replace('AV:N', ' AV:N')))).toContain('" AV:N" is not of the form METRIC:VALUE');
  });

  it('gives every problem at once', () => {
    const problem = problemOf(validateVector('CVSS:3.1/AV:Q/PR:N/UI:N/S:U/C:H/I:H/A:H/XX:1'));
    expect(problem.split('; ')).toEqual(['AV:Q is not a value of AV (N, A, L, P)', '"XX:1" is not of the form METRIC:VALUE', 'metric AC is missing']);
  });
});

describe('CVSS 4.0 vectors', () => {
  it('accepts a complete base vector', () => {
    expect(validateVector(V40)).toMatchObject({ ok: true, version: '4.0' });
  });

  it('accepts Threat, Environmental and Supplemental metrics in the specification order', () => {
    const check = validateVector(`${V40}/E:A/CR:H/MAV:A/MSI:S/MSA:S/S:P/AU:Y/R:I/V:C/RE:H/U:Amber`);
    expect(check).toMatchObject({ ok: true, metrics: { MSI: 'S', S: 'P', U: 'Amber' } });
  });

  it('refuses metrics out of the specification order', () => {
    const interleaved = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/SC:N/VI:H/SI:N/VA:H/SA:N';
    expect(problemOf(validateVector(interleaved)).split('; ')).toEqual([
      "metric VI comes after SC: CVSS 4.0 requires the specification's order",
      "metric VA comes after SI: CVSS 4.0 requires the specification's order",
    ]);
    expect(problemOf(validateVector(`${V40}/S:P/MSI:S`))).toBe("metric MSI comes after S: CVSS 4.0 requires the specification's order");
  });

  it('keeps Safety (S) to the modified subsequent-system metrics and Provider Urgency to its own spelling', () => {
    expect(problemOf(validateVector(V40.replace('SI:N', 'SI:S')))).toBe('SI:S is not a value of SI (H, L, N)');
    expect(problemOf(validateVector(`${V40}/U:amber`))).toBe('U:amber is not a value of U (X, Clear, Green, Amber, Red)');
  });

  it('names missing 4.0 base metrics and 3.x metrics that 4.0 does not have', () => {
    const problem = problemOf(validateVector('CVSS:4.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'));
    expect(problem).toContain('metric AT is missing');
    expect(problem).toContain('S:U is not a value of S (X, N, P)');
    expect(problem).toContain('C is not a CVSS 4.0 metric');
    expect(problem).toContain('metric SA is missing');
  });
});

describe('vectors of other versions and without a prefix', () => {
  it('tells CVSS 2.0 vectors apart as unsupported, with or without a prefix or parentheses', () => {
    for (const vector of ['AV:N/AC:L/Au:N/C:P/I:P/A:P', '(AV:N/AC:L/Au:N/C:P/I:P/A:P)', 'CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P']) {
      expect(validateVector(vector)).toEqual({
        ok: false, unsupportedVersion: '2.0', problem: 'a CVSS 2.0 vector: version 2.0 is not supported (3.0, 3.1 and 4.0 are)',
      });
    }
  });

  it('refuses a 3.x vector without its prefix, an unknown version and an empty string', () => {
    expect(problemOf(validateVector('AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'))).toBe('the vector does not begin with CVSS:3.0/, CVSS:3.1/ or CVSS:4.0/');
    expect(problemOf(validateVector('cvss:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'))).toBe('the vector does not begin with CVSS:3.0/, CVSS:3.1/ or CVSS:4.0/');
    expect(problemOf(validateVector('CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'))).toBe('CVSS:3.2 is not a CVSS version Wardsight scores (3.0, 3.1, 4.0)');
    expect(problemOf(validateVector(''))).toBe('the vector is empty');
  });
});

describe('canonicalVector', () => {
  it('writes metrics in the specification order and leaves out Not Defined optional metrics', () => {
    const metrics = { A: 'H', RC: 'X', E: 'P', C: 'H', I: 'H', S: 'U', UI: 'N', PR: 'N', AC: 'L', AV: 'N', MAV: 'L' };
    expect(canonicalVector('3.1', metrics)).toBe(`${V31}/E:P/MAV:L`);
  });

  it('gives back a canonical 4.0 vector unchanged', () => {
    const written = `${V40}/E:A/MSI:S/S:P/U:Red`;
    const check = validateVector(written);
    if (!check.ok) throw new Error(check.problem);
    expect(canonicalVector('4.0', check.metrics)).toBe(written);
  });
});
