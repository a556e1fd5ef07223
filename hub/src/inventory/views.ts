/** What the API shows of a device: the best value per attribute, with its evidence. */
import { Type, type Static } from '@sinclair/typebox';
import type { SensorRecord } from '../store/hub-store.js';
import { bestValue, currentSensor, type DeviceRecord } from './profile.js';

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
  room: Type.Optional(Type.String()),
});

export const DeviceView = Type.Object({
  id: Type.String(),
  mac: Nullable(Type.String()),
  ip: Nullable(Type.String()),
  ips: Type.Array(Type.Object({ address: Type.String(), firstSeen: Type.String(), lastSeen: Type.String() })),
  hostname: Nullable(Type.String()),
  vendor: Nullable(Type.String()),
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

export function deviceView(device: DeviceRecord, sensors: Map<string, SensorRecord>): DeviceView {
  const attributes: DeviceView['attributes'] = {};
  for (const attribute of Object.keys(device.facts)) {
    const best = bestValue(device, attribute);
    if (best) attributes[attribute] = best;
  }
  const sensorId = currentSensor(device);
  const where = sensorId ? sensors.get(sensorId)?.location : undefined;
  const ips = Object.entries(device.facts.ip ?? {})
    .map(([address, f]) => ({ address, firstSeen: f.firstSeen, lastSeen: f.lastSeen }))
    .sort((a, b) => (a.lastSeen < b.lastSeen ? 1 : -1));
  return {
    id: device.key,
    mac: device.key.startsWith('mac:') ? device.key.slice(4) : null,
    ip: attributes.ip?.value ?? null,
    ips,
    hostname: attributes.hostname?.value ?? null,
    vendor: attributes.vendor?.value ?? null,
    services: Object.keys(device.facts.service ?? {}).sort(),
    location: sensorId && where ? { sensorId, ...where } : null,
    firstSeen: device.firstSeen,
    lastSeen: device.lastSeen,
    attributes,
  };
}

export function deviceDetailView(device: DeviceRecord, sensors: Map<string, SensorRecord>): DeviceDetailView {
  const facts: DeviceDetailView['facts'] = {};
  for (const [attribute, byValue] of Object.entries(device.facts)) {
    facts[attribute] = Object.entries(byValue).map(([value, f]) => ({ value, ...f }));
  }
  return { ...deviceView(device, sensors), facts };
}
