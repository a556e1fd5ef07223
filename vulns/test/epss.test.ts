import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseEpss, parseEpssBytes, splitCsvLine } from '../src/feeds/epss.js';

/** A daily file as FIRST publishes it (LF line ends), a few rows of 2025-08-25. */
const DAILY = [
  '#model_version:v2025.03.14,score_date:2025-08-25T00:00:00+0000',
  'cve,epss,percentile',
  'CVE-2019-10964,0.00212,0.43872',
  'CVE-2021-44228,0.94358,0.99954',
  'CVE-2017-12718,0.0017,0.38517',
  'CVE-2024-6387,8.5e-4,0.25',
  '',
].join('\n');

describe('parseEpss', () => {
  it('reads scores with the model and date of the comment line', () => {
    const doc = parseEpss(DAILY, 'epss.csv');
    expect(doc.kind).toBe('epss');
    expect(doc.problems).toEqual([]);
    expect(doc.epss).toHaveLength(4);
    expect(doc.epss[1]).toEqual({ cve: 'CVE-2021-44228', epss: 0.94358, percentile: 0.99954, date: '2025-08-25T00:00:00+0000', model: 'v2025.03.14' });
    expect(doc.epss[3]!.epss).toBeCloseTo(0.00085, 10);
  });

  it('reads CRLF line ends, quoted fields and columns in another order, and reports bad rows by line', () => {
    const text = [
      '#model_version:v2023.03.01,score_date:2023-03-07T00:00:00+0000',
      '"percentile","cve","epss"',
      '"0.5","CVE-2020-0601","0.3"',
      '0.9,cve-2014-0160,0.97',
      '0.2,CVE-2020-11896,1.2',
      '0.2,CVE-20-11896,0.1',
      '0.2,CVE-2020-0601,0.1',
      'abc,CVE-2022-22965,0.4',
      ',CVE-2022-22966,0.4',
      '0.7,"CVE-2018-10597",".04"',
    ].join('\r\n');
    const doc = parseEpss(text, 'epss.csv');
    expect(doc.epss.map((s) => [s.cve, s.epss, s.percentile])).toEqual([
      ['CVE-2020-0601', 0.3, 0.5],
      ['CVE-2014-0160', 0.97, 0.9],
      ['CVE-2018-10597', 0.04, 0.7],
    ]);
    expect(doc.problems.map((p) => p.place)).toEqual(['line 5', 'line 6', 'line 7', 'line 8', 'line 9']);
    expect(doc.problems[0]!.message).toContain('epss "1.2"');
    expect(doc.problems[2]!.message).toContain('twice');
  });

  it('reads a file without the comment line', () => {
    const doc = parseEpss('cve,epss,percentile\nCVE-2019-10964,0.00212,0.43872\n', 'old.csv');
    expect(doc.problems).toEqual([]);
    expect(doc.epss).toEqual([{ cve: 'CVE-2019-10964', epss: 0.00212, percentile: 0.43872 }]);
  });

  it('reads rows without a header in the published order, and says so', () => {
    const doc = parseEpss('CVE-2019-10964,0.00212,0.43872\nCVE-2021-44228,0.94358,0.99954\n', 'bare.csv');
    expect(doc.epss.map((s) => s.cve)).toEqual(['CVE-2019-10964', 'CVE-2021-44228']);
    expect(doc.problems).toEqual([{ file: 'bare.csv', place: 'line 1', message: 'no header line; columns read in the published order cve,epss,percentile' }]);
  });

  it('reads nothing from CSV that is not EPSS, with a problem at the line', () => {
    const doc = parseEpss('#model_version:v1\nname,score\nfoo,1\n', 'other.csv');
    expect(doc.epss).toEqual([]);
    expect(doc.problems).toEqual([{ file: 'other.csv', place: 'line 2', message: 'no header line with cve, epss and percentile columns; nothing was read' }]);
    expect(parseEpss('', 'empty.csv').problems).toEqual([{ file: 'empty.csv', place: 'line 1', message: 'no EPSS header or scores found' }]);
  });

  it('splits quoted fields with commas and doubled quotes', () => {
    expect(splitCsvLine('"a,b","say ""hi""",,c')).toEqual(['a,b', 'say "hi"', '', 'c']);
  });
});

describe('parseEpssBytes', () => {
  it('gunzips a daily file and reads it as the plain text would be read', () => {
    const plain = parseEpss(DAILY, 'epss.csv');
    const zipped = parseEpssBytes(gzipSync(Buffer.from(DAILY)), 'epss.csv');
    expect(zipped).toEqual(plain);
    expect(parseEpssBytes(new TextEncoder().encode(DAILY), 'epss.csv')).toEqual(plain);
  });

  it('keeps the whole rows of a cut-short gzip file and reports where it ends', () => {
    const rows = Array.from({ length: 5000 }, (_, i) => `CVE-2024-${String(10000 + i)},${(i / 5000).toFixed(5)},${(i / 5000).toFixed(5)}`);
    const text = ['#model_version:v2025.03.14,score_date:2025-08-25T00:00:00+0000', 'cve,epss,percentile', ...rows, ''].join('\n');
    const zipped = gzipSync(Buffer.from(text));
    const cut = zipped.subarray(0, Math.floor(zipped.length / 2));
    const doc = parseEpssBytes(cut, 'cut.csv.gz');
    expect(doc.problems[0]!.place).toBe(`gzip stream, byte ${cut.length}`);
    expect(doc.epss.length).toBeGreaterThan(0);
    expect(doc.epss.length).toBeLessThan(rows.length);
    // Every score read is the one the full file holds for that CVE: no row was cut mid-number.
    const full = new Map(parseEpss(text, 'full.csv').epss.map((s) => [s.cve, s]));
    for (const score of doc.epss) expect(score).toEqual(full.get(score.cve));
    expect(doc.problems).toHaveLength(1);
  });

  it('never throws on damaged gzip or random bytes', () => {
    const zipped = gzipSync(Buffer.from(DAILY));
    for (let end = 0; end < zipped.length; end++) {
      const doc = parseEpssBytes(zipped.subarray(0, end), 'cut.gz');
      expect(doc.problems.length).toBeGreaterThan(0);
    }
    const garbled = Buffer.from(zipped);
    garbled.fill(0x55, 12, 30);
    expect(parseEpssBytes(garbled, 'bad.gz').problems[0]!.place).toMatch(/^gzip stream/);
    for (let i = 0; i < 50; i++) {
      const doc = parseEpssBytes(randomBytes(200), 'random.bin');
      expect(doc.problems.length).toBeGreaterThan(0);
    }
  });
});
