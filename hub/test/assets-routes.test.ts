import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Observation } from '@wardsight/protocol';
import { buildApp } from '../src/app.js';
import { CredentialVerifier } from '../src/auth/credentials.js';
import { createMetrics } from '../src/metrics.js';
import { LevelHubStore } from '../src/store/level-store.js';
import { adminLogin, observation, useTempDirs } from './fixtures.js';

const RECEIVED = '2024-05-01T10:06:00.000Z';
const PUMP = 'mac:00:09:fb:12:34:56';
const MONITOR = 'mac:00:1b:63:aa:bb:01';
const UNSEEN_MAC = '00:09:fb:99:99:99';

const MAPPING = 'columns: { assetTag: Tag, room: Room, criticality: Class, mac: MAC, hostname: Host, vendor: Maker }\ncriticality: { A: critical, B: high }\n';
const EXPORT = ['Tag,Room,Class,MAC,Host,Maker', `T-1,2.14,B,00:09:FB:12:34:56,,B. Braun`, 'T-2,2.15,A,,icu-mon-3,GE Healthcare', `T-3,C-3,B,${UNSEEN_MAC},,`].join('\n');

const fact = (device: string, attribute: string, value: string, signal: string, confidence = 0.9): Observation => observation({ device, attribute, value, signal, evidence: value, confidence });

const ASSET_ROUTES: { method: 'GET' | 'POST' | 'PUT'; url: string }[] = [
  { method: 'POST', url: '/api/v1/assets/import' },
  { method: 'GET', url: '/api/v1/assets' },
  { method: 'GET', url: '/api/v1/assets/conflicts' },
  { method: 'GET', url: `/api/v1/devices/${PUMP}/asset` },
  { method: 'PUT', url: `/api/v1/devices/${PUMP}/asset` },
];

interface AssetAnswer {
  asset: string;
  key: string;
  state: string;
  device: string | null;
  matchedBy: string | null;
  fields: Record<string, { value: string; source: string; at: string }>;
  offers: Record<string, { value: string; source: string }>;
  conflicts: number;
}

