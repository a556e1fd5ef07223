import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, it, expect } from 'vitest';
import { parseCve5 } from '../src/feeds/cve5.js';
import { containsVersion } from '../src/version/constraint.js';
import type { FeedDocument } from '../src/model.js';
import { sharedFiles } from './shared-data.js';

const FILES = sharedFiles('vuln/cve5-medical', '.json');

type Json = Record<string, unknown>;

/** A small CVE JSON 5 record written for these tests, in the shape the CVE program publishes. */
function fixture(): Json {
  return {
    dataType: 'CVE_RECORD',
    dataVersion: '5.1',
    cveMetadata: { cveId: 'CVE-2099-0001', state: 'PUBLISHED', datePublished: '2099-01-02T00:00:00Z', dateUpdated: '2099-02-03T00:00:00Z' },
    containers: {
      cna: {
        title: 'Default password in Acme infusion pump',
        source: { advisory: 'ICSMA-99-001-01' },
        descriptions: [{ lang: 'fr', value: 'Mot de passe' }, { lang: 'en-US', value: 'The pump has a default password.' }],
        problemTypes: [{ descriptions: [{ lang: 'en', type: 'CWE', cweId: 'CWE-798', description: 'CWE-798 Hard-coded credentials' }] }],
        metrics: [{ format: 'CVSS', cvssV3_1: { version: '3.1', baseScore: 8.8, vectorString: 'CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' } }],
        affected: [{
          vendor: 'Acme Medical',
          product: 'Infusion Pump P100',
          versions: [
            { status: 'affected', version: '0', lessThan: '2.4', versionType: 'custom' },
            { status: 'unaffected', version: '2.4' },
          ],
          defaultStatus: 'unaffected',
        }],
        references: [{ url: 'https://www.cisa.gov/news-events/ics-medical-advisories/icsma-99-001-01' }],
      },
      adp: [{
        title: 'CISA ADP Vulnrichment',
        providerMetadata: { shortName: 'CISA-ADP' },
        metrics: [{ cvssV3_1: { version: '3.1', baseScore: 7.1, vectorString: 'CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:L/A:N' } }],
        affected: [{
          vendor: 'acme',
          product: 'p100_firmware',
          cpes: ['cpe:2.3:o:acme:p100_firmware:*:*:*:*:*:*:*:*'],
          versions: [{ status: 'affected', version: '0', lessThanOrEqual: '2.3.9', versionType: 'custom' }],
          defaultStatus: 'unknown',
        }],
        problemTypes: [{ descriptions: [{ type: 'CWE', cweId: 'CWE-1392', lang: 'en', description: 'CWE-1392 Use of Default Credentials' }] }],
      }],
    },
  };
}

/** The fixture with the value at `path` replaced (or removed, for undefined). */
function changed(path: (string | number)[], value: unknown): Json {
  const record = fixture();
  let node: Record<string | number, unknown> = record;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === undefined) Reflect.deleteProperty(node, last);
  else node[last] = value;
  return record;
}

function read(record: unknown): FeedDocument {
  return parseCve5(JSON.stringify(record), 'test.json');
}

/** The places of a document's problems. */
function places(doc: FeedDocument): string[] {
  return doc.problems.map((problem) => problem.place);
}

