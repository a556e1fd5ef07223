/**
 * The risk API on a real LevelDB store, with the hub's clock in the test's hands: two units of a
 * pump model with two vulnerabilities (one in the KEV catalog), one exposed to the workstations and
 * one isolated, and a patient monitor of another maker. Every route wants the analyst credential;
 * every refusal has its status, stable code and a message a person can act on, and changes nothing.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFeed } from '@wardsight/vulns';
import type { RiskParts } from '../src/risk/open.js';
import type { LevelHubStore } from '../src/store/level-store.js';
import { useTempDirs } from './fixtures.js';
import { behaviourOf, csafAdvisory, cycloneDxSbom, deviceFacts, kevCatalog, PUMP_MODEL, PUMP_VENDOR, pumpFacts, riskApp, served } from './vuln-fixtures.js';

const EXPOSED = 'mac:00:50:c2:00:00:01';
const ISOLATED = 'mac:00:50:c2:00:00:02';
const MONITOR = 'mac:00:1b:63:aa:bb:01';
const AT = '2024-05-01T10:00:00.000Z';
const WEB_FLAW = 'CVE-2099-1001';
const TELNET_FLAW = 'CVE-2099-1002';
const CRITICAL = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
const PUMP_FLAWS = [
  { cve: WEB_FLAW, title: 'Web interface accepts unauthenticated dose-library uploads', vector: CRITICAL, score: 9.8, fix: 'Update the pump software to 3.2.2 or later.' },
  { cve: TELNET_FLAW, title: 'Telnet service with a fixed password', vector: CRITICAL, score: 9.8 },
];
const SBOM_SERIAL = 'urn:uuid:5f1c2a9e-0d4b-4c1e-9a77-2b1d3c4e5f60';

/** Answers to the medical-device rubric for the web flaw on the pump, every question answered. */
const RUBRIC_ANSWERS = {
  attackVector: { throughCommunication: true, layer3or4: true },
  complexity: { atWill: false },
  privileges: { multiUser: true, authorised: true, admin: false },
  userInteraction: { userAction: true },
  scope: { crossesComponent: false },
  impact: {
    phi: { disclosure: 'yes', patientRecords: 120, integrity: 'None', availability: 'None' },
    diagnosis: { confidentiality: 'None', integrity: 'None', availability: 'None' },
    therapy: { confidentiality: 'None', integrity: 'Low', availability: 'High' },
    workflow: { confidentiality: 'None', integrity: 'None', availability: 'Low' },
    secrets: { confidentiality: 'None', integrity: 'None', availability: 'None' },
    otherCritical: { confidentiality: 'None', integrity: 'None', availability: 'None' },
  },
};

interface Entry {
  device: string;
  vulnerability: string;
  decision: string | null;
  score: number;
  cvss: { source: string; vector: string; score: number } | null;
  match: { basis: string; text: string };
  impact: { level: string; because: string[] };
  because: string[];
}
interface DeviceRisk {
  device: string;
  score: number;
  components: { highest: number; others: number; entries: number };
  entries: Entry[];
  rejected: Entry[];
}

