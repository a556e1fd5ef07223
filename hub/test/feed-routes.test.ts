/**
 * The feed import API on a real LevelDB store: a file's bytes in, what changed out; each refusal
 * with its status, its stable code and a message a person can act on, and the library untouched.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LevelHubStore } from '../src/store/level-store.js';
import { useTempDirs } from './fixtures.js';
import { csafAdvisory, cycloneDxSbom, epssCsv, kevCatalog, riskApp } from './vuln-fixtures.js';

const TWO = [
  { cve: 'CVE-2099-1001', title: 'Web interface accepts unauthenticated uploads', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 9.8, fix: 'Update to 3.2.2.' },
  { cve: 'CVE-2099-1002', title: 'Telnet service with a fixed password', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 9.8 },
];
const EMPTY_LIBRARY = { vulnerabilities: 0, statements: 0, advisories: 0, kev: 0, epss: 0, sboms: 0, mds2: 0 };

describe('feed import API', () => {
  const tempDir = useTempDirs('wardsight-feeds-api-');
  let store: LevelHubStore;
  let app: FastifyInstance;
  let authorization: string;

  beforeEach(async () => {
    const dir = await tempDir();
    ({ store, app, authorization } = await riskApp(dir));
  });
  afterEach(async () => {
    await app.close();
    await store.close();
  });

  const send = (query: string, body: string | Buffer, contentType = 'application/octet-stream', headers: Record<string, string> = { authorization }) =>
    app.inject({ method: 'POST', url: `/api/v1/feeds/files?${query}`, headers: { ...headers, 'content-type': contentType }, payload: body });
  const library = async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/feeds', headers: { authorization } });
    expect(response.statusCode).toBe(200);
    return response.json<typeof EMPTY_LIBRARY>();
  };
  const refusal = (response: { statusCode: number; json: <T>() => T }) => [response.statusCode, response.json<{ error: string }>().error];

  it('refuses both feed routes without a valid credential, and imports nothing', async () => {
    const wrong = `Basic ${Buffer.from('admin:wrong').toString('base64')}`;
    for (const headers of [{}, { authorization: wrong }] as Record<string, string>[]) {
      expect(refusal(await send('name=a.json', csafAdvisory(), 'application/octet-stream', headers))).toEqual([401, 'HUB_ERR_UNAUTHENTICATED']);
      expect(refusal(await app.inject({ method: 'GET', url: '/api/v1/feeds', headers }))).toEqual([401, 'HUB_ERR_UNAUTHENTICATED']);
    }
    expect(await library()).toEqual(EMPTY_LIBRARY);
  });

  it('imports each kind of file and answers what changed; the same file again changes nothing', async () => {
    const advisory = await send('name=icsma-99-001-01.json', csafAdvisory({ vulnerabilities: TWO }));
    expect(advisory.statusCode).toBe(200);
    expect(advisory.json()).toEqual({ file: 'icsma-99-001-01.json', kind: 'csaf', records: 3, counts: { added: 3, updated: 0, unchanged: 0, removed: 0, older: 0, withheld: 0 }, problems: [] });
    expect((await send('name=icsma-99-001-01.json', csafAdvisory({ vulnerabilities: TWO }))).json()).toMatchObject({ records: 3, counts: { added: 0, unchanged: 3 } });

    const kev = await send('name=known_exploited_vulnerabilities.json', kevCatalog([{ cve: 'CVE-2099-1001', vendor: 'Acme Medical', product: 'InfuCare' }]));
    expect(kev.json()).toMatchObject({ kind: 'kev', records: 1, counts: { added: 1 } });
    const epss = await send('name=epss_scores-2024-05-01.csv', epssCsv([{ cve: 'CVE-2099-1001', epss: 0.42, percentile: 0.97 }, { cve: 'CVE-2099-1002', epss: 0.01, percentile: 0.4 }]));
    expect(epss.json()).toMatchObject({ kind: 'epss', records: 2, counts: { added: 2 } });
    const sbom = await send('name=infucare.cdx.json', cycloneDxSbom({ components: [{ ref: 'ssl', name: 'wolfSSL', version: '4.8.1' }] }));
    expect(sbom.json()).toMatchObject({ kind: 'cyclonedx', records: 1, counts: { added: 1 } });

    expect(await library()).toEqual({ vulnerabilities: 2, statements: 2, advisories: 1, kev: 1, epss: 2, sboms: 1, mds2: 0 });
  });

  it('keeps what it could read of a file with faults and names each fault by its place', async () => {
    // A CVSS 2 vector where CSAF 2.0 wants a 3.x one: the score is left out, the rest is kept.
    const faulty = csafAdvisory({ vulnerabilities: [{ ...TWO[0]!, vector: 'AV:N/AC:L/Au:N/C:P/I:P/A:P' }, TWO[1]!] });
    const response = await send('name=faulty.json', faulty);
    expect(response.statusCode).toBe(200);
    const body = response.json<{ records: number; problems: { file: string; place: string; message: string }[] }>();
    expect(body.records).toBe(3);
    expect(body.problems).toEqual([{ file: 'faulty.json', place: '/vulnerabilities/0/scores/0/cvss_v3/vectorString', message: '"AV:N/AC:L/Au:N/C:P/I:P/A:P" is not a CVSS 3.x vector; left out' }]);
    expect((await library()).vulnerabilities).toBe(2);
  });

  it('gives an SBOM the maker and model it is for, when both are given', async () => {
    const redacted = cycloneDxSbom({ supplier: '', model: 'REDACTED', components: [{ ref: 'ssl', name: 'wolfSSL', version: '4.8.1' }] });
    const response = await send('name=pump.cdx.json&maker=Acme%20Medical&model=InfuCare%20300', redacted);
    expect(response.statusCode).toBe(200);
    const sboms = await app.inject({ method: 'GET', url: '/api/v1/sboms', headers: { authorization } });
    expect(sboms.json()).toEqual({ sboms: [{ serial: 'urn:uuid:5f1c2a9e-0d4b-4c1e-9a77-2b1d3c4e5f60', format: 'cyclonedx', subject: 'InfuCare 300', supplier: 'Acme Medical', components: 1, vex: 0 }] });
  });

  it('refuses a file sent as JSON or text: a feed file goes as its bytes', async () => {
    for (const type of ['application/json', 'text/plain']) {
      const response = await send('name=icsma-99-001-01.json', csafAdvisory(), type);
      expect(refusal(response), type).toEqual([415, 'HUB_ERR_FEED_BODY']);
      expect(response.json<{ message: string }>().message).toMatch(/send icsma-99-001-01\.json as application\/octet-stream/);
    }
    expect(await library()).toEqual(EMPTY_LIBRARY);
  });

  it('refuses a file of no feed kind, naming the file and the kinds it reads', async () => {
    const response = await send('name=minutes.txt', 'Minutes of the device security board, May 2024');
    expect(refusal(response)).toEqual([400, 'HUB_ERR_FEED_KIND']);
    expect(response.json<{ message: string }>().message).toMatch(/minutes\.txt is none of CSAF 2\.0, .*CycloneDX, SPDX or an MDS2 workbook/);
    const empty = await send('name=empty.json', Buffer.alloc(0));
    expect(refusal(empty)).toEqual([400, 'HUB_ERR_FEED_KIND']);
    expect(await library()).toEqual(EMPTY_LIBRARY);
  });

  it('refuses a maker without a model, and a maker and model for a file that is no SBOM or MDS2 form', async () => {
    const sbom = cycloneDxSbom({ components: [{ ref: 'ssl', name: 'wolfSSL', version: '4.8.1' }] });
    const half = await send('name=pump.cdx.json&maker=Acme%20Medical', sbom);
    expect(refusal(half)).toEqual([400, 'HUB_ERR_FEED_ATTRIBUTION']);
    expect(half.json<{ message: string }>().message).toMatch(/give both the maker and the model, or neither/);
    const advisory = await send('name=a.json&maker=Acme%20Medical&model=InfuCare%20300', csafAdvisory());
    expect(refusal(advisory)).toEqual([400, 'HUB_ERR_FEED_ATTRIBUTION']);
    expect(advisory.json<{ message: string }>().message).toMatch(/a\.json is a csaf file; a maker and model are given only to SBOMs and MDS2 forms/);
    expect(await library()).toEqual(EMPTY_LIBRARY);
  });

  it('refuses a query without a name, with a control character in it, or with a field it does not take', async () => {
    for (const query of ['', 'name=a%0Ab.json', 'name=a.json&source=nvd']) {
      const response = await send(query, csafAdvisory());
      expect(refusal(response), query).toEqual([400, 'HUB_ERR_BAD_REQUEST']);
      expect(response.json<{ message: string }>().message, query).toMatch(/querystring/);
    }
    expect(await library()).toEqual(EMPTY_LIBRARY);
  });
});
