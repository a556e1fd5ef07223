/**
 * CSAF 2.0 advisories: a fixture written here covering the product tree, statuses, scores and
 * remediations, malformed parts reported at their JSON pointer, and the shared CISA ICS medical
 * advisory set read end to end.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, it, expect } from 'vitest';
import { parseCsaf } from '../src/feeds/csaf.js';
import { sharedFiles } from './shared-data.js';

const FIXTURE = {
  document: {
    category: 'csaf_security_advisory',
    csaf_version: '2.0',
    title: 'ICSMA-99-001-01 Philips IntelliVue',
    publisher: { category: 'coordinator', name: 'CISA', namespace: 'https://www.cisa.gov/' },
    references: [
      { category: 'self', summary: 'JSON', url: 'https://example.org/csaf/icsma-99-001-01.json' },
      { category: 'self', summary: 'Web Version', url: 'https://www.cisa.gov/news-events/ics-medical-advisories/icsma-99-001-01' },
    ],
    tracking: {
      id: 'ICSMA-99-001-01',
      initial_release_date: '2099-01-01T00:00:00Z',
      current_release_date: '2099-02-01T00:00:00Z',
      version: '2',
      revision_history: [{ number: '1', date: '2099-01-01T00:00:00Z' }, { number: '2', date: '2099-02-01T00:00:00Z' }],
    },
  },
  product_tree: {
    branches: [{
      category: 'vendor', name: 'Philips',
      branches: [
        {
          category: 'product_family', name: 'IntelliVue',
          branches: [{
            category: 'product_name', name: 'MX40',
            branches: [
              { category: 'product_version_range', name: '< B.06.18', product: { name: 'MX40 < B.06.18', product_id: 'PID-1' } },
              {
                category: 'product_version', name: 'B.06.18',
                product: { name: 'MX40 B.06.18', product_id: 'PID-2', product_identification_helper: { cpe: 'cpe:2.3:h:philips:mx40:b.06.18:*:*:*:*:*:*:*' } },
              },
            ],
          }],
        },
        { category: 'product_name', name: 'Information Center iX', product: { name: 'PIC iX', product_id: 'PID-3' } },
      ],
    }],
    full_product_names: [{ name: 'Gateway 2.0', product_id: 'PID-4', product_identification_helper: { purl: 'pkg:generic/gateway@2.0' } }],
    relationships: [{
      category: 'installed_on', product_reference: 'PID-1', relates_to_product_reference: 'PID-3',
      full_product_name: { name: 'MX40 on PIC iX', product_id: 'PID-5' },
    }],
  },
  vulnerabilities: [
    {
      cve: 'CVE-2017-9657',
      title: 'Partial re-association',
      cwe: { id: 'CWE-460', name: 'Improper Cleanup on Thrown Exception' },
      notes: [{ category: 'summary', text: 'A partial re-association can occur.' }, { category: 'general', text: 'not a summary' }],
      product_status: { known_affected: ['PID-1', 'PID-5'], fixed: ['PID-2'], known_not_affected: ['PID-3'], under_investigation: ['PID-4'] },
      scores: [{ cvss_v3: { baseScore: 6.5, vectorString: 'CVSS:3.0/AV:A/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', version: '3.0' }, products: ['PID-1'] }],
      remediations: [
        { category: 'vendor_fix', details: 'Update to B.06.18.', url: 'https://example.org/fix', product_ids: ['PID-1'] },
        { category: 'mitigation', details: 'Use wired networks.' },
      ],
      references: [{ category: 'external', url: 'https://nvd.nist.gov/vuln/detail/CVE-2017-9657' }],
    },
    {
      cwe: 'CWE-1',
      product_status: { known_affected: ['PID-1', 'PID-9'], recommended: ['PID-2'], affected_somehow: ['PID-1'] },
      scores: [{ cvss_v3: { vectorString: 'AV:N/AC:L/Au:N/C:P/I:P/A:P' }, products: ['PID-1'] }],
      remediations: [{ category: 'patch', details: 'x' }, 'not an object'],
    },
    42,
  ],
};

describe('parseCsaf on a fixture', () => {
  const doc = parseCsaf(JSON.stringify(FIXTURE, null, 2), 'icsma-99-001-01.json');

  it('reads the advisory record', () => {
    expect(doc.kind).toBe('csaf');
    expect(doc.advisories).toEqual([{
      id: 'ICSMA-99-001-01',
      title: 'ICSMA-99-001-01 Philips IntelliVue',
      publisher: 'CISA',
      vendors: ['Philips'],
      published: '2099-01-01T00:00:00Z',
      updated: '2099-02-01T00:00:00Z',
      revision: '2 (2 revisions)',
      cves: ['CVE-2017-9657'],
      url: 'https://www.cisa.gov/news-events/ics-medical-advisories/icsma-99-001-01',
      source: { feed: 'csaf', file: 'icsma-99-001-01.json', document: 'ICSMA-99-001-01' },
    }]);
  });

  it('resolves product ids through branches, full product names and relationships', () => {
    const [first] = doc.vulnerabilities;
    const byId = new Map(first!.products.map((p) => [p.productId, p]));
    expect(byId.get('PID-1')).toMatchObject({ vendor: 'Philips', product: 'IntelliVue / MX40', status: 'affected', versions: { raw: '< B.06.18', understood: true } });
    expect(byId.get('PID-2')).toMatchObject({ status: 'fixed', cpe: 'cpe:2.3:h:philips:mx40:b.06.18:*:*:*:*:*:*:*', versions: { raw: 'B.06.18' } });
    expect(byId.get('PID-3')).toMatchObject({ product: 'Information Center iX', status: 'not_affected', versions: { any: true } });
    expect(byId.get('PID-4')).toMatchObject({ vendor: '', product: 'Gateway 2.0', status: 'under_investigation', purl: 'pkg:generic/gateway@2.0' });
    expect(byId.get('PID-5')).toMatchObject({ product: 'IntelliVue / MX40 (installed_on Information Center iX)', status: 'affected', versions: { raw: '< B.06.18' } });
  });

  it('reads CVE, CWE, title, summary, scores, remediations and references', () => {
    const [first] = doc.vulnerabilities;
    expect(first).toMatchObject({
      id: 'CVE-2017-9657',
      title: 'Partial re-association',
      description: 'A partial re-association can occur.',
      cwes: ['CWE-460'],
      advisories: ['ICSMA-99-001-01'],
      published: '2099-01-01T00:00:00Z',
      updated: '2099-02-01T00:00:00Z',
      references: ['https://nvd.nist.gov/vuln/detail/CVE-2017-9657'],
    });
    expect(first!.cvss).toEqual([{ version: '3.0', vector: 'CVSS:3.0/AV:A/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', statedScore: 6.5, source: 'cisa-csaf', productIds: ['PID-1'] }]);
    expect(first!.remediations).toEqual([
      { category: 'vendor_fix', details: 'Update to B.06.18.', url: 'https://example.org/fix', productIds: ['PID-1'] },
      { category: 'mitigation', details: 'Use wired networks.' },
    ]);
  });

  it('reports malformed parts at their JSON pointer and reads the rest', () => {
    expect(doc.vulnerabilities).toHaveLength(2);
    const second = doc.vulnerabilities[1]!;
    expect(second.id).toBe('ICSMA-99-001-01#2');
    expect(second.products.map((p) => p.productId)).toEqual(['PID-1']);
    expect(doc.problems.map((p) => p.place)).toEqual([
      '/product_tree/full_product_names/0',
      '/vulnerabilities/1/cve',
      '/vulnerabilities/1/cwe',
      '/vulnerabilities/1/scores/0/cvss_v3/vectorString',
      '/vulnerabilities/1/product_status/known_affected/1',
      '/vulnerabilities/1/product_status/affected_somehow',
      '/vulnerabilities/1/remediations/0/category',
      '/vulnerabilities/1/remediations/1',
      '/vulnerabilities/2',
    ]);
    expect(doc.problems.every((p) => p.file === 'icsma-99-001-01.json' && p.message.length > 0)).toBe(true);
    expect(doc.problems.find((p) => p.place.endsWith('known_affected/1'))?.message).toContain('PID-9');
  });

  it('gives one problem with line and column for a file that is not JSON', () => {
    const broken = parseCsaf('{\n  "document": {\n    "title": "x",\n  }\n}', 'broken.json');
    expect(broken.vulnerabilities).toEqual([]);
    expect(broken.problems).toHaveLength(1);
    expect(broken.problems[0]!.place).toBe('line 4, column 3');
  });

  it('refuses JSON that is not a CSAF document', () => {
    const other = parseCsaf('{"cveMetadata": {}}', 'cve.json');
    expect(other.advisories).toEqual([]);
    expect(other.problems.map((p) => p.place)).toEqual(['/document']);
  });
});

describe('parseCsaf on the CISA ICS medical advisories', () => {
  const files = sharedFiles('vuln/csaf-icsma', '.json');

  it.skipIf(files.length === 0)('reads every advisory without a problem and resolves every product', () => {
    let entries = 0;
    let statuses = 0;
    let vulnerabilities = 0;
    let statements = 0;
    for (const path of files) {
      const text = readFileSync(path, 'utf8');
      const raw = JSON.parse(text) as { vulnerabilities: { product_status: Record<string, string[]> }[] };
      entries += raw.vulnerabilities.length;
      statuses += raw.vulnerabilities.flatMap((v) => Object.values(v.product_status).flat()).length;
      const doc = parseCsaf(text, basename(path));
      expect(doc.problems, basename(path)).toEqual([]);
      expect(doc.advisories).toHaveLength(1);
      expect(doc.advisories[0]!.id.toLowerCase()).toBe(basename(path, '.json').toLowerCase());
      vulnerabilities += doc.vulnerabilities.length;
      statements += doc.vulnerabilities.reduce((n, v) => n + v.products.length, 0);
      for (const vuln of doc.vulnerabilities) {
        expect(vuln.id).toMatch(/^CVE-\d{4}-\d+$/);
        expect(vuln.products.every((p) => p.vendor.trim() !== '' && p.product !== '')).toBe(true);
      }
    }
    console.log(`[csaf] ${files.length} advisories, ${vulnerabilities} vulnerabilities, ${statements} product statements`);
    expect(vulnerabilities).toBe(entries);
    expect(statements).toBe(statuses);
  });
});
