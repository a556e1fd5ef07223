import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SIGNAL_NAMES, type Signal } from '@wardsight/classify';
import type { Observation } from '@wardsight/protocol';
import { buildApp } from '../src/app.js';
import { CredentialVerifier, ensureAdminCredential, readAdminCredential } from '../src/auth/credentials.js';
import { AnalystLabels, fingerprintOf, scrub } from '../src/inventory/label-fingerprints.js';
import { createMetrics } from '../src/metrics.js';
import { LevelHubStore } from '../src/store/level-store.js';
import { INFUSION_PUMP, observation, useTempDirs } from './fixtures.js';

const RECEIVED = '2024-05-01T10:06:00.000Z';

/** The labelled pump; a second unit of its model; a pump of another model of the same maker; a stranger. */
const SECOND_PUMP = 'mac:00:09:fb:65:43:21';
const OTHER_MODEL = 'mac:00:09:fb:aa:bb:cc';
const STRANGER = 'mac:02:42:ac:11:00:09';

/** What every unit of one model sends alike: the generic DHCP client of its embedded Linux, its stack, its TLS library. */
const SPACE_MODEL = {
  vendorClass: 'udhcp 1.21.1',
  parameterList: '1,3,6,12,15,28,42',
  optionOrder: '53,61,50,57,60,12,55',
  synSignature: '64:5840:1460:2:MSS,SACK,TS,NOP,WS',
  ja4: 't12d1207h1_2b9b9a5e1e0c_0f2cb44170f4',
};
/** The same maker's other model: the same DHCP client and stack, another parameter list, option order and TLS hello. */
const OTHER_MODEL_TRAITS = {
  vendorClass: 'udhcp 1.21.1',
  parameterList: '1,3,6,15,42,119',
  optionOrder: '53,61,57,60,55',
  synSignature: '64:5840:1460:2:MSS,SACK,TS,NOP,WS',
  ja4: 't12d0907h2_5b57614c22b0_3d5424432f57',
};

const fact = (device: string, attribute: string, value: string, signal: string): Observation =>
  observation({ device, attribute, value, signal, evidence: value, confidence: 0.9 });

function modelFacts(device: string, model: typeof SPACE_MODEL): Observation[] {
  return [
    observation({ device }), // vendor B. Braun from the OUI
    fact(device, 'dhcp.vendorClass', model.vendorClass, 'dhcp.option60'),
    fact(device, 'dhcp.parameterList', model.parameterList, 'dhcp.option55'),
    fact(device, 'dhcp.optionOrder', model.optionOrder, 'dhcp.optionOrder'),
    fact(device, 'tcp.synSignature', model.synSignature, 'tcp.synSignature'),
    fact(device, 'tls.ja4', model.ja4, 'tls.ja4'),
  ];
}

/** What names one unit: its address, its host name, its client id, its names in mDNS, LLDP, TLS and DICOM. */
function unitFacts(device: string, unit: { ip: string; name: string; clientId: string }): Observation[] {
  return [
    fact(device, 'ip', unit.ip, 'arp.sender'),
    fact(device, 'hostname', unit.name, 'dhcp.option12'),
    fact(device, 'dhcp.clientId', unit.clientId, 'dhcp.option61'),
    fact(device, 'mdns.hostname', `${unit.name}.local`, 'mdns.hostname'),
    fact(device, 'netbios.name', unit.name, 'netbios.name'),
    fact(device, 'lldp.chassisId', unit.clientId, 'lldp.chassisId'),
    fact(device, 'tls.sni', `${unit.name.toLowerCase()}.pumps.stmary.example`, 'tls.sni'),
    fact(device, 'tls.certificateSubject', `CN=${unit.name}`, 'tls.certificateSubject'),
    fact(device, 'dicom.callingAe', unit.name, 'dicom.callingAe'),
  ];
}

const LABELLED_UNIT = { ip: '10.20.0.7', name: 'PUMP-0412', clientId: '01:00:09:fb:12:34:56' };

interface AttributeBody {
  value: string | null;
  confidence: number;
  evidence: { signal: string; value: string; rule: string; sensorId: string | null }[];
}

