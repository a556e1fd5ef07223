import { describe, it, expect } from 'vitest';
import { parseNvd } from '../src/feeds/nvd.js';
import { matchConfigurations } from '../src/match/configuration.js';
import type { DeviceDescription, FeedDocument } from '../src/model.js';

type Json = Record<string, unknown>;

/**
 * A page of the NVD CVE API 2.0 written for these tests, in the shape NVD gives infusion pump
 * records: the firmware is vulnerable up to a version, AND it runs on the pump hardware, which is
 * not vulnerable itself. Ids, versions and texts are made up; the field layout is NVD's.
 */
function page(): Json {
  return {
    resultsPerPage: 2,
    startIndex: 0,
    totalResults: 2,
    format: 'NVD_CVE',
    version: '2.0',
    timestamp: '2099-03-01T10:00:00.000',
    vulnerabilities: [
      {
        cve: {
          id: 'CVE-2099-1001',
          sourceIdentifier: 'ics-cert@hq.dhs.gov',
          published: '2099-01-10T17:15:10.000',
          lastModified: '2099-02-11T12:00:00.000',
          vulnStatus: 'Analyzed',
          descriptions: [{ lang: 'en', value: 'The pump firmware accepts unauthenticated commands.' }, { lang: 'es', value: 'El firmware…' }],
          metrics: {
            cvssMetricV40: [{ source: 'ics-cert@hq.dhs.gov', type: 'Secondary', cvssData: { version: '4.0', vectorString: 'CVSS:4.0/AV:A/AC:L/AT:N/PR:N/UI:N/VC:N/VI:H/VA:H/SC:N/SI:N/SA:N', baseScore: 8.7 } }],
            cvssMetricV31: [
              { source: 'nvd@nist.gov', type: 'Primary', cvssData: { version: '3.1', vectorString: 'CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:H', baseScore: 8.1 }, exploitabilityScore: 2.8, impactScore: 5.2 },
              { source: 'ics-cert@hq.dhs.gov', type: 'Secondary', cvssData: { version: '3.1', vectorString: 'CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:L/I:H/A:H', baseScore: 8.3 } },
            ],
            cvssMetricV2: [{ source: 'nvd@nist.gov', type: 'Primary', cvssData: { version: '2.0', vectorString: 'AV:A/AC:L/Au:N/C:N/I:P/A:P', baseScore: 4.8 } }],
          },
          weaknesses: [
            { source: 'nvd@nist.gov', type: 'Primary', description: [{ lang: 'en', value: 'NVD-CWE-noinfo' }] },
            { source: 'ics-cert@hq.dhs.gov', type: 'Secondary', description: [{ lang: 'en', value: 'CWE-306' }] },
          ],
          configurations: [{
            operator: 'AND',
            nodes: [
              { operator: 'OR', negate: false, cpeMatch: [{ vulnerable: true, criteria: 'cpe:2.3:o:acme:p100_firmware:*:*:*:*:*:*:*:*', versionEndExcluding: '9.33.2', matchCriteriaId: 'A1B2C3D4-0000-0000-0000-000000000001' }] },
              { operator: 'OR', negate: false, cpeMatch: [{ vulnerable: false, criteria: 'cpe:2.3:h:acme:p100:-:*:*:*:*:*:*:*', matchCriteriaId: 'A1B2C3D4-0000-0000-0000-000000000002' }] },
            ],
          }],
          references: [
            { url: 'https://www.cisa.gov/news-events/ics-medical-advisories/icsma-99-010-01', source: 'ics-cert@hq.dhs.gov', tags: ['Third Party Advisory', 'US Government Resource'] },
            { url: 'https://acme.example/security', source: 'ics-cert@hq.dhs.gov' },
          ],
        },
      },
      {
        cve: {
          id: 'CVE-2099-1002',
          published: '2099-01-12T00:00:00.000',
          lastModified: '2099-01-12T00:00:00.000',
          vulnStatus: 'Awaiting Analysis',
          descriptions: [{ lang: 'en', value: 'Not analysed yet.' }],
          metrics: {},
          references: [],
        },
      },
    ],
  };
}

/** The page with the value at `path` replaced (or removed, for undefined). */
function changed(path: (string | number)[], value: unknown): Json {
  const record = page();
  let node: Record<string | number, unknown> = record;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === undefined) Reflect.deleteProperty(node, last);
  else node[last] = value;
  return record;
}

function read(value: unknown): FeedDocument {
  return parseNvd(JSON.stringify(value), 'nvd.json');
}

const CVE = ['vulnerabilities', 0, 'cve'];
const NODE = [...CVE, 'configurations', 0, 'nodes', 0];
const CRITERION = [...NODE, 'cpeMatch', 0];

