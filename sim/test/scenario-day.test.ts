/**
 * The simulated day, read back from its files with an independent pcap reader (pcap-savefile(5))
 * and checked against its own truth.json: presence, moves, anomalies, steadiness, budget — and a
 * small reference detector that must find every injected anomaly and nothing else after learning.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeScenarioDay } from '../src/scenario/day.js';
import type { ScenarioTruth, ScenarioTruthAnomaly, ScenarioTruthDevice } from '../src/scenario/truth.js';

interface Frame {
  floor: string;
  /** Microseconds since the epoch. */
  ts: number;
  length: number;
  src: string;
  dst: string;
  etherType: number;
  ip?: { src: string; dst: string; protocol: number; ttl: number };
  sport?: number;
  dport?: number;
  /** TCP control bits. */
  flags?: number;
  /** TCP or UDP payload length. */
  payload?: number;
  /** DHCP message type (option 53), the client's hardware address and the address granted. */
  dhcp?: { type: number; chaddr: string; yiaddr: string };
}

const SYN = 0x02;
const ACK = 0x10;
const MINUTE = 60_000_000;
const HOUR = 3_600_000_000;
const BUDGET = 400_000;

const mac = (b: Buffer, at: number): string => Array.from(b.subarray(at, at + 6), (x) => x.toString(16).padStart(2, '0')).join(':');
const ip4 = (b: Buffer, at: number): string => Array.from(b.subarray(at, at + 4)).join('.');
const micros = (iso: string): number => Date.parse(iso) * 1000;

/** pcap-savefile(5): 24-octet header (magic a1b2c3d4 little-endian: microseconds), then 16-octet record headers. */
function readPcap(file: Buffer, floor: string): { linkType: number; frames: Frame[] } {
  if (file.readUInt32LE(0) !== 0xa1b2c3d4) throw new Error('not a little-endian microsecond pcap');
  const linkType = file.readUInt32LE(20);
  const frames: Frame[] = [];
  for (let at = 24; at + 16 <= file.length; ) {
    const ts = file.readUInt32LE(at) * 1_000_000 + file.readUInt32LE(at + 4);
    const length = file.readUInt32LE(at + 8);
    frames.push(parseFrame(floor, ts, file.subarray(at + 16, at + 16 + length)));
    at += 16 + length;
  }
  return { linkType, frames };
}

function parseFrame(floor: string, ts: number, b: Buffer): Frame {
  const frame: Frame = { floor, ts, length: b.length, dst: mac(b, 0), src: mac(b, 6), etherType: b.readUInt16BE(12) };
  if (frame.etherType !== 0x0800) return frame;
  const ihl = (b[14]! & 0x0f) * 4;
  const total = b.readUInt16BE(16);
  const protocol = b[23]!;
  frame.ip = { src: ip4(b, 26), dst: ip4(b, 30), protocol, ttl: b[22]! };
  const l4 = 14 + ihl;
  frame.sport = b.readUInt16BE(l4);
  frame.dport = b.readUInt16BE(l4 + 2);
  if (protocol === 6) {
    frame.flags = b[l4 + 13]!;
    frame.payload = total - ihl - (b[l4 + 12]! >> 4) * 4;
  } else if (protocol === 17) {
    frame.payload = b.readUInt16BE(l4 + 4) - 8;
    if ((frame.sport === 68 && frame.dport === 67) || (frame.sport === 67 && frame.dport === 68)) {
      const bootp = l4 + 8;
      // RFC 2131: options after the magic cookie at 236; the first is the message type here.
      frame.dhcp = { type: b[bootp + 242]!, chaddr: mac(b, bootp + 28), yiaddr: ip4(b, bootp + 16) };
    }
  }
  return frame;
}

const isSyn = (f: Frame): boolean => f.flags !== undefined && (f.flags & (SYN | ACK)) === SYN;
const isSynAck = (f: Frame): boolean => f.flags !== undefined && (f.flags & (SYN | ACK)) === (SYN | ACK);
const isPrivate = (a: string): boolean => a.startsWith('10.') || a === '255.255.255.255' || a === '0.0.0.0';