describe('analyst labels: a label names its device and, as a learned fingerprint, its look-alikes', () => {
  const tempDir = useTempDirs();
  let dir: string;
  let store: LevelHubStore;
  let app: FastifyInstance;
  let authorization: string;

  const start = async (): Promise<void> => {
    store = await LevelHubStore.open(join(dir, 'store'));
    const file = join(dir, 'admin-credential.json');
    await ensureAdminCredential(store, file);
    authorization = `Basic ${Buffer.from(`admin:${(await readAdminCredential(file)).password}`).toString('base64')}`;
    app = await buildApp({ store, metrics: createMetrics(), verifier: new CredentialVerifier(store), version: 'test', embeddedBroker: false, logger: pino({ level: 'silent' }) });
  };
  const stop = async (): Promise<void> => {
    await app.close();
    await store.close();
  };

  beforeEach(async () => {
    dir = await tempDir();
    await start();
    await store.applyObservations('floor2', 1, [...modelFacts(INFUSION_PUMP, SPACE_MODEL), ...unitFacts(INFUSION_PUMP, LABELLED_UNIT)], RECEIVED);
    await store.applyObservations('floor3', 1, [
      ...modelFacts(SECOND_PUMP, SPACE_MODEL),
      ...unitFacts(SECOND_PUMP, { ip: '10.30.0.44', name: 'PUMP-0977', clientId: '01:00:09:fb:65:43:21' }),
      ...modelFacts(OTHER_MODEL, OTHER_MODEL_TRAITS),
      ...unitFacts(OTHER_MODEL, { ip: '10.30.0.45', name: 'PUMP-1203', clientId: '01:00:09:fb:aa:bb:cc' }),
      // Whatever names the labelled unit, and of its model only the maker and the TCP stack: a
      // device that took over its address lease and host name, or a spoofer.
      ...unitFacts(STRANGER, LABELLED_UNIT),
      observation({ device: STRANGER }),
      fact(STRANGER, 'tcp.synSignature', SPACE_MODEL.synSignature, 'tcp.synSignature'),
    ], RECEIVED);
  });
  afterEach(stop);

  const get = (url: string) => app.inject({ method: 'GET', url, headers: { authorization } });
  const put = (device: string, attribute: string, body: unknown, headers: Record<string, string> = { authorization }) =>
    app.inject({ method: 'PUT', url: `/api/v1/devices/${device}/labels/${attribute}`, headers, payload: body as object });
  const del = (device: string, attribute: string) => app.inject({ method: 'DELETE', url: `/api/v1/devices/${device}/labels/${attribute}`, headers: { authorization } });
  const model = async (device: string): Promise<AttributeBody> => (await get(`/api/v1/devices/${device}/attributes/model`)).json<AttributeBody>();

  it('names a second unit of the labelled model by its shared model-level signals, never by what names a unit', async () => {
    // Nothing in the rule library names this model from a generic DHCP client: unknown, until an analyst says.
    expect((await model(SECOND_PUMP)).value).toBeNull();

    const before = Date.now();
    const response = await put(INFUSION_PUMP, 'model', { value: 'Infusomat Space' });
    expect(response.statusCode).toBe(200);
    const label = response.json<{ device: string; attribute: string; value: string; by: string; at: string }>();
    expect(label).toMatchObject({ device: INFUSION_PUMP, attribute: 'model', value: 'Infusomat Space', by: 'admin' });
    expect(Date.parse(label.at)).toBeGreaterThanOrEqual(before - 1000);

    const own = await model(INFUSION_PUMP);
    expect(own).toMatchObject({ value: 'Infusomat Space', confidence: 0.99 });
    expect(own.evidence).toEqual([expect.objectContaining({ signal: 'analyst.label', value: `admin at ${label.at}`, rule: 'analyst-label' })]);

    const lookAlike = await model(SECOND_PUMP);
    expect(lookAlike).toMatchObject({ value: 'Infusomat Space', confidence: 0.95 });
    const learned = lookAlike.evidence.filter((e) => e.rule === 'learned:analyst-labels');
    expect(learned.map((e) => e.signal).sort()).toEqual(['analyst.label', 'dhcp.option55', 'dhcp.option60', 'dhcp.optionOrder', 'oui', 'tcp.synSignature', 'tls.ja4']);
    // The shared pairs are the look-alike's own observations, from the sensor that saw it.
    expect(lookAlike.evidence).toContainEqual(expect.objectContaining({ signal: 'tls.ja4', value: SPACE_MODEL.ja4, sensorId: 'floor3' }));
    expect(lookAlike.evidence).toContainEqual(expect.objectContaining({ signal: 'analyst.label', value: `looks like ${INFUSION_PUMP}, labelled by admin at ${label.at}` }));
    const unitValues = ['10.20.0.7', 'PUMP-0412', '01:00:09:fb:12:34:56', '10.30.0.44', 'PUMP-0977', '01:00:09:fb:65:43:21'];
    for (const e of learned) expect(unitValues.some((v) => e.value.includes(v)), `${e.signal}=${e.value}`).toBe(false);

    // The listing and the page, sharing the classifier, say the same.
    const listed = (await get('/api/v1/devices')).json<{ devices: { id: string; model: string | null }[] }>();
    expect(Object.fromEntries(listed.devices.map((d) => [d.id, d.model]))).toEqual({
      [INFUSION_PUMP]: 'Infusomat Space',
      [SECOND_PUMP]: 'Infusomat Space',
      [OTHER_MODEL]: null,
      [STRANGER]: null,
    });
    expect((await get('/')).body.match(/Infusomat Space/g)).toHaveLength(2);
  });

  it('does not name the same maker\'s other model, nor a device that shares only the labelled unit\'s address and names', async () => {
    expect((await put(INFUSION_PUMP, 'model', { value: 'Infusomat Space' })).statusCode).toBe(200);
    expect(await model(OTHER_MODEL)).toMatchObject({ value: null, candidates: [] });
    expect(await model(STRANGER)).toMatchObject({ value: null, candidates: [] });
  });

  it('keeps labels and what they name across a restart', async () => {
    await put(INFUSION_PUMP, 'model', { value: 'Infusomat Space' });
    await put(INFUSION_PUMP, 'category', { value: 'infusion-pump' });
    await stop();
    await start();

    const labels = (await get('/api/v1/labels')).json<{ labels: { device: string; attribute: string; value: string; by: string }[]; count: number }>();
    expect(labels.count).toBe(2);
    expect(labels.labels).toContainEqual(expect.objectContaining({ device: INFUSION_PUMP, attribute: 'model', value: 'Infusomat Space', by: 'admin' }));
    expect((await model(SECOND_PUMP)).value).toBe('Infusomat Space');
    expect((await get(`/api/v1/devices/${SECOND_PUMP}/attributes/category`)).json()).toMatchObject({ value: 'infusion-pump' });
  });

  it('removes the look-alike\'s value with the label, and answers 404 for a label that is not there', async () => {
    await put(INFUSION_PUMP, 'model', { value: 'Infusomat Space' });
    expect((await model(SECOND_PUMP)).value).toBe('Infusomat Space');

    const removed = await del(INFUSION_PUMP, 'model');
    expect(removed.statusCode).toBe(204);
    expect(removed.body).toBe('');
    expect((await model(SECOND_PUMP)).value).toBeNull();
    expect((await model(INFUSION_PUMP)).value).toBeNull();
    expect((await get('/api/v1/labels')).json()).toEqual({ labels: [], count: 0 });

    const again = await del(INFUSION_PUMP, 'model');
    expect(again.statusCode).toBe(404);
    expect(again.json()).toMatchObject({ error: 'HUB_ERR_NOT_FOUND' });
  });

  it('replaces a label, and follows the labelled device\'s fingerprint as its facts change', async () => {
    await put(INFUSION_PUMP, 'model', { value: 'Infusomat Space' });
    await put(INFUSION_PUMP, 'model', { value: 'Infusomat Space P' });
    expect((await model(SECOND_PUMP)).value).toBe('Infusomat Space P');

    // The second unit's firmware update changes its TLS hello and DHCP client; the labelled unit gets the same update later.
    const updated = { ...SPACE_MODEL, vendorClass: 'udhcp 1.36.1', parameterList: '1,3,6,12,15,28,42,119', ja4: 't13d1311h2_8b80da21ef18_77989cba1f4a' };
    await store.applyObservations('floor3', 2, modelFacts(SECOND_PUMP, updated), RECEIVED);
    // It still holds the old values too (a device's facts accumulate), so it still looks like the labelled unit.
    expect((await model(SECOND_PUMP)).confidence).toBeCloseTo(0.95 * (8 / 13), 2);
    await store.applyObservations('floor2', 2, modelFacts(INFUSION_PUMP, updated), RECEIVED);
    // Classifying the labelled device (here through the listing) brings its fingerprint up to date.
    await get('/api/v1/devices');
    expect(await model(SECOND_PUMP)).toMatchObject({ value: 'Infusomat Space P', confidence: 0.95 });
  });

  it('rejects a label on the host name or an unknown attribute, a missing, empty, blank, too long or multi-line value, and a category outside the vocabulary', async () => {
    const bad: [string, unknown][] = [
      ['hostname', { value: 'PUMP-0412' }],
      ['colour', { value: 'blue' }],
      ['model', {}],
      ['model', { value: '' }],
      ['model', { value: '   ' }],
      ['model', { value: 'x'.repeat(129) }],
      ['model', { value: 'Infusomat\nSpace' }],
      ['category', { value: 'pump' }],
    ];
    for (const [attribute, body] of bad) {
      const response = await put(INFUSION_PUMP, attribute, body);
      expect(response.statusCode, `${attribute} ${JSON.stringify(body)}`).toBe(400);
      expect(response.json(), attribute).toMatchObject({ error: 'HUB_ERR_BAD_REQUEST' });
    }
    expect((await put(INFUSION_PUMP, 'model', { value: 'x'.repeat(128) })).statusCode).toBe(200);
    expect((await put('ab', 'model', { value: 'Space' })).statusCode).toBe(400);
    expect((await get('/api/v1/labels')).json<{ count: number }>().count).toBe(1);
  });

  it('answers 404 for an unknown device and 401 without a credential', async () => {
    const unknown = await put('mac:00:00:5e:00:53:01', 'model', { value: 'Space' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: 'HUB_ERR_NOT_FOUND' });
    expect((await put(INFUSION_PUMP, 'model', { value: 'Space' }, {})).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/v1/labels' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/devices/${INFUSION_PUMP}/labels/model` })).statusCode).toBe(401);
  });
});

describe('analyst-label fingerprints', () => {
  const label = { deviceKey: INFUSION_PUMP, attribute: 'model', value: 'Infusomat Space', by: 'admin', at: RECEIVED };
  const signal = (name: string, value: string): Signal => ({ signal: name, value });
  const modelSignals = (m: typeof SPACE_MODEL): Signal[] => [
    signal('oui', 'B. Braun'),
    signal('dhcp.option60', m.vendorClass),
    signal('dhcp.option55', m.parameterList),
    signal('dhcp.optionOrder', m.optionOrder),
    signal('tcp.synSignature', m.synSignature),
    signal('tls.ja4', m.ja4),
  ];
  /** Every signal that can name one unit, with the labelled unit's values. */
  const unitSignals: Signal[] = [
    'dhcp.option12', 'dhcp.option61', 'dhcp.option81', 'dhcpv6.fqdn', 'mdns.instance', 'mdns.hostname', 'dns.query', 'ssdp.usn', 'ssdp.location',
    'wsd.scopes', 'wsd.xaddrs', 'lldp.systemName', 'lldp.chassisId', 'cdp.deviceId', 'netbios.name', 'http.host', 'tls.sni', 'tls.certificateSubject',
    'dicom.callingAe', 'dicom.calledAe', 'hl7.sendingFacility', 'hl7.deviceUdi', 'hl7.equipmentId', 'syslog.hostname', 'mdns.txt.serial', 'mdns.txt.UUID', 'mdns.txt.mac',
  ].map((name) => signal(name, `PUMP-0412 10.20.0.7 00:09:fb:12:34:56 ${name}`));

  it('is the id the evidence names, and a labelled device\'s own signals are no evidence about itself', () => {
    const labels = new AnalystLabels();
    labels.set(label, modelSignals(SPACE_MODEL));
    expect(labels.id).toBe('analyst-labels');
    expect(labels.predict(modelSignals(SPACE_MODEL)).model?.[0]).toMatchObject({ value: 'Infusomat Space', confidence: 0.95 });
    expect(labels.predictorFor(INFUSION_PUMP).predict(modelSignals(SPACE_MODEL))).toEqual({});
  });

  it('holds no unit-specific signal, whatever the device sent', () => {
    for (const s of unitSignals) expect(SIGNAL_NAMES.has(s.signal) || s.signal.startsWith('mdns.txt.'), s.signal).toBe(true);
    expect(fingerprintOf(unitSignals).size).toBe(0);

    const labels = new AnalystLabels();
    labels.set(label, [...modelSignals(OTHER_MODEL_TRAITS), ...unitSignals]);
    // Every address and name alike, and a maker, DHCP client and stack alike: not the same model.
    expect(labels.predict([...modelSignals(SPACE_MODEL), ...unitSignals])).toEqual({});
    expect(labels.predict(unitSignals)).toEqual({});
  });

  it('scrubs serials and addresses from model-level text, and drops text that was mostly an identifier', () => {
    expect(scrub('Acme IVX-7 SN 4711023 at 10.20.0.7')).toBe('Acme IVX-7 SN <n> at <ip>');
    expect(scrub('Linux/3.10 UPnP/1.0 pump/2.4 (00:09:fb:12:34:56)')).toBe('Linux/3.10 UPnP/1.0 pump/2.4 (<mac>)');
    expect(scrub('uuid:2fac1234-31f8-11b4-a222-08002b34c003')).toBeNull();
    expect(scrub('IntelliVue MX450')).toBe('IntelliVue MX450');
    const a = fingerprintOf([signal('snmp.sysDescr', 'Acme IVX-7 SN 4711023')]);
    const b = fingerprintOf([signal('snmp.sysDescr', 'Acme IVX-7 SN 4799310')]);
    expect([...a.keys()]).toEqual([...b.keys()]);
  });

  it('needs the threshold and three shared pairs, and scales its confidence with the similarity', () => {
    const labels = new AnalystLabels();
    labels.set(label, modelSignals(SPACE_MODEL));
    // A newer vendor class on an otherwise identical unit: 6 of 10 weight shared (0.6), still the model.
    const newer = modelSignals({ ...SPACE_MODEL, vendorClass: 'udhcp 1.36.1' });
    expect(labels.predict(newer).model?.[0]?.confidence).toBeCloseTo(0.95 * 0.6, 3);
    // Another parameter list too: below the threshold.
    expect(labels.predict(modelSignals({ ...SPACE_MODEL, vendorClass: 'udhcp 1.36.1', parameterList: '1,3,6' }))).toEqual({});
    // Two shared pairs are never enough, however alike.
    expect(labels.predict(modelSignals(SPACE_MODEL).slice(0, 2))).toEqual({});
    // Bounds: an unsafe threshold or pair count is clamped, not taken.
    const lax = new AnalystLabels({ threshold: 0.01, minShared: 1 });
    lax.set(label, modelSignals(SPACE_MODEL));
    expect(lax.predict(modelSignals(SPACE_MODEL).slice(0, 2))).toEqual({});
  });

  it('changes its version when a label or a labelled device\'s fingerprint changes, and only then', () => {
    const labels = new AnalystLabels();
    const v0 = labels.version;
    labels.set(label, modelSignals(SPACE_MODEL));
    const v1 = labels.version;
    expect(v1).not.toBe(v0);
    labels.refresh(INFUSION_PUMP, [...modelSignals(SPACE_MODEL), ...unitSignals]);
    labels.refresh(SECOND_PUMP, modelSignals(OTHER_MODEL_TRAITS));
    expect(labels.version).toBe(v1);
    labels.refresh(INFUSION_PUMP, modelSignals(OTHER_MODEL_TRAITS));
    expect(labels.version).not.toBe(v1);
    const v2 = labels.version;
    labels.remove(INFUSION_PUMP, 'vendor');
    expect(labels.version).toBe(v2);
    labels.remove(INFUSION_PUMP, 'model');
    expect(labels.version).not.toBe(v2);
    expect(labels.labelsOf(INFUSION_PUMP)).toEqual([]);
  });
});