describe('CVE JSON 5 record', () => {
  it('reads the record, the CNA and the ADP containers', () => {
    const doc = read(fixture());
    expect(doc.problems).toEqual([]);
    const [vulnerability] = doc.vulnerabilities;
    expect(vulnerability).toMatchObject({
      id: 'CVE-2099-0001',
      title: 'Default password in Acme infusion pump',
      description: 'The pump has a default password.',
      cwes: ['CWE-798', 'CWE-1392'],
      published: '2099-01-02T00:00:00Z',
      updated: '2099-02-03T00:00:00Z',
      advisories: ['ICSMA-99-001-01'],
      references: ['https://www.cisa.gov/news-events/ics-medical-advisories/icsma-99-001-01'],
      source: { feed: 'cve5', file: 'test.json', document: 'CVE-2099-0001' },
    });
    expect(vulnerability!.cvss).toEqual([
      { version: '3.1', vector: 'CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', statedScore: 8.8, source: 'cna' },
      { version: '3.1', vector: 'CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:L/A:N', statedScore: 7.1, source: 'adp:CISA-ADP' },
    ]);
  });

  it('makes one product statement per versions item, with status and CPE', () => {
    const products = read(fixture()).vulnerabilities[0]!.products;
    expect(products.map((p) => [p.vendor, p.product, p.status, p.cpe])).toEqual([
      ['Acme Medical', 'Infusion Pump P100', 'affected', undefined],
      ['Acme Medical', 'Infusion Pump P100', 'not_affected', undefined],
      ['acme', 'p100_firmware', 'affected', 'cpe:2.3:o:acme:p100_firmware:*:*:*:*:*:*:*:*'],
    ]);
    const [below, fixed, adp] = products;
    expect(containsVersion(below!.versions, '2.3.9')).toBe(true);
    expect(containsVersion(below!.versions, '2.4')).toBe(false);
    expect(containsVersion(fixed!.versions, '2.4')).toBe(true);
    expect(containsVersion(adp!.versions, '2.3.9')).toBe(true);
    expect(containsVersion(adp!.versions, '2.3.10')).toBe(false);
  });

  it('adds a statement for every version where an entry lists none, or its default is affected', () => {
    const none = read(changed(['containers', 'cna', 'affected', 0, 'versions'], [])).vulnerabilities[0]!.products[0]!;
    expect(none).toMatchObject({ product: 'Infusion Pump P100', status: 'not_affected', versions: { any: true, understood: true } });
    const byDefault = read(changed(['containers', 'cna', 'affected', 0, 'defaultStatus'], 'affected')).vulnerabilities[0]!.products;
    expect(byDefault.map((p) => [p.status, p.versions.any])).toEqual([['affected', false], ['not_affected', false], ['affected', true], ['affected', false]]);
  });

  it('leaves out placeholder products and says when none is left', () => {
    const record = changed(['containers', 'cna', 'affected', 0], { vendor: 'n/a', product: 'n/a', versions: [{ status: 'affected', version: 'n/a' }] });
    (record.containers as Json).adp = [];
    const doc = read(record);
    expect(doc.vulnerabilities[0]!.products).toEqual([]);
    expect(places(doc)).toEqual(['/containers/cna/affected/0/product', '/containers/cna/affected']);
    expect(doc.problems[1]!.message).toMatch(/names no product/);
  });
});

