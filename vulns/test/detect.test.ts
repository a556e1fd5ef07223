import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { detectFeedKind } from '../src/feeds/detect.js';
import type { FeedKind } from '../src/model.js';
import { sharedFiles, sharedPath } from './shared-data.js';

const bytesOf = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('detectFeedKind on the shared feeds', () => {
  const cases: [string, FeedKind][] = [
    ['vuln/kev/known_exploited_vulnerabilities.json', 'kev'],
    ['mds2/Example-MDS2-Worksheet.xlsx', 'mds2'],
  ];
  for (const [relative, kind] of cases) {
    const path = sharedPath(relative);
    it.skipIf(path === null)(`recognises ${relative} as ${kind}`, () => {
      expect(detectFeedKind(readFileSync(path!), relative)).toBe(kind);
    });
  }

  const sboms = sharedFiles('sbom/medical-device-case-study', '.json');
  it.skipIf(sboms.length === 0)('recognises the CycloneDX SBOMs, whose bomFormat comes after 60 KB of components', () => {
    for (const path of sboms) expect(detectFeedKind(readFileSync(path), 'sbom.json')).toBe('cyclonedx');
  });

  const csaf = sharedFiles('vuln/csaf-icsma', '.json');
  it.skipIf(csaf.length === 0)('recognises every CSAF advisory', () => {
    const kinds = new Set(csaf.map((path) => detectFeedKind(readFileSync(path), path)));
    expect(kinds).toEqual(new Set(['csaf']));
    console.info(`detect: ${csaf.length} CSAF advisories`);
  });

  const cve5 = sharedFiles('vuln/cve5-medical', '.json');
  it.skipIf(cve5.length === 0)('recognises every CVE JSON 5 record', () => {
    const kinds = new Set(cve5.map((path) => detectFeedKind(readFileSync(path), path)));
    expect(kinds).toEqual(new Set(['cve5']));
    console.info(`detect: ${cve5.length} CVE records`);
  });

  const kev = sharedPath('vuln/kev/known_exploited_vulnerabilities.json');
  it.skipIf(kev === null)('does not mistake the KEV schema beside the catalog for a feed', () => {
    expect(detectFeedKind(readFileSync(kev!.replace(/\.json$/, '_schema.json')), 'schema.json')).toBeNull();
  });
});

describe('detectFeedKind on fixtures', () => {
  it('tells JSON feeds by their marking keys', () => {
    const cases: [unknown, FeedKind][] = [
      [{ document: { category: 'csaf_security_advisory', csaf_version: '2.0' }, vulnerabilities: [] }, 'csaf'],
      [{ dataType: 'CVE_RECORD', dataVersion: '5.1', cveMetadata: {} }, 'cve5'],
      [{ resultsPerPage: 1, format: 'NVD_CVE', version: '2.0', vulnerabilities: [] }, 'nvd'],
      [{ title: 'CISA Catalog', catalogVersion: '2025.08.25', count: 0, vulnerabilities: [] }, 'kev'],
      [{ bomFormat: 'CycloneDX', specVersion: '1.6', components: [] }, 'cyclonedx'],
      [{ spdxVersion: 'SPDX-2.3', SPDXID: 'SPDXRef-DOCUMENT', packages: [] }, 'spdx'],
    ];
    for (const [document, kind] of cases) {
      expect(detectFeedKind(bytesOf(JSON.stringify(document, null, 2)), 'feed.json')).toBe(kind);
      expect(detectFeedKind(bytesOf(`\uFEFF${JSON.stringify(document)}`), 'feed.json')).toBe(kind);
    }
  });

  it('parses a document in full when its marking key lies past the first look', () => {
    const filler = Array.from({ length: 3000 }, (_, i) => ({ type: 'library', name: `lib${i}`, version: '1.0.0' }));
    const late = JSON.stringify({ components: filler, bomFormat: 'CycloneDX', specVersion: '1.4' });
    expect(late.length).toBeGreaterThan(64 * 1024);
    expect(detectFeedKind(bytesOf(late), 'late.json')).toBe('cyclonedx');
    expect(detectFeedKind(bytesOf(JSON.stringify({ components: filler })), 'plain.json')).toBeNull();
  });

  it('does not take a marking key quoted inside a text value for the key', () => {
    const doc = { notes: 'a string holding "spdxVersion": "SPDX-2.3" is not an SPDX document' };
    expect(detectFeedKind(bytesOf(JSON.stringify(doc)), 'notes.json')).toBeNull();
  });

  it('tells EPSS files by their comment or header line, plain or gzipped', () => {
    const daily = '#model_version:v2025.03.14,score_date:2025-08-25T00:00:00+0000\ncve,epss,percentile\nCVE-2019-10964,0.00212,0.43872\n';
    expect(detectFeedKind(bytesOf(daily), 'epss_scores-2025-08-25.csv')).toBe('epss');
    expect(detectFeedKind(bytesOf('cve,epss,percentile\r\nCVE-2019-10964,0.00212,0.43872\r\n'), 'x')).toBe('epss');
    expect(detectFeedKind(bytesOf('"cve","epss","percentile"\n'), 'x')).toBe('epss');
    expect(detectFeedKind(gzipSync(Buffer.from(daily)), 'epss_scores-2025-08-25.csv.gz')).toBe('epss');
    expect(detectFeedKind(gzipSync(Buffer.from('{"format":"NVD_CVE"}')), 'nvd.json.gz')).toBeNull();
    expect(detectFeedKind(bytesOf('cve,cvss\nCVE-2019-10964,9.3\n'), 'scores.csv')).toBeNull();
  });

  it('tells an xlsx workbook from other zip archives and old .xls workbooks by name', () => {
    const zipHead = [0x50, 0x4b, 0x03, 0x04];
    expect(detectFeedKind(Uint8Array.from([...zipHead, ...bytesOf('....xl/workbook.xml....')]), 'form.bin')).toBe('mds2');
    expect(detectFeedKind(Uint8Array.from([...zipHead, ...bytesOf('....word/document.xml....')]), 'letter.docx')).toBeNull();
    expect(detectFeedKind(Uint8Array.from(zipHead), 'form.xlsx')).toBe('mds2');
    const compound = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
    expect(detectFeedKind(Uint8Array.from(compound), 'form.xls')).toBe('mds2');
    expect(detectFeedKind(Uint8Array.from(compound), 'letter.doc')).toBeNull();
  });

  it('returns null for anything else, and never throws', () => {
    for (const text of ['', '   ', '[1,2,3]', '{"a":1}', '{"catalogVersion":"1"}', '<?xml version="1.0"?><x/>', '{ not json']) {
      expect(detectFeedKind(bytesOf(text), 'x')).toBeNull();
    }
    for (let i = 0; i < 200; i++) expect(() => detectFeedKind(randomBytes(i * 10), 'random.bin')).not.toThrow();
    const gz = gzipSync(Buffer.from('#model_version:v1\ncve,epss,percentile\n'));
    for (let end = 0; end <= gz.length; end++) expect(() => detectFeedKind(gz.subarray(0, end), 'cut.gz')).not.toThrow();
  });
});
