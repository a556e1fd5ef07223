/**
 * Classic libpcap capture files (pcap-savefile(5); draft-ietf-opsawg-pcap §4, §5): a 24-byte file
 * header, then per frame a 16-byte record header and the frame. Little-endian, microsecond timestamps,
 * link type 1 (Ethernet).
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { SimError } from './errors.js';

export const PCAP_MAGIC_MICROSECONDS = 0xa1b2c3d4;
export const PCAP_SNAPLEN = 65535;
export const LINKTYPE_ETHERNET = 1;

const FILE_HEADER_LENGTH = 24;
const RECORD_HEADER_LENGTH = 16;

export interface CapturedFrame {
  /** Microseconds since the Unix epoch. */
  ts: bigint | number;
  frame: Uint8Array;
}

/** File header: magic, version 2.4, thiszone 0, sigfigs 0, snaplen, link type. */
export function pcapFileHeader(): Buffer {
  const header = Buffer.alloc(FILE_HEADER_LENGTH);
  header.writeUInt32LE(PCAP_MAGIC_MICROSECONDS, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeInt32LE(0, 8);
  header.writeUInt32LE(0, 12);
  header.writeUInt32LE(PCAP_SNAPLEN, 16);
  header.writeUInt32LE(LINKTYPE_ETHERNET, 20);
  return header;
}

/** Record header and the (snaplen-truncated) frame: ts_sec, ts_usec, incl_len, orig_len. */
export function pcapRecord(frame: Uint8Array, tsMicros: bigint | number): Buffer {
  const ts = toMicros(tsMicros);
  const included = Math.min(frame.length, PCAP_SNAPLEN);
  const record = Buffer.alloc(RECORD_HEADER_LENGTH + included);
  record.writeUInt32LE(Number(ts / 1_000_000n), 0);
  record.writeUInt32LE(Number(ts % 1_000_000n), 4);
  record.writeUInt32LE(included, 8);
  record.writeUInt32LE(frame.length, 12);
  record.set(frame.subarray(0, included), RECORD_HEADER_LENGTH);
  return record;
}

/** A whole capture file in memory, for tests and small fixtures. */
export function pcapBytes(frames: Iterable<CapturedFrame>): Buffer {
  const parts = [pcapFileHeader()];
  for (const { ts, frame } of frames) parts.push(pcapRecord(frame, ts));
  return Buffer.concat(parts);
}

/** Streams frames into a capture file; call `close()` and await it before reading the file. */
export class PcapWriter {
  private readonly stream: WriteStream;
  private failure: Error | undefined;
  private closed = false;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path);
    this.stream.on('error', (error) => {
      this.failure ??= error;
    });
    this.stream.write(pcapFileHeader());
  }

  /** Queues one frame; returns false when the caller should wait for the stream to drain. */
  write(frame: Uint8Array, tsMicros: bigint | number): boolean {
    if (this.closed) throw new SimError('SIM_ERR_WRITER_CLOSED', this.path);
    if (this.failure) throw new SimError('SIM_ERR_WRITE', this.path, { cause: this.failure });
    return this.stream.write(pcapRecord(frame, tsMicros));
  }

  /** Resolves once the stream has drained (after `write` returned false). */
  drained(): Promise<void> {
    if (!this.stream.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve) => this.stream.once('drain', () => resolve()));
  }

  /** Flushes and closes the file; rejects if any write failed. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // 'close' follows both a clean finish and a failure, once the descriptor is released.
    await new Promise<void>((resolve) => {
      this.stream.once('close', () => resolve());
      this.stream.end();
    });
    if (this.failure) throw new SimError('SIM_ERR_WRITE', this.path, { cause: this.failure });
  }
}

function toMicros(ts: bigint | number): bigint {
  if (typeof ts === 'number' && !Number.isSafeInteger(ts)) throw new SimError('SIM_ERR_TIMESTAMP', String(ts));
  const micros = BigInt(ts);
  if (micros < 0n || micros / 1_000_000n > 0xffffffffn) throw new SimError('SIM_ERR_TIMESTAMP', String(ts));
  return micros;
}
