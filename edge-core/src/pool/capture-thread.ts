/**
 * The capture thread: the one thread of the process that loads libpcap. It reads a live interface
 * or capture files and deals each frame into its shard's ring by source MAC. Replaying a file, it
 * waits when a ring is full (nothing is lost, the file simply goes slower); live, it cannot make
 * the wire wait, so it drops and counts.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { readCaptureFile, readPcapBlocks } from '../capture/file-reader.js';
import { PcapCapture, type CaptureSpec } from '../capture/pcap-capture.js';
import { COUNTER_BYTES, COUNTER_CAPTURED, COUNTER_LIBPCAP_DROPPED, COUNTER_LIBPCAP_IFDROPPED, COUNTER_LIBPCAP_RECEIVED, ControlView, FLAG_ENDED, FLAG_STOP, type PoolControl } from './control.js';
import { BLOCK_BIG_ENDIAN, BLOCK_NANOSECONDS, RingWriter, type RingBuffers } from './ring.js';
import { shardOfFrame } from './shard.js';

export interface CaptureThreadData {
  spec: CaptureSpec;
  rings: RingBuffers[];
  control: PoolControl;
  /** `fast`: as fast as the shards take it; `recorded`: at the pace of the capture's timestamps. */
  replay: 'fast' | 'recorded';
}

/** Frames between two publications of a ring's write position. */
const PUBLISH_EVERY = 128;

const CAPTURE_SUFFIXES = ['.pcap', '.pcapng', '.cap'];

/** The files a file capture reads: the file itself, or a folder's capture files in name order. */
async function filesOf(path: string): Promise<string[]> {
  if (!(await stat(path)).isDirectory()) return [path];
  const names = (await readdir(path)).filter((n) => CAPTURE_SUFFIXES.some((s) => n.toLowerCase().endsWith(s))).sort();
  return names.map((n) => join(path, n));
}

async function run(data: CaptureThreadData): Promise<void> {
  const control = new ControlView(data.control);
  const writers = data.rings.map((r) => new RingWriter(r));
  const shards = writers.length;
  const live = data.spec.kind === 'live';
  const unpublished = new Int32Array(shards);
  const pause = new Int32Array(new SharedArrayBuffer(4));
  let captured = 0;
  let bytes = 0;
  let first = -1;
  let startedAt = 0;

  const publishAll = (): void => {
    for (let i = 0; i < shards; i++) {
      if (unpublished[i] === 0) continue;
      writers[i]?.publish();
      unpublished[i] = 0;
    }
    control.setCounter(COUNTER_CAPTURED, captured);
    control.setCounter(COUNTER_BYTES, bytes);
  };

  const sink = (frame: Buffer, offset: number, caplen: number, tsMs: number): void => {
    if (data.replay === 'recorded') {
      if (first < 0) {
        first = tsMs;
        startedAt = performance.now();
      }
      const wait = tsMs - first - (performance.now() - startedAt);
      if (wait > 1) {
        publishAll();
        Atomics.wait(pause, 0, 0, wait);
      }
    }
    const shard = shardOfFrame(frame, offset, shards);
    const writer = writers[shard];
    if (!writer) return;
    captured += 1;
    bytes += caplen;
    while (!writer.write(frame, offset, caplen, tsMs)) {
      if (live) {
        writer.countDrop();
        return;
      }
      // Replay: let the shard catch up; a stop request ends the wait.
      writer.publish();
      unpublished[shard] = 0;
      if (control.isSet(FLAG_STOP)) return;
      writer.waitForRoom(50);
    }
    if ((unpublished[shard] = (unpublished[shard] ?? 0) + 1) >= PUBLISH_EVERY) {
      writer.publish();
      unpublished[shard] = 0;
      control.setCounter(COUNTER_CAPTURED, captured);
    }
  };

  if (data.spec.kind === 'live') {
    const capture = new PcapCapture(data.spec);
    capture.start((frame, caplen, tsMs) => sink(frame, 0, caplen, tsMs));
    parentPort?.postMessage({ type: 'started', warnings: capture.warnings });
    // Live frames come in bursts per poll; publish what is pending a few hundred times a second.
    const timer = setInterval(() => {
      publishAll();
      const c = capture.counters();
      control.setCounter(COUNTER_LIBPCAP_RECEIVED, c.received);
      control.setCounter(COUNTER_LIBPCAP_DROPPED, c.dropped);
      control.setCounter(COUNTER_LIBPCAP_IFDROPPED, c.ifDropped);
      if (control.isSet(FLAG_STOP)) {
        clearInterval(timer);
        capture.close();
        publishAll();
        control.set(FLAG_ENDED);
        parentPort?.postMessage({ type: 'ended' });
        // A closed live session keeps its poll handle until the next packet: end the thread.
        process.exit(0);
      }
    }, 5);
    return;
  }

  /**
   * With one shard and no pacing, a classic pcap file goes to the ring in runs of whole records:
   * one copy per run rather than per frame. False when the file is not classic pcap.
   */
  const readBlocks = async (path: string): Promise<boolean> => {
    const writer = writers[0];
    if (shards !== 1 || data.replay !== 'fast' || !writer) return false;
    const read = await readPcapBlocks(
      path,
      (buf, start, end, frames, octets, format) => {
        const flags = (format.little ? 0 : BLOCK_BIG_ENDIAN) | (format.nano ? BLOCK_NANOSECONDS : 0);
        while (!writer.writeBlock(buf, start, end, flags)) {
          writer.publish();
          if (control.isSet(FLAG_STOP)) return;
          writer.waitForRoom(50);
        }
        writer.publish();
        captured += frames;
        bytes += octets;
        control.setCounter(COUNTER_CAPTURED, captured);
      },
      writer.maxBlock,
    );
    return read !== null;
  };

  const spec = data.spec;
  const files = await filesOf(spec.path);
  parentPort?.postMessage({ type: 'started', warnings: [] });
  for (const path of files) {
    if (control.isSet(FLAG_STOP)) break;
    if (spec.filter) {
      // A BPF filter needs libpcap; without one the file is read directly, which is several times faster.
      const capture = new PcapCapture({ kind: 'file', path, filter: spec.filter });
      capture.start((frame, caplen, tsMs) => sink(frame, 0, caplen, tsMs));
      await capture.ended;
    } else if (!(await readBlocks(path))) {
      await readCaptureFile(path, sink);
    }
    publishAll();
  }
  publishAll();
  control.set(FLAG_ENDED);
  parentPort?.postMessage({ type: 'ended', files: files.length });
}

run(workerData as CaptureThreadData).catch((err: unknown) => {
  const e = err as Error & { code?: string };
  parentPort?.postMessage({ type: 'error', message: e.message, code: e.code ?? null });
});
