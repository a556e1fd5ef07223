/**
 * The hub's asset register: asset records in the store's `assets` collection, changed by CMMS imports
 * and by technicians, one change at a time. An import is all or nothing: the file is read and checked
 * whole, every record it changes is worked out, and they are written in one atomic batch.
 */
import type { Logger } from 'pino';
import { HubError } from '../errors.js';
import type { Classifier } from '../inventory/classification.js';
import type { Collection, CollectionOp, HubStore } from '../store/hub-store.js';
import { assess, conflictId, type Assessment } from './conflicts.js';
import { DeviceIndex } from './device-index.js';
import { assetKey, cmmsSource, comparableSerial, technicianSource, type AssetRecord } from './fields.js';
import type { AssetLink } from './links.js';
import { parseMapping } from './mapping.js';
import { mergeRegisterRow, mergeTechnicianValues, sameRecord, type AssetValues } from './merge.js';
import { readRegisterFile, type AssetRow } from './register-file.js';

export const assetRegisterDefaults = { collection: 'assets' } as const;

export interface ImportOutcome {
  /** Asset rows in the file (blank rows not counted). */
  rows: number;
  /** Rows whose asset links to a device now. */
  matched: number;
  /** Rows whose asset no device matches yet: not yet seen on the network. */
  notSeen: number;
  /** Rows whose keys name several devices (listed as conflicts). */
  ambiguous: number;
  /** Rows that changed nothing. */
  unchanged: number;
  /** Conflicts this import brought that were not listed before it. */
  conflicts: number;
  /** All conflicts listed after it. */
  openConflicts: number;
}

export interface LinkedAsset {
  record: AssetRecord;
  link: AssetLink;
}

export class AssetRegister {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly records: Collection;

  constructor(
    private readonly store: HubStore,
    private readonly classifier: Classifier,
    private readonly log: Pick<Logger, 'info'>,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.records = store.collection(assetRegisterDefaults.collection);
  }

  /** Runs changes one after another, so an import and a technician's change never interleave. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async load(): Promise<Map<string, AssetRecord>> {
    const out = new Map<string, AssetRecord>();
    for await (const [key, value] of this.records.entries()) out.set(key, JSON.parse(value) as AssetRecord);
    return out;
  }

  private async index(): Promise<DeviceIndex> {
    return DeviceIndex.build(await this.store.listDevices(), this.classifier);
  }

  /** Every asset with its link and every conflict, against the current inventory. */
  async assessment(): Promise<{ records: AssetRecord[]; assessment: Assessment }> {
    const records = [...(await this.load()).values()];
    return { records, assessment: assess(records, await this.index()) };
  }

  /** Imports one CMMS export; throws (changing nothing) when the mapping or the file is at fault. */
  async importFile(input: { csv: string; mapping: string; source: string }, by = ''): Promise<ImportOutcome> {
    // Read and checked whole before the queue: a bad file never waits for, or touches, the store.
    const mapping = parseMapping(input.mapping);
    const rows = readRegisterFile(input.csv, mapping);
    const source = cmmsSource(input.source);
    return await this.serial(async () => {
      const at = this.now().toISOString();
      const before = await this.load();
      const next = new Map(before);
      const ops: CollectionOp[] = [];
      let unchanged = 0;
      const inFile = new Set(rows.map((r) => r.key));
      for (const row of rows) {
        const { key, held } = this.recordFor(row, next, inFile);
        const merged = mergeRegisterRow(held, row.key, row.values, source, at);
        if (held && key !== row.key) {
          // A tagless asset the register now lists with a tag: kept from now on under its tag.
          ops.push({ type: 'del', key });
          next.delete(key);
        } else if (sameRecord(held, merged)) {
          unchanged++;
          continue;
        }
        next.set(row.key, merged);
        ops.push({ type: 'put', key: row.key, value: JSON.stringify(merged) });
      }
      const index = await this.index();
      const earlier = new Set(assess(before.values(), index).conflicts.map(conflictId));
      const after = assess(next.values(), index);
      const states = rows.map((r) => after.links.get(r.key)?.state);
      if (ops.length) await this.records.batch(ops);
      const outcome: ImportOutcome = {
        rows: rows.length,
        matched: states.filter((s) => s === 'linked').length,
        notSeen: states.filter((s) => s === 'not-seen').length,
        ambiguous: states.filter((s) => s === 'ambiguous').length,
        unchanged,
        conflicts: after.conflicts.filter((c) => !earlier.has(conflictId(c))).length,
        openConflicts: after.conflicts.length,
      };
      this.log.info({ source, by, written: ops.length, ...outcome }, 'asset register imported');
      return outcome;
    });
  }

