/**
 * The capture thread: the one thread of the process that loads libpcap. It reads a live interface
 * or capture files into the one ring every shard reads (each shard takes the frames of the MACs it
 * owns). Replaying a file, it waits when the ring is full (nothing is lost, the file simply goes
 * slower); live, it cannot make the wire wait, so it drops and counts.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { readCaptureFile, readPcapInto } from '../capture/file-reader.js';
import { PcapCapture, type CaptureSpec } from '../capture/pcap-capture.js';
import { COUNTER_BYTES, COUNTER_CAPTURED, COUNTER_LIBPCAP_DROPPED, COUNTER_LIBPCAP_IFDROPPED, COUNTER_LIBPCAP_RECEIVED, ControlView, FLAG_ENDED, FLAG_STOP, type PoolControl } from './control.js';
import { RingWriter, type RingBuffers } from './ring.js';

export interface CaptureThreadData {
  spec: CaptureSpec;
  ring: RingBuffers;
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
  const writer = new RingWriter(data.ring);
  const live = data.spec.kind === 'live';
  const pause = new Int32Array(new SharedArrayBuffer(4));
  let unpublished = 0;
  let captured = 0;
  let bytes = 0;
  let first = -1;
  let startedAt = 0;

  const publishAll = (): void => {
    if (unpublished > 0) {
      writer.publish();
      unpublished = 0;
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
    captured += 1;
    bytes += caplen;
    while (!writer.write(frame, offset, caplen, tsMs)) {
      if (live) {
        writer.countDrop();
        return;
      }
      // Replay: let the shards catch up; a stop request ends the wait.
      writer.publish();
      unpublished = 0;
      if (control.isSet(FLAG_STOP)) return;
      writer.waitForRoom(50);
    }
    if (++unpublished >= PUBLISH_EVERY) {
      writer.publish();
      unpublished = 0;
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
        writer.publish();
        parentPort?.postMessage({ type: 'ended' });
        // A closed live session keeps its poll handle until the next packet: end the thread.
        process.exit(0);
      }
    }, 5);
    return;
  }

  /** Without pacing, a classic pcap file is read straight into the ring, thousands of records per read. */
  const target = writer.blockTarget(
    () => {
      if (control.isSet(FLAG_STOP)) return false;
      writer.waitForRoom(50);
      return true;
    },
    (frames, octets) => {
      captured += frames;
      bytes += octets;
      control.setCounter(COUNTER_CAPTURED, captured);
    },
  );

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
    } else if (data.replay !== 'fast' || readPcapInto(path, target) === null) {
      await readCaptureFile(path, sink);
    }
    publishAll();
  }
  publishAll();
  control.set(FLAG_ENDED);
  // Shards wait on the ring's write position: wake them to see the end now, not at their next timeout.
  writer.publish();
  parentPort?.postMessage({ type: 'ended', files: files.length });
}

run(workerData as CaptureThreadData).catch((err: unknown) => {
  const e = err as Error & { code?: string };
  parentPort?.postMessage({ type: 'error', message: e.message, code: e.code ?? null });
});
