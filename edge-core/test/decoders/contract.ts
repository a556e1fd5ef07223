/**
 * The contract every decoder keeps (one suite, applied to each): a valid fixture is accepted; every
 * truncation short of what the packet's own headers and length fields account for is rejected without
 * throwing; random bytes and randomly mutated fixtures never throw. Frames are also dissected in place
 * inside a larger buffer (a shared capture ring), bounded by `end` rather than by slicing: there a
 * decoder gives the same answer as on the bare bytes, offsets shifted, and reads nothing outside
 * [offset, end). Seeded, so failures repeat.
 */
import { describe, expect, it } from 'vitest';
import { WEIRD_NAMES, WEIRD_NONE } from '../../src/decoders/weird.js';
import { seededRandom } from './hex.js';
import { embed, watchReads } from './read-watch.js';

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
  /**
   * Runs the decoder on `buf` from `offset`, the input ending at `end` (left out: the decoder's own
   * default, the end of `buf`); true if it accepted the input.
   */
  accepts(buf: Uint8Array, offset: number, end?: number): boolean;
  /** The weird code the decoder left after its last rejection, where it records one. */
  lastWeird?(): number;
  /** What the decoder made of its last accepted input, with offsets into the buffer made relative to `base`. */
  result(base: number): unknown;
  cases: ContractCase[];
}

const RANDOM_INPUTS = 100_000;
const MUTATED_INPUTS = 100_000;
/** Fewer: every read goes through a watching proxy. */
const WATCHED_INPUTS = 20_000;

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
        subject.accepts(buf, offset, length); // the same bytes bounded by `end` instead
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

    it.each(subject.cases.map((c) => [c.name, c] as const))(
      'decodes %s and each truncation by `end` inside a larger buffer as the bare bytes, reading only [offset, end)',
      (_name, c) => {
        const random = seededRandom(0x5eed_0003);
        for (let length = 0; length <= c.bytes.length; length++) {
          const bare = c.bytes.slice(0, length);
          const bareAccepted = subject.accepts(bare, c.offset);
          const bareWeird = subject.lastWeird?.();
          const bareResult = bareAccepted ? subject.result(0) : undefined;
          // The whole frame sits in the buffer: the octets at and after `end` are the rest of the real
          // frame, which would make a truncated one decode if the decoder read past `end`.
          const { buf, before } = embed(random, c.bytes);
          const watch = watchReads(buf);
          const start = before + c.offset;
          const end = before + length;
          const at = `${c.name} at ${before}, cut to ${length} octets by end`;
          expect(subject.accepts(watch.view, start, end), at).toBe(bareAccepted);
          if (subject.lastWeird) expect(subject.lastWeird(), at).toBe(bareWeird);
          if (bareAccepted) expect(subject.result(before), at).toEqual(bareResult);
          expect(watch.readOnlyWithin(start, end), `${at}: read [${watch.lowest}, ${watch.highest}]`).toBe(true);
        }
      },
    );

    it('reads nothing outside [offset, end) of mutated fixtures inside a larger buffer', () => {
      const random = seededRandom(0x5eed_0004);
      for (let n = 0; n < WATCHED_INPUTS; n++) {
        const c = subject.cases[n % subject.cases.length];
        if (c === undefined) continue;
        const mutated = c.bytes.slice();
        const flips = 1 + Math.floor(random() * 4);
        for (let f = 0; f < flips; f++) mutated[Math.floor(random() * mutated.length)] = random() * 256;
        // Cut by `end` or whole; past `end` lie the rest of the mutated frame, then random octets.
        const { buf, before } = embed(random, mutated);
        const length = random() < 0.5 ? Math.floor(random() * mutated.length) : mutated.length;
        const watch = watchReads(buf);
        const start = before + c.offset;
        subject.accepts(watch.view, start, before + length);
        expect(watch.readOnlyWithin(start, before + length), `${c.name} mutation ${n}`).toBe(true);
      }
    });
  });
}
