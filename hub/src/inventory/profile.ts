/**
 * The hub's device record and how observations fold into it. Pure functions: the store decides
 * where records live, this file decides what they say. Every value keeps the evidence behind it,
 * so the inventory can answer "why do you think so?".
 */
import type { DeviceKey, Observation } from '@wardsight/protocol';

export interface HubFact {
  signal: string;
  evidence: string;
  confidence: number;
  firstSeen: string;
  lastSeen: string;
  sensorId: string;
  /** When the address (an `ip` fact) passed to another device; it is then no longer this device's. */
  releasedAt?: string;
}

export interface DeviceRecord {
  /** The device's id: the first key it was known by (a MAC where one was seen first). */
  key: DeviceKey;
  /**
   * Other keys that name this same device: further MACs tied to it by a DHCP client identifier,
   * and IP-only identities merged into it when an ARP or DHCP binding appeared. Absent when none.
   */
  aliases?: DeviceKey[];
  firstSeen: string;
  lastSeen: string;
  /** sensor id → when that sensor last reported the device from its own frames */
  sensors: Record<string, string>;
  /** sensor id → when that sensor last saw the device only through a router (by address). */
  routedSensors?: Record<string, string>;
  /** attribute → value → fact */
  facts: Record<string, Record<string, HubFact>>;
}

/** Attributes whose current value is the most recently seen one (they change over time). */
const TIME_VARYING = new Set(['ip', 'hostname']);
/** Below this, a time-varying value is a hint, not a statement (e.g. a DHCP requested address). */
const CURRENT_MIN_CONFIDENCE = 0.6;

const later = (a: string, b: string): string => (a > b ? a : b);
const earlier = (a: string, b: string): string => (a < b ? a : b);

export function newDevice(key: DeviceKey, at: string): DeviceRecord {
  return { key, firstSeen: at, lastSeen: at, sensors: {}, facts: {} };
}

/**
 * Folds one observation from one sensor into a device record (mutates and returns it). `routed`:
 * the sensor saw the device only through a router, which places it less surely than its own frames.
 */
export function applyObservation(device: DeviceRecord, obs: Observation, sensorId: string, routed = false): DeviceRecord {
  device.firstSeen = earlier(device.firstSeen, obs.firstSeen);
  device.lastSeen = later(device.lastSeen, obs.lastSeen);
  const sightings = routed ? (device.routedSensors ??= {}) : device.sensors;
  sightings[sensorId] = later(sightings[sensorId] ?? obs.lastSeen, obs.lastSeen);
  const byValue = (device.facts[obs.attribute] ??= {});
  const known = byValue[obs.value];
  if (!known) {
    byValue[obs.value] = { signal: obs.signal, evidence: obs.evidence, confidence: obs.confidence, firstSeen: obs.firstSeen, lastSeen: obs.lastSeen, sensorId };
    return device;
  }
  known.firstSeen = earlier(known.firstSeen, obs.firstSeen);
  known.lastSeen = later(known.lastSeen, obs.lastSeen);
  // Seen holding the address again after it had passed to another: it is this device's again.
  if (known.releasedAt !== undefined && obs.lastSeen > known.releasedAt) delete known.releasedAt;
  if (obs.confidence >= known.confidence) {
    known.confidence = obs.confidence;
    known.signal = obs.signal;
    known.evidence = obs.evidence;
    known.sensorId = sensorId;
  }
  return device;
}

export interface ChosenValue extends HubFact {
  value: string;
}

/** The best-supported value of one attribute, or null when nothing was observed. */
export function bestValue(device: DeviceRecord, attribute: string): ChosenValue | null {
  const byValue = device.facts[attribute];
  if (!byValue) return null;
  let best: ChosenValue | null = null;
  const recency = TIME_VARYING.has(attribute);
  for (const [value, fact] of Object.entries(byValue)) {
    // An address given up to another device is history, not the device's current address.
    if (recency && fact.releasedAt !== undefined) continue;
    const candidate = { value, ...fact };
    if (!best) {
      best = candidate;
      continue;
    }
    if (recency) {
      const usable = fact.confidence >= CURRENT_MIN_CONFIDENCE;
      const bestUsable = best.confidence >= CURRENT_MIN_CONFIDENCE;
      if (usable !== bestUsable ? usable : fact.lastSeen > best.lastSeen || (fact.lastSeen === best.lastSeen && fact.confidence > best.confidence)) best = candidate;
    } else if (fact.confidence > best.confidence || (fact.confidence === best.confidence && fact.lastSeen > best.lastSeen)) {
      best = candidate;
    }
  }
  return best;
}

/** The sensor that most recently saw the device's own frames (else, routed, its address): where it is now. */
export function currentSensor(device: DeviceRecord): string | null {
  return latest(device.sensors) ?? latest(device.routedSensors ?? {});
}

function latest(sightings: Record<string, string>): string | null {
  let id: string | null = null;
  let at = '';
  for (const [sensorId, seen] of Object.entries(sightings)) {
    if (seen > at) {
      at = seen;
      id = sensorId;
    }
  }
  return id;
}
