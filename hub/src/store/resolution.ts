/**
 * One observation batch folded into the inventory with identity resolution (inventory/identity.ts),
 * as one unit of work: records are read once, changed in memory and handed back as the writes of a
 * single atomic batch, together with what the batch showed of each device (its sightings and new
 * facts) for location and behaviour to work on.
 */
import type { DeviceKey, Observation } from '@wardsight/protocol';
import { bind, distinguishingClientId, holderAt, ipKey, isBinding, mergeDevice, previousHolderUntil, releaseAddress, type BindingHistory } from '../inventory/identity.js';
import { applyObservation, newDevice, type DeviceRecord, type HubFact } from '../inventory/profile.js';

/** What the store reads while resolving; each lookup returns undefined for an unknown key. */
export interface ResolutionReads {
  device(id: DeviceKey): Promise<DeviceRecord | undefined>;
  /** The device id a key was merged into. */
  alias(key: DeviceKey): Promise<DeviceKey | undefined>;
  bindings(address: string): Promise<BindingHistory | undefined>;
  clientId(value: string): Promise<DeviceKey | undefined>;
}

/** Sighting times kept per device and batch for location: enough to place it, bounded. */
const MAX_POINTS = 32;

/** What one batch showed of one device (after resolution), for the hub's analysis. */
export interface Sighting {
  device: DeviceKey;
  /** Seen only through a router: its address, not its frames. */
  routed: boolean;
  /** Moments the sensor saw it (first and last seen of each observation), sorted, unique. */
  points: string[];
}

/** What a group of batches changed: records to write, records to remove, index entries to write. */
export interface ResolvedBatch {
  devices: Map<DeviceKey, DeviceRecord>;
  /** Devices merged into others: their records go. */
  removed: Set<DeviceKey>;
  aliases: Map<DeviceKey, DeviceKey>;
  bindings: Map<string, BindingHistory>;
  clientIds: Map<string, DeviceKey>;
}

export class Resolution {
  private readonly devices = new Map<DeviceKey, DeviceRecord>();
  private readonly removed = new Set<DeviceKey>();
  private readonly aliases = new Map<DeviceKey, DeviceKey>();
  private readonly bindings = new Map<string, BindingHistory>();
  private readonly clientIds = new Map<string, DeviceKey>();
  private readonly sightings = new Map<DeviceKey, Sighting>();

  /** The sensor whose batch is being applied. */
  private sensorId = '';

  /** One resolution serves a group of batches, one after another: records read once, written once. */
  constructor(private readonly reads: ResolutionReads) {}

  private async idOf(key: DeviceKey): Promise<DeviceKey> {
    const cached = this.aliases.get(key);
    if (cached !== undefined) return cached;
    const stored = await this.reads.alias(key);
    if (stored !== undefined) this.aliases.set(key, stored);
    return stored ?? key;
  }

  private async load(id: DeviceKey, at: string | null): Promise<DeviceRecord | undefined> {
    if (this.removed.has(id)) return undefined;
    let device = this.devices.get(id) ?? (await this.reads.device(id));
    if (!device && at !== null) {
      device = newDevice(id, at);
    }
    if (device) this.devices.set(id, device);
    return device;
  }

  private async history(address: string): Promise<BindingHistory> {
    let history = this.bindings.get(address);
    if (!history) {
      history = (await this.reads.bindings(address)) ?? [];
      this.bindings.set(address, history);
    }
    return history;
  }

  private sighting(id: DeviceKey, routed: boolean): Sighting {
    let s = this.sightings.get(id);
    if (!s) {
      s = { device: id, routed, points: [] };
      this.sightings.set(id, s);
    }
    if (!routed) s.routed = false;
    return s;
  }

