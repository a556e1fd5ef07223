/**
 * Identity resolution: which device an observation is about, when sensors name devices by
 * different keys. A MAC seen on the wire is a device's key; a second MAC joins it when both present
 * the same DHCP client identifier (a docking station's NIC, a replaced network card); an IP-only
 * identity (a host a sensor sees only through a router) joins the MAC that holds that address by
 * an ARP or DHCP binding at the time it was seen. Addresses are leases, never keys: a binding says
 * who held an address from when to when, so an address passing to another device carries nothing
 * of the first with it. Pure functions over plain records; the store keeps them.
 */
import type { DeviceKey, Observation } from '@wardsight/protocol';
import type { DeviceRecord, HubFact } from './profile.js';

/** Signals that bind an address to the MAC that sent them (the address is that station's own). */
const BINDING_SIGNALS = new Set(['arp.sender', 'dhcp.yiaddr', 'dhcp.ciaddr']);

/** One holder of an address: who, and the first and latest moment the binding was seen. */
export interface BindingSpan {
  device: DeviceKey;
  since: string;
  lastSeen: string;
}

/** Holders of one address, oldest first; the last is the current one. */
export type BindingHistory = BindingSpan[];

/** Holders kept per address: enough for a busy DHCP pool over months. */
export const MAX_BINDINGS_PER_ADDRESS = 64;

/** Whether the observation binds its value (an address) to the MAC that is the observation's device. */
export function isBinding(obs: Observation): boolean {
  return obs.attribute === 'ip' && obs.device.startsWith('mac:') && BINDING_SIGNALS.has(obs.signal);
}

export const ipKey = (address: string): DeviceKey => `ip:${address}`;

/**
 * Records that `device` holds `address` over `[since, lastSeen]`. Returns the device that held the
 * address until now when it passed to another (a lease moved), else null.
 */
export function bind(history: BindingHistory, device: DeviceKey, since: string, lastSeen: string): DeviceKey | null {
  const current = history.at(-1);
  if (current?.device === device) {
    if (lastSeen > current.lastSeen) current.lastSeen = lastSeen;
    if (since < current.since) current.since = since;
    return null;
  }
  // A report of an older binding arriving late: widen that holder's span, keep the order.
  const earlier = history.findLast((span) => span.device === device);
  if (current && earlier && lastSeen <= current.since) {
    if (lastSeen > earlier.lastSeen) earlier.lastSeen = lastSeen;
    return null;
  }
  if (current && lastSeen < current.since) {
    // Older than the current holder and no span of its own: put it in its place in time.
    const at = history.findIndex((span) => span.since > since);
    history.splice(at < 0 ? history.length : at, 0, { device, since, lastSeen });
    return null;
  }
  history.push({ device, since, lastSeen });
  if (history.length > MAX_BINDINGS_PER_ADDRESS) history.splice(0, history.length - MAX_BINDINGS_PER_ADDRESS);
  return current?.device ?? null;
}

/** Who held the address at `at`: the latest holder bound by then (a binding outlasts its last sighting until the next holder). */
export function holderAt(history: BindingHistory, at: string): BindingSpan | null {
  let holder: BindingSpan | null = null;
  for (const span of history) if (span.since <= at) holder = span;
  // Before the first binding seen: most likely its first holder (leases are sticky).
  return holder ?? history[0] ?? null;
}

/** When the holder before `device` last showed the address (facts older than this are not the device's), or '' if none. */
export function previousHolderUntil(history: BindingHistory, device: DeviceKey): string {
  const index = history.findLastIndex((span) => span.device === device);
  const before = index > 0 ? history[index - 1] : undefined;
  return before && before.device !== device ? before.lastSeen : '';
}

/**
 * Whether a DHCP client identifier (option 61, as the sensor prints it) distinguishes a device
 * beyond its MAC. Hardware type 1 followed by the MAC itself — the common default — says nothing
 * more than the MAC, and could not join two MACs anyway.
 */
export function distinguishingClientId(value: string, device: DeviceKey): boolean {
  const digits = value.toLowerCase().replace(/[^0-9a-f]/g, '');
  if (digits.length < 4) return false;
  const mac = device.startsWith('mac:') ? device.slice(4).replace(/:/g, '') : '';
  return digits !== mac && digits !== `01${mac}`;
}

const later = (a: string, b: string): string => (a > b ? a : b);
const earlier = (a: string, b: string): string => (a < b ? a : b);

function mergeFact(into: Record<string, HubFact>, value: string, fact: HubFact): void {
  const known = into[value];
  if (!known) {
    into[value] = { ...fact };
    return;
  }
  known.firstSeen = earlier(known.firstSeen, fact.firstSeen);
  known.lastSeen = later(known.lastSeen, fact.lastSeen);
  if (fact.confidence > known.confidence) {
    known.confidence = fact.confidence;
    known.signal = fact.signal;
    known.evidence = fact.evidence;
    known.sensorId = fact.sensorId;
  }
}

/**
 * Folds `from` into `into` (mutating `into`): facts, sightings, first and last seen, and `from`'s
 * key and aliases become aliases of `into`. Only facts `keep` accepts move (all by default): an
 * IP-only identity brings only what was seen while the address was the device's.
 */
export function mergeDevice(into: DeviceRecord, from: DeviceRecord, keep: (fact: HubFact) => boolean = () => true): DeviceRecord {
  let moved = 0;
  for (const [attribute, byValue] of Object.entries(from.facts)) {
    for (const [value, fact] of Object.entries(byValue)) {
      if (!keep(fact)) continue;
      mergeFact((into.facts[attribute] ??= {}), value, fact);
      into.firstSeen = earlier(into.firstSeen, fact.firstSeen);
      into.lastSeen = later(into.lastSeen, fact.lastSeen);
      moved += 1;
    }
  }
  if (moved === 0) return into;
  const routed = from.key.startsWith('ip:');
  const target = routed ? (into.routedSensors ??= {}) : into.sensors;
  for (const [sensorId, seen] of Object.entries(from.sensors)) target[sensorId] = later(target[sensorId] ?? seen, seen);
  for (const [sensorId, seen] of Object.entries(from.routedSensors ?? {})) {
    const routedTarget = (into.routedSensors ??= {});
    routedTarget[sensorId] = later(routedTarget[sensorId] ?? seen, seen);
  }
  const aliases = new Set([...(into.aliases ?? []), from.key, ...(from.aliases ?? [])]);
  aliases.delete(into.key);
  into.aliases = [...aliases].sort();
  return into;
}

/**
 * Marks the device's fact for `address` as given up at `at` (its lease passed to another device):
 * the address stays in its history but is no longer its current one.
 */
export function releaseAddress(device: DeviceRecord, address: string, at: string): void {
  const fact = device.facts.ip?.[address];
  if (fact && (fact.releasedAt === undefined || fact.releasedAt < at)) fact.releasedAt = at;
}
