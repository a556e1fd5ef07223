/**
 * The standard hospital mix for benchmarks: every device joins (DHCP through its router, ARP),
 * then bulk DICOM, HL7, HTTPS, SMB2 and discovery traffic, many conversations interleaved, until
 * the packet count is reached. Streamed to a pcap file; deterministic for a seed.
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

/** Share of packets per kind of conversation once everyone has joined. */
const SHARES: Record<SessionKind, number> = { dicom: 0.45, smb: 0.2, https: 0.18, hl7: 0.12, discovery: 0.05 };
/** Conversations in progress at once: frames of different devices follow each other, as on a real port. */
const CONCURRENT = 48;
const START_MICROS = 1_767_254_400_000_000n;

function pick<T>(random: SeededRandom, items: readonly T[]): T {
  return items[random.int(0, items.length - 1)] as T;
}

function nextSession(kind: SessionKind, roster: MixRoster, random: SeededRandom): Uint8Array[] {
  const { devices, servers } = roster;
  const any = (): HospitalDevice => pick(random, devices);
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
  const planned: Record<SessionKind, number> = { dicom: 0, hl7: 0, https: 0, smb: 0, discovery: 0 };
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
    // Every device introduces itself first: DHCP through its subnet's router, then ARP.
    for (const device of roster.devices) {
      const gateway = roster.gateways[Number(device.floor)] ?? roster.gateways[0];
      if (!gateway) break;
      for (const { frame } of joinFrames(device, gateway, 0)) {
        if (packets >= target) break;
        await emit(frame, 'join');
      }
    }
    const kinds = Object.keys(SHARES) as SessionKind[];
    const active: { kind: SessionKind; frames: Uint8Array[]; next: number }[] = [];
    while (packets < target) {
      while (active.length < CONCURRENT) {
        // The kind furthest behind its share goes next.
        const total = kinds.reduce((n, k) => n + planned[k], 0) + 1;
        const kind = kinds.reduce((a, b) => (planned[b] / total - SHARES[b] < planned[a] / total - SHARES[a] ? b : a));
        const frames = nextSession(kind, roster, random);
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
