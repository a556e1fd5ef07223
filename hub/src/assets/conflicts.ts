/**
 * Every disagreement between the asset register, the technicians and the sensors, listed and never
 * settled by overwriting: a register value the sensors contradict, a register value refused because a
 * technician set the field, keys of one asset naming different devices, a key naming several devices,
 * two assets on one device. Each says the asset, the device, the field, both values and both sources.
 */
import type { DeviceIndex, IndexedDevice } from './device-index.js';
import { assetName, sameProduct, sameValue, type AssetRecord, type FieldValue } from './fields.js';
import { linkOf, type AssetLink, type MatchedBy } from './links.js';

export type ConflictKind = 'sensors-differ' | 'technician-kept' | 'identity-split' | 'ambiguous-match' | 'shared-device';

export interface AssetConflict {
  kind: ConflictKind;
  /** The asset's tag (or serial number where it has no tag). */
  asset: string;
  device: string | null;
  field: string;
  /** The asset's value, who stated it and when. */
  value: string;
  source: string;
  at: string | null;
  /** The other side: the sensors', the register's offer, or the other asset's. */
  otherValue: string | null;
  otherSource: string;
  otherAt: string | null;
  otherDevice: string | null;
  otherAsset: string | null;
  message: string;
}

export interface Assessment {
  /** Record key → its link. */
  links: Map<string, AssetLink>;
  conflicts: AssetConflict[];
}

/** Identity of a conflict, to tell a new one from one already listed. */
export const conflictId = (c: AssetConflict): string => JSON.stringify([c.kind, c.asset, c.device, c.field, c.value, c.otherValue, c.otherDevice, c.otherAsset]);

const FIELD_OF: Record<Exclude<MatchedBy, 'technician'>, 'mac' | 'serialNumber' | 'hostname'> = { mac: 'mac', serialNumber: 'serialNumber', hostname: 'hostname' };
const KEY_NAME: Record<MatchedBy, string> = { technician: 'a technician', mac: 'MAC', serialNumber: 'serial number', hostname: 'host name' };
const q = (v: string | null): string => (v === null ? 'nothing' : JSON.stringify(v));

/** What the inventory shows of a device for one of the asset's key fields. */
function shownOf(device: IndexedDevice, field: 'mac' | 'serialNumber' | 'hostname'): { value: string | null; source: string; at: string | null } {
  if (field === 'mac') {
    const mac = device.keys.find((k) => k.startsWith('mac:'));
    return { value: mac ? mac.slice(4) : null, source: 'sensors', at: null };
  }
  return device.shown[field] ?? { value: null, source: 'sensors', at: null };
}

function conflict(kind: ConflictKind, asset: string, device: string | null, field: string, ours: FieldValue, other: { value: string | null; source: string; at: string | null }, message: string, more: { otherDevice?: string; otherAsset?: string } = {}): AssetConflict {
  return { kind, asset, device, field, value: ours.value, source: ours.source, at: ours.at, otherValue: other.value, otherSource: other.source, otherAt: other.at, otherDevice: more.otherDevice ?? null, otherAsset: more.otherAsset ?? null, message };
}

function ofOne(record: AssetRecord, link: AssetLink): AssetConflict[] {
  const name = assetName(record.key);
  const device = link.device?.key ?? null;
  const out: AssetConflict[] = [];
  for (const { by, devices } of link.disagreements) {
    if (by === 'technician') continue;
    const field = FIELD_OF[by];
    const ours = record.fields[field];
    if (!ours) continue;
    for (const other of devices) {
      if (link.device) {
        const message = `asset ${name} links to device ${link.device.key} by ${KEY_NAME[link.by ?? 'mac']}, but its ${KEY_NAME[by]} ${q(ours.value)} (${ours.source}) names device ${other.key}`;
        out.push(conflict('identity-split', name, device, field, ours, shownOf(link.device, field), message, { otherDevice: other.key }));
      } else {
        const message = `asset ${name}: its ${KEY_NAME[by]} ${q(ours.value)} (${ours.source}) names ${devices.length} devices (${devices.map((d) => d.key).join(', ')}); it links to none of them until another key tells them apart`;
        out.push(conflict('ambiguous-match', name, other.key, field, ours, shownOf(other, field), message));
      }
    }
  }
  if (link.device) {
    const split = new Set<string>(link.disagreements.map((d) => d.by));
    for (const field of ['hostname', 'serialNumber', 'vendor', 'model'] as const) {
      const ours = record.fields[field];
      const shown = link.device.shown[field];
      // A key that names another device is listed as that disagreement, not once more here.
      if (!ours || !shown || split.has(field)) continue;
      const agree = field === 'vendor' || field === 'model' ? sameProduct(ours.value, shown.value) : sameValue(field, ours.value, shown.value);
      if (agree) continue;
      const message = `asset ${name}: ${ours.source} says ${field} ${q(ours.value)} but the inventory shows ${q(shown.value)} (${shown.source}) on device ${link.device.key}`;
      out.push(conflict('sensors-differ', name, device, field, ours, shown, message));
    }
  }
  for (const [field, offered] of Object.entries(record.offers)) {
    const kept = record.fields[field as keyof AssetRecord['fields']];
    if (!kept) continue;
    const message = `asset ${name}: ${offered.source} says ${field} ${q(offered.value)} but ${kept.source} set ${q(kept.value)}; the technician's value stays until the two agree`;
    out.push(conflict('technician-kept', name, device, field, kept, offered, message));
  }
  return out;
}

/** Links every asset to its device and lists every conflict, in a stable order. */
export function assess(records: Iterable<AssetRecord>, index: DeviceIndex): Assessment {
  const links = new Map<string, AssetLink>();
  const conflicts: AssetConflict[] = [];
  const onDevice = new Map<string, AssetRecord[]>();
  const sorted = [...records].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const record of sorted) {
    const link = linkOf(record, index);
    links.set(record.key, link);
    conflicts.push(...ofOne(record, link));
    if (link.device) onDevice.set(link.device.key, [...(onDevice.get(link.device.key) ?? []), record]);
  }
  for (const [device, sharing] of onDevice) {
    sharing.forEach((a, i) => {
      for (const b of sharing.slice(i + 1)) conflicts.push(shared(a, b, device, links));
    });
  }
  return { links, conflicts };
}

function shared(a: AssetRecord, b: AssetRecord, device: string, links: Map<string, AssetLink>): AssetConflict {
  const identity = (r: AssetRecord): FieldValue => r.fields.assetTag ?? r.fields.serialNumber ?? { value: assetName(r.key), source: 'register', at: r.createdAt };
  const ours = identity(a);
  const theirs = identity(b);
  const how = (r: AssetRecord) => KEY_NAME[links.get(r.key)?.by ?? 'mac'];
  const message = `assets ${assetName(a.key)} (by ${how(a)}) and ${assetName(b.key)} (by ${how(b)}) both link to device ${device}; one of them is wrong, or one asset is listed twice`;
  return conflict('shared-device', assetName(a.key), device, a.fields.assetTag ? 'assetTag' : 'serialNumber', ours, theirs, message, { otherAsset: assetName(b.key) });
}
