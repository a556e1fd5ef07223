/** The shared ring between the capture thread and a shard: order, integrity, wrap-around, full. */
import { describe, expect, it } from 'vitest';
import { macKey } from '../../src/fingerprints/identity.js';
import { RingReader, RingWriter, createRing } from '../../src/pool/ring.js';
import { shardOfKey, shardOfRange } from '../../src/pool/shard.js';

function frameOf(n: number, length: number): Uint8Array {
  const f = new Uint8Array(length);
  for (let i = 0; i < length; i++) f[i] = (n * 31 + i) & 0xff;
  return f;
}

describe('frame ring', () => {
  it('hands over frames in order, intact, with their timestamps, across many wrap-arounds', () => {
    const ring = createRing(256 * 1024);
    const writer = new RingWriter(ring);
    const reader = new RingReader(ring);
    let state = 7;
    const nextLength = () => 14 + ((state = (state * 1103515245 + 12345) >>> 0) % 1501);
    const sent: { length: number; ts: number }[] = [];
    const got: { length: number; ts: number; ok: boolean }[] = [];
    const sink = (bytes: Uint8Array, start: number, end: number, ts: number) => {
      const n = got.length;
      const expected = frameOf(n, end - start);
      let ok = true;
      for (let i = 0; i < end - start; i++) if (bytes[start + i] !== expected[i]) ok = false;
      got.push({ length: end - start, ts, ok });
    };
    for (let n = 0; n < 20_000; n++) {
      const length = nextLength();
      const frame = frameOf(n, length);
      while (!writer.write(frame, 0, length, n + 0.5)) {
        writer.publish();
        expect(reader.drain(sink, 64)).toBeGreaterThan(0);
      }
      sent.push({ length, ts: n + 0.5 });
      if (n % 97 === 0) writer.publish();
    }
    writer.publish();
    while (reader.drain(sink, 1000) > 0);
    expect(got.length).toBe(sent.length);
    expect(got.every((g) => g.ok)).toBe(true);
    expect(got.map((g) => [g.length, g.ts])).toEqual(sent.map((s) => [s.length, s.ts]));
    expect(reader.empty).toBe(true);
  });

  it('writes only what the caller captured, not the whole reused buffer', () => {
    const ring = createRing();
    const writer = new RingWriter(ring);
    const reader = new RingReader(ring);
    const shared = frameOf(1, 65_535);
    writer.write(shared, 0, 60, 1);
    writer.publish();
    let seen = -1;
    reader.drain((_b, start, end) => (seen = end - start), 10);
    expect(seen).toBe(60);
  });

  it('refuses a frame when full, and publishes nothing until told', () => {
    const ring = createRing(256 * 1024);
    const writer = new RingWriter(ring);
    const reader = new RingReader(ring);
    const frame = frameOf(0, 1500);
    let written = 0;
    while (writer.write(frame, 0, 1500, 0)) written += 1;
    expect(written).toBeGreaterThan(100);
    expect(written).toBeLessThan((256 * 1024) / 1500);
    expect(reader.empty).toBe(true);
    writer.publish();
    expect(reader.drain(() => undefined, 10)).toBe(10);
    expect(writer.write(frame, 0, 1500, 0)).toBe(true);
  });

  it('counts drops for the reader to see', () => {
    const ring = createRing();
    new RingWriter(ring).countDrop(3);
    expect(new RingReader(ring).dropped).toBe(3);
  });
});

describe('frame ring with several readers', () => {
  /** A frame whose source MAC ends in `low` (three octets), so that `shardOfRange` places it. */
  function frameFrom(low: number, n: number, length = 64): Uint8Array {
    const f = new Uint8Array(length);
    f[9] = (low >> 16) & 0xff;
    f[10] = (low >> 8) & 0xff;
    f[11] = low & 0xff;
    f[12] = n & 0xff;
    f[13] = (n >> 8) & 0xff;
    return f;
  }

  it('gives each reader exactly the frames of the MACs it owns, in order', () => {
    const ring = createRing(256 * 1024, 3);
    const writer = new RingWriter(ring);
    const readers = [0, 1, 2].map((i) => new RingReader(ring, i));
    const got: number[][] = [[], [], []];
    const sent: number[][] = [[], [], []];
    const drainAll = () => readers.forEach((r, i) => r.drain((b, start) => got[i]?.push((b[start + 12] ?? 0) | ((b[start + 13] ?? 0) << 8)), 500));
    for (let n = 0; n < 30_000; n++) {
      const low = (n * 7919) % 100_003;
      const frame = frameFrom(low, n & 0xffff, 60 + (n % 900));
      while (!writer.write(frame, 0, frame.length, n)) {
        writer.publish();
        drainAll();
      }
      sent[shardOfRange(frame, 0, frame.length, 3)]?.push(n & 0xffff);
    }
    writer.publish();
    drainAll();
    drainAll();
    expect(got).toEqual(sent);
    expect(sent.every((s) => s.length > 9000)).toBe(true);
    expect(readers.every((r) => r.empty)).toBe(true);
  });

  it('reuses room only once the slowest reader has passed it', () => {
    const ring = createRing(256 * 1024, 2);
    const writer = new RingWriter(ring);
    const fast = new RingReader(ring, 0);
    const slow = new RingReader(ring, 1);
    const frame = frameFrom(0, 0, 1500);
    let written = 0;
    for (;;) {
      if (!writer.write(frame, 0, 1500, 0)) break;
      written += 1;
      writer.publish();
      fast.drain(() => undefined, 1000);
    }
    // The fast reader has taken everything, the slow one nothing: the ring is still full.
    expect(fast.empty).toBe(true);
    expect(writer.write(frame, 0, 1500, 0)).toBe(false);
    expect(slow.drain(() => undefined, 10)).toBe(0); // every frame is reader 0's
    expect(writer.write(frame, 0, 1500, 0)).toBe(true);
    expect(written).toBeGreaterThan(100);
  });

  it('gives frames too short to carry a source MAC to reader 0, which counts them', () => {
    const ring = createRing(256 * 1024, 2);
    const writer = new RingWriter(ring);
    writer.write(Uint8Array.of(1, 2, 3), 0, 3, 0);
    writer.publish();
    expect(new RingReader(ring, 1).drain(() => undefined, 10)).toBe(0);
    expect(new RingReader(ring, 0).drain(() => undefined, 10)).toBe(1);
  });

  it('refuses a reader the ring was not made for', () => {
    expect(() => new RingReader(createRing(256 * 1024, 2), 2)).toThrow(RangeError);
  });

  it('places a device\'s frames and its stored key in the same shard', () => {
    for (let i = 0; i < 2000; i++) {
      const mac = (i * 2654435761) % 2 ** 32 + 0x0009fb * 2 ** 24 * (i % 2);
      const frame = new Uint8Array(60);
      for (let b = 0; b < 6; b++) frame[6 + b] = Math.floor(mac / 2 ** (8 * (5 - b))) & 0xff;
      for (const shards of [1, 2, 3, 7]) expect(shardOfRange(frame, 0, frame.length, shards)).toBe(shardOfKey(macKey(mac), shards));
    }
  });
});
