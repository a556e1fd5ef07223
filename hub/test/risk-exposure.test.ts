/**
 * Exploitable here: two units of one pump model share a vulnerability in their web interface. One
 * answers clients from the workstation segment; the other is isolated (no client ever reached it).
 * The first ranks above the second and its entry says why; the second is shown as having no network
 * path, not dropped. Real LevelDB store, the advisory read by the real CSAF parser.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeviceBehaviour } from '@wardsight/protocol';
import { readFeed } from '@wardsight/vulns';
import type { RiskParts } from '../src/risk/open.js';
import type { LevelHubStore } from '../src/store/level-store.js';
import { useTempDirs } from './fixtures.js';
import { csafAdvisory, PUMP_MODEL, PUMP_VENDOR, pumpFacts, riskApp } from './vuln-fixtures.js';

const EXPOSED = 'mac:00:50:c2:00:00:01';
const ISOLATED = 'mac:00:50:c2:00:00:02';
const AT = '2024-05-01T10:00:00.000Z';
const UNTIL = '2024-05-01T10:05:00.000Z';

function behaviour(device: string, address: string, peers: DeviceBehaviour['peers']): DeviceBehaviour {
  return { device, addresses: [address], firstSeen: AT, lastSeen: UNTIL, packets: 100, bytes: 20_000, peers, peersOmitted: 0 };
}

interface Entry {
  device: string;
  vulnerability: string;
  score: number;
  reach: { reach: string; because: string[]; fromSegments: string[] };
  likelihood: { level: string };
  mitigations: { action: string; text: string }[];
  because: string[];
}

describe('risk: the same flaw on an exposed and on an isolated unit', () => {
  const tempDir = useTempDirs('wardsight-risk-');
  let store: LevelHubStore;
  let risk: RiskParts;
  let app: FastifyInstance;
  let authorization: string;

  beforeEach(async () => {
    const dir = await tempDir();
    ({ store, risk, app, authorization } = await riskApp(dir, { segments: [{ name: 'workstations', blocks: ['10.30.0.0/16'] }, { name: 'pumps', blocks: ['10.40.1.0/24'] }] }));
    await store.applyObservations('floor2', 1, [...pumpFacts(EXPOSED, '10.40.1.21'), ...pumpFacts(ISOLATED, '10.40.1.22')], AT);
    await risk.library.importDocument(await readFeed(new TextEncoder().encode(csafAdvisory()), 'icsma-99-001-01.json'));
    // The exposed unit answers on its web interface to two workstations; the isolated one only
    // talks, as a client, to the pump server on its own segment.
    risk.exposure.learn(
      behaviour(EXPOSED, '10.40.1.21', [
        { address: '10.30.5.10', port: 443, transport: 'tcp', role: 'server', app: 'tls', packets: 40, bytes: 9_000 },
        { address: '10.30.5.11', port: 443, transport: 'tcp', role: 'server', app: 'tls', packets: 20, bytes: 4_000 },
      ]),
    );
    risk.exposure.learn(behaviour(ISOLATED, '10.40.1.22', [{ address: '10.40.1.5', port: 2575, transport: 'tcp', role: 'client', app: 'hl7', packets: 30, bytes: 6_000 }]));
  });
  afterEach(async () => {
    await app.close();
    await store.close();
  });

  const get = async <T>(url: string): Promise<T> => {
    const response = await app.inject({ method: 'GET', url, headers: { authorization } });
    expect(response.statusCode, url).toBe(200);
    return response.json<T>();
  };

  it('ranks the exposed unit first and says why; the isolated unit is listed with no network path', async () => {
    const { entries, total } = await get<{ entries: Entry[]; total: number }>('/api/v1/risk/priorities');
    expect(total).toBe(2);
    const [first, second] = entries;
    expect(first?.device).toBe(EXPOSED);
    expect(second?.device).toBe(ISOLATED);
    expect(first?.vulnerability).toBe('CVE-2099-1001');
    expect(second?.vulnerability).toBe('CVE-2099-1001');
    expect(first!.score).toBeGreaterThan(second!.score);

    expect(first?.reach.reach).toBe('reachable');
    expect(first?.reach.fromSegments).toEqual(['workstations']);
    expect(first?.reach.because.join(' ')).toMatch(/tcp\/443 \(tls\) answered clients from workstations/);
    expect(first?.mitigations.map((m) => m.action)).toEqual(expect.arrayContaining(['patch', 'block-port']));
    expect(first?.mitigations.find((m) => m.action === 'patch')?.text).toMatch(/3\.2\.2/);

    expect(second?.reach.reach).toBe('no-path');
    expect(second?.reach.because.join(' ')).toMatch(/never seen in use/);
    expect(second?.likelihood.level).toBe('Low');
    expect(second?.because.join(' ')).toMatch(/InfuCare 300/);
  });

  it('filters by reach, and a rejected match leaves the list while staying visible on the device', async () => {
    const onlyNoPath = await get<{ entries: Entry[] }>('/api/v1/risk/priorities?reach=no-path');
    expect(onlyNoPath.entries.map((e) => e.device)).toEqual([ISOLATED]);

    const decided = await app.inject({ method: 'POST', url: '/api/v1/vulns/decisions', headers: { authorization }, payload: { vulnerability: 'cve-2099-1001', vendor: PUMP_VENDOR, model: PUMP_MODEL.toUpperCase(), decision: 'rejected', note: 'the web interface is disabled in our build' } });
    expect(decided.statusCode).toBe(200);
    expect((await get<{ total: number }>('/api/v1/risk/priorities')).total).toBe(0);
    const device = await get<{ score: number; entries: Entry[]; rejected: Entry[] }>(`/api/v1/devices/${EXPOSED}/risk`);
    expect(device.score).toBe(0);
    expect(device.rejected.map((e) => e.vulnerability)).toEqual(['CVE-2099-1001']);
  });

  it('refuses a suppression without an end, and one whose end is past, with the reason', async () => {
    const post = (body: Record<string, string>) => app.inject({ method: 'POST', url: '/api/v1/vulns/decisions', headers: { authorization }, payload: { vulnerability: 'CVE-2099-1001', vendor: PUMP_VENDOR, model: PUMP_MODEL, ...body } });
    const noEnd = await post({ decision: 'suppressed' });
    expect(noEnd.statusCode).toBe(400);
    expect(noEnd.json()).toMatchObject({ error: 'HUB_ERR_MATCH_DECISION', message: expect.stringMatching(/needs `until`/) });
    const past = await post({ decision: 'suppressed', until: '2001-01-01T00:00:00.000Z' });
    expect(past.statusCode).toBe(400);
    expect(past.json().message).toMatch(/already past/);
    expect((await get<{ count: number }>('/api/v1/vulns/decisions')).count).toBe(0);
  });
});
