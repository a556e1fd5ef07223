/**
 * A single-producer, single-consumer ring of captured frames in a SharedArrayBuffer: the capture
 * thread writes, one shard worker reads, nothing is copied again or posted per packet. Records are
 * 8-byte aligned: `u32 recordLength, u32 caplen, f64 timestampMs`, then the frame's bytes. A record
 * that does not fit before the end of the data area leaves a wrap marker and starts at offset 0.
 * Positions are published with Atomics, so a reader never sees a half-written record.
 */
const HEADER = 16;
const WRAP = 0xffffffff;
/**
 * A block record holds a run of classic pcap records copied straight from a capture file (one copy
 * for thousands of frames); its second word carries this bit and the file's format, its third the
 * run's length in octets.
 */
const BLOCK = 0x80000000;
export const BLOCK_BIG_ENDIAN = 0x1;
export const BLOCK_NANOSECONDS = 0x2;
/** Control words (Int32): write position, read position, and the counters both sides keep. */
const W = 0;
const R = 1;
const DROPPED = 2;
const CONTROL_BYTES = 64;

export const ringDefaults = {
  /** 8 MiB holds over 5,000 full-size frames: about 70 ms of a saturated gigabit link. */
  bytes: 8 * 1024 * 1024,
};

export interface RingBuffers {
  control: SharedArrayBuffer;
  data: SharedArrayBuffer;
}

export function createRing(bytes = ringDefaults.bytes): RingBuffers {
  // At least room for a few full frames; a multiple of 8 so that every record stays aligned.
  const size = Math.max(256 * 1024, Math.ceil(bytes / 8) * 8);
  return { control: new SharedArrayBuffer(CONTROL_BYTES), data: new SharedArrayBuffer(size) };
}

const align8 = (n: number): number => (n + 7) & ~7;

/** Polls before sleeping: the other side usually moves within microseconds, and a futex wake costs more. */
const SPIN_CHECKS = 2000;

function spinUntilChanged(ctrl: Int32Array, index: number, value: number): boolean {
  for (let i = 0; i < SPIN_CHECKS; i++) if (Atomics.load(ctrl, index) !== value) return true;
  return false;
}

/** The typed views both ends of a ring read and write through. */
class RingViews {
  protected readonly ctrl: Int32Array;
  protected readonly bytes: Uint8Array;
  protected readonly u32: Uint32Array;
  protected readonly f64: Float64Array;
  protected readonly capacity: number;

  constructor(ring: RingBuffers) {
    this.ctrl = new Int32Array(ring.control);
    this.bytes = new Uint8Array(ring.data);
    this.u32 = new Uint32Array(ring.data);
    this.f64 = new Float64Array(ring.data);
    this.capacity = ring.data.byteLength;
  }
}

export class RingWriter extends RingViews {
  /** Written but not yet published. */
  private w: number;

  constructor(ring: RingBuffers) {
    super(ring);
    this.w = Atomics.load(this.ctrl, W);
  }

  /** Where a record of `need` octets can be written now, or -1 when the ring has no room for it. */
  private reserve(need: number): number {
    const r = Atomics.load(this.ctrl, R);
    let at = this.w;
    if (at >= r) {
      if (this.capacity - at < need) {
        // Not enough room before the end: wrap, if the start has room (one byte stays free so full ≠ empty).
        if (r - 1 < need) return -1;
        this.u32[at >> 2] = WRAP;
        at = 0;
      }
    } else if (r - at - 1 < need) {
      return -1;
    }
    return at;
  }

  /** The largest block `writeBlock` takes: a quarter of the ring, so that blocks keep flowing. */
  get maxBlock(): number {
    return Math.floor(this.capacity / 4) - HEADER;
  }

  /**
   * Copies a run of whole classic pcap records (`buf[start, end)`, in the file's own format given
   * by `flags`) in as one block; false when the ring has no room for it.
   */
  writeBlock(buf: Buffer, start: number, end: number, flags: number): boolean {
    const length = end - start;
    const need = HEADER + align8(length);
    const at = this.reserve(need);
    if (at < 0) return false;
    this.u32[at >> 2] = need;
    this.u32[(at >> 2) + 1] = (BLOCK | flags) >>> 0;
    this.f64[(at >> 3) + 1] = length;
    buf.copy(this.bytes, at + HEADER, start, end);
    this.w = at + need === this.capacity ? 0 : at + need;
    return true;
  }

