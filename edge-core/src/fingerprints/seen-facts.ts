/**
 * Facts already reported, keyed by numbers (MAC, attribute, value), so that the packets that
 * merely repeat what is known (every ARP, every SYN-ACK of a known service) are dismissed with one
 * hash probe: no strings, no objects. Bounded: when full, it forgets everything and relearns, which
 * at worst re-reports a fact the hub already has.
 */
import { mix32 } from '../state/counting-table.js';

export class SeenFacts {
  private readonly mask: number;
  private readonly keys: Uint32Array;
  private readonly reportedAt: Float64Array;
  private readonly used: Uint8Array;
  private size = 0;
  private readonly limit: number;

  constructor(capacity = 1 << 16) {
    let slots = 1024;
    while (slots < capacity * 2) slots *= 2;
    this.mask = slots - 1;
    this.keys = new Uint32Array(slots * 4);
    this.reportedAt = new Float64Array(slots);
    this.used = new Uint8Array(slots);
    this.limit = slots >>> 1;
  }

  private slotOf(a: number, b: number, c: number, d: number): number {
    let slot = mix32(mix32(mix32(mix32(0x2545f491 ^ a) ^ b) ^ c) ^ d) & this.mask;
    const k = this.keys;
    while (this.used[slot] === 1) {
      const at = slot * 4;
      if (k[at] === a >>> 0 && k[at + 1] === b >>> 0 && k[at + 2] === c >>> 0 && k[at + 3] === d >>> 0) return slot;
      slot = (slot + 1) & this.mask;
    }
    return slot;
  }

  /** True when this fact was reported within the last `refreshMs` (so there is nothing to do). */
  fresh(a: number, b: number, c: number, d: number, ts: number, refreshMs: number): boolean {
    const slot = this.slotOf(a, b, c, d);
    return this.used[slot] === 1 && ts - (this.reportedAt[slot] ?? 0) < refreshMs;
  }

  /** Whether the fact is known at all, however long ago. */
  has(a: number, b: number, c: number, d: number): boolean {
    return this.used[this.slotOf(a, b, c, d)] === 1;
  }

  /** Records that the fact was just reported (or confirmed). */
  mark(a: number, b: number, c: number, d: number, ts: number): void {
    let slot = this.slotOf(a, b, c, d);
    if (this.used[slot] !== 1) {
      if (this.size >= this.limit) {
        this.used.fill(0);
        this.size = 0;
        slot = this.slotOf(a, b, c, d);
      }
      const at = slot * 4;
      this.keys[at] = a >>> 0;
      this.keys[at + 1] = b >>> 0;
      this.keys[at + 2] = c >>> 0;
      this.keys[at + 3] = d >>> 0;
      this.used[slot] = 1;
      this.size += 1;
    }
    this.reportedAt[slot] = ts;
  }
}
