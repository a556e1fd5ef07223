import { describe, it, expect } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PcapWriter, pcapBytes, PCAP_SNAPLEN } from '../src/pcap-writer.js';
import { SimError } from '../src/errors.js';

const frameA = Uint8Array.from({ length: 60 }, (_, i) => i);
const frameB = Uint8Array.from({ length: 70 }, (_, i) => 255 - i);
// 2026-01-01T08:00:00.000123Z
const tsA = 1_767_254_400_000_123n;

describe('classic pcap format', () => {
  it('writes the 24-byte file header little-endian: magic, v2.4, zone, sigfigs, snaplen 65535, Ethernet', () => {
    const file = pcapBytes([]);
    expect(file.length).toBe(24);
    expect(file.toString('hex')).toBe('d4c3b2a1' + '0200' + '0400' + '00000000' + '00000000' + 'ffff0000' + '01000000');
  });

  it('writes record headers with seconds, microseconds, captured and original lengths', () => {
    const file = pcapBytes([{ ts: tsA, frame: frameA }, { ts: Number(tsA) + 1_000_000, frame: frameB }]);
    expect(file.length).toBe(24 + 16 + 60 + 16 + 70);
    expect(file.readUInt32LE(24)).toBe(1_767_254_400);
    expect(file.readUInt32LE(28)).toBe(123);
    expect(file.readUInt32LE(32)).toBe(60);
    expect(file.readUInt32LE(36)).toBe(60);
    expect(file.subarray(40, 100)).toEqual(Buffer.from(frameA));
    expect(file.readUInt32LE(100)).toBe(1_767_254_401);
  });

  it('truncates a frame longer than the snap length but keeps its original length', () => {
    const file = pcapBytes([{ ts: 0, frame: new Uint8Array(PCAP_SNAPLEN + 10) }]);
    expect(file.readUInt32LE(32)).toBe(PCAP_SNAPLEN);
    expect(file.readUInt32LE(36)).toBe(PCAP_SNAPLEN + 10);
  });

  it('rejects negative or fractional timestamps', () => {
    expect(() => pcapBytes([{ ts: -1n, frame: frameA }])).toThrow(SimError);
    expect(() => pcapBytes([{ ts: 1.5, frame: frameA }])).toThrow(/SIM_ERR_TIMESTAMP|timestamp/);
  });
});

describe('PcapWriter', () => {
  it('streams the same bytes as the in-memory form, and refuses writes after close', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wardsight-sim-'));
    try {
      const path = join(dir, 'two.pcap');
      const writer = new PcapWriter(path);
      writer.write(frameA, tsA);
      writer.write(frameB, Number(tsA) + 1_000_000);
      await writer.close();
      await writer.close();
      expect(await readFile(path)).toEqual(pcapBytes([{ ts: tsA, frame: frameA }, { ts: Number(tsA) + 1_000_000, frame: frameB }]));
      expect(() => writer.write(frameA, tsA)).toThrow(SimError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports a file that cannot be created when closed', async () => {
    const writer = new PcapWriter(join(tmpdir(), 'wardsight-no-such-dir', 'x', 'y.pcap'));
    await expect(writer.close()).rejects.toMatchObject({ code: 'SIM_ERR_WRITE' });
  });
});
