/**
 * A small, deterministic hospital: two floors, each with its own router, devices that join by DHCP
 * and then talk DICOM, HL7, TLS, HTTP and raw printing, within and across floors. One seed always
 * gives the same captures and the same ground truth.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { truthOf, type Gateway, type HospitalDevice, type TruthDevice } from './devices.js';
import { HospitalNetwork } from './network.js';
import { PcapWriter } from './pcap-writer.js';
import { SeededRandom } from './prng.js';
import { buildRoster } from './roster.js';
import { ipv6StartFrames } from './traffic/ipv6-neighbour.js';
import { joinFrames } from './traffic/join.js';
import { planSessions } from './traffic/plan.js';

export interface HospitalOptions {
  seed?: number;
  /** Application sessions each initiating device starts. */
  sessionsPerDevice?: number;
}

export const HOSPITAL_DEFAULTS = { seed: 1, sessionsPerDevice: 3 } as const;
/** Captures start at 2026-01-01T08:00:00Z, in microseconds since the epoch. */
export const HOSPITAL_START_MICROS = Date.UTC(2026, 0, 1, 8, 0, 0) * 1000;
/** Upper bound on sessions per device: beyond it the captures grow past what a test wants to hold in memory. */
const MAX_SESSIONS_PER_DEVICE = 50;
/** Application traffic starts once every device has joined. */
const APPLICATION_START_MICROS = 60_000_000;

export interface FloorCapture {
  floor: string;
  /** Frames in time order; `ts` in microseconds since the epoch. */
  frames: { ts: bigint; frame: Uint8Array }[];
}

export interface Hospital {
  seed: number;
  devices: HospitalDevice[];
  infrastructure: Gateway[];
  floors: FloorCapture[];
}

export interface HospitalTruth {
  generatedBy: 'wardsight sim';
  seed: number;
  devices: TruthDevice[];
  infrastructure: TruthDevice[];
}

export function buildHospital(options: HospitalOptions = {}): Hospital {
  const seed = (options.seed ?? HOSPITAL_DEFAULTS.seed) >>> 0;
  const requested = Math.floor(options.sessionsPerDevice ?? HOSPITAL_DEFAULTS.sessionsPerDevice);
  const sessionsPerDevice = Math.min(MAX_SESSIONS_PER_DEVICE, Math.max(0, Number.isFinite(requested) ? requested : 0));
  const random = new SeededRandom(seed);
  const { devices, gateways } = buildRoster(random);
  const network = new HospitalNetwork(gateways, random);

  // Devices join one after another on each floor, a second or two apart.
  const clock = new Map(gateways.map((g) => [g.floor, HOSPITAL_START_MICROS + random.int(100_000, 900_000)]));
  for (const device of devices) {
    const gateway = gateways.find((g) => g.floor === device.floor);
    if (!gateway) throw new RangeError(`no gateway on floor ${device.floor}`);
    let ts = clock.get(device.floor) ?? HOSPITAL_START_MICROS;
    for (const frame of joinFrames(device, gateway, ts)) {
      network.mirror(device.floor, frame.ts, frame.frame);
      ts = frame.ts;
    }
    // The router learns the client from the relayed lease; the client learns the router by ARP.
    network.learn(device, gateway.ip);
    network.learn(gateway, device.ip);
    if (device.ipv6) {
      for (const frame of ipv6StartFrames(device, gateway, ts + random.int(200_000, 600_000))) network.mirror(device.floor, frame.ts, frame.frame);
    }
    clock.set(device.floor, ts + random.int(800_000, 2_500_000));
  }

  const sessions = planSessions(devices, random, sessionsPerDevice, HOSPITAL_START_MICROS + APPLICATION_START_MICROS);
  for (const session of sessions) session.run(network, random, session.start);

  const floors = network.floors().map(({ floor, frames }) => ({ floor, frames: frames.map((f) => ({ ts: BigInt(f.ts), frame: f.frame })) }));
  return { seed, devices, infrastructure: gateways, floors };
}

export function hospitalTruth(hospital: Hospital): HospitalTruth {
  return {
    generatedBy: 'wardsight sim',
    seed: hospital.seed,
    devices: hospital.devices.map(truthOf),
    infrastructure: hospital.infrastructure.map(truthOf),
  };
}

export interface HospitalFiles {
  /** `floor-<n>.pcap` per floor. */
  pcaps: { floor: string; path: string }[];
  truth: string;
}

/** Writes `floor-1.pcap`, `floor-2.pcap` and `truth.json` into `dir` (created if missing). */
export async function writeHospital(dir: string, options: HospitalOptions = {}): Promise<HospitalFiles> {
  const hospital = buildHospital(options);
  await mkdir(dir, { recursive: true });
  const pcaps: HospitalFiles['pcaps'] = [];
  for (const { floor, frames } of hospital.floors) {
    const path = join(dir, `floor-${floor}.pcap`);
    const writer = new PcapWriter(path);
    try {
      for (const { ts, frame } of frames) if (!writer.write(frame, ts)) await writer.drained();
    } finally {
      await writer.close();
    }
    pcaps.push({ floor, path });
  }
  const truth = join(dir, 'truth.json');
  await writeFile(truth, `${JSON.stringify(hospitalTruth(hospital), null, 2)}\n`);
  return { pcaps, truth };
}
