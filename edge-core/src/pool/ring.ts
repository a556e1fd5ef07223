/**
 * A single-producer ring of captured frames in a SharedArrayBuffer, read by every shard worker:
 * the capture thread writes each frame once, each shard keeps its own read position and takes the
 * frames whose source MAC it owns (`shardOfRange`), skipping the rest. Nothing is copied again or
 * posted per packet, and the capture thread does no per-frame dealing.
 *
 * Records are 8-byte aligned: `u32 recordLength, u32 caplen, f64 timestampMs`, then the frame's
 * bytes. A record that does not fit before the end of the data area leaves a wrap marker and starts
 * at offset 0. Positions are published with Atomics, so a reader never sees a half-written record;
 * the writer reuses room only once every reader has passed it.
 */
import type { BlockTarget } from '../capture/file-reader.js';
import { shardOfRange } from './shard.js';

const HEADER = 16;
const WRAP = 0xffffffff;
/**
 * A block record holds a run of classic pcap records exactly as the capture file has them (read
 * straight into the ring, thousands of frames per read); its second word carries this bit and the
 * file's format, its third the run's length in octets.
 */
const BLOCK = 0x80000000;
export const BLOCK_BIG_ENDIAN = 0x1;
export const BLOCK_NANOSECONDS = 0x2;
/** Control words (Int32): write position, frames dropped for want of room, then one read position per reader. */
const W = 0;
const DROPPED = 1;
const R0 = 2;
/** Readers a ring can have (the pool's shard limit). */
export const MAX_READERS = 64;

export const ringDefaults = {
  /** 8 MiB holds over 5,000 full-size frames: about 70 ms of a saturated gigabit link. */
  bytes: 8 * 1024 * 1024,
};

export interface RingBuffers {
  control: SharedArrayBuffer;
  data: SharedArrayBuffer;
  /** How many readers (shards) take from the ring. */
  readers: number;
}

export function createRing(bytes = ringDefaults.bytes, readers = 1): RingBuffers {
  const n = Math.min(MAX_READERS, Math.max(1, Math.floor(readers)));
  // At least room for a few full frames; a multiple of 8 so that every record stays aligned.
  const size = Math.max(256 * 1024, Math.ceil(bytes / 8) * 8);
  return { control: new SharedArrayBuffer((R0 + n) * 4), data: new SharedArrayBuffer(size), readers: n };
}

/** Wakes every reader waiting for data (to see a flag the pool has set). */
export function wakeReaders(ring: RingBuffers): void {
  Atomics.notify(new Int32Array(ring.control), W);
}

/** Frames dropped for want of room, as the writer counted them. */
export function ringDrops(ring: RingBuffers): number {
  return Atomics.load(new Int32Array(ring.control), DROPPED);
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
  /** The ring's data area; a block may be read into it directly (`claimBlock`). */
  readonly bytes: Uint8Array;
  protected readonly u32: Uint32Array;
  protected readonly f64: Float64Array;
  protected readonly capacity: number;
  protected readonly readers: number;

  constructor(ring: RingBuffers) {
    this.ctrl = new Int32Array(ring.control);
    this.bytes = new Uint8Array(ring.data);
    this.u32 = new Uint32Array(ring.data);
    this.f64 = new Float64Array(ring.data);
    this.capacity = ring.data.byteLength;
    this.readers = ring.readers;
  }
}

export class RingWriter extends RingViews {
  /** Written but not yet published. */
  private w: number;
  /** Where the block being filled starts (`claimBlock`), or -1. */
  private claimed = -1;

  constructor(ring: RingBuffers) {
    super(ring);
    this.w = Atomics.load(this.ctrl, W);
  }

  /** The control index of the reader furthest behind: the one whose position bounds the room. */
  private laggard(): number {
    let worst = -1;
    let index = R0;
    for (let i = R0; i < R0 + this.readers; i++) {
      const r = Atomics.load(this.ctrl, i);
      const used = r <= this.w ? this.w - r : this.capacity - r + this.w;
      if (used > worst) {
        worst = used;
        index = i;
      }
    }
    return index;
  }

