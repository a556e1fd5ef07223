/**
 * What normal looks like for one device, learnt over its learning window from the sensors'
 * behaviour summaries: the peers it talks to (and on which protocol), the ports it serves, the
 * protocols it uses as a client, its floors, and its volume per hour. A model's expected behaviour
 * is the union of its units' baselines. Plain records, kept as JSON by the analysis.
 */
import type { BehaviourPeer, DeviceKey } from '@wardsight/protocol';

export interface DeviceBaseline {
  device: DeviceKey;
  /** Capture time from which, and until which, the device's behaviour is learnt. */
  learnFrom: string;
  learnUntil: string;
  /** Who identifies the device's kind: `vendor / model` where known, else null. */
  model: string | null;
  /** Peer addresses, and per clinical protocol (hl7, dicom) the peers used for it. */
  peers: string[];
  clinicalPeers: Record<string, string[]>;
  /** `tcp/80`: ports the device answered on. */
  served: string[];
  /** Client protocols: the application where the sensor named it, else `tcp/2575`. */
  protocols: string[];
  /** Bytes the device sent, per hour of capture time (hour start → bytes), while learning. */
  hourly: Record<string, number>;
  /** What was alerted on after learning (so it is raised once, not every interval). */
  accepted: string[];
  /** The hour under way after learning, and its bytes so far. */
  hour: { start: string; bytes: number; alerted: boolean } | null;
}

const CLINICAL_PORTS: Record<number, string> = { 2575: 'hl7', 104: 'dicom', 11112: 'dicom' };

/** The clinical protocol of a conversation (HL7 v2 over MLLP, DICOM), or null. */
export function clinicalProtocol(peer: BehaviourPeer): string | null {
  if (peer.app === 'hl7' || peer.app === 'dicom') return peer.app;
  return peer.transport === 'tcp' ? (CLINICAL_PORTS[peer.port] ?? null) : null;
}

export const servedKey = (peer: BehaviourPeer): string => `${peer.transport}/${peer.port}`;
export const protocolKey = (peer: BehaviourPeer): string => peer.app ?? `${peer.transport}/${peer.port}`;

export function newBaseline(device: DeviceKey, from: string, windowMs: number): DeviceBaseline {
  return {
    device,
    learnFrom: from,
    learnUntil: new Date(Date.parse(from) + windowMs).toISOString(),
    model: null,
    peers: [],
    clinicalPeers: {},
    served: [],
    protocols: [],
    hourly: {},
    accepted: [],
    hour: null,
  };
}

const addTo = (list: string[], value: string): void => {
  if (!list.includes(value)) list.push(value);
};

export const hourOf = (at: string): string => `${at.slice(0, 13)}:00:00.000Z`;

/** Learns one interval's conversations and volume. */
export function learn(base: DeviceBaseline, peers: readonly BehaviourPeer[], bytes: number, at: string): void {
  for (const peer of peers) {
    addTo(base.peers, peer.address);
    const clinical = clinicalProtocol(peer);
    if (clinical) addTo((base.clinicalPeers[clinical] ??= []), peer.address);
    if (peer.role === 'server') addTo(base.served, servedKey(peer));
    else addTo(base.protocols, protocolKey(peer));
  }
  const hour = hourOf(at);
  base.hourly[hour] = (base.hourly[hour] ?? 0) + bytes;
}

/** Hourly volume while learning: mean and highest of the hours the device was heard in. */
export function hourlyVolume(base: DeviceBaseline): { mean: number; max: number; hours: number } {
  const values = Object.values(base.hourly);
  if (values.length === 0) return { mean: 0, max: 0, hours: 0 };
  return { mean: values.reduce((a, b) => a + b, 0) / values.length, max: Math.max(...values), hours: values.length };
}

/** A model's expected behaviour: the union of its units' baselines. */
export interface ModelBehaviour {
  model: string;
  units: number;
  protocols: string[];
  served: string[];
  clinicalPeers: Record<string, string[]>;
  floors: string[];
  /** Mean bytes per hour over every unit's learnt hours. */
  meanBytesPerHour: number;
}

export function modelBehaviour(model: string, units: readonly DeviceBaseline[], floorsOf: (device: DeviceKey) => readonly string[]): ModelBehaviour {
  const protocols = new Set<string>();
  const served = new Set<string>();
  const floors = new Set<string>();
  const clinical: Record<string, Set<string>> = {};
  let bytes = 0;
  let hours = 0;
  for (const unit of units) {
    for (const p of unit.protocols) protocols.add(p);
    for (const s of unit.served) served.add(s);
    for (const f of floorsOf(unit.device)) floors.add(f);
    for (const [proto, peers] of Object.entries(unit.clinicalPeers)) for (const p of peers) (clinical[proto] ??= new Set()).add(p);
    for (const v of Object.values(unit.hourly)) {
      bytes += v;
      hours += 1;
    }
  }
  return {
    model,
    units: units.length,
    protocols: [...protocols].sort(),
    served: [...served].sort(),
    clinicalPeers: Object.fromEntries(Object.entries(clinical).map(([k, v]) => [k, [...v].sort()])),
    floors: [...floors].sort(),
    meanBytesPerHour: hours === 0 ? 0 : Math.round(bytes / hours),
  };
}
