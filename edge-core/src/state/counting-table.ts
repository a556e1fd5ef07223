/**
 * A fixed-capacity hash table of counters in typed arrays: keys of `keyWords` 32-bit words, each
 * entry counting packets and bytes with first and last seen. No object per entry and none per
 * packet, and each entry's counters side by side (one cache line) since every packet touches them
 * all. When it fills, entries idle longer than `idleMs` are aged out, then the least recently seen
 * quarter; every eviction is counted.
 */
export interface CountingTableOptions {
  /** Entries kept at most (rounded up to a power of two for the slots, at most half full). */
  capacity: number;
  /** Entries not seen for this long are the first to go. */
  idleMs: number;
}

/** Counter columns of an entry, at `slot * STRIDE + column` in `values`. */
export const PACKETS = 0;
export const BYTES = 1;
export const FIRST = 2;
export const LAST = 3;
const STRIDE = 4;

/** Murmur3's 32-bit finaliser: spreads every key bit over the slot index. */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export class CountingTable {
  readonly capacity: number;
  private readonly slots: number;
  private readonly mask: number;
  private readonly used: Uint8Array;
  readonly keys: Uint32Array;
  readonly values: Float64Array;
  private count = 0;
  /** Entries removed to make room: aged out or pushed out. */
  evicted = 0;

  constructor(
    private readonly keyWords: number,
    private readonly options: CountingTableOptions,
  ) {
    // Bounded so a configuration typo cannot ask for gigabytes; at least a few entries.
    this.capacity = Math.min(1 << 24, Math.max(16, Math.floor(options.capacity)));
    let slots = 16;
    while (slots < this.capacity * 2) slots *= 2;
    this.slots = slots;
    this.mask = slots - 1;
    this.used = new Uint8Array(slots);
    this.keys = new Uint32Array(slots * keyWords);
    this.values = new Float64Array(slots * STRIDE);
  }

  get size(): number {
    return this.count;
  }

  /** One counter of an entry (PACKETS, BYTES, FIRST or LAST). */
  get(slot: number, column: number): number {
    return this.values[slot * STRIDE + column] ?? 0;
  }

  /** Slot of the key held in `key[0..keyWords)`, inserted if absent; counts one packet of `bytes`. */
  add(key: Uint32Array, bytes: number, ts: number): number {
    const kw = this.keyWords;
    const keys = this.keys;
    const v = this.values;
    let h = 0x9747b28c;
    for (let i = 0; i < kw; i++) h = mix32(h ^ (key[i] ?? 0));
    let slot = h & this.mask;
    while (this.used[slot] === 1) {
      const base = slot * kw;
      let i = 0;
      while (i < kw && keys[base + i] === key[i]) i++;
      if (i === kw) {
        const at = slot * STRIDE;
        v[at] = (v[at] ?? 0) + 1;
        v[at + 1] = (v[at + 1] ?? 0) + bytes;
        if (ts > (v[at + 3] ?? 0)) v[at + 3] = ts;
        return slot;
      }
      slot = (slot + 1) & this.mask;
    }
    if (this.count >= this.capacity) {
      this.makeRoom(ts);
      return this.add(key, bytes, ts);
    }
    this.used[slot] = 1;
    keys.set(key.subarray(0, kw), slot * kw);
    const at = slot * STRIDE;
    v[at] = 1;
    v[at + 1] = bytes;
    v[at + 2] = ts;
    v[at + 3] = ts;
    this.count += 1;
    return slot;
  }

  /** Calls `visit(slot)` for every entry. */
  forEach(visit: (slot: number) => void): void {
    for (let slot = 0; slot < this.slots; slot++) if (this.used[slot] === 1) visit(slot);
  }

  /** Removes entries idle since before `ts - idleMs`; returns how many. */
  age(ts: number): number {
    const cutoff = ts - this.options.idleMs;
    return this.rebuild((slot) => this.get(slot, LAST) >= cutoff);
  }

  private makeRoom(ts: number): void {
    if (this.age(ts) > 0 && this.count < this.capacity) return;
    // Nothing idle enough: drop the least recently seen quarter.
    const lasts: number[] = [];
    this.forEach((slot) => lasts.push(this.get(slot, LAST)));
    lasts.sort((a, b) => a - b);
    const cutoff = lasts[Math.floor(lasts.length / 4)] ?? 0;
    this.rebuild((slot) => this.get(slot, LAST) > cutoff);
  }

  /** Keeps the entries `keep` accepts, re-inserting them so probe chains stay intact. */
  private rebuild(keep: (slot: number) => boolean): number {
    const kw = this.keyWords;
    const survivors: number[] = [];
    this.forEach((slot) => {
      if (keep(slot)) survivors.push(slot);
    });
    const removed = this.count - survivors.length;
    if (removed === 0) return 0;
    const keys = this.keys.slice();
    const values = this.values.slice();
    this.used.fill(0);
    this.count = 0;
    const key = new Uint32Array(kw);
    for (const old of survivors) {
      key.set(keys.subarray(old * kw, old * kw + kw));
      const slot = this.add(key, 0, 0);
      this.values.set(values.subarray(old * STRIDE, old * STRIDE + STRIDE), slot * STRIDE);
    }
    this.evicted += removed;
    return removed;
  }
}