  /** Copies the frame `buf[offset, offset + caplen)` in; false (nothing written) when the ring has no room. */
  write(buf: Uint8Array, offset: number, caplen: number, tsMs: number): boolean {
    const need = HEADER + align8(caplen);
    let at = this.reserve(need);
    if (at < 0) return false;
    this.u32[at >> 2] = need;
    this.u32[(at >> 2) + 1] = caplen;
    this.f64[(at >> 3) + 1] = tsMs;
    // Buffer#copy takes a range without making a view of it: no allocation per frame.
    if (Buffer.isBuffer(buf)) buf.copy(this.bytes, at + HEADER, offset, offset + caplen);
    else this.bytes.set(buf.subarray(offset, offset + caplen), at + HEADER);
    at += need;
    this.w = at === this.capacity ? 0 : at;
    return true;
  }

  /** Makes everything written so far visible to the reader and wakes it. */
  publish(): void {
    Atomics.store(this.ctrl, W, this.w);
    Atomics.notify(this.ctrl, W);
  }

  /** Counts frames that were dropped for want of room (live capture does not wait). */
  countDrop(n = 1): void {
    Atomics.add(this.ctrl, DROPPED, n);
  }

  /** Blocks this thread until the reader frees room or `timeoutMs` passes (file replay waits). */
  waitForRoom(timeoutMs: number): void {
    const r = Atomics.load(this.ctrl, R);
    if (spinUntilChanged(this.ctrl, R, r)) return;
    Atomics.wait(this.ctrl, R, r, timeoutMs);
  }
}

/** Receives one record: the ring's bytes, where the frame starts and ends, and when it was captured. */
export type RecordSink = (bytes: Uint8Array, start: number, end: number, tsMs: number) => void;

export class RingReader extends RingViews {
  /** Hands up to `max` published records to `sink`, then releases their room; returns how many. */
  drain(sink: RecordSink, max: number): number {
    const w = Atomics.load(this.ctrl, W);
    let r = Atomics.load(this.ctrl, R);
    let n = 0;
    while (r !== w && n < max) {
      let length = this.u32[r >> 2] ?? 0;
      if (length === WRAP) {
        r = 0;
        if (r === w) break;
        length = this.u32[0] ?? 0;
      }
      const caplen = this.u32[(r >> 2) + 1] ?? 0;
      const start = r + HEADER;
      if (caplen & BLOCK) n += this.drainBlock(sink, start, start + (this.f64[(r >> 3) + 1] ?? 0), caplen);
      else {
        sink(this.bytes, start, start + caplen, this.f64[(r >> 3) + 1] ?? 0);
        n += 1;
      }
      r += length;
      if (r === this.capacity) r = 0;
    }
    if (n > 0) {
      Atomics.store(this.ctrl, R, r);
      Atomics.notify(this.ctrl, R);
    }
    return n;
  }

  /** The frames of one block: classic pcap records, 16-octet headers (pcap-savefile(5)). */
  private drainBlock(sink: RecordSink, start: number, end: number, flags: number): number {
    const b = this.bytes;
    const big = (flags & BLOCK_BIG_ENDIAN) !== 0;
    const fraction = flags & BLOCK_NANOSECONDS ? 1e-6 : 1e-3;
    const u32 = big
      ? (at: number) => (((b[at] ?? 0) << 24) | ((b[at + 1] ?? 0) << 16) | ((b[at + 2] ?? 0) << 8) | (b[at + 3] ?? 0)) >>> 0
      : (at: number) => ((b[at] ?? 0) | ((b[at + 1] ?? 0) << 8) | ((b[at + 2] ?? 0) << 16) | ((b[at + 3] ?? 0) << 24)) >>> 0;
    let at = start;
    let n = 0;
    while (at + 16 <= end) {
      const caplen = u32(at + 8);
      const frame = at + 16;
      if (frame + caplen > end) break; // the writer sends whole records only
      sink(b, frame, frame + caplen, u32(at) * 1000 + u32(at + 4) * fraction);
      at = frame + caplen;
      n += 1;
    }
    return n;
  }

  /** True when nothing is waiting. */
  get empty(): boolean {
    return Atomics.load(this.ctrl, W) === Atomics.load(this.ctrl, R);
  }

  /** Blocks until the writer publishes more or `timeoutMs` passes. */
  waitForData(timeoutMs: number): void {
    const w = Atomics.load(this.ctrl, W);
    if (w !== Atomics.load(this.ctrl, R) || spinUntilChanged(this.ctrl, W, w)) return;
    Atomics.wait(this.ctrl, W, w, timeoutMs);
  }

  /** Frames the writer dropped for want of room. */
  get dropped(): number {
    return Atomics.load(this.ctrl, DROPPED);
  }
}