describe('asset register API', () => {
  const tempDir = useTempDirs('wardsight-assets-api-');
  let store: LevelHubStore;
  let app: FastifyInstance;
  let authorization: string;

  beforeEach(async () => {
    const dir = await tempDir();
    store = await LevelHubStore.open(join(dir, 'store'));
    ({ authorization } = await adminLogin(store, dir));
    app = await buildApp({ store, metrics: createMetrics(), verifier: new CredentialVerifier(store), version: 'test', embeddedBroker: false, logger: pino({ level: 'silent' }) });
    await store.applyObservations('floor2', 1, [fact(PUMP, 'vendor', 'B. Braun', 'oui', 0.5), fact(MONITOR, 'vendor', 'Philips', 'oui', 0.7), fact(MONITOR, 'hostname', 'icu-mon-3', 'dhcp.option12')], RECEIVED);
  });
  afterEach(async () => {
    await app.close();
    await store.close();
  });

  const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, headers: Record<string, string> = { authorization }) =>
    app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
  const importFile = (csv = EXPORT, mapping = MAPPING) => call('POST', '/api/v1/assets/import', { csv, mapping, source: 'cmms-2024-05.csv' });
  const listAssets = async () => (await call('GET', '/api/v1/assets')).json<{ assets: AssetAnswer[]; count: number }>();

  it('refuses every asset route without a valid credential, and changes nothing', async () => {
    const wrong = `Basic ${Buffer.from('admin:wrong').toString('base64')}`;
    for (const { method, url } of ASSET_ROUTES) {
      for (const headers of [{}, { authorization: wrong }] as Record<string, string>[]) {
        const response = await call(method, url, method === 'GET' ? undefined : { csv: EXPORT, mapping: MAPPING, source: 'x.csv', room: '1' }, headers);
        expect(response.statusCode, `${method} ${url}`).toBe(401);
        expect(response.json(), url).toMatchObject({ error: 'HUB_ERR_UNAUTHENTICATED' });
      }
    }
    expect((await listAssets()).count).toBe(0);
  });

  it('imports a register file and answers the counts; lists the assets with their sources and devices, and the conflicts', async () => {
    const imported = await importFile();
    expect(imported.statusCode).toBe(200);
    expect(imported.json()).toEqual({ rows: 3, matched: 2, notSeen: 1, ambiguous: 0, unchanged: 0, conflicts: 1, openConflicts: 1 });

    const { assets, count } = await listAssets();
    expect(count).toBe(3);
    const byTag = Object.fromEntries(assets.map((a) => [a.asset, a]));
    expect(byTag['T-1']).toMatchObject({ key: 'tag:T-1', state: 'linked', device: PUMP, matchedBy: 'mac', conflicts: 0, offers: {} });
    expect(byTag['T-1']!.fields.criticality).toMatchObject({ value: 'high', source: 'cmms:cmms-2024-05.csv' });
    expect(byTag['T-2']).toMatchObject({ state: 'linked', device: MONITOR, matchedBy: 'hostname', conflicts: 1 });
    expect(byTag['T-3']).toMatchObject({ state: 'not-seen', device: null, matchedBy: null });

    const listed = (await call('GET', '/api/v1/assets/conflicts')).json<{ conflicts: Record<string, unknown>[]; count: number }>();
    expect(listed.count).toBe(1);
    expect(listed.conflicts[0]).toMatchObject({ kind: 'sensors-differ', asset: 'T-2', device: MONITOR, field: 'vendor', value: 'GE Healthcare', source: 'cmms:cmms-2024-05.csv', otherValue: 'Philips', otherSource: 'sensor:floor2' });
    // The register does not overwrite what the sensors found.
    expect((await call('GET', `/api/v1/devices/${MONITOR}`)).json()).toMatchObject({ vendor: 'Philips' });

    expect((await importFile()).json()).toMatchObject({ rows: 3, unchanged: 3, conflicts: 0 });
  });

  it('shows a device\'s asset, and lets a technician set its fields; a re-import keeps them', async () => {
    await importFile();
    const shown = await call('GET', `/api/v1/devices/${PUMP}/asset`);
    expect(shown.statusCode).toBe(200);
    expect(shown.json()).toMatchObject({ asset: 'T-1', device: PUMP, fields: { room: { value: '2.14' } } });

    const set = await call('PUT', `/api/v1/devices/${PUMP}/asset`, { room: ' 2.18 ', owner: 'Biomed ICU', criticality: 'critical' });
    expect(set.statusCode).toBe(200);
    expect(set.json<AssetAnswer>().fields).toMatchObject({ room: { value: '2.18', source: 'technician:admin' }, owner: { value: 'Biomed ICU', source: 'technician:admin' }, criticality: { value: 'critical' } });
    expect(set.json()).toMatchObject({ asset: 'T-1', device: PUMP, matchedBy: 'technician' });

    expect((await importFile()).json()).toMatchObject({ unchanged: 2, conflicts: 2 });
    const after = (await call('GET', `/api/v1/devices/${PUMP}/asset`)).json<AssetAnswer>();
    expect(after.fields.room).toMatchObject({ value: '2.18', source: 'technician:admin' });
    expect(after.offers.room).toMatchObject({ value: '2.14', source: 'cmms:cmms-2024-05.csv' });
    const kept = (await call('GET', '/api/v1/assets/conflicts')).json<{ conflicts: { kind: string; field: string }[] }>().conflicts.filter((c) => c.kind === 'technician-kept');
    expect(kept.map((c) => c.field).sort()).toEqual(['criticality', 'room']);
  });

  it('makes a new asset for a device with none when the technician gives its tag, and asks for one otherwise', async () => {
    const device = 'mac:00:50:56:00:00:07';
    await store.applyObservations('floor2', 2, [fact(device, 'hostname', 'lab-analyser-2', 'dhcp.option12')], RECEIVED);
    expect((await call('GET', `/api/v1/devices/${device}/asset`)).statusCode).toBe(404);
    const untagged = await call('PUT', `/api/v1/devices/${device}/asset`, { room: 'L-2' });
    expect(untagged.statusCode).toBe(400);
    expect(untagged.json()).toMatchObject({ error: 'HUB_ERR_ASSET_NO_KEY' });
    const made = await call('PUT', `/api/v1/devices/${device}/asset`, { assetTag: 'LAB-0042', room: 'L-2' });
    expect(made.json()).toMatchObject({ asset: 'LAB-0042', state: 'linked', device, matchedBy: 'technician' });
    expect((await call('GET', `/api/v1/devices/${device}/asset`)).json()).toMatchObject({ asset: 'LAB-0042' });
  });

  it('answers 409 for a device two assets link to, until the technician names one', async () => {
    await importFile(`${EXPORT}\nT-5,2.14,B,00:09:fb:12:34:56,,`);
    const both = await call('GET', `/api/v1/devices/${PUMP}/asset`);
    expect(both.statusCode).toBe(409);
    expect(both.json()).toMatchObject({ error: 'HUB_ERR_ASSET_AMBIGUOUS' });
    expect(both.json<{ message: string }>().message).toContain('tag:T-1, tag:T-5');
    expect((await call('PUT', `/api/v1/devices/${PUMP}/asset`, { room: '2.19' })).statusCode).toBe(409);
    const named = await call('PUT', `/api/v1/devices/${PUMP}/asset`, { assetTag: 'T-5', room: '2.19' });
    expect(named.json()).toMatchObject({ asset: 'T-5', fields: { room: { value: '2.19', source: 'technician:admin' } } });
  });

  it('answers 400 with the stable code, the row and the column for a malformed file, and imports none of it', async () => {
    await importFile();
    const before = await listAssets();
    const cases: [string, string, string, number | null, string | null][] = [
      [`${EXPORT}\nT-9,2.19,B,00:09:fb:12:34,,`, MAPPING, 'HUB_ERR_ASSET_MAC', 5, 'MAC'],
      [`${EXPORT}\nT-9,2.19,Z,,,`, MAPPING, 'HUB_ERR_ASSET_CRITICALITY', 5, 'Class'],
      [`${EXPORT}\nT-9,2.19`, MAPPING, 'HUB_ERR_ASSET_COLUMN_COUNT', 5, 'Class'],
      [`${EXPORT}\nT-1,2.19,B,,,`, MAPPING, 'HUB_ERR_ASSET_DUPLICATE', 5, 'Tag'],
      [`${EXPORT}\nT-9,"2.19,B,,,`, MAPPING, 'HUB_ERR_ASSET_QUOTE', 5, 'Room'],
      [EXPORT.replace('Host', 'Hostname'), MAPPING, 'HUB_ERR_ASSET_HEADER', 1, 'Host'],
      [EXPORT, 'columns: { tag: Tag }', 'HUB_ERR_ASSET_MAPPING', null, null],
    ];
    for (const [csv, mapping, code, row, column] of cases) {
      const response = await importFile(csv, mapping);
      expect(response.statusCode, code).toBe(400);
      const body = response.json<{ error: string; message: string; row?: number | null; column?: string | null }>();
      expect(body.error, code).toBe(code);
      if (row !== null) {
        expect(body, code).toMatchObject({ row, column });
        expect(body.message, code).toContain(`row ${row}, column "${column}"`);
      }
    }
    expect(await listAssets()).toEqual(before);
  });

  it('answers 400 for requests the schemas refuse', async () => {
    expect((await call('POST', '/api/v1/assets/import', { csv: EXPORT, mapping: MAPPING })).json()).toMatchObject({ error: 'HUB_ERR_BAD_REQUEST' });
    expect((await call('POST', '/api/v1/assets/import', { csv: EXPORT, mapping: MAPPING, source: '../etc/x.csv' })).statusCode).toBe(400);
    expect((await call('PUT', `/api/v1/devices/${PUMP}/asset`, { criticality: 'urgent' })).statusCode).toBe(400);
    expect((await call('PUT', `/api/v1/devices/${PUMP}/asset`, { mac: '00:09:fb:00:00:01' })).statusCode).toBe(400);
    expect((await call('PUT', `/api/v1/devices/${PUMP}/asset`, {})).statusCode).toBe(400);
    const ip = await call('PUT', `/api/v1/devices/${PUMP}/asset`, { assetTag: 'T-1', ip: '10.0.0.300' });
    expect(ip.json()).toMatchObject({ error: 'HUB_ERR_ASSET_VALUE' });
    expect((await call('PUT', '/api/v1/devices/mac:00:00:00:00:00:01/asset', { assetTag: 'T-1' })).statusCode).toBe(404);
    expect((await listAssets()).count).toBe(0);
  });
});
