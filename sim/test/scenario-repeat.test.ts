/**
 * The simulated day as files: the same seed gives the same bytes, another seed another day, a bad
 * output directory a clear error that leaves what was there alone, and Wireshark reads every floor
 * cleanly with the devices the truth puts there.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planScenarioDay, writeScenarioDay, type ScenarioDay } from '../src/index.js';

const FILES = ['floor1.pcap', 'floor2.pcap', 'floor3.pcap', 'truth.json'];
const TSHARK = '/usr/bin/tshark';
const haveTshark = existsSync(TSHARK);
if (!haveTshark) console.warn(`[sim] ${TSHARK} not found: skipping the tshark reading of the simulated day`);

const run = promisify(execFile);
const tshark = async (file: string, ...args: string[]): Promise<string> => (await run(TSHARK, ['-n', '-r', file, ...args], { maxBuffer: 256 * 1024 * 1024 })).stdout;
const lines = (out: string): string[] => out.split('\n').filter((l) => l.trim().length > 0);

describe('wardsight sim scenario day, as files', () => {
  let root = '';
  let first: ScenarioDay;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'wardsight-scenario-files-'));
    first = await writeScenarioDay(join(root, 'a'), { seed: 21 });
    await writeScenarioDay(join(root, 'b'), { seed: 21 });
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('writes the same bytes for the same seed', async () => {
    for (const name of FILES) {
      const [a, b] = await Promise.all([readFile(join(root, 'a', name)), readFile(join(root, 'b', name))]);
      expect(a.length, name).toBeGreaterThan(0);
      expect(a.equals(b), name).toBe(true);
    }
    expect(await readdir(join(root, 'a'))).toEqual(FILES);
  });

  it('plans the same day from the seed alone, and another day from another seed', () => {
    const same = planScenarioDay(21);
    const other = planScenarioDay(22);
    expect(same.devices.map((d) => `mac:${d.mac}`)).toEqual(first.truth.devices.map((d) => d.device));
    expect(same.moves.map((m) => m.at)).toEqual(planScenarioDay(21).moves.map((m) => m.at));
    expect(other.devices.map((d) => d.mac)).not.toEqual(same.devices.map((d) => d.mac));
    expect(other.anomalies.map((a) => a.at)).not.toEqual(same.anomalies.map((a) => a.at));
  });

  it('refuses an output path that is a file, and leaves it alone', async () => {
    const file = join(root, 'not-a-dir');
    await writeFile(file, 'notes\n');
    await expect(writeScenarioDay(file, { seed: 1 })).rejects.toMatchObject({ code: 'SIM_ERR_WRITE' });
    expect(await readFile(file, 'utf8')).toBe('notes\n');
  });

  it('refuses a directory where a capture would go before writing anything, keeping the files already there', async () => {
    const dir = join(root, 'c');
    await mkdir(join(dir, 'floor2.pcap'), { recursive: true });
    await writeFile(join(dir, 'floor1.pcap'), 'an earlier capture');
    await writeFile(join(dir, 'truth.json'), '{"earlier":true}\n');
    await expect(writeScenarioDay(dir, { seed: 1 })).rejects.toMatchObject({ code: 'SIM_ERR_WRITE', message: expect.stringContaining('floor2.pcap') });
    expect(await readFile(join(dir, 'floor1.pcap'), 'utf8')).toBe('an earlier capture');
    expect(await readFile(join(dir, 'truth.json'), 'utf8')).toBe('{"earlier":true}\n');
    expect((await readdir(dir)).sort()).toEqual(['floor1.pcap', 'floor2.pcap', 'truth.json']);
  });

  describe.skipIf(!haveTshark)('read by tshark', () => {
    const pcap = (floor: string): string => join(root, 'a', `floor${floor}.pcap`);

    it('finds nothing malformed, no warning but the resets of refused scan probes, and every checksum right', async () => {
      const prefs = ['-o', 'ip.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE'];
      const bad = '_ws.malformed || (_ws.expert.severity >= warning && !tcp.flags.reset) || ip.checksum.status == 0 || tcp.checksum.status == 0 || udp.checksum.status == 0';
      for (const floor of ['1', '2', '3']) expect(await tshark(pcap(floor), ...prefs, '-Y', bad), `floor ${floor}`).toBe('');
    });

    it('dissects the protocols of the day on every floor', async () => {
      const seen = new Set<string>();
      for (const floor of ['1', '2', '3']) {
        const tree = await tshark(pcap(floor), '-q', '-z', 'io,phs');
        for (const proto of ['arp', 'dhcp', 'dns', 'ntp', 'sip', 'hl7', 'dicom', 'smb2', 'tls']) expect(tree, `floor ${floor}`).toMatch(new RegExp(`\\b${proto}\\b`));
        for (const proto of ['telnet', 'ftp']) if (new RegExp(`\\b${proto}\\b`).test(tree)) seen.add(proto);
      }
      expect(seen).toEqual(new Set(['telnet', 'ftp']));
    });

    it('hears a DHCPDISCOVER from exactly the devices the truth puts on each floor', async () => {
      for (const floor of ['1', '2', '3']) {
        const out = await tshark(pcap(floor), '-Y', 'dhcp.option.dhcp == 1', '-T', 'fields', '-e', 'dhcp.option.hostname');
        const expected = first.truth.devices.filter((d) => d.stays.some((s) => s.floor === floor)).map((d) => d.name);
        expect(new Set(lines(out))).toEqual(new Set(expected));
      }
    });
  });
});