describe('NVD CVE API 2.0 page', () => {
  it('reads each CVE with its texts, dates, weaknesses and references', () => {
    const doc = read(page());
    expect(doc.kind).toBe('nvd');
    expect(doc.problems).toEqual([]);
    expect(doc.vulnerabilities.map((v) => v.id)).toEqual(['CVE-2099-1001', 'CVE-2099-1002']);
    expect(doc.vulnerabilities[0]).toMatchObject({
      description: 'The pump firmware accepts unauthenticated commands.',
      published: '2099-01-10T17:15:10.000',
      updated: '2099-02-11T12:00:00.000',
      cwes: ['CWE-306'],
      products: [],
      advisories: ['ICSMA-99-010-01'],
      references: ['https://www.cisa.gov/news-events/ics-medical-advisories/icsma-99-010-01', 'https://acme.example/security'],
      source: { feed: 'nvd', file: 'nvd.json', document: 'CVE-2099-1001' },
    });
    expect(doc.vulnerabilities[1]!.configurations).toEqual([]);
  });

  it('reads CVSS v3.0, v3.1 and v4.0 metrics with who gave them, not v2', () => {
    expect(read(page()).vulnerabilities[0]!.cvss).toEqual([
      { version: '3.1', vector: 'CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:H', statedScore: 8.1, source: 'nvd' },
      { version: '3.1', vector: 'CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:L/I:H/A:H', statedScore: 8.3, source: 'ics-cert@hq.dhs.gov' },
      { version: '4.0', vector: 'CVSS:4.0/AV:A/AC:L/AT:N/PR:N/UI:N/VC:N/VI:H/VA:H/SC:N/SI:N/SA:N', statedScore: 8.7, source: 'ics-cert@hq.dhs.gov' },
    ]);
  });

  it('reads the configuration: AND of a vulnerable firmware node and a hardware node', () => {
    expect(read(page()).vulnerabilities[0]!.configurations).toEqual([{
      operator: 'AND',
      negate: false,
      nodes: [
        { operator: 'OR', negate: false, children: [], cpeMatch: [{ vulnerable: true, criteria: 'cpe:2.3:o:acme:p100_firmware:*:*:*:*:*:*:*:*', versionEndExcluding: '9.33.2' }] },
        { operator: 'OR', negate: false, children: [], cpeMatch: [{ vulnerable: false, criteria: 'cpe:2.3:h:acme:p100:-:*:*:*:*:*:*:*' }] },
      ],
    }]);
  });

  it('reads the older nested node shape (children) and a configuration without operator as OR', () => {
    const nested = { operator: 'AND', children: [singleNode('cpe:2.3:a:acme:gateway:*:*:*:*:*:*:*:*', true)], cpeMatch: [] };
    const doc = read(changed([...CVE, 'configurations'], [{ nodes: [nested] }]));
    expect(doc.problems).toEqual([]);
    const [configuration] = doc.vulnerabilities[0]!.configurations;
    expect(configuration!.operator).toBe('OR');
    expect(configuration!.nodes[0]!.children[0]!.cpeMatch[0]!.criteria).toBe('cpe:2.3:a:acme:gateway:*:*:*:*:*:*:*:*');
  });

  it('says when the page holds only part of the results', () => {
    const doc = read(changed(['totalResults'], 2000));
    expect(doc.problems).toEqual([{ file: 'nvd.json', place: '/totalResults', message: expect.stringMatching(/holds 2 of 2000 results/) }]);
  });

  it('matches a device known by both the firmware and the hardware, through the parsed page', () => {
    const vulnerability = read(page()).vulnerabilities[0]!;
    const pump = (cpes: string[]): DeviceDescription => ({ vendor: 'Acme', model: 'P100', cpes, software: [] });
    const both = matchConfigurations(pump(['cpe:2.3:o:acme:p100_firmware:9.33.1:*:*:*:*:*:*:*', 'cpe:2.3:h:acme:p100:-:*:*:*:*:*:*:*']), vulnerability);
    expect(both).toMatchObject({ basis: 'nvd-cpe', verdict: 'affected', deviceVersion: '9.33.1' });
    expect(matchConfigurations(pump(['cpe:2.3:o:acme:p100_firmware:9.33.1:*:*:*:*:*:*:*']), vulnerability)).toBeNull();
    expect(matchConfigurations(pump(['cpe:2.3:o:acme:p100_firmware:9.33.2:*:*:*:*:*:*:*', 'cpe:2.3:h:acme:p100:-:*:*:*:*:*:*:*']), vulnerability)).toBeNull();
  });
});

/** An NVD node of one criterion. */
function singleNode(criteria: string, vulnerable: boolean): Json {
  return { operator: 'OR', negate: false, cpeMatch: [{ vulnerable, criteria }] };
}

