/**
 * Version constraints read from the free text of CISA ICS medical advisories (the advisory each
 * text comes from is named), from CVE JSON 5 entries and from NVD bounds, and the containment test.
 */
import { describe, it, expect } from 'vitest';
import type { VersionConstraint } from '../src/model.js';
import { constraintFromBounds, constraintFromCve5, containsVersion, parseConstraint } from '../src/version/constraint.js';
import { nextVersion, previousVersion } from '../src/version/step.js';

/** The versions of `versions` the constraint holds (true), leaves out (false) or cannot judge (null). */
function verdicts(c: VersionConstraint, versions: string[]): Record<string, boolean | null> {
  return Object.fromEntries(versions.map((v) => [v, containsVersion(c, v)]));
}

describe('parseConstraint: bounds', () => {
  it('reads upper bounds with and without spaces (ICSMA-18-235-01 `<= 2.3.6`, ICSMA-18-123-01 `<=2.3.5`)', () => {
    expect(verdicts(parseConstraint('<= 2.3.6'), ['2.3.6', '2.3.5', '2.3.7', '2.4'])).toEqual({ '2.3.6': true, '2.3.5': true, '2.3.7': false, '2.4': false });
    expect(verdicts(parseConstraint('<=2.3.5'), ['2.3.5', '2.3.6'])).toEqual({ '2.3.5': true, '2.3.6': false });
  });

  it('reads release-letter firmware and covers earlier letters (ICSMA-17-255-01 `< B.06.18`)', () => {
    const c = parseConstraint('< B.06.18');
    expect(c.intervals).toEqual([{ end: { version: 'B.06.18', inclusive: false } }]);
    expect(verdicts(c, ['B.06.17', 'B.06.18', 'B.06.19', 'A.01.00', 'C.00.00'])).toEqual({
      'B.06.17': true, 'B.06.18': false, 'B.06.19': false, 'A.01.00': true, 'C.00.00': false,
    });
  });

  it('reads "and below" (ICSMA-19-164-01 `2.3.6 and  below`)', () => {
    const c = parseConstraint('2.3.6 and  below');
    expect(c.intervals).toEqual([{ end: { version: '2.3.6', inclusive: true } }]);
  });

  it('pairs a lower and an upper bound into one interval (ICSMA-19-248-01 `>= 4.4 | <= 4.12`)', () => {
    const c = parseConstraint('>= 4.4 | <= 4.12');
    expect(c.intervals).toHaveLength(1);
    expect(verdicts(c, ['4.3', '4.4', '4.9', '4.12', '4.13'])).toEqual({ '4.3': false, '4.4': true, '4.9': true, '4.12': true, '4.13': false });
    expect(verdicts(parseConstraint('>= 1.3.4 | < 1.5.3'), ['1.3.3', '1.5.2', '1.5.3'])).toEqual({ '1.3.3': false, '1.5.2': true, '1.5.3': false });
  });

  it('keeps a lone lower bound open above (ICSMA-22-062-02 `>= 2.0`)', () => {
    expect(parseConstraint('>= 2.0').intervals).toEqual([{ start: { version: '2.0', inclusive: true } }]);
    expect(containsVersion(parseConstraint('>= 2.0'), '17.3')).toBe(true);
  });

  it('reads two upper bounds on different series as two intervals (ICSMA-20-296-02 `<= U61 |<= L81`)', () => {
    const c = parseConstraint('<= U61 |<= L81');
    expect(c.intervals).toHaveLength(2);
    expect(verdicts(c, ['U61', 'U60', 'U62', 'L81', 'L70', 'L82', '2.0'])).toEqual({
      U61: true, U60: true, U62: false, L81: true, L70: true, L82: false, '2.0': null,
    });
  });

  it('does not order one letter series against another (ICSMA-21-294-01 `<= L81`, ICSMA-20-343-01 `>=BT02 | <= BT06`)', () => {
    expect(verdicts(parseConstraint('<= L81'), ['L80', 'U12', '1.5'])).toEqual({ L80: true, U12: null, '1.5': null });
    expect(verdicts(parseConstraint('>=BT02 | <= BT06'), ['BT04', 'BT07', 'BT01', 'AT05'])).toEqual({ BT04: true, BT07: false, BT01: false, AT05: null });
  });

  it('reads letter-to-letter ranges (ICSMA-21-322-02 `A.01 <= C.0x | 4.0`, ICSMA-21-294-01 `A10 < A11`, ICSMA-18-156-01 `Rev B-M`)', () => {
    expect(verdicts(parseConstraint('A.01 <= C.0x | 4.0'), ['A.01', 'B.07', 'C.09', 'C.10', '4.0', '4.1'])).toEqual({
      'A.01': true, 'B.07': true, 'C.09': true, 'C.10': false, '4.0': true, '4.1': false,
    });
    expect(verdicts(parseConstraint('A10 < A11'), ['A10', 'A11'])).toEqual({ A10: true, A11: false });
    expect(verdicts(parseConstraint('Rev B-M'), ['A', 'B', 'H', 'M', 'N'])).toEqual({ A: false, B: true, H: true, M: true, N: false });
    expect(verdicts(parseConstraint('Rev J-M | (X3/MX100 for Rev M only)'), ['J', 'I'])).toEqual({ J: true, I: false });
  });
});