describe('CVE JSON 5 problems', () => {
  const cases: [string, unknown, string, RegExp][] = [
    ['a record that is an array', [fixture()], '/cveMetadata', /not a CVE JSON 5 record/],
    ['another data type', changed(['dataType'], 'CVE_BUNDLE'), '/cveMetadata', /dataType/],
    ['no metadata', changed(['cveMetadata'], undefined), '/cveMetadata', /no "cveMetadata"/],
    ['a bad id', changed(['cveMetadata', 'cveId'], 'CVE-99-1'), '/cveMetadata/cveId', /not a CVE id/],
    ['a rejected record', changed(['cveMetadata', 'state'], 'REJECTED'), '/cveMetadata/state', /rejected/],
    ['no CNA container', changed(['containers', 'cna'], 'x'), '/containers/cna', /no CNA container/],
    ['an ADP container not an object', changed(['containers', 'adp', 0], 3), '/containers/adp/0', /not an object/],
    ['an affected entry not an object', changed(['containers', 'cna', 'affected', 0], null), '/containers/cna/affected/0', /not an object/],
    ['a versions item not an object', changed(['containers', 'cna', 'affected', 0, 'versions', 0], 'all'), '/containers/cna/affected/0/versions/0', /not an object/],
    ['a status not in the schema', changed(['containers', 'cna', 'affected', 0, 'versions', 0, 'status'], 'toString'), '/containers/cna/affected/0/versions/0/status', /is not affected, unaffected or unknown/],
    ['a bound that is not text', changed(['containers', 'cna', 'affected', 0, 'versions', 0, 'lessThan'], 2.4), '/containers/cna/affected/0/versions/0/lessThan', /not text/],
    ['status changes', changed(['containers', 'cna', 'affected', 0, 'versions', 0, 'changes'], [{ at: '1.5', status: 'unaffected' }]), '/containers/cna/affected/0/versions/0/changes', /not read/],
    ['a default status not in the schema', changed(['containers', 'cna', 'affected', 0, 'defaultStatus'], 'fixed'), '/containers/cna/affected/0/defaultStatus', /not affected, unaffected or unknown/],
    ['a CPE that does not read', changed(['containers', 'adp', 0, 'affected', 0, 'cpes', 0], 'cpe:2.3:o:acme:p100_firmware'), '/containers/adp/0/affected/0/cpes/0', /components/],
    ['a CPE that is not text', changed(['containers', 'adp', 0, 'affected', 0, 'cpes', 0], 7), '/containers/adp/0/affected/0/cpes/0', /not a CPE name/],
    ['a metric without vector', changed(['containers', 'cna', 'metrics', 0, 'cvssV3_1', 'vectorString'], undefined), '/containers/cna/metrics/0/cvssV3_1/vectorString', /no vectorString/],
    ['a vector of another version', changed(['containers', 'cna', 'metrics', 0, 'cvssV3_1', 'vectorString'], 'CVSS:3.0/AV:N'), '/containers/cna/metrics/0/cvssV3_1/vectorString', /not a CVSS 3.1 vector/],
    ['a weakness that is not a CWE', changed(['containers', 'cna', 'problemTypes', 0, 'descriptions', 0, 'cweId'], 'CWE798'), '/containers/cna/problemTypes/0/descriptions/0', /not a CWE id/],
  ];
  it.each(cases)('%s is reported at its place', (_name, record, place, message) => {
    const doc = read(record);
    const problem = doc.problems.find((p) => p.place === place);
    expect(problem, JSON.stringify(doc.problems)).toBeDefined();
    expect(problem!.message).toMatch(message);
    expect(problem!.file).toBe('test.json');
  });

  it('reports text that is not JSON at its line and column', () => {
    const doc = parseCve5('{\n  "cveMetadata": {,\n}', 'broken.json');
    expect(doc.vulnerabilities).toEqual([]);
    expect(doc.problems).toEqual([{ file: 'broken.json', place: 'line 2, column 19', message: expect.stringMatching(/not well-formed JSON/) }]);
  });

  it('never throws on a truncated record', () => {
    const body = JSON.stringify(fixture(), null, 1);
    for (let end = 0; end < body.length; end += 7) {
      const doc = parseCve5(body.slice(0, end), 'cut.json');
      expect(doc.problems.length).toBeGreaterThan(0);
      expect(doc.problems[0]!.place).toMatch(/^line \d+, column \d+$/);
    }
  });

  it('never throws when any value is replaced by a value of another type', () => {
    const paths: (string | number)[][] = [];
    const walk = (value: unknown, path: (string | number)[]): void => {
      if (path.length > 0) paths.push(path);
      if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...path, i]));
      else if (typeof value === 'object' && value !== null) for (const [key, item] of Object.entries(value)) walk(item, [...path, key]);
    };
    walk(fixture(), []);
    expect(paths.length).toBeGreaterThan(60);
    for (const path of paths) {
      for (const replacement of [null, 0, 'x', [], {}, [null], { toString: 1 }]) {
        const doc = read(changed(path, replacement));
        for (const problem of doc.problems) expect(problem.place).not.toBe('');
      }
    }
  });
});

