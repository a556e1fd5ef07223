/**
 * Frames of one floor held until no later activity can put an earlier frame before them, then
 * written to the floor's capture in time order. Activities start in time order and never make a
 * frame before their start, so everything before the next activity's start is final.
 */
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { SimError } from '../errors.js';
import { pcapFileHeader, pcapRecord } from '../pcap-writer.js';

interface Queued {
  ts: number;
  /** Order of making: equal times keep it. */
  seq: number;
  frame: Uint8Array;
}

/** A binary min-heap on (ts, seq). */
class FrameHeap {
  private readonly items: Queued[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): Queued | undefined {
    return this.items[0];
  }

  push(item: Queued): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(item, items[parent] as Queued)) break;
      items[i] = items[parent] as Queued;
      i = parent;
    }
    items[i] = item;
  }

  pop(): Queued | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child = right < items.length && before(items[right] as Queued, items[left] as Queued) ? right : left;
      if (!before(items[child] as Queued, last)) break;
      items[i] = items[child] as Queued;
      i = child;
    }
    items[i] = last;
    return top;
  }
}

function before(a: Queued, b: Queued): boolean {
  return a.ts < b.ts || (a.ts === b.ts && a.seq < b.seq);
}

const partial = (path: string): string => `${path}.partial`;

/** Records gathered before each write: large writes keep a day's quarter-million frames cheap. */
const WRITE_CHUNK_BYTES = 1 << 20;

/**
 * One floor's capture file, fed through the heap: the pcap writer's file header and records
 * (pcap-writer.ts), gathered into large writes on a file handle whose every write is awaited, so
 * a failing disk rejects instead of leaving a write waiting for a drain that never comes. It is
 * written as `<path>.partial` and only takes its name once the whole day is written, so a failed
 * run never replaces an earlier good capture.
 */
export class FloorCapture {
  private readonly heap = new FrameHeap();
  private readonly pending: Buffer[] = [];
  private pendingBytes = 0;
  private seq = 0;
  /** Frames written so far. */
  written = 0;

  private constructor(
    readonly path: string,
    private readonly file: FileHandle,
  ) {}

  /** Creates `<path>.partial` and writes the file header. */
  static async open(path: string): Promise<FloorCapture> {
    let file: FileHandle | undefined;
    try {
      file = await open(partial(path), 'w');
      await file.write(pcapFileHeader());
      return new FloorCapture(path, file);
    } catch (cause) {
      await file?.close().catch(() => undefined);
      throw new SimError('SIM_ERR_WRITE', `${path}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    }
  }

  /** Gives the finished (closed) capture its name. */
  async commit(): Promise<void> {
    try {
      await rename(partial(this.path), this.path);
    } catch (cause) {
      throw new SimError('SIM_ERR_WRITE', `${this.path}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    }
  }

  /** Removes the unfinished file after a failure. */
  async discard(): Promise<void> {
    await this.file.close().catch(() => undefined);
    await rm(partial(this.path), { force: true });
  }

  push(ts: number, frame: Uint8Array): void {
    this.heap.push({ ts, seq: this.seq++, frame });
  }

  /** Writes every held frame earlier than `ts`. */
  async flushBefore(ts: number): Promise<void> {
    for (let top = this.heap.peek(); top !== undefined && top.ts < ts; top = this.heap.peek()) {
      this.heap.pop();
      const record = pcapRecord(top.frame, top.ts);
      this.pending.push(record);
      this.pendingBytes += record.length;
      this.written += 1;
      if (this.pendingBytes >= WRITE_CHUNK_BYTES) await this.writePending();
    }
  }

  /** Writes what is left and closes the file; the file is closed even when the last write fails. */
  async close(): Promise<void> {
    try {
      await this.flushBefore(Number.POSITIVE_INFINITY);
      await this.writePending();
    } finally {
      await this.file.close();
    }
  }

  get held(): number {
    return this.heap.size;
  }

  private async writePending(): Promise<void> {
    if (this.pending.length === 0) return;
    const chunk = Buffer.concat(this.pending, this.pendingBytes);
    this.pending.length = 0;
    this.pendingBytes = 0;
    try {
      await this.file.write(chunk);
    } catch (cause) {
      throw new SimError('SIM_ERR_WRITE', `${this.path}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    }
  }
}
