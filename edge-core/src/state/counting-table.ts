/**
 * A fixed-capacity hash table of counters in typed arrays: keys of `keyWords` 32-bit words, each
 * entry counting packets and bytes with first and last seen. No object per entry and none per
 * packet. When it fills, entries idle longer than `idleMs` are aged out, then the least recently
 * seen quarter; every eviction is counted.
 */
export interface CountingTableOptions {
  /** Entries kept at most (rounded up to a power of two for the slots, at most half full). */
  capacity: number;
  /** Entries not seen for this long are the first to go. */
  idleMs: number;
}

const EMPTY = 0;
const USED = 1;

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
  private readonly state: Uint8Array;
  readonly keys: Uint32Array;
  readonly packets: Float64Array;
  readonly bytes: Float64Array;
  readonly first: Float64Array;
  readonly last: Float64Array;
  private used = 0;
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
    this.state = new Uint8Array(slots);
    this.keys = new Uint32Array(slots * keyWords);
    this.packets = new Float64Array(slots);
    this.bytes = new Float64Array(slots);
    this.first = new Float64Array(slots);
    this.last = new Float64Array(slots);
  }

  get size(): number {
    return this.used;
  }

  /** Slot of the key held in `key[0..keyWords)`, inserted if absent; counts one packet of `bytes`. */
  add(key: Uint32Array, bytes: number, ts: number): number {
    const kw = this.keyWords;
    let h = 0x9747b28c;
    for (let i = 0; i < kw; i++) h = mix32(h ^ (key[i] ?? 0));
    let slot = h & this.mask;
    for (;;) {
      if (this.state[slot] === EMPTY) break;
      let same = true;
      const base = slot * kw;
      for (let i = 0; i < kw; i++) {
        if (this.keys[base + i] !== key[i]) {
          same = false;
          break;
        }
      }
      if (same) {
        this.packets[slot] = (this.packets[slot] ?? 0) + 1;
        this.bytes[slot] = (this.bytes[slot] ?? 0) + bytes;
        if (ts > (this.last[slot] ?? 0)) this.last[slot] = ts;
        return slot;
      }
      slot = (slot + 1) & this.mask;
    }
    if (this.used >= this.capacity) {
      this.makeRoom(ts);
      return this.add(key, bytes, ts);
    }
    this.state[slot] = USED;
    this.keys.set(key.subarray(0, kw), slot * kw);
    this.packets[slot] = 1;
    this.bytes[slot] = bytes;
    this.first[slot] = ts;
    this.last[slot] = ts;
    this.used += 1;
    return slot;
  }

  /** Calls `visit(slot)` for every entry. */
  forEach(visit: (slot: number) => void): void {
    for (let slot = 0; slot < this.slots; slot++) if (this.state[slot] === USED) visit(slot);
  }

  /** Removes entries idle since before `ts - idleMs`; returns how many. */
  age(ts: number): number {
    const cutoff = ts - this.options.idleMs;
    return this.rebuild((slot) => (this.last[slot] ?? 0) >= cutoff);
  }

  private makeRoom(ts: number): void {
    if (this.age(ts) > 0 && this.used < this.capacity) return;
    // Nothing idle enough: drop the least recently seen quarter.
    const lasts: number[] = [];
    this.forEach((slot) => lasts.push(this.last[slot] ?? 0));
    lasts.sort((a, b) => a - b);
    const cutoff = lasts[Math.floor(lasts.length / 4)] ?? 0;
    this.rebuild((slot) => (this.last[slot] ?? 0) > cutoff);
  }

  /** Keeps the entries `keep` accepts, re-inserting them so probe chains stay intact. */
  private rebuild(keep: (slot: number) => boolean): number {
    const kw = this.keyWords;
    const survivors: number[] = [];
    this.forEach((slot) => {
      if (keep(slot)) survivors.push(slot);
    });
    const removed = this.used - survivors.length;
    if (removed === 0) return 0;
    const keys = this.keys.slice();
    const columns = [this.packets.slice(), this.bytes.slice(), this.first.slice(), this.last.slice()] as const;
    this.state.fill(EMPTY);
    this.used = 0;
    const key = new Uint32Array(kw);
    for (const old of survivors) {
      key.set(keys.subarray(old * kw, old * kw + kw));
      const slot = this.add(key, 0, 0);
      this.packets[slot] = columns[0][old] ?? 0;
      this.bytes[slot] = columns[1][old] ?? 0;
      this.first[slot] = columns[2][old] ?? 0;
      this.last[slot] = columns[3][old] ?? 0;
    }
    this.evicted += removed;
    return removed;
  }
}
