/**
 * The inventory as the asset register sees it: each device by every key it is known by (its key and
 * its aliases), by serial number and by short host name, with the values the API shows for it (the
 * classifier's vendor and model, the latest host name). Built when asked, from the current inventory.
 */
import type { Classifier } from '../inventory/classification.js';
import type { DeviceRecord } from '../inventory/profile.js';
import { deviceView } from '../inventory/views.js';
import { comparableSerial, shortHostname } from './fields.js';

/** Attributes of a device the register compares with its own. */
export const COMPARED = ['hostname', 'serialNumber', 'vendor', 'model'] as const;
export type ComparedAttribute = (typeof COMPARED)[number];

/** A value the inventory shows, and which sensor's evidence stands behind it. */
export interface ShownValue {
  value: string;
  /** `sensor:<sensorId>`, or `classifier` for a conclusion no single sensor's fact stands behind. */
  source: string;
  /** When that evidence was last seen. */
  at: string | null;
}

export interface IndexedDevice {
  key: string;
  keys: string[];
  shown: Partial<Record<ComparedAttribute, ShownValue>>;
}

const NO_SENSORS = new Map();

export class DeviceIndex {
  private readonly byKeys = new Map<string, IndexedDevice>();
  private readonly bySerials = new Map<string, IndexedDevice[]>();
  private readonly byHostnames = new Map<string, IndexedDevice[]>();

  private constructor(devices: IndexedDevice[]) {
    for (const d of devices) {
      // A key names one device; should two records claim one alias, the device that owns it as its key wins.
      for (const key of d.keys) if (key === d.key || !this.byKeys.has(key)) this.byKeys.set(key, d);
      const serial = d.shown.serialNumber?.value;
      if (serial) push(this.bySerials, comparableSerial(serial), d);
      const host = d.shown.hostname?.value;
      if (host && shortHostname(host)) push(this.byHostnames, shortHostname(host), d);
    }
  }

  static build(devices: readonly DeviceRecord[], classifier: Classifier): DeviceIndex {
    return new DeviceIndex(devices.map((d) => indexed(d, classifier)));
  }

  /** The device known by this key (`mac:…`, `ip:…`), as its own key or as an alias. */
  byKey(key: string): IndexedDevice | undefined {
    return this.byKeys.get(key);
  }

  bySerial(serial: string): IndexedDevice[] {
    return this.bySerials.get(comparableSerial(serial)) ?? [];
  }

  byHostname(name: string): IndexedDevice[] {
    return this.byHostnames.get(shortHostname(name)) ?? [];
  }
}

function push(map: Map<string, IndexedDevice[]>, key: string, device: IndexedDevice): void {
  const list = map.get(key);
  if (list) list.push(device);
  else map.set(key, [device]);
}

function indexed(device: DeviceRecord, classifier: Classifier): IndexedDevice {
  // The values the API shows, so that a conflict speaks of what the analyst sees on the device.
  const view = deviceView(device, NO_SENSORS, classifier.profile(device));
  const shown: IndexedDevice['shown'] = {};
  for (const attribute of COMPARED) {
    const fact = view.attributes[attribute];
    if (fact?.value) shown[attribute] = { value: fact.value, source: fact.sensorId ? `sensor:${fact.sensorId}` : 'classifier', at: fact.lastSeen || null };
  }
  return { key: device.key, keys: [device.key, ...(device.aliases ?? [])], shown };
}
