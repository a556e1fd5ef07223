/** Helpers for writing test frames by hand, field by field. */

/** Bytes from hex fields; spaces inside a field are ignored. */
export function hex(...fields: string[]): Uint8Array {
  const digits = fields.join('').replace(/\s+/g, '');
  if (!/^(?:[0-9a-f]{2})*$/i.test(digits)) throw new Error(`bad hex fixture: ${digits}`);
  const bytes = new Uint8Array(digits.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

/** ASCII text as a hex field. */
export function text(ascii: string): string {
  return Array.from(ascii, (c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
}

/** `count` zero octets as a hex field. */
export function zeros(count: number): string {
  return '00'.repeat(count);
}

/** A seeded PRNG (mulberry32) so that random-input tests are repeatable. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** A copy of `bytes` with the hex field written at `at` (to break one field of a valid fixture). */
export function patch(bytes: Uint8Array, at: number, field: string): Uint8Array {
  const copy = bytes.slice();
  copy.set(hex(field), at);
  return copy;
}
