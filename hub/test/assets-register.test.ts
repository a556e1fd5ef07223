import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Observation } from '@wardsight/protocol';
import { AssetFileError } from '../src/assets/file-error.js';
import { AssetRegister } from '../src/assets/register.js';
import { Classifier } from '../src/inventory/classification.js';
import { LevelHubStore } from '../src/store/level-store.js';
import { observation, useTempDirs } from './fixtures.js';

const RECEIVED = '2024-05-01T10:06:00.000Z';
const PUMP = 'mac:00:09:fb:12:34:56';
const MONITOR = 'mac:00:1b:63:aa:bb:01';
const PUMP_2 = 'mac:00:09:fb:00:00:02';
const WORKSTATION = 'mac:3c:52:82:00:00:05';

const MAPPING = `
delimiter: ";"
columns: { assetTag: Asset No, serialNumber: Serial, department: Dept, room: Room, owner: Owner, criticality: Risk, mac: MAC, hostname: Host, ip: IP, vendor: Maker, model: Model }
criticality: { Life support: critical, Therapy: high, Diagnostic: medium, Support: low }
`;

/**
 * A register export with deliberate trouble: a vendor the sensors contradict (BME-1002), a MAC and a
 * host name naming two devices (BME-1004), two assets on one device (BME-1001, BME-1006), and two
 * assets no sensor has seen (BME-1005, and SN-5000 listed without a tag).
 */
const EXPORT = [
  'Asset No;Serial;Dept;Room;Owner;Risk;MAC;Host;IP;Maker;Model',
  'BME-1001;SN-1001;ICU;2.14;Biomed;Therapy;00-09-FB-12-34-56;pump-icu-01;10.20.0.7;B. Braun Melsungen AG;Infusomat Space',
  'BME-1002;;ICU;2.15;Biomed;Life support;;ICU-MON-3.icu.example.org;;GE Healthcare;CARESCAPE B450',
  'BME-1003;SN-77;ICU;2.16;Biomed;Therapy;;;;;',
  'BME-1004;;Radiology;R-01;PACS team;Diagnostic;3c:52:82:00:00:05;pump-icu-02;;;',
  'BME-1005;SN-9999;Cardiology;C-3;Cardio;Support;00:09:fb:99:99:99;;;;',
  'BME-1006;;ICU;2.14;Biomed;Therapy;;pump-icu-01;;;',
  ';SN-5000;Lab;L-1;Lab;Support;;;;;',
].join('\n');

const fact = (device: string, attribute: string, value: string, signal: string, confidence = 0.9): Observation => observation({ device, attribute, value, signal, evidence: value, confidence });

/** What the floor sensor found: four devices, with the names and serial numbers it read. */
const INVENTORY: Observation[] = [
  fact(PUMP, 'vendor', 'B. Braun', 'oui', 0.5),
  fact(PUMP, 'hostname', 'pump-icu-01', 'dhcp.option12'),
  fact(MONITOR, 'vendor', 'Philips', 'oui', 0.7),
  fact(MONITOR, 'hostname', 'icu-mon-3', 'dhcp.option12'),
  fact(PUMP_2, 'serialNumber', 'SN-77', 'hl7.equipmentId'),
  fact(PUMP_2, 'hostname', 'pump-icu-02', 'dhcp.option12'),
  fact(WORKSTATION, 'hostname', 'pacs-ws-1.radiology.example.org', 'dhcp.option12'),
];

