/**
 * Seeded pseudo-random numbers so that one seed always yields the same hospital, byte for byte.
 * Marsaglia's xorshift128 (J. Stat. Softw. 8(14), 2003), its state spread from the seed by a
 * multiplicative hash so that nearby seeds diverge at once. Not for cryptography.
 */
export class SeededRandom {
  private x: number;
  private y: number;
  private z: number;
  private w: number;

  constructor(seed: number) {
    let s = seed >>> 0 || 0x9e3779b9;
    const spread = (): number => {
      s = (Math.imul(s ^ (s >>> 16), 0x45d9f3b) + 0x6a09e667) >>> 0;
      return s || 1;
    };
    this.x = spread();
    this.y = spread();
    this.z = spread();
    this.w = spread();
    for (let i = 0; i < 8; i++) this.uint32();
  }

  /** A uniformly distributed 32-bit unsigned integer. */
  uint32(): number {
    const t = this.x ^ (this.x << 11);
    this.x = this.y;
    this.y = this.z;
    this.z = this.w;
    this.w = (this.w ^ (this.w >>> 19) ^ (t ^ (t >>> 8))) >>> 0;
    return this.w;
  }

  /** A number in [0, 1). */
  fraction(): number {
    return this.uint32() / 0x1_0000_0000;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.fraction() * (max - min + 1));
  }

  pick<T>(choices: readonly T[]): T {
    const choice = choices[this.int(0, choices.length - 1)];
    if (choice === undefined) throw new RangeError('pick from an empty list');
    return choice;
  }

  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = this.uint32() & 0xff;
    return out;
  }

  /** `count` distinct integers from [min, max], in draw order. */
  distinct(count: number, min: number, max: number): number[] {
    if (count > max - min + 1) throw new RangeError(`cannot draw ${count} distinct values from ${min}..${max}`);
    const seen = new Set<number>();
    while (seen.size < count) seen.add(this.int(min, max));
    return [...seen];
  }
}