describe('risk API', () => {
  const tempDir = useTempDirs('wardsight-risk-api-');
  let store: LevelHubStore;
  let risk: RiskParts;
  let app: FastifyInstance;
  let authorization: string;
  let analyst: string;
  let clock: Date;

  const importFile = async (text: string, name: string) => risk.library.importDocument(await readFeed(new TextEncoder().encode(text), name));

  beforeEach(async () => {
    const dir = await tempDir();
    clock = new Date(AT);
    ({ store, risk, app, authorization, username: analyst } = await riskApp(dir, { segments: [{ name: 'workstations', blocks: ['10.30.0.0/16'] }, { name: 'pumps', blocks: ['10.40.1.0/24'] }], now: () => clock }));
    const monitor = deviceFacts(MONITOR, { vendor: 'Philips', model: 'IntelliVue MX40', category: 'patient-monitor', os: 'Windows XP Embedded', ip: '10.40.3.5' });
    await store.applyObservations('floor2', 1, [...pumpFacts(EXPOSED, '10.40.1.21'), ...pumpFacts(ISOLATED, '10.40.1.22'), ...monitor], AT);
    await importFile(csafAdvisory({ vulnerabilities: PUMP_FLAWS }), 'icsma-99-001-01.json');
    await importFile(csafAdvisory({ id: 'ICSMA-99-002-01', product: 'InfuCare 500', range: '<= 1.4', vulnerabilities: [{ cve: 'CVE-2099-1003', title: 'Dose limits can be read without authentication', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', score: 7.5 }] }), 'icsma-99-002-01.json');
    await importFile(kevCatalog([{ cve: WEB_FLAW, vendor: PUMP_VENDOR, product: 'InfuCare' }]), 'kev.json');
    // The exposed unit answers the workstations on its web interface and on Telnet; the isolated
    // one only talks, as a client, to the pump server on its own segment.
    risk.exposure.learn(behaviourOf(EXPOSED, '10.40.1.21', [served('10.30.5.10', 443, 'tls'), served('10.30.5.11', 23)]));
    risk.exposure.learn(behaviourOf(ISOLATED, '10.40.1.22', [{ address: '10.40.1.5', port: 2575, transport: 'tcp', role: 'client', app: 'hl7', packets: 30, bytes: 6_000 }]));
  });
  afterEach(async () => {
    await app.close();
    await store.close();
  });

  const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, headers: Record<string, string> = { authorization }) =>
    app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
  const get = async <T>(url: string): Promise<T> => {
    const response = await call('GET', url);
    expect(response.statusCode, url).toBe(200);
    return response.json<T>();
  };
  const deviceRisk = (device: string) => get<DeviceRisk>(`/api/v1/devices/${device}/risk`);
  const entryOf = (r: DeviceRisk, vulnerability: string) => r.entries.find((e) => e.vulnerability === vulnerability);
  const decide = (body: Record<string, unknown>) => call('POST', '/api/v1/vulns/decisions', { vulnerability: TELNET_FLAW, vendor: PUMP_VENDOR, model: PUMP_MODEL, ...body });
  const decisionCount = async () => (await get<{ count: number }>('/api/v1/vulns/decisions')).count;
  const refusal = async (response: { statusCode: number; json: <T>() => T }) => {
    const body = response.json<{ error: string; message: string }>();
    return [response.statusCode, body.error, body.message];
  };

  it('refuses every risk and feed route without a valid credential, and changes nothing', async () => {
    const routes: [method: 'GET' | 'POST' | 'PUT', url: string, body?: object][] = [
      ['GET', '/api/v1/feeds'],
      ['POST', '/api/v1/feeds/files?name=kev.json', { any: 'thing' }],
      ['GET', '/api/v1/risk/priorities'],
      ['GET', '/api/v1/risk/devices'],
      ['GET', `/api/v1/devices/${EXPOSED}/risk`],
      ['POST', '/api/v1/vulns/decisions', { vulnerability: WEB_FLAW, vendor: PUMP_VENDOR, model: PUMP_MODEL, decision: 'rejected' }],
      ['GET', '/api/v1/vulns/decisions'],
      ['PUT', `/api/v1/vulns/${WEB_FLAW}/rubric`, { vendor: PUMP_VENDOR, model: PUMP_MODEL, answers: RUBRIC_ANSWERS }],
      ['GET', '/api/v1/sboms'],
      ['GET', `/api/v1/sboms/${encodeURIComponent(SBOM_SERIAL)}/matches`],
      ['GET', '/api/v1/models/Acme%20Medical/InfuCare%20300/assessment'],
      ['GET', '/api/v1/suppliers'],
    ];
    const wrong = `Basic ${Buffer.from(`${analyst}:wrong`).toString('base64')}`;
    for (const [method, url, body] of routes) {
      for (const headers of [{}, { authorization: wrong }] as Record<string, string>[]) {
        const response = await call(method, url, body, headers);
        expect(response.statusCode, `${method} ${url}`).toBe(401);
        expect(response.json(), url).toMatchObject({ error: 'HUB_ERR_UNAUTHENTICATED', message: expect.stringMatching(/HTTP Basic|wrong username or password/) });
      }
    }
    expect(await decisionCount()).toBe(0);
    expect(entryOf(await deviceRisk(EXPOSED), WEB_FLAW)?.cvss?.source).toBe('cisa-csaf');
  });

  it('lists the priorities highest first and each device with its score, and filters and limits them', async () => {
    const { entries, count, total } = await get<{ entries: Entry[]; count: number; total: number }>('/api/v1/risk/priorities');
    expect([count, total]).toEqual([4, 4]);
    expect(entries.map((e) => [e.device, e.vulnerability, e.score])).toEqual([
      [EXPOSED, WEB_FLAW, 83.3],
      [ISOLATED, WEB_FLAW, 83.3],
      [EXPOSED, TELNET_FLAW, 58.3],
      [ISOLATED, TELNET_FLAW, 29.2],
    ]);
    const exposed = await deviceRisk(EXPOSED);
    expect([exposed.score, exposed.components]).toEqual([89.1, { highest: 83.3, others: 5.8, entries: 2 }]);
    const devices = await get<{ devices: { device: string; score: number; top: string | null }[]; count: number }>('/api/v1/risk/devices');
    expect(devices).toEqual({ count: 2, devices: [{ device: EXPOSED, score: 89.1, components: { highest: 83.3, others: 5.8, entries: 2 }, top: WEB_FLAW }, { device: ISOLATED, score: 86.2, components: { highest: 83.3, others: 2.9, entries: 2 }, top: WEB_FLAW }] });

    expect((await get<{ entries: Entry[] }>('/api/v1/risk/priorities?reach=no-path')).entries.map((e) => [e.device, e.vulnerability])).toEqual([
      [ISOLATED, WEB_FLAW],
      [ISOLATED, TELNET_FLAW],
    ]);
    expect(await get('/api/v1/risk/priorities?limit=1')).toMatchObject({ count: 1, total: 4, entries: [{ device: EXPOSED, vulnerability: WEB_FLAW }] });
    // A device of a maker no vulnerability names has no risk entries, and still answers.
    expect(await deviceRisk(MONITOR)).toEqual({ device: MONITOR, score: 0, components: { highest: 0, others: 0, entries: 0 }, entries: [], rejected: [] });
  });

  it('refuses a bad querystring with the field at fault', async () => {
    for (const [query, field] of [['reach=bogus', 'querystring/reach'], ['limit=0', 'querystring/limit'], ['limit=ten', 'querystring/limit'], ['sort=score', 'querystring/sort']]) {
      const [status, error, message] = await refusal(await call('GET', `/api/v1/risk/priorities?${query}`));
      expect([status, error], query).toEqual([400, 'HUB_ERR_BAD_REQUEST']);
      expect(message, query).toContain(field);
    }
  });

  it('refuses a decision body that is not acceptable, and keeps no decision', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ decision: 'ignored' }, /body\/decision/],
      [{ decision: 'rejected', severity: 'low' }, /body\/severity is not a field this request takes/],
      [{ decision: 'rejected', vulnerability: 'CVE 2099 1002' }, /body\/vulnerability must match pattern/],
      [{ decision: 'rejected', vendor: '' }, /body\/vendor/],
      [{ decision: 'suppressed', until: 'next week' }, /body\/until must match format "date-time"/],
    ];
    for (const [body, message] of cases) {
      const [status, error, said] = await refusal(await decide(body));
      expect([status, error], JSON.stringify(body)).toEqual([400, 'HUB_ERR_BAD_REQUEST']);
      expect(said).toMatch(message);
    }
    // 12:00 at UTC+05:00 is 07:00Z, three hours before the hub's clock.
    const [status, error, said] = await refusal(await decide({ decision: 'suppressed', until: '2024-05-01T12:00:00+05:00' }));
    expect([status, error, said]).toEqual([400, 'HUB_ERR_MATCH_DECISION', 'The match decision is not acceptable: until 2024-05-01T12:00:00+05:00 is already past']);
    expect(await decisionCount()).toBe(0);
    expect((await deviceRisk(EXPOSED)).components.entries).toBe(2);
  });

  it('refuses a decision or rubric answers for a vulnerability the library does not hold, and stores nothing', async () => {
    const [status, error, message] = await refusal(await decide({ vulnerability: 'CVE-2099-9999', decision: 'confirmed' }));
    expect([status, error]).toEqual([404, 'HUB_ERR_NOT_FOUND']);
    expect(message).toMatch(/the library holds no CVE-2099-9999; import the feed that describes it first/);
    const rubric = await call('PUT', '/api/v1/vulns/CVE-2099-9999/rubric', { vendor: PUMP_VENDOR, model: PUMP_MODEL, answers: {} });
    expect(rubric.statusCode).toBe(404);
    expect(await decisionCount()).toBe(0);
  });

  it('answers 404 for an unknown device and an unknown SBOM, saying how to import one', async () => {
    expect(await refusal(await call('GET', '/api/v1/devices/mac:00:00:00:00:00:99/risk'))).toEqual([404, 'HUB_ERR_NOT_FOUND', 'No such resource: device mac:00:00:00:00:00:99']);
    const [status, error, message] = await refusal(await call('GET', '/api/v1/sboms/urn%3Auuid%3Anone/matches'));
    expect([status, error]).toEqual([404, 'HUB_ERR_NOT_FOUND']);
    expect(message).toMatch(/no SBOM with serial urn:uuid:none; import it with `wardsight feeds import`/);
  });

  it('shows a suppressed match on the device without counting it, and counts it again once the suppression ends', async () => {
    const until = '2024-05-01T12:00:00.000Z';
    const decided = await decide({ decision: 'suppressed', until, note: 'Telnet is closed by the ward firewall until the upgrade' });
    expect(decided.statusCode).toBe(200);
    expect(decided.json()).toEqual({ vulnerability: TELNET_FLAW, vendor: PUMP_VENDOR, model: PUMP_MODEL, decision: 'suppressed', note: 'Telnet is closed by the ward firewall until the upgrade', by: analyst, at: AT, until });

    const suppressed = await deviceRisk(EXPOSED);
    expect(entryOf(suppressed, TELNET_FLAW)).toMatchObject({ decision: 'suppressed', score: 58.3 });
    expect(entryOf(suppressed, TELNET_FLAW)?.because).toContain(`suppressed by ${analyst}: Telnet is closed by the ward firewall until the upgrade`);
    expect([suppressed.score, suppressed.components]).toEqual([83.3, { highest: 83.3, others: 0, entries: 1 }]);
    const listed = async () => ((await call('GET', '/api/v1/risk/priorities')).json() as { entries: { device: string; vulnerability: string }[] }).entries.filter((e) => e.device === EXPOSED).map((e) => e.vulnerability);
    expect(await listed()).not.toContain(TELNET_FLAW);

    clock = new Date('2024-05-01T12:00:00.001Z');
    const ended = await deviceRisk(EXPOSED);
    expect(entryOf(ended, TELNET_FLAW)?.decision).toBeNull();
    expect([ended.score, ended.components.entries]).toEqual([89.1, 2]);
    expect(await listed()).toContain(TELNET_FLAW);
    expect(await decisionCount()).toBe(1);
  });

  it('keeps a confirmed match scored, and takes a changed mind at once', async () => {
    expect((await decide({ vulnerability: WEB_FLAW, decision: 'confirmed', note: 'reproduced on the bench unit' })).statusCode).toBe(200);
    const confirmed = await deviceRisk(EXPOSED);
    expect(entryOf(confirmed, WEB_FLAW)).toMatchObject({ decision: 'confirmed', score: 83.3 });
    expect(entryOf(confirmed, WEB_FLAW)?.because).toContain(`confirmed by ${analyst}: reproduced on the bench unit`);
    expect(confirmed.score).toBe(89.1);

    // Same instant, same key: the rejection replaces the confirmation.
    expect((await decide({ vulnerability: WEB_FLAW, decision: 'rejected', note: 'the web interface is disabled in our build' })).statusCode).toBe(200);
    const rejected = await deviceRisk(EXPOSED);
    expect(rejected.rejected.map((e) => e.vulnerability)).toEqual([WEB_FLAW]);
    expect([rejected.score, rejected.components.entries]).toEqual([58.3, 1]);
    expect(await decisionCount()).toBe(1);
  });

  it('refuses incomplete rubric answers with every problem, and scores the model with complete ones', async () => {
    const rubric = (answers: object, model = PUMP_MODEL) => call('PUT', `/api/v1/vulns/${WEB_FLAW.toLowerCase()}/rubric`, { vendor: PUMP_VENDOR, model, answers });
    const [status, error, message] = await refusal(await rubric({ attackVector: { throughCommunication: true, viaUsb: true }, complexity: { atWill: true } }));
    expect([status, error]).toEqual([400, 'HUB_ERR_RUBRIC']);
    expect(message).toContain('attackVector.viaUsb is not a question of the rubric');
    expect(message).toContain('attackVector.layer3or4 is not answered (asked because attackVector.throughCommunication is true)');
    expect(message).toContain('privileges is not answered');
    expect(message).toContain('impact is not answered');
    expect(entryOf(await deviceRisk(EXPOSED), WEB_FLAW)?.cvss?.source).toBe('cisa-csaf');

    const recorded = await rubric(RUBRIC_ANSWERS, 'infucare-300');
    expect(recorded.statusCode).toBe(200);
    const body = recorded.json<{ vulnerability: string; vector: string; score: number; severity: string; derivation: { metric: string; value: string; because: string }[]; by: string; at: string }>();
    expect(body).toMatchObject({ vulnerability: WEB_FLAW, vector: 'CVSS:3.1/AV:N/AC:H/PR:L/UI:R/S:U/C:L/I:L/A:H', score: 5.9, severity: 'Medium', by: analyst, at: AT });
    expect(body.derivation.map((d) => `${d.metric}:${d.value}`)).toEqual(['AV:N', 'AC:H', 'PR:L', 'UI:R', 'S:U', 'C:L', 'I:L', 'A:H']);
    expect(body.derivation.find((d) => d.metric === 'C')?.because).toMatch(/PHI\/PII Low \(120 patients' records, fewer than 500\)/);

    // The model's name folded the same way: both units now score the web flaw with the rubric's vector.
    for (const device of [EXPOSED, ISOLATED]) {
      const entry = entryOf(await deviceRisk(device), WEB_FLAW);
      expect(entry?.cvss).toMatchObject({ source: 'rubric', vector: body.vector, score: 5.9 });
      expect(entry?.score).toBe(50.2);
    }
  });

  it("raises a unit's impact with the criticality its linked CMMS asset gives", async () => {
    expect(entryOf(await deviceRisk(EXPOSED), WEB_FLAW)?.impact.level).toBe('High');
    const mapping = 'columns: { assetTag: Tag, criticality: Class, mac: MAC }\ncriticality: { A: critical }\n';
    const imported = await call('POST', '/api/v1/assets/import', { csv: 'Tag,Class,MAC\nP-1,A,00:50:C2:00:00:01\n', mapping, source: 'cmms.csv' });
    expect(imported.json()).toMatchObject({ rows: 1, matched: 1 });
    const raised = await deviceRisk(EXPOSED);
    expect(entryOf(raised, WEB_FLAW)?.impact).toMatchObject({ level: 'Critical', because: ['infusion-pump: therapy function → High', 'asset register criticality critical → Critical'] });
    expect(entryOf(raised, WEB_FLAW)?.score).toBe(98);
    expect(entryOf(await deviceRisk(ISOLATED), WEB_FLAW)?.impact.level).toBe('High');
  });

  it('holds an SBOM against the library: its components on the model, and a name-only KEV candidate', async () => {
    await importFile(csafAdvisory({ id: 'ICSMA-99-003-01', vendor: 'wolfSSL', product: 'wolfSSL', range: '< 5.0.0', vulnerabilities: [{ cve: 'CVE-2099-1004', title: 'TLS 1.3 session ticket memory corruption', vector: CRITICAL, score: 9.8 }] }), 'icsma-99-003-01.json');
    await importFile(kevCatalog([{ cve: 'CVE-2099-1005', vendor: 'zlib', product: 'zlib' }]), 'kev-2.json');
    await importFile(cycloneDxSbom({ components: [{ ref: 'ssl', name: 'wolfSSL', version: '4.8.1', supplier: 'wolfSSL' }, { ref: 'zlib', name: 'zlib', version: '1.2.11' }] }), 'infucare.cdx.json');

    expect(await get('/api/v1/sboms')).toEqual({ sboms: [{ serial: SBOM_SERIAL, format: 'cyclonedx', subject: PUMP_MODEL, supplier: PUMP_VENDOR, components: 2, vex: 0 }] });
    const matches = await get<{ serial: string; components: number; matches: { component: { ref: string }; vulnerability: string; kind: string; kev: boolean; reason: { text: string } }[] }>(`/api/v1/sboms/${encodeURIComponent(SBOM_SERIAL)}/matches`);
    expect([matches.serial, matches.components]).toEqual([SBOM_SERIAL, 2]);
    expect(matches.matches.map((m) => [m.component.ref, m.vulnerability, m.kind, m.kev])).toEqual([
      ['ssl', 'CVE-2099-1004', 'match', false],
      ['zlib', 'CVE-2099-1005', 'candidate', true],
    ]);
    expect(matches.matches[1]?.reason.text).toMatch(/the catalog gives no versions: confirm against the vendor's advisory/);

    const onPump = entryOf(await deviceRisk(EXPOSED), 'CVE-2099-1004');
    expect(onPump?.match.basis).toBe('sbom');
    expect(onPump?.match.text).toMatch(new RegExp(`^wolfSSL 4\\.8\\.1, a component in the maker's SBOM \\(${SBOM_SERIAL}\\)`));
  });

  it('assesses a model nobody has deployed: no behaviour, its weight passed on to the other parts', async () => {
    const a = await get<{ score: number; level: string; components: Record<'vulnerabilities' | 'maker' | 'behaviour', { score: number | null; weight: number; because: string[] }>; vulnerabilities: { id: string }[]; behaviour: null; deployed: { units: number; versions: string[] } }>(
      '/api/v1/models/Acme%20Medical/InfuCare%20500/assessment',
    );
    expect(a.behaviour).toBeNull();
    expect(a.deployed).toEqual({ units: 0, versions: [] });
    expect(a.vulnerabilities.map((v) => v.id)).toEqual(['CVE-2099-1003']);
    expect(a.components.behaviour).toEqual({ score: null, weight: 0.2, because: ['no unit of this model has been learnt on this network'] });
    expect(a.components.vulnerabilities).toMatchObject({ score: 75, weight: 0.5 });
    expect(a.components.maker).toMatchObject({ score: 50, weight: 0.3 });
    expect([a.score, a.level]).toEqual([65.6, 'High']);

    const deployed = await get<{ deployed: { units: number; versions: string[] }; vulnerabilities: { id: string }[] }>('/api/v1/models/Acme%20Medical/InfuCare%20300/assessment');
    expect(deployed.deployed).toEqual({ units: 2, versions: ['3.1.0'] });
    expect(deployed.vulnerabilities.map((v) => v.id)).toEqual([WEB_FLAW, TELNET_FLAW]);
  });

  it('lists a scorecard for each maker of the inventory, worst first, with its grade', async () => {
    const { suppliers, count } = await get<{ suppliers: Record<string, unknown>[]; count: number }>('/api/v1/suppliers');
    expect(count).toBe(2);
    expect(suppliers.map((s) => [s.vendor, s.devices, s.models, s.score, s.grade])).toEqual([
      [PUMP_VENDOR, 2, [PUMP_MODEL], 40, 'C'],
      ['Philips', 1, ['IntelliVue MX40'], 65, 'B'],
    ]);
    expect(suppliers[0]).toMatchObject({ advisories: 2, cves: 3, kev: 1, fixRate: 0.5, medianDaysToFix: 51, sbom: false, mds2: false, unsupportedOs: 0, openFindings: 4, highestDeviceRisk: 89.1 });
    expect(suppliers[1]).toMatchObject({ advisories: 0, fixRate: null, unsupportedOs: 1, openFindings: 0, highestDeviceRisk: 0, because: ['no SBOM', 'no MDS2 form', '1 products or devices on unsupported operating systems'] });
  });
});
