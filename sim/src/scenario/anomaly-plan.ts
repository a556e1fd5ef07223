/**
 * Which anomalies the day carries, on which devices and when: each of the hub's eight alert kinds
 * twice, after the learning window, each on a different device at a different time, so that any
 * alert a hub raises can be matched to one injected anomaly or counted as false.
 */
import type { SeededRandom } from '../prng.js';
import type { Fleet, ScenarioDevice } from './fleet.js';
import { MONITORS, PUMPS } from './models.js';
import { moveAt, wholeMillis, type PlannedMove } from './moves.js';
import { FLOOR_IDS, LEARNING_END_MICROS, MINUTE_MICROS, SCENARIO_END_MICROS, SERVERS, type FloorId } from './site.js';

/** The hub's alert kinds (hub/src/alerts/alert.ts), each injected here. */
export const ANOMALY_KINDS = [
  'new-external-destination',
  'new-listening-port',
  'new-protocol-for-model',
  'volume-outside-baseline',
  'unexpected-floor',
  'new-device-clinical-segment',
  'clinical-protocol-unknown-peer',
  'scanning',
] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

export const ANOMALY_DEFAULTS = {
  /** Instances of each kind, on different devices. */
  perKind: 2,
  /** The first anomaly waits this long after the learning window; the last ends this long before the day does. */
  afterLearningMinutes: 20,
  beforeEndMinutes: 45,
  /** How much more than its learned hourly bytes a device sends in its volume anomaly's hour. */
  volumeFactor: 20,
  /** Distinct targets a scan reaches within its minute. */
  scanTargets: 150,
} as const;

export interface PlannedAnomaly {
  kind: AnomalyKind;
  /** Which of the kind's instances (0 or 1): each kind is injected in two different ways. */
  variant: number;
  device: ScenarioDevice;
  /** When the first anomalous frame is planned (for a listening port, the peer's SYN just before it). */
  at: number;
  /** The other device of the exchange, where one is on the floor (the client of a new listening port). */
  peerDevice?: ScenarioDevice;
  /** The remote address it reaches, where there is one. */
  peer?: string;
  port?: number;
  /** For a scan, what it probes, in order. */
  probes?: { ip: string; port: number }[];
  /** For an unexpected floor, the move that takes it there; for a new device, the floor it joins. */
  move?: PlannedMove;
  joins?: FloorId;
}

/**
 * A device passing `test` not yet given an anomaly, on the floor with the fewest anomalies so far
 * that has one, so that every sensor sees its share.
 */
function pick(random: SeededRandom, devices: readonly ScenarioDevice[], used: Set<ScenarioDevice>, test: (d: ScenarioDevice) => boolean): ScenarioDevice {
  const pool = devices.filter((d) => !used.has(d) && !d.newcomer && test(d));
  const load = (floor: FloorId): number => [...used].filter((d) => d.homeFloor === floor).length;
  const floors = FLOOR_IDS.filter((f) => pool.some((d) => d.homeFloor === f));
  const quietest = Math.min(...floors.map(load));
  const candidates = pool.filter((d) => load(d.homeFloor) === quietest);
  const device = candidates[random.int(0, candidates.length - 1)];
  if (!device) throw new RangeError('no device left for an anomaly');
  used.add(device);
  return device;
}

/** Sixteen times after the learning window, about an hour apart, in shuffled order of kind. */
function slots(random: SeededRandom, count: number): number[] {
  const first = LEARNING_END_MICROS + ANOMALY_DEFAULTS.afterLearningMinutes * MINUTE_MICROS;
  const last = SCENARIO_END_MICROS - ANOMALY_DEFAULTS.beforeEndMinutes * MINUTE_MICROS;
  const spacing = (last - first) / count;
  const times = Array.from({ length: count }, (_, i) => wholeMillis(first + i * spacing + random.int(0, Math.floor(spacing / 2))));
  for (let i = times.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [times[i], times[j]] = [times[j] as number, times[i] as number];
  }
  return times;
}