  /**
   * The record a row speaks of: the one under its key or, for a row with a tag, a record kept
   * under its serial number that has no tag yet (unless the file also lists that tagless asset).
   */
  private recordFor(row: AssetRow, records: Map<string, AssetRecord>, inFile: Set<string>): { key: string; held: AssetRecord | undefined } {
    const own = records.get(row.key);
    if (own || !row.values.assetTag || !row.values.serialNumber) return { key: row.key, held: own };
    const serialKey = assetKey(undefined, row.values.serialNumber) ?? '';
    const tagless = records.get(serialKey);
    if (!tagless || tagless.fields.assetTag || inFile.has(serialKey)) return { key: row.key, held: undefined };
    return { key: serialKey, held: tagless };
  }

  /** The assets linked to a device now (more than one is a conflict). */
  async linkedTo(deviceKey: string): Promise<{ linked: LinkedAsset[]; assessment: Assessment }> {
    const { records, assessment } = await this.assessment();
    const linked = records.flatMap((record) => {
      const link = assessment.links.get(record.key);
      return link?.device?.key === deviceKey ? [{ record, link }] : [];
    });
    return { linked, assessment };
  }

  /**
   * A technician's values for the asset on a device: the asset linked to it, or the one named by the
   * tag or serial number given (or the serial number the sensors read from the device), made if new.
   */
  setForDevice(deviceKey: string, values: AssetValues, username: string): Promise<AssetRecord> {
    return this.serial(async () => {
      const device = await this.store.getDevice(deviceKey);
      if (!device) throw new HubError('HUB_ERR_NOT_FOUND', `device ${deviceKey}`);
      const { linked } = await this.linkedTo(device.key);
      let target: AssetRecord | undefined;
      if (linked.length > 1) {
        const named = linked.find(({ record }) => values.assetTag && record.fields.assetTag?.value === values.assetTag);
        if (!named) throw new HubError('HUB_ERR_ASSET_AMBIGUOUS', `${linked.map(({ record }) => record.key).join(', ')} are all linked to device ${device.key}; give the assetTag of the one to change (see /api/v1/assets/conflicts)`);
        target = named.record;
      } else {
        target = linked[0]?.record;
      }
      const key = target?.key ?? this.keyForNew(values, (await this.index()).byKey(device.key)?.shown.serialNumber?.value);
      const held = target ?? (await this.records.get(key).then((v) => (v === undefined ? undefined : (JSON.parse(v) as AssetRecord))));
      const at = this.now().toISOString();
      const merged = mergeTechnicianValues(held, key, values, technicianSource(username), at, device.key);
      if (!sameRecord(held, merged)) await this.records.put(key, JSON.stringify(merged));
      this.log.info({ asset: key, device: device.key, by: username, fields: Object.keys(values) }, 'asset fields set by a technician');
      return merged;
    });
  }

  private keyForNew(values: AssetValues, observedSerial: string | undefined): string {
    const key = assetKey(values.assetTag, values.serialNumber ?? (observedSerial ? comparableSerial(observedSerial) : undefined));
    if (!key) throw new HubError('HUB_ERR_ASSET_NO_KEY', 'no asset is linked to this device yet: give its assetTag (or serialNumber) to make one');
    return key;
  }
}