describe('NVD problems', () => {
  const cases: [string, unknown, string, RegExp][] = [
    ['no vulnerabilities array', { format: 'NVD_CVE' }, '/vulnerabilities', /no "vulnerabilities" array/],
    ['another format', changed(['format'], 'NVD_CPE'), '/format', /not "NVD_CVE"/],
    ['another version', changed(['version'], '1.1'), '/version', /not "2.0"/],
    ['an entry without cve', changed(['vulnerabilities', 0], { id: 'CVE-2099-1001' }), '/vulnerabilities/0/cve', /no "cve" object/],
    ['a bad id', changed([...CVE, 'id'], 'CVE-2099-1'), '/vulnerabilities/0/cve/id', /not a CVE id/],
    ['a rejected CVE', changed([...CVE, 'vulnStatus'], 'Rejected'), '/vulnerabilities/0/cve/vulnStatus', /rejected/],
    ['a vector of another version', changed([...CVE, 'metrics', 'cvssMetricV31', 0, 'cvssData', 'vectorString'], 'CVSS:3.0/AV:N'), '/vulnerabilities/0/cve/metrics/cvssMetricV31/0/cvssData/vectorString', /not a CVSS 3.1 vector/],
    ['a metric without data', changed([...CVE, 'metrics', 'cvssMetricV40', 0], { source: 'x' }), '/vulnerabilities/0/cve/metrics/cvssMetricV40/0/cvssData/vectorString', /not a CVSS 4.0 vector/],
    ['a configuration not an object', changed([...CVE, 'configurations', 0], 'AND'), '/vulnerabilities/0/cve/configurations/0', /not an object/],
    ['a configuration without nodes', changed([...CVE, 'configurations', 0, 'nodes'], []), '/vulnerabilities/0/cve/configurations/0/nodes', /no node/],
    ['a configuration operator', changed([...CVE, 'configurations', 0, 'operator'], 'XOR'), '/vulnerabilities/0/cve/configurations/0/operator', /neither AND nor OR/],
    ['a node not an object', changed(NODE, 5), '/vulnerabilities/0/cve/configurations/0/nodes/0', /not an object/],
    ['a node operator', changed([...NODE, 'operator'], 'and'), '/vulnerabilities/0/cve/configurations/0/nodes/0/operator', /neither AND nor OR/],
    ['a node negate', changed([...NODE, 'negate'], 'no'), '/vulnerabilities/0/cve/configurations/0/nodes/0/negate', /not true or false/],
    ['a node without criteria', changed([...NODE, 'cpeMatch'], []), '/vulnerabilities/0/cve/configurations/0/nodes/0', /no criterion/],
    ['a criterion not an object', changed(CRITERION, []), '/vulnerabilities/0/cve/configurations/0/nodes/0/cpeMatch/0', /not an object/],
    ['a criterion without vulnerable', changed([...CRITERION, 'vulnerable'], 'true'), '/vulnerabilities/0/cve/configurations/0/nodes/0/cpeMatch/0/vulnerable', /whether it is vulnerable/],
    ['a criterion without CPE', changed([...CRITERION, 'criteria'], undefined), '/vulnerabilities/0/cve/configurations/0/nodes/0/cpeMatch/0/criteria', /no CPE name/],
    ['a criterion CPE that does not read', changed([...CRITERION, 'criteria'], 'cpe:2.3:o:acme:p100_fi*rmware:*:*:*:*:*:*:*:*'), '/vulnerabilities/0/cve/configurations/0/nodes/0/cpeMatch/0/criteria', /unquoted "\*" inside/],
    ['a bound that is not a version', changed([...CRITERION, 'versionEndExcluding'], 9.33), '/vulnerabilities/0/cve/configurations/0/nodes/0/cpeMatch/0/versionEndExcluding', /range is open at that end/],
  ];
  it.each(cases)('%s is reported at its place', (_name, value, place, message) => {
    const doc = read(value);
    const problem = doc.problems.find((p) => p.place === place);
    expect(problem, JSON.stringify(doc.problems)).toBeDefined();
    expect(problem!.message).toMatch(message);
  });

  it('refuses nodes nested without end', () => {
    let node: Json = singleNode('cpe:2.3:a:acme:gateway:*:*:*:*:*:*:*:*', true);
    for (let depth = 0; depth < 12; depth++) node = { operator: 'OR', cpeMatch: [], children: [node] };
    const doc = read(changed([...CVE, 'configurations'], [{ nodes: [node] }]));
    expect(doc.problems.some((p) => /nested deeper than 8 levels/.test(p.message))).toBe(true);
  });

  it('reports text that is not JSON at its line and column, and never throws on a truncated page', () => {
    expect(parseNvd('{"vulnerabilities": [}', 'x.json').problems).toEqual([{ file: 'x.json', place: 'line 1, column 22', message: expect.stringMatching(/not well-formed JSON/) }]);
    const body = JSON.stringify(page());
    for (let end = 0; end < body.length; end += 5) {
      const doc = parseNvd(body.slice(0, end), 'cut.json');
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
    walk(page(), []);
    expect(paths.length).toBeGreaterThan(80);
    for (const path of paths) {
      for (const replacement of [null, 0, true, 'x', [], {}, [null]]) {
        const doc = read(changed(path, replacement));
        expect(doc.vulnerabilities.length).toBeLessThanOrEqual(2);
      }
    }
  });
});
