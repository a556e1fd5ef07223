/**
 * Reads pcap and pcapng capture files straight into the pipeline, without libpcap: large reads,
 * record headers parsed in place, each frame handed on as a range of the read buffer. Classic pcap
 * in either byte order with microsecond or nanosecond timestamps (pcap-savefile(5)); pcapng section
 * header, interface description (with if_tsresol), enhanced and simple packet blocks
 * (draft-ietf-opsawg-pcapng). The sensor's pipeline reads Ethernet only and refuses anything else;
 * offline tools may accept other link types (`ReadOptions.linkTypes`), each frame then carrying its own.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { EdgeError } from '../errors.js';

/** Receives one frame: `buf[offset, offset + caplen)`, captured at `tsMs`. Copy what you keep. */
export type RangeSink = (buf: Buffer, offset: number, caplen: number, tsMs: number, linkType: number) => void;

export interface ReadOptions {
  /** Link types accepted (tcpdump.org LINKTYPE_* numbers); a file of any other is refused. Default: Ethernet. */
  linkTypes: readonly number[];
}

const LINKTYPE_ETHERNET = 1;
const ETHERNET_ONLY: ReadOptions = { linkTypes: [LINKTYPE_ETHERNET] };

function checkLinkType(path: string, linkType: number, options: ReadOptions): void {
  if (options.linkTypes.includes(linkType)) return;
  const wanted = options.linkTypes.length === 1 && options.linkTypes[0] === LINKTYPE_ETHERNET ? 'Ethernet captures are supported' : `supported: ${options.linkTypes.join(', ')}`;
  throw new EdgeError('EDGE_ERR_CAPTURE_LINKTYPE', `${path}: link type ${linkType}; ${wanted}`);
}
const CHUNK = 4 * 1024 * 1024;
/** Larger records than this are corrupt (pcapng blocks are bounded by what readers accept). */
const MAX_RECORD = 16 * 1024 * 1024;

const PCAP_MICRO = 0xa1b2c3d4;
const PCAP_NANO = 0xa1b23c4d;
const PCAPNG_SHB = 0x0a0d0d0a;
const PCAPNG_BYTE_ORDER = 0x1a2b3c4d;
const BLOCK_IDB = 1;
const BLOCK_SPB = 3;
const BLOCK_EPB = 6;

/** A growing window over the file: what has been read and not yet consumed. */
class Window {
  buf = Buffer.allocUnsafe(CHUNK);
  start = 0;
  end = 0;
  eof = false;
  position = 0;
  constructor(private readonly handle: Awaited<ReturnType<typeof open>>) {}

  get available(): number {
    return this.end - this.start;
  }

  /** Makes at least `n` bytes available unless the file ends first; false at end of file. */
  async need(n: number): Promise<boolean> {
    while (this.available < n && !this.eof) {
      if (this.start > 0) {
        this.buf.copy(this.buf, 0, this.start, this.end);
        this.end -= this.start;
        this.start = 0;
      }
      if (this.buf.length - this.end < n) {
        const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, n + CHUNK));
        this.buf.copy(bigger, 0, 0, this.end);
        this.buf = bigger;
      }
      const { bytesRead } = await this.handle.read(this.buf, this.end, this.buf.length - this.end, this.position);
      if (bytesRead === 0) this.eof = true;
      this.end += bytesRead;
      this.position += bytesRead;
    }
    return this.available >= n;
  }
}

function truncated(path: string, what: string): EdgeError {
  return new EdgeError('EDGE_ERR_CAPTURE_FILE', `${path}: ${what}`);
}

/**
 * Opens a capture file and hands `read` a window on it with at least its first four octets (the
 * format's magic number) in place; closes the file whatever happens.
 */
async function withCaptureFile<T>(path: string, read: (w: Window, pcapng: boolean) => Promise<T>): Promise<T> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    throw new EdgeError('EDGE_ERR_CAPTURE_OPEN', `${path}: ${(err as Error).message}`, { cause: err });
  }
  try {
    const w = new Window(handle);
    if (!(await w.need(4))) throw truncated(path, 'empty file');
    return await read(w, w.buf.readUInt32LE(w.start) === PCAPNG_SHB);
  } finally {
    await handle.close();
  }
}

/** Reads the whole file into `sink`; resolves with the number of frames. */
export function readCaptureFile(path: string, sink: RangeSink, options: ReadOptions = ETHERNET_ONLY): Promise<number> {
  return withCaptureFile(path, (w, pcapng) => (pcapng ? readPcapng(path, w, sink, options) : readPcap(path, w, sink, options)));
}

interface PcapFormat {
  little: boolean;
  nano: boolean;
  linkType: number;
  u32: (at: number) => number;
}

