/** The benchmark mix: exact size, fixed composition, deterministic, every device on the wire, and Wireshark agrees. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeMix, type MixSummary } from '../src/index.js';

describe('hospital traffic mix', () => {
  let dir: string;
  let summary: MixSummary;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wardsight-mix-'));
    summary = await writeMix(join(dir, 'a.pcap'), { packets: 20_000, devices: 200, seed: 4 });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('has exactly the packets asked for, in the proportions of a hospital', () => {
    expect(summary.packets).toBe(20_000);
    expect(Object.values(summary.byProtocol).reduce((a, b) => a + b, 0)).toBe(20_000);
    for (const kind of ['dicom', 'hl7', 'https', 'smb', 'discovery']) expect(summary.byProtocol[kind] ?? 0).toBeGreaterThan(200);
    expect((summary.byProtocol.dicom ?? 0) / 20_000).toBeGreaterThan(0.15);
    expect(summary.devices).toBeGreaterThanOrEqual(200);
  });

  it('keeps joins to the same share of packets whatever the number of devices', async () => {
    const many = await writeMix(join(dir, 'many.pcap'), { packets: 20_000, devices: 2000, seed: 4 });
    const share = (s: MixSummary) => (s.byProtocol.join ?? 0) / s.packets;
    // A short mix is ahead on short sessions (joins) and behind on long ones (DICOM): near 3.5 %, not at it.
    expect(share(summary)).toBeGreaterThan(0.025);
    expect(share(summary)).toBeLessThan(0.06);
    expect(Math.abs(share(many) - share(summary))).toBeLessThan(0.003);
  });

  it('is the same bytes for the same seed, and different for another', async () => {
    await writeMix(join(dir, 'b.pcap'), { packets: 20_000, devices: 200, seed: 4 });
    await writeMix(join(dir, 'c.pcap'), { packets: 20_000, devices: 200, seed: 5 });
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((n) => readFile(join(dir, `${n}.pcap`))));
    expect(a?.equals(b ?? Buffer.alloc(0))).toBe(true);
    expect(a?.equals(c ?? Buffer.alloc(0))).toBe(false);
  });

  const tshark = existsSync('/usr/bin/tshark');
  if (!tshark) console.warn('[skip] mix dissection by tshark: /usr/bin/tshark is not installed');
  it.skipIf(!tshark)('dissects cleanly in Wireshark, with DICOM, HL7, TLS, SMB2 and DHCP in it', () => {
    const file = join(dir, 'a.pcap');
    const bad = execFileSync('tshark', ['-r', file, '-Y', '_ws.malformed || _ws.expert.severity >= warning'], { encoding: 'utf8' });
    expect(bad).toBe('');
    const tree = execFileSync('tshark', ['-r', file, '-q', '-z', 'io,phs'], { encoding: 'utf8' });
    for (const proto of ['dicom', 'hl7', 'tls', 'smb2', 'dhcp', 'arp']) expect(tree).toMatch(new RegExp(`\\b${proto}\\b`));
    // 3.5 % of 20,000 packets are 100 joins of 7 frames: 100 devices (and their routers) speak DHCP.
    const dhcpSenders = new Set(execFileSync('tshark', ['-r', file, '-Y', 'dhcp', '-T', 'fields', '-e', 'eth.src'], { encoding: 'utf8' }).split('\n').filter(Boolean));
    expect(dhcpSenders.size).toBeGreaterThanOrEqual(100);
    // Every device of the roster is on the wire.
    const senders = new Set(execFileSync('tshark', ['-r', file, '-T', 'fields', '-e', 'eth.src'], { encoding: 'utf8' }).split('\n').filter(Boolean));
    expect(senders.size).toBeGreaterThanOrEqual(200);
  });
});
