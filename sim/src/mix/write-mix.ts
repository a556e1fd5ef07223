/**
 * The standard hospital mix for benchmarks: bulk DICOM, HL7, HTTPS and SMB2, discovery, and devices
 * joining (DHCP through their router, ARP), many conversations interleaved, until the packet count
 * is reached. The composition is fixed whatever the number of devices: joins are a constant share
 * of the packets (devices join in turn, and once all have, they join again as after a reboot), and
 * every device takes its turn in the sessions, so a mix over more devices differs in how many
 * devices there are, not in what the traffic is. Streamed to a pcap file; deterministic for a seed.
 */
import type { HospitalDevice } from '../devices.js';
import { PcapWriter } from '../pcap-writer.js';
import { SeededRandom } from '../prng.js';
import { joinFrames } from '../traffic/join.js';
import { buildMixRoster, type MixRoster } from './roster.js';
import { dicomStore, discovery, hl7Report, httpsSession, smbSession, type SessionKind } from './sessions.js';

export interface MixOptions {
  packets: number;
  devices: number;
  seed?: number;
}

export interface MixSummary {
  packets: number;
  bytes: number;
  devices: number;
  durationS: number;
  byProtocol: Record<string, number>;
}

type MixKind = SessionKind | 'join';

/** Share of packets per kind of conversation; joins (DHCP and ARP, 7 frames each) are 3.5 %. */
const SHARES: Record<MixKind, number> = { dicom: 0.43, smb: 0.19, https: 0.175, hl7: 0.12, discovery: 0.05, join: 0.035 };
/** Conversations in progress at once: frames of different devices follow each other, as on a real port. */
const CONCURRENT = 48;
const START_MICROS = 1_767_254_400_000_000n;

function pick<T>(random: SeededRandom, items: readonly T[]): T {
  return items[random.int(0, items.length - 1)] as T;
}

/** Devices in a shuffled order, taken in turn, so that every device has traffic before any has twice. */
class Turns {
  private readonly order: HospitalDevice[];
  private next = 0;
  constructor(devices: readonly HospitalDevice[], random: SeededRandom) {
    this.order = [...devices];
    for (let i = this.order.length - 1; i > 0; i--) {
      const j = random.int(0, i);
      [this.order[i], this.order[j]] = [this.order[j] as HospitalDevice, this.order[i] as HospitalDevice];
    }
  }
  take(): HospitalDevice {
    const d = this.order[this.next] as HospitalDevice;
    this.next = (this.next + 1) % this.order.length;
    return d;
  }
}

function nextSession(kind: SessionKind, roster: MixRoster, random: SeededRandom, turns: Turns): Uint8Array[] {
  const { servers } = roster;
  const any = (): HospitalDevice => turns.take();
  const of = (category: string): HospitalDevice => {
    for (let i = 0; i < 20; i++) {
      const d = any();
      if (d.category === category) return d;
    }
    return any();
  };
  switch (kind) {
    case 'dicom':
      return dicomStore(random, of('ct'), pick(random, servers.pacs), random.int(200, 900));
    case 'hl7':
      return hl7Report(random, of('patient-monitor'), servers.hl7, random.int(1, 4));
    case 'https':
      return httpsSession(random, any(), servers.web, random.int(2, 8));
    case 'smb':
      return smbSession(random, of('workstation'), servers.files, random.int(3, 12));
    case 'discovery':
      return discovery(random, any(), any());
  }
}

export async function writeMix(path: string, options: MixOptions): Promise<MixSummary> {
  const random = new SeededRandom(options.seed ?? 1);
  const target = Math.max(1, Math.floor(options.packets));
  const roster = buildMixRoster(Math.max(1, Math.floor(options.devices)), random);
  const writer = new PcapWriter(path);
  const byProtocol: Record<string, number> = { join: 0, dicom: 0, hl7: 0, https: 0, smb: 0, discovery: 0 };
  /** Frames of each kind emitted or already queued: what the next choice balances. */
  const planned: Record<MixKind, number> = { dicom: 0, hl7: 0, https: 0, smb: 0, discovery: 0, join: 0 };
  const turns = new Turns(roster.devices, random);
  let joined = 0;
  /** The next device's join: each in roster order first, then again at random (a reboot, a new lease). */
  const nextJoin = (): Uint8Array[] => {
    const device = joined < roster.devices.length ? roster.devices[joined++] : pick(random, roster.devices);
    const gateway = device && (roster.gateways[Number(device.floor)] ?? roster.gateways[0]);
    // Without frames the join's share would never be met and the mix would not end.
    if (!device || !gateway) throw new Error('the mix roster has no device or no router to join through');
    return joinFrames(device, gateway, 0).map((j) => j.frame);
  };
  let packets = 0;
  let bytes = 0;
  let ts = START_MICROS;
  const emit = async (frame: Uint8Array, kind: string): Promise<void> => {
    ts += BigInt(random.int(1, 8));
    if (!writer.write(frame, ts)) await writer.drained();
    packets += 1;
    bytes += frame.length;
    byProtocol[kind] = (byProtocol[kind] ?? 0) + 1;
  };
  try {
    const kinds = Object.keys(SHARES) as MixKind[];
    const active: { kind: MixKind; frames: Uint8Array[]; next: number }[] = [];
    while (packets < target) {
      while (active.length < CONCURRENT) {
        // The kind furthest behind its share goes next.
        const total = kinds.reduce((n, k) => n + planned[k], 0) + 1;
        const kind = kinds.reduce((a, b) => (planned[b] / total - SHARES[b] < planned[a] / total - SHARES[a] ? b : a));
        const frames = kind === 'join' ? nextJoin() : nextSession(kind, roster, random, turns);
        planned[kind] += frames.length;
        active.push({ kind, frames, next: 0 });
      }
      const i = random.int(0, active.length - 1);
      const session = active[i];
      if (!session) continue;
      const frame = session.frames[session.next++];
      if (frame) await emit(frame, session.kind);
      if (session.next >= session.frames.length) active.splice(i, 1);
    }
  } finally {
    await writer.close();
  }
  return { packets, bytes, devices: roster.devices.length, durationS: Number(ts - START_MICROS) / 1e6, byProtocol };
}
