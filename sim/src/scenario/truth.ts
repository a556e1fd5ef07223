/**
 * `truth.json` of the simulated day: the floors and their sensors, every device with where it was
 * when, the moves, and the injected anomalies with the time of their first frame. Times are ISO
 * 8601 in capture time, to the millisecond; the first frame of a move or an anomaly falls within
 * the millisecond its `at` names.
 */
import type { PlannedAnomaly } from './anomaly-plan.js';
import type { AnomalyKind } from './anomaly-plan.js';
import type { CaptureLedger } from './ledger.js';
import type { DeviceKind, ScenarioCategory } from './models.js';
import type { DayPlan } from './plan.js';
import { DATA_CENTRE_SUBNET, LEARNING_END_MICROS, SCENARIO_END_MICROS, SCENARIO_START_MICROS, SERVERS, isoTime, type FloorId, type SensorLocation } from './site.js';

export interface ScenarioTruthFloor {
  sensorId: string;
  location: SensorLocation;
  subnet: string;
  gateway: { ip: string; mac: string };
  /** File name within the output directory. */
  pcap: string;
}

export interface ScenarioTruthDevice {
  /** `mac:` + its MAC, as the hub keys devices. */
  device: string;
  name: string;
  kind: DeviceKind;
  vendor: string;
  model: string;
  category: ScenarioCategory;
  homeFloor: FloorId;
  mobile: boolean;
  /** First seen after the learning window. */
  newcomer: boolean;
  softwareVersion: string;
  /** Where it was, with which address, from its DHCP exchange there until it left (or the day ended). */
  stays: { floor: FloorId; ip: string; from: string; to: string }[];
}

export interface ScenarioTruthMove {
  device: string;
  from: FloorId;
  to: FloorId;
  /** Its first frame on `to`: the DHCPDISCOVER. */
  at: string;
  /** Its last frame on `from`. */
  leftAt: string;
  /** False for a fixed device arriving where its model never was (also listed as an anomaly). */
  expected: boolean;
}

export interface ScenarioTruthAnomaly {
  device: string;
  kind: AnomalyKind;
  /** Its first anomalous frame. */
  at: string;
  /** The last frame of the anomalous exchange, for anomalies that are one. */
  end?: string;
  floor: FloorId;
  sensorId: string;
  detail: string;
  peer?: string;
  port?: number;
  /**
   * Other kinds a detector may fairly raise for the same frames (a scan's probes reach ports the
   * model never used): alerts of these kinds on this device within [at, end] are not false.
   */
  alsoMatches?: AnomalyKind[];
}

export interface ScenarioTruth {
  generatedBy: 'wardsight sim scenario day';
  seed: number;
  start: string;
  end: string;
  learningEnd: string;
  floors: ScenarioTruthFloor[];
  dataCentre: { subnet: string; servers: { name: string; ip: string }[] };
  devices: ScenarioTruthDevice[];
  moves: ScenarioTruthMove[];
  anomalies: ScenarioTruthAnomaly[];
  packets: { total: number; perSensor: Record<string, number> };
}

export const pcapName = (floor: FloorId): string => `floor${floor}.pcap`;
const key = (mac: string): string => `mac:${mac}`;

export function scenarioTruth(plan: DayPlan, ledger: CaptureLedger): ScenarioTruth {
  const first = (mac: string, floor: FloorId): number => ledger.span(mac, floor)?.first ?? Number.NaN;
  return {
    generatedBy: 'wardsight sim scenario day',
    seed: plan.seed,
    start: isoTime(SCENARIO_START_MICROS),
    end: isoTime(SCENARIO_END_MICROS),
    learningEnd: isoTime(LEARNING_END_MICROS),
    floors: plan.floors.map((f) => ({ sensorId: f.sensorId, location: f.location, subnet: f.subnet, gateway: { ip: f.gateway.ip, mac: f.gateway.mac }, pcap: pcapName(f.id) })),
    dataCentre: { subnet: DATA_CENTRE_SUBNET, servers: Object.values(SERVERS).map((s) => ({ name: s.hostname, ip: s.ip })) },
    devices: plan.devices.map((d) => ({
      device: key(d.mac),
      name: d.hostname,
      kind: d.model.kind,
      vendor: d.model.vendor,
      model: d.model.model,
      category: d.model.category,
      homeFloor: d.homeFloor,
      mobile: d.mobile,
      newcomer: d.newcomer,
      softwareVersion: d.model.softwareVersion,
      stays: plan.stays
        .filter((s) => s.device === d)
        .sort((a, b) => a.from - b.from)
        .map((s) => ({ floor: s.floor, ip: s.ip, from: isoTime(s.from), to: isoTime(s.to) })),
    })),
    moves: plan.moves.map((m) => ({
      device: key(m.device.mac),
      from: m.from,
      to: m.to,
      at: isoTime(first(m.device.mac, m.to)),
      leftAt: isoTime(ledger.span(m.device.mac, m.from)?.last ?? Number.NaN),
      expected: !m.unexpected,
    })),
    anomalies: plan.anomalies
      .map((a) => anomalyTruth(plan, ledger, a))
      .sort((a, b) => a.at.localeCompare(b.at)),
    packets: { total: ledger.frames, perSensor: Object.fromEntries(plan.floors.map((f) => [f.sensorId, ledger.framesPerFloor.get(f.id) ?? 0])) },
  };
}

