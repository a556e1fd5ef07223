/** What the API shows of a device: the best value per attribute, with its evidence. */
import { Type, type Static } from '@sinclair/typebox';
import type { Conclusion, Profile } from '@wardsight/classify';
import type { SensorRecord } from '../store/hub-store.js';
import { isProfileAttribute, type SignalSource } from './classification.js';
import { bestValue, currentSensor, type ChosenValue, type DeviceRecord } from './profile.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const FactView = Type.Object({
  value: Type.String(),
  confidence: Type.Number(),
  signal: Type.String(),
  evidence: Type.String(),
  sensorId: Type.String(),
  firstSeen: Type.String(),
  lastSeen: Type.String(),
});

export const LocationView = Type.Object({
  sensorId: Type.String(),
  site: Type.String(),
  building: Type.Optional(Type.String()),
  floor: Type.String(),
  zone: Type.Optional(Type.String()),
  room: Type.Optional(Type.String()),
});

export const DeviceView = Type.Object({
  id: Type.String(),
  mac: Nullable(Type.String()),
  /** Every MAC of the device: its own, then those joined to it (by a shared DHCP client identifier). */
  macs: Type.Array(Type.String()),
  /** Other keys merged into this device: further MACs and IP-only identities. */
  aliases: Type.Array(Type.String()),
  ip: Nullable(Type.String()),
  ips: Type.Array(Type.Object({ address: Type.String(), firstSeen: Type.String(), lastSeen: Type.String() })),
  hostname: Nullable(Type.String()),
  vendor: Nullable(Type.String()),
  model: Nullable(Type.String()),
  category: Nullable(Type.String()),
  os: Nullable(Type.String()),
  softwareVersion: Nullable(Type.String()),
  services: Type.Array(Type.String()),
  location: Type.Union([LocationView, Type.Null()]),
  firstSeen: Type.String(),
  lastSeen: Type.String(),
  /** Best value of every attribute, each with the evidence behind it. */
  attributes: Type.Record(Type.String(), FactView),
});
export type DeviceView = Static<typeof DeviceView>;

export const DeviceDetailView = Type.Intersect([
  DeviceView,
  Type.Object({ facts: Type.Record(Type.String(), Type.Array(FactView)) }),
]);
export type DeviceDetailView = Static<typeof DeviceDetailView>;

/** The sensor fact behind the strongest piece of a conclusion's evidence. */
function strongestSource(conclusion: Conclusion, signals: readonly SignalSource[]): SignalSource | undefined {
  const ranked = [...conclusion.evidence].sort((a, b) => b.weight - a.weight);
  for (const e of ranked) {
    const source = signals.find((s) => s.signal === e.signal && s.value === e.value);
    if (source) return source;
  }
  return undefined;
}

/** A profile conclusion in the shape of an observed fact: its strongest evidence speaks for it. */
function concludedFact(conclusion: Conclusion, signals: readonly SignalSource[]): ChosenValue {
  const source = strongestSource(conclusion, signals);
  // One observation behind the value: its own account says why; several: each rule and what it read.
  const because =
    conclusion.evidence.length === 1 && source ? source.fact.evidence : conclusion.evidence.map((e) => `${e.rule}: ${e.signal}=${e.value}`).join('; ');
  return {
    value: conclusion.value,
    confidence: conclusion.confidence,
    signal: source?.signal ?? conclusion.evidence[0]?.signal ?? 'classifier',
    evidence: because.length > 2048 ? `${because.slice(0, 2047)}…` : because,
    sensorId: source?.fact.sensorId ?? '',
    firstSeen: source?.fact.firstSeen ?? '',
    lastSeen: source?.fact.lastSeen ?? '',
  };
}

export function deviceView(device: DeviceRecord, sensors: Map<string, SensorRecord>, classified?: { profile: Profile; signals: SignalSource[] }): DeviceView {
  const attributes: DeviceView['attributes'] = {};
  for (const attribute of Object.keys(device.facts)) {
    const best = bestValue(device, attribute);
    if (best) attributes[attribute] = best;
  }
  // What the classifier concludes outranks a single observation of the same attribute (the NIC's
  // registry vendor, say), except the hostname, whose latest observed value is the current one.
  if (classified) {
    for (const [attribute, { best }] of Object.entries(classified.profile)) {
      if (!best || (attribute === 'hostname' && attributes.hostname)) continue;
      attributes[attribute] = concludedFact(best, classified.signals);
    }
  }
  const sensorId = currentSensor(device);
  const where = sensorId ? sensors.get(sensorId)?.location : undefined;
  const ips = Object.entries(device.facts.ip ?? {})
    .map(([address, f]) => ({ address, firstSeen: f.firstSeen, lastSeen: f.lastSeen }))
    .sort((a, b) => (a.lastSeen < b.lastSeen ? 1 : -1));
  return {
    id: device.key,
    mac: device.key.startsWith('mac:') ? device.key.slice(4) : null,
    macs: [device.key, ...(device.aliases ?? [])].filter((k) => k.startsWith('mac:')).map((k) => k.slice(4)),
    aliases: device.aliases ?? [],
    ip: attributes.ip?.value ?? null,
    ips,
    hostname: attributes.hostname?.value ?? null,
    vendor: attributes.vendor?.value ?? null,
    model: attributes.model?.value ?? null,
    category: attributes.category?.value ?? null,
    os: attributes.os?.value ?? null,
    softwareVersion: attributes.softwareVersion?.value ?? null,
    services: Object.keys(device.facts.service ?? {}).sort(),
    location: sensorId && where ? { sensorId, ...where } : null,
    firstSeen: device.firstSeen,
    lastSeen: device.lastSeen,
    attributes,
  };
}

