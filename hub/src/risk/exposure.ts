/**
 * What each device exposes on this network, learnt from the sensors' behaviour summaries for as long
 * as the device is heard (not only while its baseline is learnt): the services it answered on, and
 * from which segments and whether from the internet its clients came; and whether it talks to the
 * internet itself. Risk reads it to tell a flaw the network gives a path to from one it does not.
 */
import type { DeviceBehaviour, DeviceKey } from '@wardsight/protocol';
import type { Collection, HubStore } from '../store/hub-store.js';
import type { SegmentMap } from './segments.js';

export interface ServiceExposure {
  /** `tcp/443`. */
  service: string;
  /** The application the sensor named, where it did. */
  app?: string;
  /** Segment → when a client from it was last seen and how many distinct clients. */
  clients: Record<string, { lastSeen: string; peers: number }>;
}

export interface DeviceExposure {
  device: DeviceKey;
  /** The device's own segment (from its address). */
  segment: string | null;
  services: Record<string, ServiceExposure>;
  /** When the device last spoke to an internet address as a client, if ever. */
  internetClientSeen?: string;
  firstSeen: string;
  lastSeen: string;
}

/** Distinct clients counted per segment and service, at most (the count is a hint, not a ledger). */
const PEERS_COUNTED = 1_000;

export class ExposureBook {
  private readonly kept: Collection;
  private readonly devices = new Map<DeviceKey, DeviceExposure>();
  private readonly clientsSeen = new Map<string, Set<string>>();
  private readonly dirty = new Set<DeviceKey>();

  private constructor(
    store: HubStore,
    private readonly segments: SegmentMap,
  ) {
    this.kept = store.collection('exposure');
  }

  static async open(store: HubStore, segments: SegmentMap): Promise<ExposureBook> {
    const book = new ExposureBook(store, segments);
    await book.reload();
    return book;
  }

  /** Reads again what is kept (another hub instance may have learnt since). */
  async reload(): Promise<void> {
    this.devices.clear();
    this.clientsSeen.clear();
    for await (const [key, value] of this.kept.entries()) this.devices.set(key, JSON.parse(value) as DeviceExposure);
  }

  /** Learns one interval of one device's conversations. */
  learn(d: DeviceBehaviour): void {
    let e = this.devices.get(d.device);
    const own = d.addresses[0];
    if (!e) {
      e = { device: d.device, segment: own ? this.segments.segmentOf(own) : null, services: {}, firstSeen: d.firstSeen, lastSeen: d.lastSeen };
      this.devices.set(d.device, e);
    }
    if (own) e.segment = this.segments.segmentOf(own);
    if (d.lastSeen > e.lastSeen) e.lastSeen = d.lastSeen;
    for (const peer of d.peers) {
      const segment = this.segments.segmentOf(peer.address);
      if (peer.role === 'client') {
        if (segment === 'internet' && (e.internetClientSeen ?? '') < d.lastSeen) e.internetClientSeen = d.lastSeen;
        continue;
      }
      const key = `${peer.transport}/${peer.port}`;
      const service = (e.services[key] ??= { service: key, clients: {} });
      if (peer.app && !service.app) service.app = peer.app;
      const from = (service.clients[segment] ??= { lastSeen: d.lastSeen, peers: 0 });
      if (d.lastSeen > from.lastSeen) from.lastSeen = d.lastSeen;
      const seen = this.clientsSeen.get(`${d.device}|${key}|${segment}`) ?? new Set<string>();
      if (!seen.has(peer.address) && seen.size < PEERS_COUNTED) {
        seen.add(peer.address);
        from.peers = Math.max(from.peers, seen.size);
      }
      this.clientsSeen.set(`${d.device}|${key}|${segment}`, seen);
    }
    this.dirty.add(d.device);
  }

  get(device: DeviceKey): DeviceExposure | undefined {
    return this.devices.get(device);
  }

  /** Writes what changed since the last call. */
  async persist(): Promise<void> {
    if (this.dirty.size === 0) return;
    const ops = [...this.dirty].map((key) => ({ type: 'put' as const, key, value: JSON.stringify(this.devices.get(key)) }));
    this.dirty.clear();
    await this.kept.batch(ops);
  }
}
