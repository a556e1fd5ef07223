/**
 * A bounded hash table of counters in typed arrays: keys of `keyWords` 32-bit words, each entry
 * counting packets and bytes with first and last seen. No object per entry and none per packet,
 * and each entry's flag, key and counters in one cache line, since every packet looks one up and
 * touches them all. When it reaches its capacity, entries idle longer than `idleMs` are aged out,
 * then the least recently seen quarter; every eviction is counted.
 */
export interface CountingTableOptions {
  /**
   * Entries kept at most. The slots (a power of two, at most half full) start few and double as
   * entries come, so a small population stays in the processor's cache.
   */
  capacity: number;
  /** Entries not seen for this long are the first to go. */
  idleMs: number;
}

/** Counter columns of an entry. */
export const PACKETS = 0;
export const BYTES = 1;
export const FIRST = 2;
export const LAST = 3;
/**
 * Each slot is one 64-octet cache line: word 0 says whether it is used, words 1 to 7 hold the key,
 * and its last 32 octets the four counters as doubles. A probe touches one line, not one per array.
 */
const SLOT_BYTES = 64;
const SLOT_WORDS = SLOT_BYTES / 4;
const SLOT_DOUBLES = SLOT_BYTES / 8;
const COUNTERS_AT = 4;
const MAX_KEY_WORDS = 7;
/** Slots a table starts with (64 KiB). */
const INITIAL_SLOTS = 1024;

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
  private slots: number;
  private mask: number;
  /** The most slots the table grows to: twice the capacity, rounded up to a power of two. */
  private readonly maxSlots: number;
  /** The slots, as words (flag and key) and as doubles (counters), over one buffer. */
  private u32: Uint32Array;
  private f64: Float64Array;
  private count = 0;
  /** Entries removed to make room: aged out or pushed out. */
  evicted = 0;

  constructor(
    private readonly keyWords: number,
    private readonly options: CountingTableOptions,
  ) {
    if (!Number.isInteger(keyWords) || keyWords < 1 || keyWords > MAX_KEY_WORDS) throw new RangeError(`keys of 1 to ${MAX_KEY_WORDS} words, not ${keyWords}`);
    // Bounded so a configuration typo cannot ask for gigabytes; at least a few entries.
    this.capacity = Math.min(1 << 24, Math.max(16, Math.floor(options.capacity)));
    let maxSlots = 16;
    while (maxSlots < this.capacity * 2) maxSlots *= 2;
    this.maxSlots = maxSlots;
    this.slots = Math.min(maxSlots, INITIAL_SLOTS);
    this.mask = this.slots - 1;
    const buffer = new ArrayBuffer(this.slots * SLOT_BYTES);
    this.u32 = new Uint32Array(buffer);
    this.f64 = new Float64Array(buffer);
  }

  get size(): number {
    return this.count;
  }

  /** One counter of an entry (PACKETS, BYTES, FIRST or LAST). */
  get(slot: number, column: number): number {
    return this.f64[slot * SLOT_DOUBLES + COUNTERS_AT + column] ?? 0;
  }

  /** Word `word` of the key in `slot`. */
  key(slot: number, word: number): number {
    return this.u32[slot * SLOT_WORDS + 1 + word] ?? 0;
  }

  /** Slot of the key held in `key[0..keyWords)`, inserted if absent; counts one packet of `bytes`. */
  add(key: Uint32Array, bytes: number, ts: number): number {
    const kw = this.keyWords;
    const u = this.u32;
    const v = this.f64;
    let h = 0x9747b28c;
    for (let i = 0; i < kw; i++) h = mix32(h ^ (key[i] ?? 0));
    let slot = h & this.mask;
    for (;;) {
      const base = slot * SLOT_WORDS;
      if (u[base] !== 1) break;
      let i = 0;
      while (i < kw && u[base + 1 + i] === key[i]) i++;
      if (i === kw) {
        const at = slot * SLOT_DOUBLES + COUNTERS_AT;
        v[at] = (v[at] ?? 0) + 1;
        v[at + 1] = (v[at + 1] ?? 0) + bytes;
        // A negative first-seen marks counters restarted for a new interval (see `restart`).
        if ((v[at + 2] ?? 0) < 0) v[at + 2] = ts;
        if (ts > (v[at + 3] ?? 0)) v[at + 3] = ts;
        return slot;
      }
      slot = (slot + 1) & this.mask;
    }
    if (this.count >= this.capacity) {
      this.makeRoom(ts);
      return this.add(key, bytes, ts);
    }
    if ((this.count + 1) * 2 > this.slots && this.slots < this.maxSlots) {
      this.grow();
      return this.add(key, bytes, ts);
    }
    const base = slot * SLOT_WORDS;
    u[base] = 1;
    for (let i = 0; i < kw; i++) u[base + 1 + i] = key[i] ?? 0;
    const at = slot * SLOT_DOUBLES + COUNTERS_AT;
    v[at] = 1;
    v[at + 1] = bytes;
    v[at + 2] = ts;
    v[at + 3] = ts;
    this.count += 1;
    return slot;
  }

  /** Calls `visit(slot)` for every entry. */
  forEach(visit: (slot: number) => void): void {
    for (let slot = 0; slot < this.slots; slot++) if (this.u32[slot * SLOT_WORDS] === 1) visit(slot);
  }

  /**
   * Starts every entry's counts again (packets and bytes to zero, first seen at its next packet),
   * keeping the entries and their last seen: the counters then cover one interval.
   */
  restart(): void {
    const v = this.f64;
    this.forEach((slot) => {
      const at = slot * SLOT_DOUBLES + COUNTERS_AT;
      v[at] = 0;
      v[at + 1] = 0;
      v[at + 2] = -1;
    });
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

  /** Doubles the slots. */
  private grow(): void {
    const survivors: number[] = [];
    this.forEach((slot) => survivors.push(slot));
    this.slots *= 2;
    this.mask = this.slots - 1;
    this.reinsert(survivors);
  }

  /** Keeps the entries `keep` accepts, re-inserting them into a fresh buffer so probe chains stay intact. */
  private rebuild(keep: (slot: number) => boolean): number {
    const survivors: number[] = [];
    this.forEach((slot) => {
      if (keep(slot)) survivors.push(slot);
    });
    const removed = this.count - survivors.length;
    if (removed === 0) return 0;
    this.reinsert(survivors);
    this.evicted += removed;
    return removed;
  }

  /** Moves the entries in `survivors` (slots of the current buffer) into a fresh buffer of `slots` slots. */
  private reinsert(survivors: readonly number[]): void {
    const oldU32 = this.u32;
    const buffer = new ArrayBuffer(this.slots * SLOT_BYTES);
    this.u32 = new Uint32Array(buffer);
    this.f64 = new Float64Array(buffer);
    this.count = 0;
    const kw = this.keyWords;
    const key = new Uint32Array(kw);
    for (const old of survivors) {
      const from = old * SLOT_WORDS;
      for (let i = 0; i < kw; i++) key[i] = oldU32[from + 1 + i] ?? 0;
      const to = this.add(key, 0, 0) * SLOT_WORDS;
      // The whole line: flag, key and counters as they were (copied word by word: no view per entry).
      for (let i = 0; i < SLOT_WORDS; i++) this.u32[to + i] = oldU32[from + i] ?? 0;
    }
  }
}
