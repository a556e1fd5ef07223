/**
 * From firings to a profile. For each attribute:
 * 1. Support per value: independent sources add up by noisy-or, 1 − Π(1 − cᵢ), capped at 0.99.
 *    A source is the set of signal names a firing rests on (or one learned model); several rules
 *    reading the same signals are one source and count once, at their strongest.
 * 2. Conflict: the values' supports are combined by Dempster's rule, each value a simple support
 *    for itself. Values that exclude each other take mass from each other; a value nested in
 *    another (a CT scanner within imaging modalities) does not conflict with it.
 * 3. The best value is the most specific one believed at least `MIN_BEST`; below it the answer is
 *    an honest unknown.
 */
import { ATTRIBUTES, type Attribute, type AttributeProfile, type Conclusion, type Evidence, type Profile } from './profile.js';
import type { Firing } from './rules/match.js';
import { isWithin } from './vocabulary.js';

/** Belief a value needs to be shown as the answer. */
export const MIN_BEST = 0.5;
/** No amount of agreeing evidence makes a value certain. */
export const MAX_SUPPORT = 0.99;

const round = (x: number): number => Math.round(x * 1000) / 1000;

const order = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Evidence strongest first, then by signal, value and rule: the same evidence always reads the same. */
function strongestFirst(a: Evidence, b: Evidence): number {
  return b.weight - a.weight || order(a.signal, b.signal) || order(a.value, b.value) || order(a.rule, b.rule);
}

interface ValueSupport {
  value: string;
  support: number;
  evidence: Evidence[];
}

/**
 * Noisy-or over independent sources, each counted at its strongest firing. Values that differ
 * only in letter case are one value (`IntelliVue MX450` from DHCP, `INTELLIVUE MX450` from HL7),
 * shown as the strongest firing wrote it.
 */
function supportsOf(firings: readonly Firing[]): ValueSupport[] {
  const byValue = new Map<string, { shown: Firing; sources: Map<string, number>; evidence: Map<string, Evidence> }>();
  for (const firing of firings) {
    const key = firing.value.toLowerCase();
    let entry = byValue.get(key);
    if (!entry) byValue.set(key, (entry = { shown: firing, sources: new Map(), evidence: new Map() }));
    if (firing.weight > entry.shown.weight) entry.shown = firing;
    entry.sources.set(firing.source, Math.max(entry.sources.get(firing.source) ?? 0, firing.weight));
    for (const item of firing.evidence) {
      const itemKey = `${item.rule}\u0000${item.signal}\u0000${item.value}`;
      const kept = entry.evidence.get(itemKey);
      if (!kept || kept.weight < item.weight) entry.evidence.set(itemKey, { ...item, weight: round(item.weight) });
    }
  }
  return [...byValue.values()].map(({ shown, sources, evidence }) => {
    let doubt = 1;
    for (const weight of sources.values()) doubt *= 1 - Math.min(MAX_SUPPORT, Math.max(0, weight));
    return { value: shown.value, support: Math.min(MAX_SUPPORT, 1 - doubt), evidence: [...evidence.values()].sort(strongestFirst) };
  });
}

/** The values' focal masses after Dempster's rule; `null` stands for "any value" (ignorance). */
function dempster(attribute: Attribute, supports: readonly ValueSupport[]): Map<string | null, number> {
  let masses = new Map<string | null, number>([[null, 1]]);
  for (const { value, support } of supports) {
    const next = new Map<string | null, number>();
    const add = (focal: string | null, mass: number): void => void next.set(focal, (next.get(focal) ?? 0) + mass);
    let conflict = 0;
    for (const [focal, mass] of masses) {
      const meet = focal === null || isWithin(attribute, value, focal) ? value : isWithin(attribute, focal, value) ? focal : undefined;
      if (meet === undefined) conflict += mass * support;
      else add(meet, mass * support);
      add(focal, mass * (1 - support));
    }
    // Supports are capped below 1, so some mass always stays on the ignorance and 1 − conflict > 0.
    for (const [focal, mass] of next) next.set(focal, mass / (1 - conflict));
    masses = next;
  }
  return masses;
}

function profileOf(attribute: Attribute, firings: readonly Firing[]): AttributeProfile {
  const supports = supportsOf(firings);
  if (supports.length === 0) return { best: null, candidates: [] };
  const masses = dempster(attribute, supports);
  const scored = supports.map(({ value, evidence }) => {
    let belief = 0;
    for (const [focal, mass] of masses) if (focal !== null && isWithin(attribute, focal, value)) belief += mass;
    // A wider value is also supported by the evidence for the values nested in it.
    const nested = supports.filter((s) => s.value !== value && isWithin(attribute, s.value, value)).flatMap((s) => s.evidence);
    return { value, belief: Math.min(MAX_SUPPORT, belief), evidence: [...evidence, ...nested].sort(strongestFirst) };
  });
  scored.sort((a, b) => b.belief - a.belief || order(a.value, b.value));
  const candidates: Conclusion[] = scored.map(({ value, belief, evidence }) => ({ value, confidence: round(belief), evidence }));

  const believed = scored.filter((s) => s.belief >= MIN_BEST);
  const specific = believed.filter((s) => !believed.some((o) => o !== s && isWithin(attribute, o.value, s.value)));
  const top = specific[0];
  const tied = top !== undefined && specific.some((o) => o !== top && o.belief === top.belief);
  const best = top === undefined || tied ? null : (candidates.find((c) => c.value === top.value) ?? null);
  return { best, candidates };
}

export function combine(firings: readonly Firing[]): Profile {
  const byAttribute = new Map<Attribute, Firing[]>(ATTRIBUTES.map((a) => [a, []]));
  for (const firing of firings) byAttribute.get(firing.attribute)?.push(firing);
  const profile = {} as Profile;
  for (const attribute of ATTRIBUTES) profile[attribute] = profileOf(attribute, byAttribute.get(attribute) ?? []);
  return profile;
}
