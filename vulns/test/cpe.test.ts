import { describe, it, expect } from 'vitest';
import { VulnError } from '../src/errors.js';
import { compareCpes, compareCpeValues, cpeMatches, isDisjoint, isEqual, isSubset, isSuperset, relateCpes, type CpeRelation } from '../src/cpe/compare.js';
import { cpeValueText, formatCpe, parseCpe, tryParseCpe, type CpeValue } from '../src/cpe/parse.js';

/** The message of the VulnError `parseCpe(text)` throws. */
function cpeError(text: string): string {
  try {
    parseCpe(text);
  } catch (error) {
    expect(error).toBeInstanceOf(VulnError);
    expect((error as VulnError).code).toBe('VULN_ERR_CPE');
    return (error as Error).message;
  }
  throw new Error(`${text} was read as a CPE`);
}

/** The value of one attribute, read from a formatted string holding it as the version. */
function versionValue(bound: string): CpeValue {
  return parseCpe(`cpe:2.3:a:acme:pump:${bound}:*:*:*:*:*:*:*`).version;
}

describe('CPE 2.3 formatted string', () => {
  it('reads each attribute, ANY and NA', () => {
    const cpe = parseCpe('cpe:2.3:o:gehealthcare:venue_firmware:r4.2:-:*:*:*:*:*:*');
    expect(cpe.part).toEqual({ kind: 'text', text: 'o', before: '', after: '' });
    expect(cpeValueText(cpe.vendor)).toBe('gehealthcare');
    expect(cpeValueText(cpe.product)).toBe('venue_firmware');
    expect(cpeValueText(cpe.version)).toBe('r4.2');
    expect(cpe.update).toEqual({ kind: 'na' });
    expect(cpe.other).toEqual({ kind: 'any' });
  });

  it('lower-cases the name', () => {
    expect(formatCpe(parseCpe('CPE:2.3:A:Philips:Vue_PACS:12.2.8.410:*:*:*:*:*:*:*'))).toBe('cpe:2.3:a:philips:vue_pacs:12.2.8.410:*:*:*:*:*:*:*');
  });

  it('unquotes escapes and quotes them again when written', () => {
    const text = 'cpe:2.3:a:merative:merge_dicom_toolkit_c_c\\+\\+:5.6.0:*:*:*:*:*:*:*';
    const cpe = parseCpe(text);
    expect(cpeValueText(cpe.product)).toBe('merge_dicom_toolkit_c_c++');
    expect(formatCpe(cpe)).toBe(text);
    expect(cpeValueText(parseCpe('cpe:2.3:a:acme:a\\:b:1:*:*:*:*:*:*:*').product)).toBe('a:b');
    expect(cpeValueText(parseCpe('cpe:2.3:a:acme:a\\\\b:1:*:*:*:*:*:*:*').product)).toBe('a\\b');
    expect(versionValue('\\*')).toEqual({ kind: 'text', text: '*', before: '', after: '' });
    expect(versionValue('1\\?')).toEqual({ kind: 'text', text: '1?', before: '', after: '' });
    expect(versionValue('\\-')).toEqual({ kind: 'text', text: '-', before: '', after: '' });
    expect(formatCpe(parseCpe('cpe:2.3:a:acme:a\\:b:\\-:*:*:*:*:*:*:*'))).toBe('cpe:2.3:a:acme:a\\:b:\\-:*:*:*:*:*:*:*');
  });

  it('reads unquoted wildcards at the ends of a value', () => {
    expect(versionValue('*1.2*')).toEqual({ kind: 'text', text: '1.2', before: '*', after: '*' });
    expect(versionValue('??1.2?')).toEqual({ kind: 'text', text: '1.2', before: '??', after: '?' });
    expect(versionValue('??')).toEqual({ kind: 'text', text: '', before: '??', after: '' });
    expect(formatCpe(parseCpe('cpe:2.3:a:acme:pump:??1.2*:*:*:*:*:*:*:*'))).toBe('cpe:2.3:a:acme:pump:??1.2*:*:*:*:*:*:*:*');
  });

  it('reads punctuation written without its backslash, and writes it quoted', () => {
    const cpe = parseCpe('cpe:2.3:a:acme:pump:1.0+build:*:*:*:*:*:*:*');
    expect(cpeValueText(cpe.version)).toBe('1.0+build');
    expect(formatCpe(cpe)).toBe('cpe:2.3:a:acme:pump:1.0\\+build:*:*:*:*:*:*:*');
  });

  it('says what is wrong with a name it refuses', () => {
    expect(cpeError('cpe:2.2:a:acme:pump')).toMatch(/starts with neither/);
    expect(cpeError('acme pump 1.0')).toMatch(/starts with neither/);
    expect(cpeError('cpe:2.3:a:acme:pump:1.0:*:*:*:*:*:*')).toMatch(/has 10 components where CPE 2.3 has 11/);
    expect(cpeError('cpe:2.3:a:acme:pump:1.0:*:*:*:*:*:*:*:*')).toMatch(/has 12 components/);
    expect(cpeError('cpe:2.3:a:acme:pump\\:1.0:*:*:*:*:*:*:*')).toMatch(/has 10 components/);
    expect(cpeError('cpe:2.3:a:acme:pump:1.0:*:*:*:*:*:*:\\')).toMatch(/lone backslash/);
    expect(cpeError('cpe:2.3:a:acme:pu\\mp:1.0:*:*:*:*:*:*:*')).toMatch(/bad escape "\\m"/);
    expect(cpeError('cpe:2.3:a:acme:pump:1.0\\ :*:*:*:*:*:*:*')).toMatch(/bad escape/);
    expect(cpeError('cpe:2.3:x:acme:pump:1.0:*:*:*:*:*:*:*')).toMatch(/bad part "x"/);
    expect(cpeError('cpe:2.3:a?:acme:pump:1.0:*:*:*:*:*:*:*')).toMatch(/bad part "a\?"/);
    expect(cpeError('cpe:2.3:a:acme::1.0:*:*:*:*:*:*:*')).toMatch(/product is empty/);
    expect(cpeError('cpe:2.3:a:acme:pu*mp:1.0:*:*:*:*:*:*:*')).toMatch(/unquoted "\*" inside/);
    expect(cpeError('cpe:2.3:a:acme:pu?mp:1.0:*:*:*:*:*:*:*')).toMatch(/unquoted "\?" inside/);
    expect(cpeError('cpe:2.3:a:acme:pump:**1:*:*:*:*:*:*:*')).toMatch(/wildcards "\*\*" together/);
    expect(cpeError('cpe:2.3:a:acme:pump:1*?:*:*:*:*:*:*:*')).toMatch(/wildcards "\*\?" together/);
    expect(cpeError('cpe:2.3:a:acme:infusion pump:1:*:*:*:*:*:*:*')).toMatch(/character CPE does not allow/);
    expect(cpeError('cpe:2.3:a:acme:pümp:1:*:*:*:*:*:*:*')).toMatch(/character CPE does not allow/);
    expect(tryParseCpe('cpe:2.3:a:acme')).toBeNull();
  });
});