describe('wardsight sim scenario day', () => {
  let dir = '';
  let truth: ScenarioTruth;
  let frames: Frame[] = [];
  const perFloor = new Map<string, Frame[]>();
  const linkTypes: number[] = [];
  let start = 0;
  let end = 0;
  let learningEnd = 0;
  const byMac = new Map<string, ScenarioTruthDevice>();
  const gateways = new Set<string>();
  /** Frames each MAC sent, in time order per floor. */
  const bySrc = new Map<string, Frame[]>();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wardsight-scenario-'));
    await writeScenarioDay(dir, { seed: 5 });
    truth = JSON.parse(await readFile(join(dir, 'truth.json'), 'utf8')) as ScenarioTruth;
    for (const floor of truth.floors) {
      const read = readPcap(await readFile(join(dir, floor.pcap)), floor.location.floor);
      linkTypes.push(read.linkType);
      perFloor.set(floor.location.floor, read.frames);
      gateways.add(floor.gateway.mac);
    }
    frames = [...perFloor.values()].flat();
    for (const f of frames) {
      const list = bySrc.get(f.src);
      if (list) list.push(f);
      else bySrc.set(f.src, [f]);
    }
    start = micros(truth.start);
    end = micros(truth.end);
    learningEnd = micros(truth.learningEnd);
    for (const d of truth.devices) byMac.set(d.device.slice(4), d);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes one time-ordered Ethernet capture per floor sensor within the day, inside the packet budget', () => {
    expect(truth.floors.map((f) => [f.sensorId, f.pcap, f.subnet, f.gateway.ip])).toEqual([
      ['floor1', 'floor1.pcap', '10.10.1.0/24', '10.10.1.1'],
      ['floor2', 'floor2.pcap', '10.10.2.0/24', '10.10.2.1'],
      ['floor3', 'floor3.pcap', '10.10.3.0/24', '10.10.3.1'],
    ]);
    for (const f of truth.floors) expect(f.location).toEqual({ site: 'St Mary', building: 'North', floor: f.sensorId.slice(5), zone: 'east' });
    expect(linkTypes).toEqual([1, 1, 1]);
    expect([truth.start, truth.learningEnd, truth.end]).toEqual(['2026-03-02T00:00:00.000Z', '2026-03-02T08:00:00.000Z', '2026-03-03T00:00:00.000Z']);
    for (const [floor, list] of perFloor) {
      expect(list.length, `floor ${floor}`).toBe(truth.packets.perSensor[`floor${floor}`]);
      for (let i = 1; i < list.length; i++) if (list[i]!.ts < list[i - 1]!.ts) throw new Error(`floor ${floor} out of order at frame ${i + 1}`);
      expect(list[0]!.ts).toBeGreaterThanOrEqual(start);
      expect(list[list.length - 1]!.ts).toBeLessThan(end);
    }
    expect(frames.length).toBe(truth.packets.total);
    expect(frames.length).toBeLessThanOrEqual(BUDGET);
  });

  it('has about forty devices a floor, a fifth of them mobile pumps and monitors', () => {
    for (const floor of ['1', '2', '3']) {
      const present = truth.devices.filter((d) => d.homeFloor === floor && !d.newcomer);
      expect(present.length).toBeGreaterThanOrEqual(36);
      expect(present.length).toBeLessThanOrEqual(44);
      const mobile = present.filter((d) => d.mobile);
      expect(mobile.length / present.length).toBeCloseTo(0.2, 1);
      expect(new Set(mobile.map((d) => d.kind))).toEqual(new Set(['infusion-pump', 'patient-monitor']));
      expect(new Set(present.map((d) => d.kind))).toEqual(new Set(['infusion-pump', 'patient-monitor', 'workstation', 'printer', 'phone', 'imaging']));
    }
    expect(Object.keys(truth.devices[0]!)).toEqual(expect.arrayContaining(['device', 'name', 'kind', 'vendor', 'model', 'category', 'homeFloor', 'mobile']));
    for (const d of truth.devices) expect(d.device).toMatch(/^mac:([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    expect(new Set(truth.devices.map((d) => d.device)).size).toBe(truth.devices.length);
  });

  it('hears every device on its floor in every five-minute interval of each stay, and nowhere else', () => {
    for (const d of truth.devices) {
      const own = bySrc.get(d.device.slice(4)) ?? [];
      for (const stay of d.stays) {
        const from = micros(stay.from);
        const to = micros(stay.to);
        const heard = own.filter((f) => f.floor === stay.floor && f.ts >= from && f.ts < to);
        const buckets = new Set(heard.map((f) => Math.floor((f.ts - start) / (5 * MINUTE))));
        for (let b = Math.ceil((from - start) / (5 * MINUTE)); start + (b + 1) * 5 * MINUTE <= to; b++) {
          if (!buckets.has(b)) throw new Error(`${d.name} silent on floor ${stay.floor} in ${new Date((start + b * 5 * MINUTE) / 1000).toISOString()}`);
        }
        // Its own address on that floor, from its subnet.
        expect(stay.ip.startsWith(`10.10.${stay.floor}.`)).toBe(true);
      }
      const inStay = (f: Frame): boolean => d.stays.some((s) => s.floor === f.floor && f.ts >= micros(s.from) && f.ts < micros(s.to));
      expect(own.every(inStay), d.name).toBe(true);
    }
  });

  it('moves mobile devices 10–15 times, some while learning, to floors their model was on; each is silent behind and present ahead', () => {
    const normal = truth.moves.filter((m) => m.expected);
    expect(normal.length).toBeGreaterThanOrEqual(10);
    expect(normal.length).toBeLessThanOrEqual(15);
    const during = normal.filter((m) => micros(m.at) < learningEnd).length;
    expect(during).toBeGreaterThan(0);
    expect(during).toBeLessThan(normal.length / 2);
    for (const move of truth.moves) {
      const device = move.device.slice(4);
      const model = byMac.get(device)!.model;
      if (move.expected) {
        expect(byMac.get(device)!.mobile).toBe(true);
        // Units of its model were heard on the destination during learning.
        const units = new Set(truth.devices.filter((d) => d.model === model).map((d) => d.device.slice(4)));
        expect(frames.some((f) => f.floor === move.to && f.ts < learningEnd && units.has(f.src))).toBe(true);
      }
      const at = micros(move.at);
      const left = micros(move.leftAt);
      expect(left).toBeLessThan(at);
      const touches = (f: Frame): boolean => f.src === device || f.dst === device;
      // `leftAt` names the millisecond of its last frame there.
      expect(perFloor.get(move.from)!.filter((f) => touches(f) && f.ts >= left + 1000)).toEqual([]);
      const ahead = perFloor.get(move.to)!.filter(touches);
      expect(ahead[0]!.ts - at).toBeGreaterThanOrEqual(0);
      expect(ahead[0]!.ts - at).toBeLessThan(1000);
      expect(ahead[0]!.dhcp?.type).toBe(1); // DHCPDISCOVER
      // The relay's DHCPACK may be broadcast (the client set the broadcast bit): find it by chaddr.
      const ack = perFloor.get(move.to)!.find((f) => f.dhcp?.type === 5 && f.dhcp.chaddr === device && f.ts >= at);
      expect(ack?.dhcp?.yiaddr.startsWith(`10.10.${move.to}.`)).toBe(true);
      expect(ack?.src).toBe(truth.floors.find((f) => f.location.floor === move.to)?.gateway.mac);
    }
  });

  it('injects each of the eight alert kinds at least twice, on different devices, after learning', () => {
    const kinds = new Set(truth.anomalies.map((a) => a.kind));
    expect(kinds.size).toBe(8);
    for (const kind of kinds) {
      const of = truth.anomalies.filter((a) => a.kind === kind);
      expect(of.length).toBeGreaterThanOrEqual(2);
      expect(new Set(of.map((a) => a.device)).size).toBe(of.length);
      expect(new Set(of.map((a) => a.at)).size).toBe(of.length);
    }
    for (const a of truth.anomalies) expect(micros(a.at)).toBeGreaterThan(learningEnd);
    const unexpected = truth.anomalies.filter((a) => a.kind === 'unexpected-floor');
    for (const a of unexpected) expect(truth.moves.some((m) => m.device === a.device && m.at === a.at && !m.expected && m.to === a.floor)).toBe(true);
  });

  it('puts each anomaly’s first frame at its time, on its floor, in the shape of its kind', () => {
    for (const a of truth.anomalies) {
      const device = a.device.slice(4);
      const at = micros(a.at);
      const own = perFloor.get(a.floor)!.filter((f) => f.src === device && f.ts >= at && f.ts <= micros(a.end ?? a.at) + 1000);
      const first = own.filter((f) => f.ts < at + 1000).find((f) => opens(a, f));
      expect(first, `${a.kind} on ${a.device} at ${a.at}`).toBeDefined();
      switch (a.kind) {
        case 'new-external-destination':
          expect(isPrivate(a.peer ?? '')).toBe(false);
          expect(own.some((f) => f.ip?.dst === a.peer && (f.payload ?? 0) > 0)).toBe(true);
          break;
        case 'new-listening-port':
          expect(own.some((f) => f.sport === a.port && (f.payload ?? 0) > 0)).toBe(true);
          break;
        case 'scanning': {
          const syns = own.filter((f) => isSyn(f) && f.ts < at + MINUTE);
          expect(new Set(syns.map((f) => `${f.ip?.dst}:${f.dport}`)).size).toBeGreaterThanOrEqual(100);
          break;
        }
        default:
          break;
      }
    }
  });

  /** Whether `f` is the frame an anomaly of this kind starts with. */
  function opens(a: ScenarioTruthAnomaly, f: Frame): boolean {
    switch (a.kind) {
      case 'new-external-destination':
      case 'new-protocol-for-model':
      case 'clinical-protocol-unknown-peer':
      case 'volume-outside-baseline':
        return isSyn(f) && f.ip?.dst === a.peer && f.dport === a.port;
      case 'new-listening-port':
        return isSynAck(f) && f.sport === a.port && f.ip?.dst === a.peer;
      case 'unexpected-floor':
      case 'new-device-clinical-segment':
        return f.dhcp?.type === 1;
      case 'scanning':
        return isSyn(f);
    }
  }

  it('keeps each device’s hourly bytes within 30 % of its mean, except where it moved or misbehaved', () => {
    let checked = 0;
    for (const d of truth.devices.filter((x) => !x.newcomer)) {
      const mine = d.device.slice(4);
      const hours = new Map<number, number>();
      for (const f of bySrc.get(mine) ?? []) hours.set(Math.floor((f.ts - start) / HOUR), (hours.get(Math.floor((f.ts - start) / HOUR)) ?? 0) + f.length);
      const anomalies = truth.anomalies.filter((a) => a.device === d.device || (a.kind === 'new-listening-port' && a.peer === d.stays[0]?.ip));
      const steady = [...Array(24).keys()].filter((h) => {
        const [from, to] = [start + h * HOUR, start + (h + 1) * HOUR];
        const whole = d.stays.some((s) => micros(s.from) < from && micros(s.to) >= to);
        return h > 0 && whole && !anomalies.some((a) => micros(a.at) < to && micros(a.end ?? a.at) >= from);
      });
      const values = steady.map((h) => hours.get(h) ?? 0);
      const mean = values.reduce((s, v) => s + v, 0) / values.length;
      for (const [i, v] of values.entries()) expect(Math.abs(v - mean) / mean, `${d.name} hour ${steady[i]}: ${v} vs ${Math.round(mean)}`).toBeLessThanOrEqual(0.3);
      checked += values.length;
    }
    expect(checked).toBeGreaterThan(2000);
  });

  it('shows a reference detector every injected anomaly, and nothing else once learning is over', () => {
    const findings = referenceDetector(frames, truth, gateways, learningEnd);
    const windowOf = (a: ScenarioTruthAnomaly): [number, number] => [micros(a.at), a.end ? micros(a.end) + 1000 : micros(a.at) + 1000];
    for (const a of truth.anomalies) {
      const [from, to] = windowOf(a);
      const seen = findings.filter((f) => f.device === a.device.slice(4) && f.kind === a.kind);
      expect(seen.length, `${a.kind} on ${a.device} not detected`).toBeGreaterThan(0);
      expect(seen.some((f) => f.ts >= from && f.ts <= to), `${a.kind} on ${a.device} detected at the wrong time`).toBe(true);
    }
    // Everything found must be an injected anomaly of that device, of its kind or one it lists as also matching.
    const unexplained = findings.filter(
      (f) =>
        !truth.anomalies.some((a) => {
          const [from, to] = windowOf(a);
          const kinds: string[] = [a.kind, ...(a.alsoMatches ?? [])];
          return a.device.slice(4) === f.device && kinds.includes(f.kind) && f.ts >= from && f.ts <= to;
        }),
    );
    expect(unexplained).toEqual([]);
  });
});

interface Finding {
  device: string;
  kind: string;
  ts: number;
}

/**
 * A deliberately plain detector of the eight kinds: learn per device and per model from the frames
 * before `learningEnd`, then report the first departure of each kind per device (and peer or port).
 */
function referenceDetector(frames: readonly Frame[], truth: ScenarioTruth, gateways: Set<string>, learningEnd: number): Finding[] {
  const modelOf = new Map(truth.devices.map((d) => [d.device.slice(4), d.model]));
  const served = new Map<string, Set<number>>();
  const modelServices = new Map<string, Set<string>>();
  const modelFloors = new Map<string, Set<string>>();
  const clinicalPeers = new Map<string, Set<string>>();
  const hourly = new Map<string, number>();
  const add = <K, V>(map: Map<K, Set<V>>, key: K, value: V): void => void map.set(key, (map.get(key) ?? new Set<V>()).add(value));
  const service = (f: Frame): string | undefined => {
    if (f.ip?.protocol === 6 && isSyn(f)) return `tcp/${f.dport}`;
    if (f.ip?.protocol === 17) return `udp/${Math.min(f.sport ?? 0, f.dport ?? 0)}`;
    return undefined;
  };
  const sorted = [...frames].filter((f) => !gateways.has(f.src)).sort((a, b) => a.ts - b.ts);
  for (const f of sorted) {
    if (f.ts >= learningEnd) break;
    const model = modelOf.get(f.src) ?? '?';
    add(modelFloors, model, f.floor);
    hourly.set(f.src, (hourly.get(f.src) ?? 0) + f.length / 8);
    if (isSynAck(f)) add(served, f.src, f.sport ?? 0);
    const s = service(f);
    if (s) add(modelServices, model, s);
    if (isSyn(f) && (f.dport === 2575 || f.dport === 104)) add(clinicalPeers, f.src, `${f.ip?.dst}:${f.dport}`);
  }
  const findings: Finding[] = [];
  const reported = new Set<string>();
  const report = (device: string, kind: string, ts: number, what = ''): void => {
    if (reported.has(`${device}|${kind}|${what}`)) return;
    reported.add(`${device}|${kind}|${what}`);
    findings.push({ device, kind, ts });
  };
  const syns = new Map<string, Frame[]>();
  const volume = new Map<string, number>();
  for (const f of sorted) {
    if (f.ts < learningEnd) continue;
    const model = modelOf.get(f.src) ?? '?';
    const baseline = hourly.has(f.src);
    if (!baseline) {
      report(f.src, 'new-device-clinical-segment', f.ts);
      continue;
    }
    if (!modelFloors.get(model)?.has(f.floor)) report(f.src, 'unexpected-floor', f.ts, f.floor);
    if (f.ip && isSyn(f) && !isPrivate(f.ip.dst)) report(f.src, 'new-external-destination', f.ts, f.ip.dst);
    if (isSynAck(f) && !served.get(f.src)?.has(f.sport ?? 0)) report(f.src, 'new-listening-port', f.ts, String(f.sport));
    const s = service(f);
    if (s && !modelServices.get(model)?.has(s)) report(f.src, 'new-protocol-for-model', f.ts, s);
    if (isSyn(f) && (f.dport === 2575 || f.dport === 104) && !clinicalPeers.get(f.src)?.has(`${f.ip?.dst}:${f.dport}`)) report(f.src, 'clinical-protocol-unknown-peer', f.ts, `${f.ip?.dst}:${f.dport}`);
    if (isSyn(f)) {
      const recent = [...(syns.get(f.src) ?? []), f].filter((x) => x.ts > f.ts - MINUTE);
      syns.set(f.src, recent);
      if (new Set(recent.map((x) => `${x.ip?.dst}:${x.dport}`)).size >= 100) report(f.src, 'scanning', f.ts);
    }
    const hour = `${f.src}|${Math.floor(f.ts / HOUR)}`;
    volume.set(hour, (volume.get(hour) ?? 0) + f.length);
    if ((volume.get(hour) ?? 0) > 5 * (hourly.get(f.src) ?? 0)) report(f.src, 'volume-outside-baseline', f.ts, hour);
  }
  return findings;
}
