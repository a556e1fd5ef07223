/** Link and pool addresses for the simulated day: MACs under real OUIs, leases from a floor's pool; opaque content. */
import type { SeededRandom } from '../prng.js';
import { DHCP_POOL, floorAddress, type FloorId } from './site.js';

/** A MAC under `oui` with a random, not yet used, device part. */
export function randomMac(random: SeededRandom, oui: string, used: Set<string>): string {
  for (;;) {
    const suffix = Array.from(random.bytes(3), (b) => b.toString(16).padStart(2, '0')).join(':');
    const mac = `${oui}:${suffix}`;
    if (!used.has(mac)) {
      used.add(mac);
      return mac;
    }
  }
}

/** Hands out each floor's pool addresses at random, never the same one twice in a day. */
export class LeasePool {
  private readonly taken = new Map<FloorId, Set<number>>();

  constructor(private readonly random: SeededRandom) {}

  lease(floor: FloorId): string {
    const taken = this.taken.get(floor) ?? new Set<number>();
    this.taken.set(floor, taken);
    if (taken.size > DHCP_POOL.last - DHCP_POOL.first) throw new RangeError(`the DHCP pool of floor ${floor} is exhausted`);
    for (;;) {
      const host = this.random.int(DHCP_POOL.first, DHCP_POOL.last);
      if (taken.has(host)) continue;
      taken.add(host);
      return floorAddress(floor, host);
    }
  }
}

/**
 * `length` opaque octets (file contents, pixel data): four from each draw, as payloads this large
 * would otherwise cost a draw per octet.
 */
export function noise(random: SeededRandom, length: number): Uint8Array {
  const out = new Uint8Array(length);
  const view = new DataView(out.buffer);
  let i = 0;
  for (; i + 4 <= length; i += 4) view.setUint32(i, random.uint32());
  for (; i < length; i++) out[i] = random.uint32() & 0xff;
  return out;
}