  /** Where a record of `need` octets can be written now, or -1 when the ring has no room for it. */
  private reserve(need: number): number {
    const r = Atomics.load(this.ctrl, this.laggard());
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

  /** The largest block a ring takes: a quarter of it, so that blocks keep flowing. */
  get maxBlock(): number {
    return Math.floor(this.capacity / 4) - HEADER;
  }

  /**
   * Room for a block of up to `length` octets (at most `maxBlock`): returns the offset in `bytes`
   * to fill (a file can be read straight into it), or -1 when the ring has no room yet. The block
   * is written once `commitBlock` says how much of it holds whole records.
   */
  claimBlock(length: number): number {
    const at = this.reserve(HEADER + align8(Math.min(length, this.maxBlock)));
    this.claimed = at;
    return at < 0 ? -1 : at + HEADER;
  }

  /** Ends the claimed block: its first `length` octets are whole classic pcap records in the format `flags` gives. */
  commitBlock(length: number, flags: number): void {
    const at = this.claimed;
    if (at < 0) throw new Error('commitBlock without a claimed block');
    this.claimed = -1;
    if (length <= 0) return;
    const need = HEADER + align8(length);
    this.u32[at >> 2] = need;
    this.u32[(at >> 2) + 1] = (BLOCK | flags) >>> 0;
    this.f64[(at >> 3) + 1] = length;
    this.w = at + need === this.capacity ? 0 : at + need;
  }

  /**
   * The ring as the target `readPcapInto` reads a file into: while the ring has no room, `wait`
   * is called (it returns false to stop reading); each block is published as soon as it is
   * committed, and `committed` hears how many frames and octets it held.
   */
  blockTarget(wait: () => boolean, committed: (frames: number, octets: number) => void = () => undefined): BlockTarget {
    return {
      bytes: this.bytes,
      maxBlock: this.maxBlock,
      claim: (length) => {
        for (;;) {
          const at = this.claimBlock(length);
          if (at >= 0) return at;
          this.publish();
          if (!wait()) return -1;
        }
      },
      commit: (length, frames, octets, format) => {
        this.commitBlock(length, (format.little ? 0 : BLOCK_BIG_ENDIAN) | (format.nano ? BLOCK_NANOSECONDS : 0));
        this.publish();
        committed(frames, octets);
      },
    };
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

  /** Makes everything written so far visible to the readers and wakes them. */
  publish(): void {
    Atomics.store(this.ctrl, W, this.w);
    Atomics.notify(this.ctrl, W);
  }

  /** Counts frames that were dropped for want of room (live capture does not wait). */
  countDrop(n = 1): void {
    Atomics.add(this.ctrl, DROPPED, n);
  }

  /** Blocks this thread until the slowest reader frees room or `timeoutMs` passes (file replay waits). */
  waitForRoom(timeoutMs: number): void {
    const index = this.laggard();
    const r = Atomics.load(this.ctrl, index);
    if (spinUntilChanged(this.ctrl, index, r)) return;
    Atomics.wait(this.ctrl, index, r, timeoutMs);
  }
}

/** Receives one record: the ring's bytes, where the frame starts and ends, and when it was captured. */
export type RecordSink = (bytes: Uint8Array, start: number, end: number, tsMs: number) => void;

export class RingReader extends RingViews {
  private readonly at: number;

  /** Reader `index` of the ring: it takes the frames `shardOfRange` gives it. */
  constructor(
    ring: RingBuffers,
    private readonly index = 0,
  ) {
    super(ring);
    if (index < 0 || index >= ring.readers) throw new RangeError(`reader ${index} of a ring with ${ring.readers}`);
    this.at = R0 + index;
  }

  /**
   * Hands this reader's frames among the next `max` published records to `sink`, then releases
   * their room; returns how many frames it handed on.
   */
  drain(sink: RecordSink, max: number): number {
    const w = Atomics.load(this.ctrl, W);
    let r = Atomics.load(this.ctrl, this.at);
    let records = 0;
    let n = 0;
    while (r !== w && records < max) {
      let length = this.u32[r >> 2] ?? 0;
      if (length === WRAP) {
        r = 0;
        if (r === w) break;
        length = this.u32[0] ?? 0;
      }
      const caplen = this.u32[(r >> 2) + 1] ?? 0;
      const start = r + HEADER;
      const block = (caplen & BLOCK) !== 0;
      if (block) n += this.drainBlock(sink, start, start + (this.f64[(r >> 3) + 1] ?? 0), caplen);
      else if (this.readers === 1 || shardOfRange(this.bytes, start, start + caplen, this.readers) === this.index) {
        sink(this.bytes, start, start + caplen, this.f64[(r >> 3) + 1] ?? 0);
        n += 1;
      }
      records += 1;
      r += length;
      if (r === this.capacity) r = 0;
      // A block is thousands of frames: its room goes back to the writer at once, so that the next
      // read fills it while this reader works on the following block.
      if (block) this.release(r);
    }
    if (records > 0) this.release(r);
    return n;
  }

  private release(r: number): void {
    Atomics.store(this.ctrl, this.at, r);
    Atomics.notify(this.ctrl, this.at);
  }

  /** This reader's frames of one block: classic pcap records, 16-octet headers (pcap-savefile(5)). */
  private drainBlock(sink: RecordSink, start: number, end: number, flags: number): number {
    const b = this.bytes;
    const big = (flags & BLOCK_BIG_ENDIAN) !== 0;
    const fraction = flags & BLOCK_NANOSECONDS ? 1e-6 : 1e-3;
    const readers = this.readers;
    const me = this.index;
    let at = start;
    let n = 0;
    while (at + 16 <= end) {
      const caplen = big ? be32(b, at + 8) : le32(b, at + 8);
      const frame = at + 16;
      const next = frame + caplen;
      if (next > end) break; // the writer sends whole records only
      if (readers === 1 || shardOfRange(b, frame, next, readers) === me) {
        const seconds = big ? be32(b, at) : le32(b, at);
        const fractionUnits = big ? be32(b, at + 4) : le32(b, at + 4);
        sink(b, frame, next, seconds * 1000 + fractionUnits * fraction);
        n += 1;
      }
      at = next;
    }
    return n;
  }

  /** True when nothing is waiting for this reader. */
  get empty(): boolean {
    return Atomics.load(this.ctrl, W) === Atomics.load(this.ctrl, this.at);
  }

  /** Blocks until the writer publishes more or `timeoutMs` passes. */
  waitForData(timeoutMs: number): void {
    const w = Atomics.load(this.ctrl, W);
    if (w !== Atomics.load(this.ctrl, this.at) || spinUntilChanged(this.ctrl, W, w)) return;
    Atomics.wait(this.ctrl, W, w, timeoutMs);
  }

  /** Frames the writer dropped for want of room. */
  get dropped(): number {
    return Atomics.load(this.ctrl, DROPPED);
  }
}

function le32(b: Uint8Array, at: number): number {
  return ((b[at] ?? 0) | ((b[at + 1] ?? 0) << 8) | ((b[at + 2] ?? 0) << 16) | ((b[at + 3] ?? 0) << 24)) >>> 0;
}

function be32(b: Uint8Array, at: number): number {
  return (((b[at] ?? 0) << 24) | ((b[at + 1] ?? 0) << 16) | ((b[at + 2] ?? 0) << 8) | (b[at + 3] ?? 0)) >>> 0;
}
