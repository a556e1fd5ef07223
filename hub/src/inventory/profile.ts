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
}

export interface DeviceRecord {
  key: DeviceKey;
  firstSeen: string;
  lastSeen: string;
  /** sensor id → when that sensor last reported the device */
  sensors: Record<string, string>;
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

/** Folds one observation from one sensor into a device record (mutates and returns it). */
export function applyObservation(device: DeviceRecord, obs: Observation, sensorId: string): DeviceRecord {
  device.firstSeen = earlier(device.firstSeen, obs.firstSeen);
  device.lastSeen = later(device.lastSeen, obs.lastSeen);
  device.sensors[sensorId] = later(device.sensors[sensorId] ?? obs.lastSeen, obs.lastSeen);
  const byValue = (device.facts[obs.attribute] ??= {});
  const known = byValue[obs.value];
  if (!known) {
    byValue[obs.value] = { signal: obs.signal, evidence: obs.evidence, confidence: obs.confidence, firstSeen: obs.firstSeen, lastSeen: obs.lastSeen, sensorId };
    return device;
  }
  known.firstSeen = earlier(known.firstSeen, obs.firstSeen);
  known.lastSeen = later(known.lastSeen, obs.lastSeen);
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

/** The sensor that most recently reported the device: where it is now. */
export function currentSensor(device: DeviceRecord): string | null {
  let id: string | null = null;
  let at = '';
  for (const [sensorId, seen] of Object.entries(device.sensors)) {
    if (seen > at) {
      at = seen;
      id = sensorId;
    }
  }
  return id;
}