describe('CPE 2.2 URI', () => {
  it('reads the short form, missing components ANY', () => {
    const cpe = parseCpe('cpe:/a:offis:dcmtk:3.6.6');
    expect(formatCpe(cpe)).toBe('cpe:2.3:a:offis:dcmtk:3.6.6:*:*:*:*:*:*:*');
  });

  it('reads empty components as ANY, `-` as NA, percent-encoding as the character', () => {
    expect(formatCpe(parseCpe('cpe:/h:bd::-:sp%211'))).toBe('cpe:2.3:h:bd:*:-:sp\\!1:*:*:*:*:*:*');
    expect(cpeValueText(parseCpe('cpe:/a:merative:merge_dicom_toolkit_c_c%2b%2b').product)).toBe('merge_dicom_toolkit_c_c++');
    expect(parseCpe('cpe:/a:acme:pump:%01%011.2%02').version).toEqual({ kind: 'text', text: '1.2', before: '??', after: '*' });
  });

  it('unpacks a packed edition into the CPE 2.3 attributes', () => {
    expect(formatCpe(parseCpe('cpe:/a:acme:pump:1.0:u1:~pro~home~windows~x64~:en'))).toBe('cpe:2.3:a:acme:pump:1.0:u1:pro:en:home:windows:x64:*');
  });

  it('refuses too many components, a bad packing, a bad percent-encoding and a bad part', () => {
    expect(cpeError('cpe:/a:acme:pump:1:2:3:4:5')).toMatch(/has 8 components where a CPE 2.2 URI has at most 7/);
    expect(cpeError('cpe:/a:acme:pump:1:u1:~pro~home')).toMatch(/packed edition "~pro~home" has 2 fields where it has 5/);
    expect(cpeError('cpe:/a:acme:pump:1%2')).toMatch(/bad percent-encoding "%2"/);
    expect(cpeError('cpe:/a:acme:pump:1%zz')).toMatch(/bad percent-encoding "%zz"/);
    expect(cpeError('cpe:/q:acme:pump')).toMatch(/bad part "q"/);
    expect(cpeError('cpe:/a:acme:pu%02mp')).toMatch(/unquoted "\*" inside/);
  });
});