  async apply(obs: Observation, sensorId: string): Promise<void> {
    this.sensorId = sensorId;
    let id: DeviceKey;
    let routed = false;
    if (obs.device.startsWith('ip:')) {
      routed = true;
      // An address is a lease: the observation belongs to whoever held it when it was seen.
      const holder = holderAt(await this.history(obs.device.slice(3)), obs.lastSeen);
      id = holder ? await this.idOf(holder.device) : obs.device;
    } else {
      id = await this.idOf(obs.device);
    }
    const device = await this.load(id, obs.firstSeen);
    if (!device) return;
    applyObservation(device, obs, this.sensorId, routed);
    const s = this.sighting(device.key, routed);
    s.points.push(obs.firstSeen, obs.lastSeen);
    if (isBinding(obs)) await this.onBinding(device, obs);
    else if (obs.attribute === 'dhcp.clientId' && distinguishingClientId(obs.value, obs.device)) await this.onClientId(device, obs.value);
  }

  /** `device` holds the address: record the lease, take it from its earlier holder, absorb its IP-only identity. */
  private async onBinding(device: DeviceRecord, obs: Observation): Promise<void> {
    const address = obs.value;
    const history = await this.history(address);
    const previous = bind(history, device.key, obs.firstSeen, obs.lastSeen);
    if (previous !== null) {
      const before = await this.load(await this.idOf(previous), null);
      if (before && before.key !== device.key) releaseAddress(before, address, obs.firstSeen);
    }
    const ipOnly = await this.load(ipKey(address), null);
    if (!ipOnly || ipOnly.key === device.key) return;
    // Only what was seen after the address left its previous holder is this device's.
    const from = previousHolderUntil(history, device.key);
    const mine = (fact: HubFact): boolean => fact.lastSeen > from;
    mergeDevice(device, ipOnly, mine);
    // What stays behind is what the earlier holder's time saw.
    ipOnly.facts = Object.fromEntries(
      Object.entries(ipOnly.facts)
        .map(([attribute, byValue]) => [attribute, Object.fromEntries(Object.entries(byValue).filter(([, fact]) => !mine(fact)))] as const)
        .filter(([, byValue]) => Object.keys(byValue).length > 0),
    );
    if (Object.keys(ipOnly.facts).length === 0) this.drop(ipOnly.key, device.key);
  }

  /** A client identifier already held by another device: the two MACs are one device. */
  private async onClientId(device: DeviceRecord, clientId: string): Promise<void> {
    const cached = this.clientIds.get(clientId);
    const owner = cached ?? (await this.reads.clientId(clientId));
    if (owner === undefined) {
      this.clientIds.set(clientId, device.key);
      return;
    }
    const ownerId = await this.idOf(owner);
    if (ownerId === device.key) return;
    const into = await this.load(ownerId, null);
    if (!into) {
      this.clientIds.set(clientId, device.key);
      return;
    }
    mergeDevice(into, device);
    // Addresses the merged device holds are now held by the one it joined.
    for (const address of Object.keys(device.facts.ip ?? {})) {
      const history = await this.history(address);
      for (const span of history) if (span.device === device.key) span.device = into.key;
    }
    for (const key of [device.key, ...(device.aliases ?? [])]) if (key.startsWith('mac:')) this.aliases.set(key, into.key);
    this.drop(device.key, into.key);
  }

  /** Removes a record merged into `into`; its sightings become `into`'s. */
  private drop(id: DeviceKey, into: DeviceKey): void {
    this.devices.delete(id);
    this.removed.add(id);
    const s = this.sightings.get(id);
    if (s) {
      this.sightings.delete(id);
      const target = this.sighting(into, s.routed);
      target.points.push(...s.points);
    }
  }

  /** What the batch applied since the last call showed of each device; the next batch starts afresh. */
  takeSightings(): Sighting[] {
    const sightings = [...this.sightings.values()].map((s) => {
      const points = [...new Set(s.points)].sort();
      // The first and last moments matter most; between them, an even sample.
      const kept = points.length <= MAX_POINTS ? points : points.filter((_, i) => i % Math.ceil(points.length / MAX_POINTS) === 0 || i === points.length - 1);
      return { ...s, points: kept };
    });
    this.sightings.clear();
    return sightings;
  }

  finish(): ResolvedBatch {
    return { devices: this.devices, removed: this.removed, aliases: this.aliases, bindings: this.bindings, clientIds: this.clientIds };
  }
}
