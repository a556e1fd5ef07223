/**
 * A byte buffer that notes which indices a decoder reads, to prove that a frame dissected inside a
 * larger buffer (a shared capture ring) reads nothing of its neighbours: every element read, and
 * every range taken with `subarray`, widens [lowest, highest].
 */

export interface ReadWatch {
  /** Pass this to the decoder in place of the buffer. */
  view: Uint8Array;
  /** Lowest and highest index read since the last `reset` (Infinity and -Infinity if none). */
  lowest: number;
  highest: number;
  reset(): void;
  /** True if every index read since the last `reset` lies in [start, end). */
  readOnlyWithin(start: number, end: number): boolean;
}

const INDEX = /^-?\d+$/;

export function watchReads(buf: Uint8Array): ReadWatch {
  const watch: ReadWatch = {
    view: buf,
    lowest: Infinity,
    highest: -Infinity,
    reset() {
      watch.lowest = Infinity;
      watch.highest = -Infinity;
    },
    readOnlyWithin(start, end) {
      return watch.lowest === Infinity || (watch.lowest >= start && watch.highest < end);
    },
  };
  const note = (first: number, last: number): void => {
    if (first < watch.lowest) watch.lowest = first;
    if (last > watch.highest) watch.highest = last;
  };
  watch.view = new Proxy(buf, {
    get(target, key) {
      if (typeof key === 'string' && INDEX.test(key)) {
        const at = Number(key);
        note(at, at);
        return target[at];
      }
      if (key === 'subarray') {
        return (begin = 0, end = target.length) => {
          if (end > begin) note(begin, end - 1);
          return target.subarray(begin, end);
        };
      }
      // Accessors such as `length` must run against the typed array itself, not the proxy.
      const value: unknown = Reflect.get(target, key);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return watch;
}

/** `length` seeded random octets. */
export function randomBytes(random: () => number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = random() * 256;
  return bytes;
}

/**
 * `frame` placed inside a buffer with 1–64 random octets before it and 1–64 after it, as in a ring of
 * frames packed back to back; `before` is where the frame starts.
 */
export function embed(random: () => number, frame: Uint8Array): { buf: Uint8Array; before: number } {
  const before = 1 + Math.floor(random() * 64);
  const after = 1 + Math.floor(random() * 64);
  const buf = randomBytes(random, before + frame.length + after);
  buf.set(frame, before);
  return { buf, before };
}