describe('parseConstraint: lists, wildcards and any', () => {
  it('reads `vers:all/*` and a vers range', () => {
    expect(parseConstraint('vers:all/*')).toMatchObject({ any: true, understood: true });
    const range = parseConstraint('vers:generic/>=1.0|<2.0');
    expect(range.intervals).toHaveLength(1);
    expect(verdicts(range, ['0.9', '1.0', '1.9.9', '2.0'])).toEqual({ '0.9': false, '1.0': true, '1.9.9': true, '2.0': false });
    expect(parseConstraint('vers:generic/1.2|1.4').intervals).toHaveLength(2);
  });

  it('reads version lists (ICSMA-20-170-01 `1.1 | 1.2 | 1.4 | 1.5`, ICSMA-23-331-01 `3.0|3.1`, ICSMA-21-019-01)', () => {
    expect(verdicts(parseConstraint('1.1 | 1.2 | 1.4 | 1.5'), ['1.1', '1.3', '1.5', '1.5.0', '1.6'])).toEqual({
      '1.1': true, '1.3': false, '1.5': true, '1.5.0': true, '1.6': false,
    });
    expect(parseConstraint('3.0|3.1').intervals).toHaveLength(2);
    expect(parseConstraint('(Release 1.3.2 1.4.0 1.4.1 1.4.3 1.4.5)').intervals).toHaveLength(5);
    expect(parseConstraint('053L000091 (global) / 054U000091 (U.S.) and 053L000092 (global) / 054U000092 (U.S.)').intervals).toHaveLength(4);
  });

  it('reads wildcards as ranges (ICSMA-20-023-01 `1.X`, ICSMA-19-241-01 `12.x` `<= 11.x`, ICSMA-21-187-01 `<= 12.2.x.x`, ICSMA-20-170-02 `< 3.x`)', () => {
    expect(verdicts(parseConstraint('1.X'), ['0.9', '1', '1.7.3', '2.0'])).toEqual({ '0.9': false, '1': true, '1.7.3': true, '2.0': false });
    expect(verdicts(parseConstraint('5.x.x'), ['5.1.2', '6.0'])).toEqual({ '5.1.2': true, '6.0': false });
    expect(verdicts(parseConstraint('<= 11.x'), ['11.9.9', '12.0'])).toEqual({ '11.9.9': true, '12.0': false });
    expect(verdicts(parseConstraint('<= 12.2.x.x'), ['12.2.9.1', '12.3'])).toEqual({ '12.2.9.1': true, '12.3': false });
    expect(verdicts(parseConstraint('< 3.x'), ['2.9', '3.0'])).toEqual({ '2.9': true, '3.0': false });
  });

  it('reads builds, service packs and letter-series versions (ICSMA-19-164-01, ICSMA-21-152-01, ICSMA-20-343-01, ICSMA-22-151-02)', () => {
    expect(verdicts(parseConstraint('1.3.1 Build 13'), ['1.3.1 build 13', '1.3.1 Build 14'])).toEqual({ '1.3.1 build 13': true, '1.3.1 Build 14': false });
    expect(verdicts(parseConstraint('< 1.8.4 Service Pack 01'), ['1.8.4', '1.8.4 Service Pack 01'])).toEqual({ '1.8.4': true, '1.8.4 Service Pack 01': false });
    expect(verdicts(parseConstraint('BT02 | BT03 | BT04 | BT06'), ['BT05', 'BT06'])).toEqual({ BT05: false, BT06: true });
    expect(verdicts(parseConstraint('4.20 | 4.20 SR1 | 4.30'), ['4.20 SR1', '4.20 SR2'])).toEqual({ '4.20 SR1': true, '4.20 SR2': false });
  });

  it('sets asides and conditions apart (ICSMA-18-128-01, ICSMA-18-277-01, ICSMA-22-251-01, ICSMA-19-255-01)', () => {
    expect(containsVersion(parseConstraint('<= 2.01 (end-of-life Nov 2017)'), '2.01')).toBe(true);
    expect(containsVersion(parseConstraint('<=11.2 on Windows 8.1 with IIS 7.5'), '11.3')).toBe(false);
    expect(verdicts(parseConstraint('6.x model 35700BAX'), ['6.2', '7.0'])).toEqual({ '6.2': true, '7.0': false });
    const modules = parseConstraint('6.x (Wireless Battery Modules (16 | 16D38 | 17 | 17D19 | >= 20D29 | <= v20D32 | >= 22D24 | <= v22D28)');
    expect(modules.intervals).toHaveLength(1);
    expect(parseConstraint('Version A, Firmware A.03.09, Part #: M8096-67501').intervals).toEqual([
      { start: { version: 'A.03.09', inclusive: true }, end: { version: 'A.03.09', inclusive: true } },
    ]);
  });
});