/** The CVSS statements a record holds, read straight from its JSON, for comparison with the parser's. */
function statedCvss(record: Json): { source: string; version: string; vector: string; statedScore: number }[] {
  const containers = record.containers as Json;
  const all = [['cna', containers.cna], ...((containers.adp ?? []) as Json[]).map((adp) => [`adp:${(adp.providerMetadata as Json).shortName as string}`, adp])] as [string, Json][];
  const keys: Record<string, string> = { cvssV3_0: '3.0', cvssV3_1: '3.1', cvssV4_0: '4.0' };
  return all.flatMap(([source, container]) => ((container.metrics ?? []) as Json[]).flatMap((metric) =>
    Object.keys(keys).filter((key) => metric[key] !== undefined).map((key) => {
      const cvss = metric[key] as Json;
      return { source, version: keys[key]!, vector: cvss.vectorString as string, statedScore: cvss.baseScore as number };
    })));
}

describe.skipIf(FILES.length === 0)('CVE JSON 5 shared records (vuln/cve5-medical)', () => {
  it('holds the 40 records', () => {
    expect(FILES.length).toBe(40);
  });

  it.each(FILES.map((file) => [basename(file), file]))('%s: id, products or why not, CVSS as in the file', (name, file) => {
    const body = readFileSync(file, 'utf8');
    const doc = parseCve5(body, file);
    expect(doc.vulnerabilities).toHaveLength(1);
    const vulnerability = doc.vulnerabilities[0]!;
    expect(vulnerability.id).toBe(name.replace(/\.json$/, ''));
    if (vulnerability.products.length === 0) {
      expect(doc.problems.some((p) => p.place === '/containers/cna/affected' && /names no product/.test(p.message))).toBe(true);
    }
    for (const product of vulnerability.products) {
      expect(product.product).not.toBe('');
      expect(product.versions.raw).toBeTypeOf('string');
    }
    expect(vulnerability.cvss).toEqual(statedCvss(JSON.parse(body) as Json));
    for (const problem of doc.problems) expect(problem.place).toMatch(/^\//);
  });

  it('reads CISA ADP CPE names and ranges (CVE-2024-1275, Welch Allyn Connex Spot Monitor)', () => {
    const file = FILES.find((f) => f.endsWith('CVE-2024-1275.json'));
    expect(file).toBeDefined();
    const vulnerability = parseCve5(readFileSync(file!, 'utf8'), file!).vulnerabilities[0]!;
    expect(vulnerability.advisories).toEqual(['ICSMA-24-151-02']);
    expect(vulnerability.cvss).toEqual([{ version: '4.0', vector: 'CVSS:4.0/AV:N/AC:H/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N', statedScore: 9.1, source: 'cna' }]);
    const adp = vulnerability.products.find((p) => p.cpe !== undefined)!;
    expect(adp).toMatchObject({ vendor: 'baxter', product: 'welch_allyn_connex_spot_monitor', status: 'affected', cpe: 'cpe:2.3:o:baxter:welch_allyn_connex_spot_monitor:*:*:*:*:*:*:*:*' });
    expect(containsVersion(adp.versions, '1.52')).toBe(true);
    expect(containsVersion(adp.versions, '1.52.01')).toBe(false);
  });

  it('keeps quoted characters of CPE names (CVE-2024-23914, Merge DICOM Toolkit C/C++)', () => {
    const file = FILES.find((f) => f.endsWith('CVE-2024-23914.json'))!;
    const cpes = parseCve5(readFileSync(file, 'utf8'), file).vulnerabilities[0]!.products.flatMap((p) => (p.cpe === undefined ? [] : [p.cpe]));
    expect(cpes).toEqual(['cpe:2.3:a:merative:merge_dicom_toolkit_c_c\\+\\+:5.6.0:*:*:*:*:*:*:*']);
  });
});