describe('asset register', () => {
  const tempDir = useTempDirs('wardsight-assets-');
  let store: LevelHubStore;
  let register: AssetRegister;
  let seq: number;
  let clock: Date;

  beforeEach(async () => {
    store = await LevelHubStore.open(join(await tempDir(), 'store'));
    clock = new Date('2024-05-02T08:00:00.000Z');
    register = new AssetRegister(store, new Classifier(), pino({ level: 'silent' }), () => clock);
    seq = 0;
    await sensorsFind(INVENTORY);
  });
  afterEach(() => store.close());

  const sensorsFind = (observations: Observation[]) => store.applyObservations('floor2', ++seq, observations, RECEIVED);
  const importExport = (csv = EXPORT, source = 'export.csv') => register.importFile({ csv, mapping: MAPPING, source });
  /** Everything the register keeps, as stored. */
  const stored = async () => {
    const out: [string, string][] = [];
    for await (const entry of store.collection('assets').entries()) out.push(entry);
    return out;
  };
  const assets = async () => {
    const { records, assessment } = await register.assessment();
    return new Map(records.map((r) => [r.key, { record: r, link: assessment.links.get(r.key) }]));
  };
  const conflicts = async () => (await register.assessment()).assessment.conflicts;

  it('merges each row with the device the sensors found, by MAC, serial number or short host name, keeping each field\'s source and time', async () => {
    const outcome = await importExport();
    expect(outcome).toEqual({ rows: 7, matched: 5, notSeen: 2, ambiguous: 0, unchanged: 0, conflicts: 3, openConflicts: 3 });

    const byKey = await assets();
    expect([...byKey.keys()].sort()).toEqual(['serial:SN-5000', 'tag:BME-1001', 'tag:BME-1002', 'tag:BME-1003', 'tag:BME-1004', 'tag:BME-1005', 'tag:BME-1006']);
    const links = Object.fromEntries([...byKey].map(([k, a]) => [k, [a.link?.state, a.link?.device?.key ?? null, a.link?.by ?? null]]));
    expect(links).toEqual({
      'tag:BME-1001': ['linked', PUMP, 'mac'],
      'tag:BME-1002': ['linked', MONITOR, 'hostname'],
      'tag:BME-1003': ['linked', PUMP_2, 'serialNumber'],
      'tag:BME-1004': ['linked', WORKSTATION, 'mac'],
      'tag:BME-1005': ['not-seen', null, null],
      'tag:BME-1006': ['linked', PUMP, 'hostname'],
      'serial:SN-5000': ['not-seen', null, null],
    });
    const pump = byKey.get('tag:BME-1001')!.record;
    expect(pump.fields.criticality).toEqual({ value: 'high', source: 'cmms:export.csv', at: clock.toISOString() });
    expect(pump.fields.mac?.value).toBe('00:09:fb:12:34:56');
    expect(pump.fields.room).toEqual({ value: '2.14', source: 'cmms:export.csv', at: clock.toISOString() });
  });

  it('lists each conflict with the asset, the device, the field, both values and both sources', async () => {
    await importExport();
    const listed = await conflicts();
    expect(listed.map((c) => [c.kind, c.asset, c.field])).toEqual([
      ['sensors-differ', 'BME-1002', 'vendor'],
      ['identity-split', 'BME-1004', 'hostname'],
      ['shared-device', 'BME-1001', 'assetTag'],
    ]);
    expect(listed[0]).toMatchObject({ device: MONITOR, value: 'GE Healthcare', source: 'cmms:export.csv', otherValue: 'Philips', otherSource: 'sensor:floor2' });
    expect(listed[1]).toMatchObject({ device: WORKSTATION, otherDevice: PUMP_2, value: 'pump-icu-02', source: 'cmms:export.csv', otherValue: 'pacs-ws-1.radiology.example.org', otherSource: 'sensor:floor2' });
    expect(listed[1]!.message).toBe(`asset BME-1004 links to device ${WORKSTATION} by MAC, but its host name "pump-icu-02" (cmms:export.csv) names device ${PUMP_2}`);
    expect(listed[2]).toMatchObject({ device: PUMP, value: 'BME-1001', otherAsset: 'BME-1006', otherValue: 'BME-1006', source: 'cmms:export.csv', otherSource: 'cmms:export.csv' });
    // Agreement in other words is not a conflict: the long maker name, the host name's domain and case.
    expect(listed.some((c) => c.asset === 'BME-1001' && c.kind === 'sensors-differ')).toBe(false);
  });

  it('changes nothing and reports no new conflicts when the same file is imported again', async () => {
    await importExport();
    const before = await stored();
    clock = new Date('2024-05-03T08:00:00.000Z');
    expect(await importExport()).toEqual({ rows: 7, matched: 5, notSeen: 2, ambiguous: 0, unchanged: 7, conflicts: 0, openConflicts: 3 });
    expect(await stored()).toEqual(before);
  });

  it('keeps a technician\'s value over a later import and lists the import\'s value as a conflict', async () => {
    await importExport();
    clock = new Date('2024-05-02T09:00:00.000Z');
    await register.setForDevice(PUMP_2, { room: '2.20', owner: 'Nurse station 2' }, 'alice');

    clock = new Date('2024-05-03T08:00:00.000Z');
    const again = await importExport(EXPORT, 'export-may.csv');
    expect(again).toMatchObject({ rows: 7, unchanged: 6, conflicts: 2 });
    const record = (await assets()).get('tag:BME-1003')!.record;
    expect(record.fields.room).toEqual({ value: '2.20', source: 'technician:alice', at: '2024-05-02T09:00:00.000Z' });
    expect(record.fields.owner).toMatchObject({ value: 'Nurse station 2', source: 'technician:alice' });
    const kept = (await conflicts()).filter((c) => c.kind === 'technician-kept');
    expect(kept.map((c) => [c.asset, c.device, c.field, c.value, c.source, c.otherValue, c.otherSource])).toEqual([
      ['BME-1003', PUMP_2, 'room', '2.20', 'technician:alice', '2.16', 'cmms:export-may.csv'],
      ['BME-1003', PUMP_2, 'owner', 'Nurse station 2', 'technician:alice', 'Biomed', 'cmms:export-may.csv'],
    ]);

    // Once more: still kept, nothing new; and when the technician agrees, the conflict is settled.
    expect(await importExport(EXPORT, 'export-may.csv')).toMatchObject({ unchanged: 7, conflicts: 0 });
    await register.setForDevice(PUMP_2, { owner: 'Biomed' }, 'alice');
    expect((await conflicts()).filter((c) => c.kind === 'technician-kept').map((c) => c.field)).toEqual(['room']);
  });

  it('keeps unseen assets and links them by themselves once their device appears, by MAC and by serial number in another case', async () => {
    await importExport();
    await sensorsFind([fact('mac:00:09:fb:99:99:99', 'vendor', 'B. Braun', 'oui', 0.5), fact('mac:00:50:56:00:00:07', 'serialNumber', 'sn-5000', 'hl7.equipmentId')]);
    const byKey = await assets();
    expect(byKey.get('tag:BME-1005')!.link).toMatchObject({ state: 'linked', by: 'mac', device: { key: 'mac:00:09:fb:99:99:99' } });
    expect(byKey.get('serial:SN-5000')!.link).toMatchObject({ state: 'linked', by: 'serialNumber', device: { key: 'mac:00:50:56:00:00:07' } });
    expect(await importExport()).toMatchObject({ matched: 7, notSeen: 0, unchanged: 7, conflicts: 0 });
  });

  it('keeps an asset listed first without a tag under its tag once the register gives it one', async () => {
    await importExport();
    const firstSeen = (await assets()).get('serial:SN-5000')!.record;
    clock = new Date('2024-05-03T08:00:00.000Z');
    const tagged = EXPORT.replace(';SN-5000;Lab;L-1;', 'LAB-7;SN-5000;Lab;L-1;');
    expect(await importExport(tagged)).toMatchObject({ rows: 7, unchanged: 6, conflicts: 0 });
    const byKey = await assets();
    expect(byKey.has('serial:SN-5000')).toBe(false);
    const record = byKey.get('tag:LAB-7')!.record;
    expect(record.fields.assetTag).toEqual({ value: 'LAB-7', source: 'cmms:export.csv', at: '2024-05-03T08:00:00.000Z' });
    // What the register said before keeps its first source and time.
    expect(record.fields.room).toEqual(firstSeen.fields.room);
    expect(record.createdAt).toBe(firstSeen.createdAt);
  });

  it('links by a MAC the inventory holds as an alias of a device', async () => {
    const dock = 'mac:00:09:fb:12:34:99';
    await sensorsFind([fact(PUMP, 'dhcp.clientId', 'ff:00:11:22:33', 'dhcp.option61', 0.6)]);
    await sensorsFind([fact(dock, 'dhcp.clientId', 'ff:00:11:22:33', 'dhcp.option61', 0.6)]);
    expect((await store.getDevice(PUMP))?.aliases).toContain(dock);
    const csv = ['Asset No;Serial;Dept;Room;Owner;Risk;MAC;Host;IP;Maker;Model', 'BME-2001;;ICU;2.14;;;00:09:fb:12:34:99;;;;'].join('\n');
    expect(await importExport(csv)).toMatchObject({ matched: 1, notSeen: 0 });
    expect((await assets()).get('tag:BME-2001')!.link).toMatchObject({ by: 'mac', device: { key: PUMP } });
  });

  it('lists a key that names several devices and links the asset to none of them', async () => {
    await sensorsFind([fact('mac:00:50:56:00:00:08', 'hostname', 'icu-mon-3', 'dhcp.option12')]);
    await importExport();
    const ambiguous = (await conflicts()).filter((c) => c.kind === 'ambiguous-match');
    expect(ambiguous.map((c) => [c.asset, c.field, c.device])).toEqual([
      ['BME-1002', 'hostname', MONITOR],
      ['BME-1002', 'hostname', 'mac:00:50:56:00:00:08'],
    ]);
    expect((await assets()).get('tag:BME-1002')!.link).toMatchObject({ state: 'ambiguous', device: null });
  });

  it('refuses each kind of malformed file with its row and column, and keeps everything as it was', async () => {
    await importExport();
    const before = await stored();
    const lines = EXPORT.split('\n');
    const newAsset = 'BME-3000;;ICU;2.30;Biomed;Therapy;;;;;';
    const cases: { csv: string[]; code: string; row: number; column: string }[] = [
      { csv: [lines[0]!, newAsset, lines[2]!, 'BME-3001;;ICU'], code: 'HUB_ERR_ASSET_COLUMN_COUNT', row: 4, column: 'Room' },
      { csv: [lines[0]!, newAsset, 'BME-3001;;ICU;2.31;;;00:09:fb:zz:00:01;;;;'], code: 'HUB_ERR_ASSET_MAC', row: 3, column: 'MAC' },
      { csv: [lines[0]!, newAsset, 'BME-3001;;ICU;2.31;;Urgent;;;;;'], code: 'HUB_ERR_ASSET_CRITICALITY', row: 3, column: 'Risk' },
      { csv: [lines[0]!.replace('Maker', 'Manufacturer'), newAsset], code: 'HUB_ERR_ASSET_HEADER', row: 1, column: 'Maker' },
      { csv: [lines[0]!, newAsset, lines[1]!, lines[3]!, newAsset], code: 'HUB_ERR_ASSET_DUPLICATE', row: 5, column: 'Asset No' },
      { csv: [lines[0]!, newAsset, 'BME-3001;;"ICU;2.31;;;;;;;'], code: 'HUB_ERR_ASSET_QUOTE', row: 3, column: 'Dept' },
    ];
    for (const { csv, code, row, column } of cases) {
      const err = await importExport(csv.join('\n')).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, code).toBeInstanceOf(AssetFileError);
      expect(err, code).toMatchObject({ code, row, column });
      expect((err as Error).message, code).toContain(`row ${row}, column "${column}"`);
      expect(await stored(), code).toEqual(before);
    }
  });
});
