/**
 * A seeded fuzz run of over a million packets through the whole edge core (dissect, accounting,
 * identity with its DHCP decoder): random bytes, and valid frames of the simulated hospital mutated
 * by flipped bytes, truncation and overwritten length fields. Nothing may throw; every malformed
 * frame must be counted.
 */
import { describe, expect, it } from 'vitest';
import { buildHospital } from '@wardsight/sim';
import { EdgeCore } from '../../src/core.js';
import { DeviceTable } from '../../src/state/device-table.js';

const PACKETS = 1_050_000;

describe('fuzzing the edge core', () => {
  it(`survives ${PACKETS.toLocaleString('en')} random and mutated packets`, () => {
    const seeds = buildHospital({ seed: 9, sessionsPerDevice: 4 }).floors.flatMap((f) => f.frames.map((x) => x.frame));
    let state = 0x2545f491;
    const next = (): number => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return state >>> 0;
    };
    const core = new EdgeCore(new DeviceTable({ maxDevices: 5000 }));
    const scratch = new Uint8Array(2048);
    for (let i = 0; i < PACKETS; i++) {
      let length: number;
      if (i % 3 === 0) {
        // Random bytes of a random length (headers are all in the first few hundred octets).
        length = next() % 320;
        for (let j = 0; j < length; j += 4) {
          const r = next();
          scratch[j] = r & 0xff;
          scratch[j + 1] = (r >>> 8) & 0xff;
          scratch[j + 2] = (r >>> 16) & 0xff;
          scratch[j + 3] = r >>> 24;
        }
      } else {
        // A real frame, mutated: some bytes flipped, maybe a length field overwritten, maybe cut.
        const seed = seeds[next() % seeds.length] ?? scratch;
        length = seed.length;
        scratch.set(seed.subarray(0, Math.min(seed.length, scratch.length)));
        const flips = 1 + (next() % 4);
        for (let f = 0; f < flips; f++) scratch[next() % length] = next() & 0xff;
        if (next() % 4 === 0) {
          // IPv4 total length, UDP length, DHCP option length: the usual liars.
          const at = [16, 17, 38, 39, 282, 283, 300][next() % 7] ?? 16;
          if (at < length) scratch[at] = next() & 0xff;
        }
        if (next() % 3 === 0) length = next() % (length + 1);
      }
      core.onRecord(scratch, 0, length, i);
    }
    const c = core.snapshot();
    expect(c.packets).toBe(PACKETS);
    expect(c.malformed).toBeGreaterThan(PACKETS / 4);
    expect(Object.values(c.weird).reduce((a, b) => a + b, 0)).toBe(c.malformed);
  });
});