/** Checks the classic pcap file header (24 octets at `buf[at]`) and says the file's format. */
function parsePcapHeader(path: string, buf: Buffer, at: number, options: ReadOptions = ETHERNET_ONLY): PcapFormat {
  const le = buf.readUInt32LE(at);
  const be = buf.readUInt32BE(at);
  const little = le === PCAP_MICRO || le === PCAP_NANO;
  if (!little && be !== PCAP_MICRO && be !== PCAP_NANO) throw new EdgeError('EDGE_ERR_CAPTURE_FILE', `${path}: not a pcap or pcapng file`);
  const nano = (little ? le : be) === PCAP_NANO;
  const u32 = little ? (o: number) => buf.readUInt32LE(o) : (o: number) => buf.readUInt32BE(o);
  const linkType = u32(at + 20) & 0x0fffffff; // pcap-savefile(5): upper bits are FCS flags
  checkLinkType(path, linkType, options);
  return { little, nano, linkType, u32 };
}

/** Reads and checks the classic pcap file header (24 octets). */
async function pcapHeader(path: string, w: Window, options: ReadOptions): Promise<PcapFormat> {
  if (!(await w.need(24))) throw truncated(path, 'pcap header cut short');
  const format = parsePcapHeader(path, w.buf, w.start, options);
  const { little, nano, linkType } = format;
  // The window's buffer can be replaced as it grows: read through it, not through a captured one.
  const u32 = little ? (at: number) => w.buf.readUInt32LE(at) : (at: number) => w.buf.readUInt32BE(at);
  w.start += 24;
  return { little, nano, linkType, u32 };
}

/**
 * Where `readPcapInto` puts what it reads: room claimed for up to `length` octets in `bytes` (the
 * call may wait for room; -1 means stop reading), then committed as `length` octets of whole records.
 */
export interface BlockTarget {
  readonly bytes: Uint8Array;
  readonly maxBlock: number;
  claim(length: number): number;
  commit(length: number, frames: number, octets: number, format: { little: boolean; nano: boolean }): void;
}

/**
 * Reads a classic pcap file straight into `target` (a capture ring): each read lands where the
 * records will be parsed, and only the whole records of a read are committed; a record cut by the
 * end of a read is read again at the start of the next. No copy in user space at all. Synchronous
 * (for the capture thread, which has nothing else to do). Returns the number of frames, or null,
 * reading nothing, when the file is not classic pcap (pcapng).
 */
export function readPcapInto(path: string, target: BlockTarget): number | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new EdgeError('EDGE_ERR_CAPTURE_OPEN', `${path}: ${(err as Error).message}`, { cause: err });
  }
  try {
    const header = Buffer.alloc(24);
    const got = readSync(fd, header, 0, 24, 0);
    if (got === 0) throw truncated(path, 'empty file');
    if (got >= 4 && header.readUInt32LE(0) === PCAPNG_SHB) return null;
    if (got < 24) throw truncated(path, 'pcap header cut short');
    const { little, nano } = parsePcapHeader(path, header, 0);
    const format = { little, nano };
    const b = target.bytes;
    const u32 = little
      ? (at: number) => ((b[at] ?? 0) | ((b[at + 1] ?? 0) << 8) | ((b[at + 2] ?? 0) << 16) | ((b[at + 3] ?? 0) << 24)) >>> 0
      : (at: number) => (((b[at] ?? 0) << 24) | ((b[at + 1] ?? 0) << 16) | ((b[at + 2] ?? 0) << 8) | (b[at + 3] ?? 0)) >>> 0;
    let position = 24;
    let frames = 0;
    for (;;) {
      const start = target.claim(target.maxBlock);
      if (start < 0) return frames;
      const read = readSync(fd, b, start, target.maxBlock, position);
      const end = start + read;
      let at = start;
      let count = 0;
      let octets = 0;
      while (end - at >= 16) {
        const caplen = u32(at + 8);
        if (caplen > MAX_RECORD) throw truncated(path, `record ${frames + count + 1} claims ${caplen} bytes`);
        if (end - at - 16 < caplen) break;
        at += 16 + caplen;
        count += 1;
        octets += caplen;
      }
      target.commit(at - start, count, octets, format);
      frames += count;
      position += at - start;
      if (count > 0) continue;
      // Not one whole record in a full-sized read: the file ends inside it, or it is too big to take.
      if (read === 0) return frames;
      if (read < 16) throw truncated(path, `${read} bytes after the last whole record`);
      if (read === target.maxBlock) throw truncated(path, `record ${frames + 1} of ${u32(start + 8)} bytes is larger than the capture ring takes`);
      throw truncated(path, `record ${frames + 1} cut short`);
    }
  } finally {
    closeSync(fd);
  }
}