describe('NISTIR 7696 attribute comparison (Table 6-2)', () => {
  const ANY: CpeValue = { kind: 'any' };
  const NA: CpeValue = { kind: 'na' };
  const i = versionValue('7.0');
  const k = versionValue('8.0');
  const wild = versionValue('7*');
  const wildOther = versionValue('9*');
  const rows: [number, CpeValue, CpeValue, CpeRelation][] = [
    [1, ANY, ANY, 'EQUAL'],
    [2, ANY, NA, 'SUPERSET'],
    [3, ANY, i, 'SUPERSET'],
    [4, ANY, wild, 'UNDEFINED'],
    [5, NA, ANY, 'SUBSET'],
    [6, NA, NA, 'EQUAL'],
    [7, NA, i, 'DISJOINT'],
    [8, NA, wild, 'UNDEFINED'],
    [9, i, i, 'EQUAL'],
    [10, i, k, 'DISJOINT'],
    [11, i, wild, 'UNDEFINED'],
    [12, i, NA, 'DISJOINT'],
    [13, i, ANY, 'SUBSET'],
    [14, wild, i, 'SUPERSET'],
    [14, wildOther, i, 'DISJOINT'],
    [15, wild, ANY, 'SUBSET'],
    [16, wild, NA, 'DISJOINT'],
    [17, wild, wildOther, 'UNDEFINED'],
  ];
  it.each(rows)('row %i: %j against %j is %s', (_row, source, target, relation) => {
    expect(compareCpeValues(source, target)).toBe(relation);
  });

  it('lets `?` stand for at most one character and `*` for any number, at either end', () => {
    const covers = (source: string, target: string): CpeRelation => compareCpeValues(versionValue(source), versionValue(target));
    expect(covers('?.2', '1.2')).toBe('SUPERSET');
    expect(covers('?.2', '.2')).toBe('SUPERSET');
    expect(covers('?.2', '10.2')).toBe('DISJOINT');
    expect(covers('??.2', '10.2')).toBe('SUPERSET');
    expect(covers('1.?', '1.2')).toBe('SUPERSET');
    expect(covers('1.?', '1.23')).toBe('DISJOINT');
    expect(covers('*.2', '10.11.2')).toBe('SUPERSET');
    expect(covers('1.*', '1.2.3')).toBe('SUPERSET');
    expect(covers('*2*', '1.2.3')).toBe('SUPERSET');
    expect(covers('*4*', '1.2.3')).toBe('DISJOINT');
    expect(covers('1.2*', '11.2')).toBe('DISJOINT');
  });

  it('compares versions as strings: 1.2 and 1.2.0 are different names', () => {
    expect(compareCpeValues(versionValue('1.2'), versionValue('1.2.0'))).toBe('DISJOINT');
  });
});

describe('NISTIR 7696 name comparison', () => {
  const criterion = parseCpe('cpe:2.3:o:bd:alaris_firmware:*:*:*:*:*:*:*:*');
  const device = parseCpe('cpe:2.3:o:bd:alaris_firmware:12.1.3:*:*:*:*:*:*:*');

  it('reports each attribute relation', () => {
    const comparison = compareCpes(criterion, device);
    expect(comparison.vendor).toBe('EQUAL');
    expect(comparison.version).toBe('SUPERSET');
    expect(isSuperset(comparison)).toBe(true);
    expect(isSubset(comparison)).toBe(false);
    expect(isEqual(comparison)).toBe(false);
    expect(isDisjoint(comparison)).toBe(false);
  });

  it('relates whole names', () => {
    expect(relateCpes(criterion, device)).toBe('SUPERSET');
    expect(relateCpes(device, criterion)).toBe('SUBSET');
    expect(relateCpes(device, device)).toBe('EQUAL');
    expect(relateCpes(criterion, parseCpe('cpe:2.3:h:bd:alaris_firmware:12.1.3:*:*:*:*:*:*:*'))).toBe('DISJOINT');
    expect(relateCpes(parseCpe('cpe:2.3:o:bd:*:1:*:*:*:*:*:*:*'), parseCpe('cpe:2.3:o:*:pump:1:*:*:*:*:*:*:*'))).toBe('UNDEFINED');
    expect(relateCpes(criterion, parseCpe('cpe:2.3:o:bd:alaris_firmware:12*:*:*:*:*:*:*:*'))).toBe('UNDEFINED');
  });

  it('matches when the criterion holds the target, and not the other way round', () => {
    expect(cpeMatches(criterion, device)).toBe(true);
    expect(cpeMatches(criterion, criterion)).toBe(true);
    expect(cpeMatches(device, criterion)).toBe(false);
    expect(cpeMatches(criterion, parseCpe('cpe:2.3:o:bd:alaris_pc_unit:12.1.3:*:*:*:*:*:*:*'))).toBe(false);
  });

  it('does not let a device named without its vendor meet a criterion (wildcard vendor)', () => {
    const noVendor = parseCpe('cpe:2.3:a:*:util-linux-setarch:2.37.4:*:*:*:*:*:*:*');
    const noProduct = parseCpe('cpe:2.3:a:pascom_cloud_phone_system:*:*:*:*:*:*:*:*:*');
    expect(compareCpes(noProduct, noVendor).vendor).toBe('SUBSET');
    expect(cpeMatches(noProduct, noVendor)).toBe(false);
  });
});
