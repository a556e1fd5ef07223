/**
 * Which device each asset is, worked out when asked against the current inventory, so that an asset
 * the register lists before any sensor has seen it links by itself once the device appears. Keys are
 * tried strongest first: the device a technician pinned it to, its MAC (the device's key or an
 * alias), its serial number, its short host name. Where keys disagree, or one key names several
 * devices, or two assets land on one device, nothing is chosen silently: it is listed as a conflict.
 */
import type { DeviceIndex, IndexedDevice } from './device-index.js';
import type { AssetRecord } from './fields.js';

export type MatchedBy = 'technician' | 'mac' | 'serialNumber' | 'hostname';
export type LinkState = 'linked' | 'not-seen' | 'ambiguous';

export interface AssetLink {
  state: LinkState;
  device: IndexedDevice | null;
  by: MatchedBy | null;
  /** Keys of the record that name a different device than the one it links to, or several devices. */
  disagreements: { by: MatchedBy; devices: IndexedDevice[] }[];
}

/** Where each key of a record leads, strongest first; keys the record lacks are left out. */
function candidates(record: AssetRecord, index: DeviceIndex): { by: MatchedBy; devices: IndexedDevice[] }[] {
  const out: { by: MatchedBy; devices: IndexedDevice[] }[] = [];
  const keyed = (key: string): IndexedDevice[] => {
    const d = index.byKey(key);
    return d ? [d] : [];
  };
  if (record.pinnedDevice) out.push({ by: 'technician', devices: keyed(record.pinnedDevice) });
  const f = record.fields;
  if (f.mac) out.push({ by: 'mac', devices: keyed(`mac:${f.mac.value}`) });
  if (f.serialNumber) out.push({ by: 'serialNumber', devices: index.bySerial(f.serialNumber.value) });
  if (f.hostname) out.push({ by: 'hostname', devices: index.byHostname(f.hostname.value) });
  return out;
}

export function linkOf(record: AssetRecord, index: DeviceIndex): AssetLink {
  const keys = candidates(record, index);
  const deciding = keys.find((k) => k.devices.length > 0);
  if (!deciding) return { state: 'not-seen', device: null, by: null, disagreements: [] };
  if (deciding.devices.length > 1) return { state: 'ambiguous', device: null, by: null, disagreements: [deciding] };
  const device = deciding.devices[0] ?? null;
  const disagreements = keys.filter((k) => k !== deciding && k.devices.length > 0 && !k.devices.some((d) => d.key === device?.key));
  return { state: 'linked', device, by: deciding.by, disagreements };
}
