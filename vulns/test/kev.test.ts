import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseKev } from '../src/feeds/kev.js';
import { sharedPath } from './shared-data.js';

const KEV = 'vuln/kev/known_exploited_vulnerabilities.json';

/** A catalog entry as CISA publishes it, with `overrides` applied. */
function entry(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    cveID: 'CVE-2019-10964',
    vendorProject: 'Medtronic',
    product: 'Conexus Telemetry Protocol',
    vulnerabilityName: 'Medtronic Conexus Improper Access Control Vulnerability',
    dateAdded: '2024-01-10',
    shortDescription: 'The Conexus telemetry protocol does not implement authentication or authorization.',
    requiredAction: 'Apply mitigations per vendor instructions or discontinue use of the product if mitigations are unavailable.',
    dueDate: '2024-01-31',
    knownRansomwareCampaignUse: 'Unknown',
    notes: 'https://www.cisa.gov/news-events/ics-medical-advisories/icsma-19-080-01',
    cwes: ['CWE-284'],
    ...overrides,
  };
}

function catalog(vulnerabilities: unknown[], count = vulnerabilities.length): string {
  return JSON.stringify({ title: 'CISA Catalog of Known Exploited Vulnerabilities', catalogVersion: '2025.08.25', dateReleased: '2025-08-25T17:04:19.9796Z', count, vulnerabilities }, null, 2);
}

describe('parseKev on the published catalog', () => {
  const path = sharedPath(KEV);
  it.skipIf(path === null)('reads every entry the catalog counts, with no problems', () => {
    const text = readFileSync(path!, 'utf8');
    const raw = JSON.parse(text) as { count: number; vulnerabilities: { cveID: string; knownRansomwareCampaignUse: string; cwes: string[] }[] };
    const doc = parseKev(text, path!);
    expect(doc.kind).toBe('kev');
    expect(doc.problems).toEqual([]);
    expect(doc.kev).toHaveLength(raw.count);
    expect(doc.kev.map((e) => e.cve)).toEqual(raw.vulnerabilities.map((v) => v.cveID));
    const known = raw.vulnerabilities.filter((v) => v.knownRansomwareCampaignUse === 'Known').length;
    expect(doc.kev.filter((e) => e.knownRansomwareCampaignUse)).toHaveLength(known);
    expect(doc.kev.reduce((n, e) => n + e.cwes.length, 0)).toBe(raw.vulnerabilities.reduce((n, v) => n + v.cwes.length, 0));
    console.info(`KEV: ${doc.kev.length} entries, ${known} with known ransomware use`);
  });
});

describe('parseKev on fixtures', () => {
  it('maps the fields of an entry', () => {
    const doc = parseKev(catalog([entry({ knownRansomwareCampaignUse: 'Known', cwes: ['CWE-284', 'CWE-306'] })]), 'kev.json');
    expect(doc.problems).toEqual([]);
    expect(doc.kev).toEqual([{
      cve: 'CVE-2019-10964',
      vendorProject: 'Medtronic',
      product: 'Conexus Telemetry Protocol',
      name: 'Medtronic Conexus Improper Access Control Vulnerability',
      dateAdded: '2024-01-10',
      dueDate: '2024-01-31',
      requiredAction: 'Apply mitigations per vendor instructions or discontinue use of the product if mitigations are unavailable.',
      knownRansomwareCampaignUse: true,
      notes: 'https://www.cisa.gov/news-events/ics-medical-advisories/icsma-19-080-01',
      cwes: ['CWE-284', 'CWE-306'],
    }]);
  });

  it('skips bad entries with a pointer to each and reads the rest', () => {
    const { cveID: _omitted, ...noId } = entry();
    const doc = parseKev(catalog([
      entry({ cveID: 'CVE-2021-44228' }),
      noId,
      entry({ cveID: 'CVE-21-1' }),
      'not an entry',
      entry({ cveID: 'CVE-2021-44228', product: 'again' }),
      entry({ cveID: 'CVE-2020-0601', knownRansomwareCampaignUse: 'Maybe', cwes: ['CWE-295', 'NVD-CWE-noinfo'], dueDate: '31/01/2024' }),
    ], 7), 'kev.json');
    expect(doc.kev.map((e) => e.cve)).toEqual(['CVE-2021-44228', 'CVE-2020-0601']);
    expect(doc.kev[1]!.knownRansomwareCampaignUse).toBe(false);
    expect(doc.kev[1]!.cwes).toEqual(['CWE-295']);
    expect(doc.problems.map((p) => p.place)).toEqual([
      '/vulnerabilities/1/cveID',
      '/vulnerabilities/2/cveID',
      '/vulnerabilities/3',
      '/vulnerabilities/4/cveID',
      '/vulnerabilities/5/dueDate',
      '/vulnerabilities/5/knownRansomwareCampaignUse',
      '/vulnerabilities/5/cwes/1',
      '/count',
    ]);
    expect(doc.problems.every((p) => p.file === 'kev.json')).toBe(true);
  });

  it('reads an entry lacking a required text field as empty and says so', () => {
    const { requiredAction: _omitted, ...partial } = entry();
    const doc = parseKev(catalog([partial]), 'kev.json');
    expect(doc.kev[0]!.requiredAction).toBe('');
    expect(doc.problems).toEqual([{ file: 'kev.json', place: '/vulnerabilities/0/requiredAction', message: 'CVE-2019-10964 has no requiredAction' }]);
  });

  it('names the line and column of a syntax error', () => {
    const text = catalog([entry()]).replace('"product": "Conexus', '"product" "Conexus');
    const doc = parseKev(text, 'kev.json');
    const line = text.split('\n').findIndex((l) => l.includes('"product" "Conexus')) + 1;
    expect(doc.kev).toEqual([]);
    expect(doc.problems).toHaveLength(1);
    expect(doc.problems[0]!.place).toMatch(new RegExp(`^line ${line}, column \\d+$`));
  });

  it('refuses a document that is not a catalog', () => {
    const doc = parseKev('{"bomFormat":"CycloneDX"}', 'other.json');
    expect(doc.problems).toEqual([{ file: 'other.json', place: '/vulnerabilities', message: 'not a KEV catalog: no "vulnerabilities" array' }]);
  });

  it('never throws on any truncation of a catalog', () => {
    const text = catalog([entry(), entry({ cveID: 'CVE-2020-0601' })]);
    for (let end = 0; end < text.length; end++) {
      const doc = parseKev(text.slice(0, end), 'cut.json');
      expect(doc.problems.length).toBeGreaterThan(0);
      expect(doc.problems[0]!.place).not.toBe('');
    }
  });
});