export function planAnomalies(random: SeededRandom, fleet: Fleet): PlannedAnomaly[] {
  const devices = [...fleet.devices];
  const used = new Set<ScenarioDevice>();
  const kindOf = (k: ScenarioDevice['model']['kind']) => (d: ScenarioDevice) => d.model.kind === k;
  const workstation = kindOf('workstation');
  const times = slots(random, ANOMALY_KINDS.length * ANOMALY_DEFAULTS.perKind);
  let slot = 0;
  const next = (): number => times[slot++] ?? LEARNING_END_MICROS;
  const anomalies: PlannedAnomaly[] = [];
  const add = (a: PlannedAnomaly): void => void anomalies.push(a);

  // Documentation ranges (RFC 5737) stand for public addresses the hospital never uses.
  add({ kind: 'new-external-destination', variant: 0, device: pick(random, devices, used, workstation), at: next(), peer: `203.0.113.${random.int(10, 250)}`, port: 443 });
  add({ kind: 'new-external-destination', variant: 1, device: pick(random, devices, used, kindOf('phone')), at: next(), peer: `198.51.100.${random.int(10, 250)}`, port: 443 });

  // A workstation starts serving SMB, another HTTPS, each to a workstation of its own floor.
  for (const [variant, port] of [[0, 445], [1, 443]] as const) {
    const server = pick(random, devices, used, workstation);
    const client = pick(random, devices, used, (d) => workstation(d) && d.homeFloor === server.homeFloor);
    add({ kind: 'new-listening-port', variant, device: server, peerDevice: client, at: next(), port });
  }

  add({ kind: 'new-protocol-for-model', variant: 0, device: pick(random, devices, used, kindOf('infusion-pump')), at: next(), port: 23 });
  add({ kind: 'new-protocol-for-model', variant: 1, device: pick(random, devices, used, kindOf('patient-monitor')), at: next(), port: 21 });

  add({ kind: 'volume-outside-baseline', variant: 0, device: pick(random, devices, used, kindOf('infusion-pump')), at: next(), port: 2575 });
  add({ kind: 'volume-outside-baseline', variant: 1, device: pick(random, devices, used, workstation), at: next(), port: 445 });

  // A desktop that never prints, and a modality, each on a floor its model never was on.
  const desktop = pick(random, devices, used, (d) => workstation(d) && !d.printsTo);
  const modality = pick(random, devices, used, kindOf('imaging'));
  for (const [variant, device] of [[0, desktop], [1, modality]] as const) {
    const at = next();
    add({ kind: 'unexpected-floor', variant, device, at, move: { ...moveAt(random, device, at), unexpected: true } });
  }

  // New units of known models join a floor: the device is new, its behaviour is not.
  for (const [variant, models] of [[0, PUMPS], [1, MONITORS]] as const) {
    const floor = random.pick(FLOOR_IDS);
    const device = fleet.add(random.pick(models), floor, true, true);
    used.add(device);
    add({ kind: 'new-device-clinical-segment', variant, device, at: next(), joins: floor });
  }

  const lisSender = pick(random, devices, used, kindOf('patient-monitor'));
  add({ kind: 'clinical-protocol-unknown-peer', variant: 0, device: lisSender, at: next(), port: 2575 });
  add({ kind: 'clinical-protocol-unknown-peer', variant: 1, device: pick(random, devices, used, kindOf('imaging')), at: next(), port: 104 });

  // A port scan of the file server (sparing the port it uses, whose SYN-ACK would open a session), and a sweep of the data centre.
  const ports = random.distinct(ANOMALY_DEFAULTS.scanTargets + 1, 1, 1024).filter((p) => p !== 445).slice(0, ANOMALY_DEFAULTS.scanTargets);
  add({ kind: 'scanning', variant: 0, device: pick(random, devices, used, workstation), at: next(), probes: ports.map((port) => ({ ip: SERVERS.files.ip, port })) });
  const hosts = random.distinct(ANOMALY_DEFAULTS.scanTargets, 1, 254).map((h) => ({ ip: `10.20.0.${h}`, port: 22 }));
  add({ kind: 'scanning', variant: 1, device: pick(random, devices, used, kindOf('phone')), at: next(), port: 22, probes: hosts });
  return anomalies;
}

/** Devices the anomalies use (either end), which the normal moves leave alone. */
export function anomalyDevices(anomalies: readonly PlannedAnomaly[]): Set<ScenarioDevice> {
  return new Set(anomalies.flatMap((a) => (a.peerDevice ? [a.device, a.peerDevice] : [a.device])));
}