async function readPcap(path: string, w: Window, sink: RangeSink, options: ReadOptions): Promise<number> {
  const { nano, linkType, u32 } = await pcapHeader(path, w, options);
  const fraction = nano ? 1e-6 : 1e-3;
  let frames = 0;
  for (;;) {
    // Every whole record already read goes out without an await; only a record cut by the end of
    // the window waits for the next read.
    const end = w.end;
    let at = w.start;
    while (end - at >= 16) {
      const caplen = u32(at + 8);
      if (caplen > MAX_RECORD) throw truncated(path, `record ${frames + 1} claims ${caplen} bytes`);
      if (end - at - 16 < caplen) break;
      sink(w.buf, at + 16, caplen, u32(at) * 1000 + u32(at + 4) * fraction, linkType);
      at += 16 + caplen;
      frames += 1;
    }
    w.start = at;
    const want = w.available >= 16 ? 16 + u32(w.start + 8) : 16;
    if (await w.need(want)) continue;
    if (w.available === 0) return frames;
    if (w.available < 16) throw truncated(path, `${w.available} bytes after the last whole record`);
    throw truncated(path, `record ${frames + 1} cut short`);
  }
}

interface Interface {
  linkType: number;
  snapLength: number;
  /** Milliseconds per timestamp unit. */
  msPerUnit: number;
}

async function readPcapng(path: string, w: Window, sink: RangeSink, options: ReadOptions): Promise<number> {
  let little = true;
  let interfaces: Interface[] = [];
  let frames = 0;
  const u32 = (at: number) => (little ? w.buf.readUInt32LE(at) : w.buf.readUInt32BE(at));
  const u16 = (at: number) => (little ? w.buf.readUInt16LE(at) : w.buf.readUInt16BE(at));
  for (;;) {
    if (!(await w.need(12))) break;
    let at = w.start;
    const raw = w.buf.readUInt32LE(at);
    if (raw === PCAPNG_SHB) {
      const order = w.buf.readUInt32LE(at + 8);
      if (order === PCAPNG_BYTE_ORDER) little = true;
      else if (w.buf.readUInt32BE(at + 8) === PCAPNG_BYTE_ORDER) little = false;
      else throw truncated(path, 'bad pcapng byte-order magic');
      interfaces = [];
    }
    // The section header's type reads the same in both byte orders; every other block's does not.
    const type = raw === PCAPNG_SHB ? raw : u32(at);
    const length = u32(at + 4);
    if (length < 12 || length % 4 !== 0 || length > MAX_RECORD) throw truncated(path, `bad pcapng block length ${length}`);
    if (!(await w.need(length))) throw truncated(path, `block of ${length} bytes cut short`);
    at = w.start; // reading more may have moved the window
    const body = at + 8;
    if (type === BLOCK_IDB) {
      interfaces.push({ linkType: u16(body), snapLength: u32(body + 4), msPerUnit: tsResolution(w.buf, body + 8, at + length - 4, u16) });
    } else if (type === BLOCK_EPB) {
      const iface = interfaces[u32(body)];
      if (!iface) throw truncated(path, `packet for undeclared interface ${u32(body)}`);
      checkLinkType(path, iface.linkType, options);
      const units = u32(body + 4) * 2 ** 32 + u32(body + 8);
      const caplen = u32(body + 12);
      if (20 + caplen > length - 12) throw truncated(path, `packet larger than its block`);
      sink(w.buf, body + 20, caplen, units * iface.msPerUnit, iface.linkType);
      frames += 1;
    } else if (type === BLOCK_SPB) {
      const iface = interfaces[0];
      if (!iface) throw truncated(path, 'simple packet before any interface');
      checkLinkType(path, iface.linkType, options);
      const original = u32(body);
      const caplen = Math.min(original, iface.snapLength || original, length - 16);
      // A simple packet block carries no timestamp.
      sink(w.buf, body + 4, caplen, 0, iface.linkType);
      frames += 1;
    }
    w.start += length;
  }
  return frames;
}

/** if_tsresol (option 9): a power of ten, or of two when the high bit is set; microseconds if absent. */
function tsResolution(buf: Buffer, at: number, end: number, u16: (at: number) => number): number {
  while (at + 4 <= end) {
    const code = u16(at);
    const length = u16(at + 2);
    if (code === 0) break;
    if (code === 9 && length >= 1) {
      const v = buf[at + 4] ?? 6;
      const unitsPerSecond = v & 0x80 ? 2 ** (v & 0x7f) : 10 ** v;
      return 1000 / unitsPerSecond;
    }
    at += 4 + ((length + 3) & ~3);
  }
  return 1e-3;
}
