/**
 * What each device is, from everything the sensors reported of it: the device's facts become
 * signals, and the rule library (with any learned fingerprints) turns them into a profile — per
 * attribute the best-supported value or an honest unknown, with the evidence for it. A profile is
 * recomputed only when the device's facts or the analyst labels have changed.
 */
import { ATTRIBUTES, classify, isSignalName, type Attribute, type ClassifyOptions, type Profile, type Signal } from '@wardsight/classify';
import { LruCache } from '../lru-cache.js';
import type { AnalystLabels } from './label-fingerprints.js';
import type { DeviceRecord, HubFact } from './profile.js';

/** Profiles kept for devices whose facts have not changed since; enough for a large inventory page. */
const CACHE_LIMIT = 20_000;

/** The signal behind one fact, with where and when it was seen. */
export interface SignalSource extends Signal {
  attribute: string;
  fact: HubFact;
}

/** Every fact of the device whose signal the classifier knows, as a signal. */
export function signalsOf(device: DeviceRecord): SignalSource[] {
  const signals: SignalSource[] = [];
  for (const [attribute, byValue] of Object.entries(device.facts)) {
    for (const [value, fact] of Object.entries(byValue)) {
      if (!isSignalName(fact.signal)) continue;
      signals.push({ signal: fact.signal, value, sensorId: fact.sensorId, seenAt: fact.lastSeen, attribute, fact });
    }
  }
  return signals;
}

/** A fingerprint of what the profile depends on: the set of (signal, value) pairs. */
function stampOf(signals: readonly Signal[]): string {
  return signals.map((s) => `${s.signal}\u0001${s.value}`).sort().join('\u0002');
}

export class Classifier {
  /** Forgets the least recently used first. */
  private readonly cache = new LruCache<string, { stamp: string; profile: Profile }>(CACHE_LIMIT);

  /** `labels`: analyst labels, which name their own device and, as a learned source, its look-alikes. */
  constructor(
    private readonly options: ClassifyOptions = {},
    private readonly labels?: AnalystLabels,
  ) {}

  /** The device's profile, from cache while its signals and the analyst labels are unchanged. */
  profile(device: DeviceRecord): { profile: Profile; signals: SignalSource[] } {
    const signals = signalsOf(device);
    this.labels?.refresh(device.key, signals);
    const stamp = `${this.labels?.version ?? 0}\u0003${stampOf(signals)}`;
    const cached = this.cache.get(device.key);
    if (cached?.stamp === stamp) return { profile: cached.profile, signals };
    const profile = this.labels
      ? this.labels.withOwnLabels(device.key, classify(signals, { ...this.options, learned: [...(this.options.learned ?? []), this.labels.predictorFor(device.key)] }))
      : classify(signals, this.options);
    this.cache.set(device.key, { stamp, profile });
    return { profile, signals };
  }
}

export function isProfileAttribute(attribute: string): attribute is Attribute {
  return (ATTRIBUTES as readonly string[]).includes(attribute);
}
