import { describe, it, expect } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildHospital, hospitalTruth, writeHospital, HOSPITAL_START_MICROS, type Hospital } from '../src/hospital.js';
import { dhcpExchangeFrames } from '../src/traffic/join.js';
import { pcapBytes } from '../src/pcap-writer.js';
import { dhcpIn, onesComplementSum, readEthernet, readIpv4, text } from './wire.js';

const hospital = buildHospital({ seed: 7 });
const floorFrames = (h: Hospital, floor: string): { ts: bigint; frame: Uint8Array }[] => h.floors.find((f) => f.floor === floor)?.frames ?? [];

describe('buildHospital', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const again = buildHospital({ seed: 7 });
    for (const floor of ['1', '2']) expect(pcapBytes(floorFrames(again, floor)).equals(pcapBytes(floorFrames(hospital, floor)))).toBe(true);
    expect(hospitalTruth(again)).toEqual(hospitalTruth(hospital));
    expect(hospitalTruth(buildHospital({ seed: 8 })).devices.map((d) => d.mac)).not.toEqual(hospitalTruth(hospital).devices.map((d) => d.mac));
  });

  it('has the floors, routers and devices of the plan', () => {
    expect(hospital.floors.map((f) => f.floor)).toEqual(['1', '2']);
    expect(hospital.infrastructure.map((g) => [g.ip, g.mac.slice(0, 8), g.vendor])).toEqual([
      ['10.20.1.1', '10:57:25', 'Cisco'],
      ['10.20.2.1', '14:19:23', 'Cisco'],
    ]);
    expect(hospital.devices.filter((d) => d.floor === '1')).toHaveLength(8);
    expect(hospital.devices.filter((d) => d.floor === '2')).toHaveLength(7);
    const pacs = hospital.devices.find((d) => d.category === 'pacs');
    expect([pacs?.ip, pacs?.mac.slice(0, 8), pacs?.vendor]).toEqual(['10.20.1.10', '10:65:30', 'Dell']);
    expect(hospital.devices.find((d) => d.category === 'hl7-interface-engine')?.ip).toBe('10.20.1.11');
    for (const d of hospital.devices) {
      expect(d.mac).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
      expect(d.ip.startsWith(`10.20.${d.floor}.`)).toBe(true);
    }
    expect(new Set(hospital.devices.map((d) => d.mac)).size).toBe(hospital.devices.length);
    expect(new Set(hospital.devices.map((d) => d.ip)).size).toBe(hospital.devices.length);
  });

  it('keeps each floor in time order from 2026-01-01T08:00:00Z', () => {
    for (const { frames } of hospital.floors) {
      expect(frames.length).toBeGreaterThan(100);
      expect(frames[0]?.ts).toBeGreaterThanOrEqual(BigInt(HOSPITAL_START_MICROS));
      frames.slice(1).forEach((f, i) => expect(f.ts).toBeGreaterThanOrEqual(frames[i]?.ts ?? 0n));
    }
  });

  it('shows every device as a DHCP client on its own floor only, answered by its router', () => {
    for (const gateway of hospital.infrastructure) {
      const messages = floorFrames(hospital, gateway.floor).flatMap((f) => {
        const dhcp = dhcpIn(f.frame);
        return dhcp ? [{ dhcp, eth: readEthernet(f.frame) }] : [];
      });
      const clients = messages.filter((m) => m.dhcp.op === 1);
      for (const device of hospital.devices) {
        const seen = clients.filter((m) => m.dhcp.chaddr === device.mac);
        if (device.floor !== gateway.floor) {
          expect(seen).toHaveLength(0);
          continue;
        }
        expect(seen.map((m) => m.dhcp.options[0]?.value[0])).toEqual([1, 3]); // DISCOVER, REQUEST
        for (const { dhcp } of seen) {
          expect(text(dhcp.options.find((o) => o.code === 12)?.value)).toBe(device.hostname);
          expect(text(dhcp.options.find((o) => o.code === 60)?.value)).toBe(device.dhcp.vendorClassId);
        }
        const replies = messages.filter((m) => m.dhcp.op === 2 && m.dhcp.chaddr === device.mac);
        expect(replies.map((m) => [m.eth.src, m.dhcp.yiaddr, m.dhcp.giaddr])).toEqual([
          [gateway.mac, device.ip, gateway.ip],
          [gateway.mac, device.ip, gateway.ip],
        ]);
      }
    }
  });

  it('captures on each floor only frames that cross its switch', () => {
    for (const { floor, frames } of hospital.floors) {
      const local = new Set([...hospital.devices, ...hospital.infrastructure].filter((d) => d.floor === floor).map((d) => d.mac));
      for (const { frame } of frames) {
        const eth = readEthernet(frame);
        expect(local.has(eth.src)).toBe(true);
        const group = (parseInt(eth.dst.slice(0, 2), 16) & 1) === 1;
        expect(group || local.has(eth.dst)).toBe(true);
      }
    }
  });

  it('routes the CT on floor 2 to the PACS on floor 1 through both routers', () => {
    const ct = hospital.devices.find((d) => d.category === 'ct');
    const pacs = hospital.devices.find((d) => d.category === 'pacs');
    const [gw1, gw2] = hospital.infrastructure;
    const ipFrames = (floor: string): { eth: ReturnType<typeof readEthernet>; ip: ReturnType<typeof readIpv4> }[] =>
      floorFrames(hospital, floor).flatMap((f) => {
        const eth = readEthernet(f.frame);
        if (eth.etherType !== 0x0800) return [];
        const ip = readIpv4(eth.payload);
        return ip.src === ct?.ip && ip.dst === pacs?.ip ? [{ eth, ip }] : [];
      });
    const sent = ipFrames('2');
    const received = ipFrames('1');
    expect(sent.length).toBeGreaterThan(10);
    expect(received.length).toBe(sent.length);
    for (const { eth, ip } of sent) expect([eth.src, eth.dst, ip.ttl]).toEqual([ct?.mac, gw2?.mac, ct?.ttl]);
    for (const { eth, ip } of received) {
      expect([eth.src, eth.dst, ip.ttl]).toEqual([gw1?.mac, pacs?.mac, (ct?.ttl ?? 0) - 2]);
      expect(onesComplementSum(ip.header)).toBe(0xffff);
    }
  });

  it('includes 802.1Q-tagged frames and IPv6 frames', () => {
    const all = hospital.floors.flatMap((f) => f.frames.map((x) => readEthernet(x.frame)));
    expect(all.filter((e) => e.vlan === 30).length).toBeGreaterThan(5);
    expect(all.filter((e) => e.etherType === 0x86dd).length).toBeGreaterThanOrEqual(8);
  });

  it('bounds sessions per device and still joins every device with none', () => {
    const quiet = buildHospital({ seed: 7, sessionsPerDevice: 0 });
    const busy = buildHospital({ seed: 7, sessionsPerDevice: 6 });
    const count = (h: Hospital): number => h.floors.reduce((n, f) => n + f.frames.length, 0);
    expect(count(quiet)).toBeLessThan(count(hospital));
    expect(count(busy)).toBeGreaterThan(count(hospital));
    expect(quiet.floors.flatMap((f) => f.frames).filter((f) => dhcpIn(f.frame)?.op === 1)).toHaveLength(hospital.devices.length * 2);
  });
});

