/**
 * The contract every decoder keeps (one suite, applied to each): a valid fixture is accepted; every
 * truncation short of what the packet's own headers and length fields account for is rejected without
 * throwing; random bytes and randomly mutated fixtures never throw. Seeded, so failures repeat.
 */
import { describe, expect, it } from 'vitest';
import { WEIRD_NAMES, WEIRD_NONE } from '../../src/decoders/weird.js';
import { seededRandom } from './hex.js';

export interface ContractCase {
  name: string;
  /** A valid input, e.g. a whole frame. */
  bytes: Uint8Array;
  /** Where in `bytes` the decoder starts. */
  offset: number;
  /** Octets of `bytes` that the packet's headers and length fields account for (default: all). */
  declaredLength?: number;
}

export interface DecoderUnderTest {
  name: string;
  /** Runs the decoder on `buf` from `offset`; true if it accepted the input. */
  accepts(buf: Uint8Array, offset: number): boolean;
  /** The weird code the decoder left after its last rejection, where it records one. */
  lastWeird?(): number;
  cases: ContractCase[];
}

const RANDOM_INPUTS = 100_000;
const MUTATED_INPUTS = 100_000;

export function decoderContract(subject: DecoderUnderTest): void {
  describe(`${subject.name} decoder contract`, () => {
    it.each(subject.cases.map((c) => [c.name, c] as const))('accepts %s', (_name, c) => {
      expect(subject.accepts(c.bytes, c.offset)).toBe(true);
      if (subject.lastWeird) expect(subject.lastWeird()).toBe(WEIRD_NONE);
    });

    it.each(subject.cases.map((c) => [c.name, c] as const))('rejects every truncation of %s', (_name, c) => {
      const declared = c.declaredLength ?? c.bytes.length;
      for (let length = 0; length < c.bytes.length; length++) {
        const truncated = c.bytes.slice(0, length);
        const accepted = subject.accepts(truncated, c.offset);
        if (length < declared) {
          expect(accepted, `${c.name} cut to ${length} octets`).toBe(false);
          if (subject.lastWeird) expect(WEIRD_NAMES[subject.lastWeird()]).toBeDefined();
        } else {
          expect(accepted, `${c.name} cut to ${length} octets (all declared bytes present)`).toBe(true);
        }
      }
    });

    it('never throws on random bytes', () => {
      const random = seededRandom(0x5eed_0001);
      const longest = Math.max(...subject.cases.map((c) => c.bytes.length)) + 16;
      const buf = new Uint8Array(longest);
      for (let n = 0; n < RANDOM_INPUTS; n++) {
        const length = Math.floor(random() * longest);
        for (let i = 0; i < length; i++) buf[i] = random() * 256;
        const input = buf.subarray(0, length);
        const offset = random() < 0.25 ? Math.floor(random() * (length + 2)) : 0;
        subject.accepts(input, offset); // a throw fails the test
      }
    });

    it('never throws on mutated fixtures', () => {
      const random = seededRandom(0x5eed_0002);
      let accepted = 0;
      for (let n = 0; n < MUTATED_INPUTS; n++) {
        const c = subject.cases[n % subject.cases.length];
        if (c === undefined) continue;
        const mutated = c.bytes.slice();
        const flips = 1 + Math.floor(random() * 4);
        for (let f = 0; f < flips; f++) mutated[Math.floor(random() * mutated.length)] = random() * 256;
        const length = random() < 0.25 ? Math.floor(random() * mutated.length) : mutated.length;
        if (subject.accepts(mutated.subarray(0, length), c.offset)) accepted++;
      }
      // Most mutations land in fields the decoder does not judge, so they still decode.
      expect(accepted).toBeGreaterThan(0);
    });
  });
}
