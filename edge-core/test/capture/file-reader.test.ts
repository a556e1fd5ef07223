/** The direct capture-file reader: pcap in both byte orders and resolutions, pcapng, and damage. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCaptureFile, readPcapInto, type BlockTarget } from '../../src/capture/file-reader.js';
import { RingReader, RingWriter, createRing } from '../../src/pool/ring.js';

const FRAMES = [Uint8Array.from({ length: 60 }, (_, i) => i), Uint8Array.from({ length: 1514 }, (_, i) => 255 - (i & 0xff)), Uint8Array.of(1, 2, 3)];
const SECONDS = 1_767_254_400;

/** pcap-savefile(5): 24-octet header, then per record ts_sec, ts_frac, caplen, len. */
function pcap(opts: { little: boolean; nano: boolean; linkType?: number; frames?: readonly Uint8Array[] }): Buffer {
  const header = Buffer.alloc(24);
  const w32 = (b: Buffer, v: number, at: number) => (opts.little ? b.writeUInt32LE(v, at) : b.writeUInt32BE(v, at));
  w32(header, opts.nano ? 0xa1b23c4d : 0xa1b2c3d4, 0);
  (opts.little ? header.writeUInt16LE.bind(header) : header.writeUInt16BE.bind(header))(2, 4);
  (opts.little ? header.writeUInt16LE.bind(header) : header.writeUInt16BE.bind(header))(4, 6);
  w32(header, 65535, 16);
  w32(header, opts.linkType ?? 1, 20);
  const records = (opts.frames ?? FRAMES).map((f, i) => {
    const r = Buffer.alloc(16 + f.length);
    w32(r, SECONDS + i, 0);
    w32(r, opts.nano ? 123_456_789 : 123_456, 4);
    w32(r, f.length, 8);
    w32(r, f.length, 12);
    r.set(f, 16);
    return r;
  });
  return Buffer.concat([header, ...records]);
}

/** pcapng: SHB, IDB (Ethernet, if_tsresol = 9 → nanoseconds), then one EPB per frame, little-endian. */
function pcapng(): Buffer {
  const block = (type: number, body: Buffer) => {
    const length = 12 + body.length + ((4 - (body.length % 4)) % 4);
    const b = Buffer.alloc(length);
    b.writeUInt32LE(type, 0);
    b.writeUInt32LE(length, 4);
    body.copy(b, 8);
    b.writeUInt32LE(length, length - 4);
    return b;
  };
  const shb = Buffer.alloc(16);
  shb.writeUInt32LE(0x1a2b3c4d, 0);
  shb.writeUInt16LE(1, 4);
  shb.writeBigInt64LE(-1n, 8);
  const idb = Buffer.alloc(16);
  idb.writeUInt16LE(1, 0); // LINKTYPE_ETHERNET
  idb.writeUInt32LE(65535, 4);
  idb.writeUInt16LE(9, 8); // if_tsresol
  idb.writeUInt16LE(1, 10);
  idb[12] = 9; // 10^-9
  const epbs = FRAMES.map((f, i) => {
    const units = BigInt(SECONDS + i) * 1_000_000_000n + 123_456_789n;
    const body = Buffer.alloc(20 + f.length + ((4 - (f.length % 4)) % 4));
    body.writeUInt32LE(0, 0);
    body.writeUInt32LE(Number(units >> 32n), 4);
    body.writeUInt32LE(Number(units & 0xffffffffn), 8);
    body.writeUInt32LE(f.length, 12);
    body.writeUInt32LE(f.length, 16);
    body.set(f, 20);
    return block(6, body);
  });
  return Buffer.concat([block(0x0a0d0d0a, shb), block(1, idb), ...epbs]);
}