describe('parseConstraint: texts that are not versions', () => {
  it.each([
    '< august 28', // ICSMA-17-241-01
    '<8/30/2024', // ICSMA-24-249-01
    'distributed  < april 1, 2018', // ICSMA-18-107-01
    '2131 and 2141', // ICSMA-19-029-01 (bed model numbers)
    '24950 | 24952', // ICSMA-19-080-01 (monitor model numbers)
    'MMT-1711 | MMT-1712 | MMT-1751 | MMT-1752', // ICSMA-22-263-01 (pump model numbers)
    '882160 Gemini Dual', // ICSMA-21-084-01
    'A51200', // ICSMA-23-061-01
    'Accu-Chek Inform II', // ICSMA-18-310-01
    'with wireless option (shipped between 2016-August 2018)', // ICSMA-19-353-01
    '2nd Edition', // ICSMA-22-335-01
  ])('does not understand %j', (text) => {
    const c = parseConstraint(text);
    expect(c).toMatchObject({ raw: text, understood: false, any: false, intervals: [] });
    expect(containsVersion(c, '1.0')).toBeNull();
  });

  it('cannot judge a blank device version', () => {
    expect(containsVersion(parseConstraint('<= 2.3.6'), '  ')).toBeNull();
    expect(containsVersion(parseConstraint('vers:all/*'), '')).toBe(true);
  });
});

describe('constraintFromCve5', () => {
  it('reads lessThan and lessThanOrEqual ranges from a start', () => {
    const c = constraintFromCve5({ version: '0', lessThan: '2.4.0', versionType: 'custom', status: 'affected' });
    expect(c.raw).toBe('< 2.4.0');
    expect(verdicts(c, ['2.3.9', '2.4.0'])).toEqual({ '2.3.9': true, '2.4.0': false });
    const from = constraintFromCve5({ version: '4.4', lessThanOrEqual: '4.12', status: 'affected' });
    expect(verdicts(from, ['4.3', '4.12', '4.13'])).toEqual({ '4.3': false, '4.12': true, '4.13': false });
    expect(verdicts(constraintFromCve5({ version: '5.0', lessThanOrEqual: '5.*' }), ['5.9', '6.0'])).toEqual({ '5.9': true, '6.0': false });
  });

  it('reads an exact or free-text version, and refuses git ranges', () => {
    expect(verdicts(constraintFromCve5({ version: '9.7', status: 'affected' }), ['9.7', '9.8'])).toEqual({ '9.7': true, '9.8': false });
    expect(constraintFromCve5({ version: '2.3.6 and below' }).intervals).toHaveLength(1);
    expect(constraintFromCve5({ version: 'a1b2c3', lessThan: 'd4e5f6', versionType: 'git' }).understood).toBe(false);
    expect(constraintFromCve5({ version: '1.0', lessThan: '*' }).intervals).toEqual([{ start: { version: '1.0', inclusive: true } }]);
  });
});

describe('constraintFromBounds', () => {
  it('reads NVD bounds', () => {
    const c = constraintFromBounds({ startIncluding: '2.0', endExcluding: '2.8.123e' });
    expect(c.raw).toBe('>= 2.0, < 2.8.123e');
    expect(verdicts(c, ['1.9', '2.8.75', '2.8.123e'])).toEqual({ '1.9': false, '2.8.75': true, '2.8.123e': false });
    expect(verdicts(constraintFromBounds({ startExcluding: '1.0', endIncluding: '1.5' }), ['1.0', '1.5'])).toEqual({ '1.0': false, '1.5': true });
    expect(constraintFromBounds({}).any).toBe(true);
  });
});

describe('nextVersion and previousVersion', () => {
  it('step the last token in the written style', () => {
    expect(nextVersion('2.3.6')).toBe('2.3.7');
    expect(nextVersion('012U000061')).toBe('012U000062');
    expect(nextVersion('2.4A')).toBe('2.4B');
    expect(nextVersion('<= K'.slice(3))).toBe('L');
    expect(previousVersion('B.06.18')).toBe('B.06.17');
    expect(previousVersion('3.0')).toBe('2');
    expect(previousVersion('012U000040')).toBe('012U000039');
    expect(previousVersion('M')).toBe('L');
    expect(previousVersion('0')).toBeNull();
  });
});