export const EvidenceView = Type.Object({
  /** The sensor's signal and the raw value it saw. */
  signal: Type.String(),
  value: Type.String(),
  /** `observed` for a value seen as such; else the rule id or `learned:<model>` that read it. */
  rule: Type.String(),
  /** What this piece of evidence contributes on its own, 0–1. */
  weight: Type.Number(),
  sensorId: Nullable(Type.String()),
  firstSeen: Nullable(Type.String()),
  lastSeen: Nullable(Type.String()),
  /** The sensor's own account of what it saw (the packet fields behind the value). */
  detail: Nullable(Type.String()),
});
export type EvidenceView = Static<typeof EvidenceView>;

export const CandidateView = Type.Object({ value: Type.String(), confidence: Type.Number(), evidence: Type.Array(EvidenceView) });

export const AttributeView = Type.Object({
  device: Type.String(),
  attribute: Type.String(),
  /** The best-supported value, or null: unknown (nothing seen, or the evidence is too thin). */
  value: Nullable(Type.String()),
  confidence: Type.Number(),
  evidence: Type.Array(EvidenceView),
  /** Every value with any support, strongest first. */
  candidates: Type.Array(CandidateView),
});
export type AttributeView = Static<typeof AttributeView>;

function observedEvidence(value: string, fact: ChosenValue | (Omit<ChosenValue, 'value'> & { value?: string })): EvidenceView {
  return { signal: fact.signal, value, rule: 'observed', weight: fact.confidence, sensorId: fact.sensorId, firstSeen: fact.firstSeen, lastSeen: fact.lastSeen, detail: fact.evidence };
}

function concludedEvidence(conclusion: Conclusion, signals: readonly SignalSource[]): EvidenceView[] {
  return conclusion.evidence.map((e) => {
    const source = signals.find((s) => s.signal === e.signal && s.value === e.value);
    return {
      signal: e.signal,
      value: e.value,
      rule: e.rule,
      weight: e.weight,
      sensorId: source?.fact.sensorId ?? null,
      firstSeen: source?.fact.firstSeen ?? null,
      lastSeen: source?.fact.lastSeen ?? null,
      detail: source?.fact.evidence ?? null,
    };
  });
}

/** One attribute of one device: value, confidence, and all the evidence, for the concluded attributes and the observed ones alike. */
export function attributeView(device: DeviceRecord, attribute: string, classified: { profile: Profile; signals: SignalSource[] }): AttributeView {
  const observed = bestValue(device, attribute);
  if (isProfileAttribute(attribute) && !(attribute === 'hostname' && observed)) {
    const { best, candidates } = classified.profile[attribute];
    return {
      device: device.key,
      attribute,
      value: best?.value ?? null,
      confidence: best?.confidence ?? 0,
      evidence: best ? concludedEvidence(best, classified.signals) : [],
      candidates: candidates.map((c) => ({ value: c.value, confidence: c.confidence, evidence: concludedEvidence(c, classified.signals) })),
    };
  }
  const candidates = Object.entries(device.facts[attribute] ?? {})
    .map(([value, fact]) => ({ value, confidence: fact.confidence, evidence: [observedEvidence(value, fact)] }))
    .sort((a, b) => b.confidence - a.confidence);
  return {
    device: device.key,
    attribute,
    value: observed?.value ?? null,
    confidence: observed?.confidence ?? 0,
    evidence: observed ? [observedEvidence(observed.value, observed)] : [],
    candidates,
  };
}

export function deviceDetailView(device: DeviceRecord, sensors: Map<string, SensorRecord>, classified?: { profile: Profile; signals: SignalSource[] }): DeviceDetailView {
  const facts: DeviceDetailView['facts'] = {};
  for (const [attribute, byValue] of Object.entries(device.facts)) {
    facts[attribute] = Object.entries(byValue).map(([value, f]) => ({ value, ...f }));
  }
  return { ...deviceView(device, sensors, classified), facts };
}