describe('capture file reader', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wardsight-reader-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function read(name: string, bytes: Buffer) {
    const path = join(dir, name);
    await writeFile(path, bytes);
    const got: { bytes: number[]; ts: number }[] = [];
    const n = await readCaptureFile(path, (buf, offset, caplen, ts) => got.push({ bytes: [...buf.subarray(offset, offset + caplen)], ts }));
    return { n, got };
  }

  for (const little of [true, false]) {
    for (const nano of [false, true]) {
      it(`reads ${little ? 'little' : 'big'}-endian pcap with ${nano ? 'nano' : 'micro'}second timestamps`, async () => {
        const { n, got } = await read(`${little}-${nano}.pcap`, pcap({ little, nano }));
        expect(n).toBe(3);
        expect(got.map((g) => g.bytes)).toEqual(FRAMES.map((f) => [...f]));
        expect(got[1]?.ts).toBeCloseTo((SECONDS + 1) * 1000 + (nano ? 123.456789 : 123.456), 6);
      });
    }
  }

  it('reads pcapng with its interface\'s timestamp resolution', async () => {
    const { n, got } = await read('x.pcapng', pcapng());
    expect(n).toBe(3);
    expect(got.map((g) => g.bytes)).toEqual(FRAMES.map((f) => [...f]));
    expect(got[2]?.ts).toBeCloseTo((SECONDS + 2) * 1000 + 123.456789, 3);
  });

  it('refuses what is not a capture, names a cut record, and refuses other link types', async () => {
    await expect(read('text.pcap', Buffer.from('hello, this is not a capture file'))).rejects.toMatchObject({ code: 'EDGE_ERR_CAPTURE_FILE' });
    const whole = pcap({ little: true, nano: false });
    await expect(read('cut.pcap', whole.subarray(0, whole.length - 2))).rejects.toThrow(/record 3 cut short/);
    await expect(read('tail.pcap', whole.subarray(0, whole.length - 10))).rejects.toThrow(/9 bytes after the last whole record/);
    await expect(read('raw.pcap', pcap({ little: true, nano: false, linkType: 101 }))).rejects.toMatchObject({ code: 'EDGE_ERR_CAPTURE_LINKTYPE' });
    await expect(readCaptureFile(join(dir, 'absent.pcap'), () => undefined)).rejects.toMatchObject({ code: 'EDGE_ERR_CAPTURE_OPEN' });
  });

  it('reads the link types asked for, telling each frame its link type', async () => {
    const path = join(dir, 'raw-ip.pcap');
    await writeFile(path, pcap({ little: true, nano: false, linkType: 101 }));
    const linkTypes: number[] = [];
    const frames = await readCaptureFile(path, (_buf, _offset, _caplen, _ts, linkType) => linkTypes.push(linkType), { linkTypes: [1, 101] });
    expect(frames).toBe(FRAMES.length);
    expect(linkTypes).toEqual([101, 101, 101]);
    await expect(readCaptureFile(path, () => undefined, { linkTypes: [0, 1] })).rejects.toThrow(/link type 101; supported: 0, 1/);
  });

  it('delivers what it read before the damage', async () => {
    const whole = pcap({ little: true, nano: false });
    const seen: number[] = [];
    await writeFile(join(dir, 'cut2.pcap'), whole.subarray(0, whole.length - 1));
    await expect(readCaptureFile(join(dir, 'cut2.pcap'), (_b, _o, caplen) => seen.push(caplen))).rejects.toThrow();
    expect(seen).toEqual([60, 1514]);
  });

  /** A ring as `readPcapInto` fills it; nobody reads it, so a full ring stops the read. */
  function ringTarget(ring = createRing()): { writer: RingWriter; target: BlockTarget } {
    const writer = new RingWriter(ring);
    return { writer, target: writer.blockTarget(() => false) };
  }

  for (const little of [true, false]) {
    for (const nano of [false, true]) {
      it(`reads ${little ? 'little' : 'big'}-endian ${nano ? 'nano' : 'micro'}second pcap straight into the ring, frame for frame`, async () => {
        const path = join(dir, `blocks-${little}-${nano}.pcap`);
        await writeFile(path, pcap({ little, nano }));
        const ring = createRing();
        const { writer, target } = ringTarget(ring);
        expect(readPcapInto(path, target)).toBe(3);
        writer.publish();
        const got: { bytes: number[]; ts: number }[] = [];
        expect(new RingReader(ring).drain((b, start, end, ts) => got.push({ bytes: [...b.subarray(start, end)], ts }), 100)).toBe(3);
        expect(got.map((g) => g.bytes)).toEqual(FRAMES.map((f) => [...f]));
        expect(got[1]?.ts).toBeCloseTo((SECONDS + 1) * 1000 + (nano ? 123.456789 : 123.456), 6);
      });
    }
  }

  it('reads again a record cut by the end of one read, and loses no frame across many reads', async () => {
    // 3,000 frames of 1,514 octets do not fit one read of a small ring: records straddle read ends.
    const frames = Array.from({ length: 3000 }, (_, i) => {
      const f = new Uint8Array(60 + (i % 1455));
      f.fill(i & 0xff);
      return f;
    });
    const path = join(dir, 'many.pcap');
    await writeFile(path, pcap({ little: true, nano: false, frames }));
    const ring = createRing(256 * 1024);
    const reader = new RingReader(ring);
    const writer = new RingWriter(ring);
    const lengths: number[] = [];
    let ok = true;
    // The ring is full after a few reads: each wait drains it, checking every frame as it comes.
    const target = writer.blockTarget(() => {
      reader.drain((b, start, end) => {
        const i = lengths.length;
        lengths.push(end - start);
        if (b[start] !== (i & 0xff) || b[end - 1] !== (i & 0xff)) ok = false;
      }, 1000);
      return true;
    });
    expect(readPcapInto(path, target)).toBe(3000);
    writer.publish();
    reader.drain((_b, start, end) => lengths.push(end - start), 1000);
    expect(lengths).toEqual(frames.map((f) => f.length));
    expect(ok).toBe(true);
  });

  it('names a cut or oversized record when reading into the ring', async () => {
    const whole = pcap({ little: true, nano: false });
    await writeFile(join(dir, 'into-cut.pcap'), whole.subarray(0, whole.length - 2));
    expect(() => readPcapInto(join(dir, 'into-cut.pcap'), ringTarget().target)).toThrow(/record 3 cut short/);
    await writeFile(join(dir, 'into-tail.pcap'), whole.subarray(0, whole.length - 10));
    expect(() => readPcapInto(join(dir, 'into-tail.pcap'), ringTarget().target)).toThrow(/9 bytes after the last whole record/);
    const big = pcap({ little: true, nano: false, frames: [new Uint8Array(200 * 1024)] });
    await writeFile(join(dir, 'into-big.pcap'), big);
    expect(() => readPcapInto(join(dir, 'into-big.pcap'), ringTarget(createRing(256 * 1024)).target)).toThrow(/larger than the capture ring takes/);
    expect(() => readPcapInto(join(dir, 'absent.pcap'), ringTarget().target)).toThrow(expect.objectContaining({ code: 'EDGE_ERR_CAPTURE_OPEN' }));
  });

  it('leaves pcapng to the frame-by-frame reader', async () => {
    const path = join(dir, 'blocks.pcapng');
    await writeFile(path, pcapng());
    expect(readPcapInto(path, ringTarget().target)).toBeNull();
  });
});
