/**
 * Firmware version comparison on version strings published in the CISA ICS medical advisories
 * (the advisory each comes from is named beside it) and on the cases generic comparators get wrong.
 */
import { describe, it, expect } from 'vitest';
import { compareVersions, parseVersion } from '../src/version/compare.js';

/** Asserts `earlier` < `later` in both directions. */
function expectBefore(earlier: string, later: string): void {
  expect(compareVersions(earlier, later), `${earlier} < ${later}`).toBeLessThan(0);
  expect(compareVersions(later, earlier), `${later} > ${earlier}`).toBeGreaterThan(0);
}

describe('compareVersions', () => {
  it('orders Philips release-letter firmware (ICSMA-17-255-01 `< B.06.18`, ICSMA-21-322-01 `<= C.00.04`)', () => {
    expectBefore('B.06.17', 'B.06.18');
    expectBefore('B.06.18', 'B.06.19');
    expectBefore('C.00.04', 'C.00.05');
    expectBefore('C.00.04', 'C.01.00');
    expectBefore('A.01.00', 'B.06.18');
    expect(compareVersions('b.06.18', 'B.06.18')).toBe(0);
  });

  it('compares numbers as numbers, not as text (Dependency-Track #2803: `2.8.123e` vs `2.8.75`)', () => {
    expectBefore('2.8.75', '2.8.123e');
    expectBefore('1.9', '1.10'); // ICSMA-21-152-01 `< 1.10`
    expectBefore('2.43.01', '2.43.02'); // ICSMA-21-152-01 `< 2.43.02`
    expectBefore('4.9', '4.12'); // ICSMA-19-248-01 `>= 4.4 | <= 4.12`
    expectBefore('4107600010.22', '4107600010.23'); // ICSMA-18-144-01
  });

  it('puts a letter suffix after the bare release (`4.26.10m`, ICSMA-20-184-01 `5.89.05b`, ICSMA-19-178-01 `2.4A`)', () => {
    expectBefore('4.26.10', '4.26.10m');
    expectBefore('5.89.05', '5.89.05b');
    expectBefore('5.89.05b', '5.89.06');
    expectBefore('2.4A', '2.5A');
    expectBefore('2.4', '2.4A');
  });

  it('orders builds (ICSMA-19-164-01 `1.3.1 Build 13`, `V2.1 build 45`, ICSMA-21-152-01 `1.8.4 Service Pack 01`)', () => {
    expectBefore('V2.1 build 7', 'V2.1 build 45');
    expectBefore('1.3.0 Build 14', '1.3.1 Build 13');
    expectBefore('1.3.1', '1.3.1 Build 13');
    expectBefore('1.8.4', '1.8.4 Service Pack 01');
    expectBefore('1.8.4 Service Pack 01', '1.8.5');
  });

  it('orders letter-series versions within a series (ICSMA-20-343-01 `BT06`, ICSMA-21-294-01 `L81`, ICSMA-17-082-02 `012U000040`)', () => {
    expectBefore('BT02', 'BT06');
    expectBefore('L80', 'L81');
    expectBefore('012U000039', '012U000040');
    expectBefore('SV20.1', 'SV23.0'); // ICSMA-20-343-01
    expectBefore('R4.1L1', 'R4.1L2'); // ICSMA-17-318-01
  });

  it('ignores a leading v and case, and trailing zero parts', () => {
    expect(compareVersions('1.0', '1.0.0')).toBe(0);
    expect(compareVersions('V2.2', '2.2.0')).toBe(0);
    expect(compareVersions('v9.7', '9.7')).toBe(0); // ICSMA-17-017-02
    expectBefore('1.0', '1.0.1');
  });

  it('puts pre-releases before the release', () => {
    expectBefore('1.0 beta', '1.0');
    expectBefore('1.0-rc1', '1.0');
    expectBefore('1.0-beta2', '1.0-rc1');
  });

  it('is a consistent order on a mixed set', () => {
    const versions = ['4.26.10m', '4.26.10', '4.26.10.0', '4.26.9', '4.26.10 beta', '4.26.11', '4.26.10a', '4.26.10.1'];
    const sorted = [...versions].sort(compareVersions);
    for (let i = 0; i < sorted.length; i++) {
      for (let j = i + 1; j < sorted.length; j++) {
        expect(compareVersions(sorted[i]!, sorted[j]!), `${sorted[i]} vs ${sorted[j]}`).toBeLessThanOrEqual(0);
      }
    }
    expect(sorted.indexOf('4.26.10 beta')).toBeLessThan(sorted.indexOf('4.26.10'));
    expect(sorted.indexOf('4.26.10.1')).toBeLessThan(sorted.indexOf('4.26.10a'));
  });
});

describe('parseVersion', () => {
  it('keeps the raw string beside digit and letter tokens', () => {
    const parsed = parseVersion('1.3.1 Build 13');
    expect(parsed.raw).toBe('1.3.1 Build 13');
    expect(parsed.tokens).toEqual([
      { kind: 'number', digits: '1' }, { kind: 'number', digits: '3' }, { kind: 'number', digits: '1' },
      { kind: 'word', text: 'build' }, { kind: 'number', digits: '13' },
    ]);
    expect(parseVersion('012U000040').tokens).toEqual([
      { kind: 'number', digits: '12' }, { kind: 'word', text: 'u' }, { kind: 'number', digits: '40' },
    ]);
  });

  it('names the series of a letter-prefixed version but not of a release letter', () => {
    expect(parseVersion('L81').series).toBe('l');
    expect(parseVersion('U61').series).toBe('u');
    expect(parseVersion('BT06').series).toBe('bt');
    expect(parseVersion('HD 16').series).toBe('hd'); // ICSMA-20-343-01
    expect(parseVersion('B.06.18').series).toBeUndefined();
    expect(parseVersion('v2.1').series).toBeUndefined();
    expect(parseVersion('2.3.6').series).toBeUndefined();
  });
});
