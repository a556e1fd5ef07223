import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { writeHospital, buildHospital, type HospitalFiles } from '../src/hospital.js';

/** Wireshark's command-line reader, used as an independent judge of the captures when installed. */
const TSHARK = '/usr/bin/tshark';
const haveTshark = existsSync(TSHARK);
if (!haveTshark) console.warn(`[sim] ${TSHARK} not found: skipping the tshark cross-check of the simulated captures`);

const run = promisify(execFile);
const tshark = async (file: string, ...args: string[]): Promise<string> =>
  (await run(TSHARK, ['-n', '-r', file, ...args], { maxBuffer: 64 * 1024 * 1024 })).stdout;
const lines = (out: string): string[] => out.split('\n').filter((l) => l.trim().length > 0);

describe.skipIf(!haveTshark)('tshark reads the simulated captures', () => {
  const seed = 11;
  const hospital = buildHospital({ seed });
  let dir = '';
  let files: HospitalFiles;
  const pcapOf = (floor: string): string => files.pcaps.find((p) => p.floor === floor)?.path ?? '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wardsight-sim-tshark-'));
    files = await writeHospital(dir, { seed });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('finds nothing malformed and no expert warnings', async () => {
    for (const floor of ['1', '2']) expect(await tshark(pcapOf(floor), '-Y', '_ws.malformed || _ws.expert.severity >= warning')).toBe('');
  });

  it('finds every IP, UDP, TCP and ICMPv6 checksum correct', async () => {
    const prefs = ['-o', 'ip.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE'];
    const bad = 'ip.checksum.status == 0 || tcp.checksum.status == 0 || udp.checksum.status == 0 || icmpv6.checksum.status == 0';
    for (const floor of ['1', '2']) expect(await tshark(pcapOf(floor), ...prefs, '-Y', bad)).toBe('');
  });

  it('reads the DHCP hostnames of exactly the devices of each floor', async () => {
    for (const floor of ['1', '2']) {
      const out = await tshark(pcapOf(floor), '-Y', 'dhcp.option.dhcp == 1', '-T', 'fields', '-e', 'dhcp.option.hostname');
      const expected = hospital.devices.filter((d) => d.floor === floor).map((d) => d.hostname);
      expect(lines(out).sort()).toEqual([...expected].sort());
    }
  });

  it('dissects DICOM, HL7, TLS with SNI, HTTP, 802.1Q and IPv6 hop-by-hop', async () => {
    const floor1 = pcapOf('1');
    const floor2 = pcapOf('2');
    expect(lines(await tshark(floor1, '-Y', 'dicom', '-T', 'fields', '-e', '_ws.col.Info')).some((l) => l.includes('A-ASSOCIATE request CT_01 --> PACS_01'))).toBe(true);
    expect(new Set(lines(await tshark(floor1, '-Y', 'hl7', '-T', 'fields', '-e', 'hl7.message.type')))).toEqual(new Set(['ORU', 'ACK']));
    const sni = lines(await tshark(floor1, '-Y', 'tls.handshake.type == 1', '-T', 'fields', '-e', 'tls.handshake.extensions_server_name'));
    expect(new Set(sni)).toEqual(new Set(['hl7-engine.hospital.local', 'pacs-01.hospital.local']));
    expect(lines(await tshark(floor1, '-Y', 'http.request', '-T', 'fields', '-e', 'http.host')).length).toBeGreaterThan(0);
    expect(lines(await tshark(floor2, '-Y', 'vlan.id == 30')).length).toBeGreaterThan(0);
    expect(lines(await tshark(floor1, '-Y', 'ipv6.hopopts')).length).toBeGreaterThan(0);
  });
});