describe('dhcpExchangeFrames', () => {
  it('returns what the device sends when it joins: DISCOVER, REQUEST, gratuitous ARP, ARP for the gateway', () => {
    const device = hospital.devices[2];
    const gateway = hospital.infrastructure[0];
    if (!device || !gateway) throw new Error('no device');
    const frames = dhcpExchangeFrames(device, gateway, 5_000_000n);
    expect(frames.map((f) => readEthernet(f.frame).src)).toEqual(Array(4).fill(device.mac));
    expect(frames.map((f) => dhcpIn(f.frame)?.options[0]?.value[0])).toEqual([1, 3, undefined, undefined]);
    expect(frames[0]?.ts).toBe(5_000_000n);
    expect(frames.map((f) => readEthernet(f.frame).etherType)).toEqual([0x0800, 0x0800, 0x0806, 0x0806]);
  });
});

describe('writeHospital', () => {
  it('writes both floors and a truth file in the documented shape', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wardsight-sim-'));
    try {
      const files = await writeHospital(dir, { seed: 7 });
      expect(files.pcaps.map((p) => p.path)).toEqual([join(dir, 'floor-1.pcap'), join(dir, 'floor-2.pcap')]);
      expect((await readFile(join(dir, 'floor-1.pcap'))).equals(pcapBytes(floorFrames(hospital, '1')))).toBe(true);
      const truth = JSON.parse(await readFile(files.truth, 'utf8')) as ReturnType<typeof hospitalTruth>;
      expect(truth.generatedBy).toBe('wardsight sim');
      expect(truth.seed).toBe(7);
      expect(truth.devices).toHaveLength(15);
      expect(Object.keys(truth.devices[0] ?? {})).toEqual(['mac', 'ip', 'hostname', 'vendor', 'category', 'floor', 'model']);
      expect(truth.infrastructure.map((g) => g.category)).toEqual(['router', 'router']);
      expect(truth).toEqual(hospitalTruth(hospital));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