function anomalyTruth(plan: DayPlan, ledger: CaptureLedger, a: PlannedAnomaly): ScenarioTruthAnomaly {
  const floor = a.move?.to ?? a.joins ?? plan.stays.find((s) => s.device === a.device && s.from <= a.at && s.to > a.at)?.floor ?? a.device.homeFloor;
  const frames = plan.anomalyFrames.get(a);
  const at = frames?.first ?? ledger.span(a.device.mac, floor)?.first ?? Number.NaN;
  const out: ScenarioTruthAnomaly = { device: key(a.device.mac), kind: a.kind, at: isoTime(at), floor, sensorId: `floor${floor}`, detail: describe(a, ledger, floor) };
  if (frames) out.end = isoTime(frames.last);
  const peer = a.peer ?? peerOf(plan, a);
  if (peer !== undefined) out.peer = peer;
  if (a.port !== undefined) out.port = a.port;
  if (a.kind === 'scanning') {
    // Probes reach ports the model never used, and a probe of 104 or 2575 looks like DICOM or HL7 to a new peer.
    const clinical = (a.probes ?? []).some((p) => p.port === 104 || p.port === 2575);
    out.alsoMatches = clinical ? ['new-protocol-for-model', 'clinical-protocol-unknown-peer'] : ['new-protocol-for-model'];
  }
  return out;
}

/** The other end of an exchange anomaly, where it has one. */
function peerOf(plan: DayPlan, a: PlannedAnomaly): string | undefined {
  switch (a.kind) {
    case 'new-listening-port':
      return plan.stays.find((s) => s.device === a.peerDevice && s.from <= a.at && s.to > a.at)?.ip;
    case 'new-protocol-for-model':
      return a.port === 23 ? SERVERS.hl7.ip : SERVERS.files.ip;
    case 'volume-outside-baseline':
      return a.port === 2575 ? SERVERS.hl7.ip : SERVERS.files.ip;
    case 'clinical-protocol-unknown-peer':
      return a.port === 2575 ? SERVERS.lis.ip : SERVERS.researchPacs.ip;
    default:
      return undefined;
  }
}

function describe(a: PlannedAnomaly, ledger: CaptureLedger, floor: FloorId): string {
  const model = `${a.device.model.vendor} ${a.device.model.model}`;
  switch (a.kind) {
    case 'new-external-destination':
      return `TLS to ${a.peer ?? '?'}:${a.port ?? 443}/tcp, an internet address the device never used`;
    case 'new-listening-port':
      return `answers ${a.port === 445 ? 'SMB' : 'HTTPS'} on tcp/${a.port ?? 0} to ${a.peerDevice?.hostname ?? 'a peer'} on floor ${floor}, a port it never served`;
    case 'new-protocol-for-model':
      return a.port === 23 ? `telnet (tcp/23) to ${SERVERS.hl7.hostname}: no ${model} ever spoke telnet` : `FTP (tcp/21) to ${SERVERS.files.hostname}: no ${model} ever spoke FTP`;
    case 'volume-outside-baseline': {
      const how = a.port === 2575 ? `an HL7 event-log upload to ${SERVERS.hl7.hostname}` : `an SMB2 write to ${SERVERS.files.hostname}`;
      return `about 20× its learned ${Math.round(ledger.learnedHourlyBytes(a.device.mac))} bytes an hour within one hour: ${how}, its usual peer`;
    }
    case 'unexpected-floor':
      return `${model} arrives on floor ${floor} from floor ${a.move?.from ?? '?'}; no ${model} was on floor ${floor} during learning`;
    case 'new-device-clinical-segment':
      return `a ${model} never seen before joins floor ${floor}: DHCP, then the usual traffic of its model`;
    case 'clinical-protocol-unknown-peer':
      return a.port === 2575 ? `HL7 ORU to ${SERVERS.lis.hostname} (${SERVERS.lis.ip}:2575), a peer it never sent HL7 to` : `DICOM C-STORE to ${SERVERS.researchPacs.hostname} (${SERVERS.researchPacs.ip}:104), a peer it never sent DICOM to`;
    case 'scanning':
      return a.variant === 0
        ? `SYNs to ${a.probes?.length ?? 0} TCP ports of ${SERVERS.files.hostname} (${SERVERS.files.ip}) within a minute`
        : `SYNs to ${a.probes?.length ?? 0} addresses of ${DATA_CENTRE_SUBNET} on tcp/${a.port ?? 22} within a minute`;
  }
}
