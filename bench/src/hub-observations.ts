/**
 * What the simulated sensors report: the devices of one simulated hospital (real makers' OUIs,
 * DHCP vendor classes and parameter lists, host names and addresses from the sim roster), dealt
 * out `devicesPerSensor` to a sensor so that no two sensors share a device, and for each device the
 * facts a sensor's fingerprinting finds — vendor from the OUI, IP from ARP and the DHCP ACK, host
 * name, DHCP vendor class, parameter list and client id, and a listening service — with the same
 * signals, evidence and confidences as edge-core's identity fingerprints.
 */
import { buildMixRoster, SeededRandom, type DeviceCategory, type HospitalDevice } from '@wardsight/sim';
import type { DeviceKey, Observation, ObservationBatch } from '@wardsight/protocol';

export type BenchFact = Pick<Observation, 'attribute' | 'value' | 'signal' | 'evidence' | 'confidence'>;

export interface BenchDevice {
  key: DeviceKey;
  facts: BenchFact[];
}

/** The service each kind of device answers on (IANA: 104 DICOM, 2575 HL7, 9100 raw printing, 3389 RDP). */
const SERVICE_PORT: Record<DeviceCategory, number> = {
  pacs: 104,
  ct: 104,
  'hl7-interface-engine': 2575,
  'patient-monitor': 2575,
  'infusion-pump': 443,
  workstation: 3389,
  printer: 9100,
  router: 22,
};

export function benchSensorId(index: number): string {
  return `bench-${String(index + 1).padStart(4, '0')}`;
}

/** Every sensor's devices: the hospital's clinical devices in roster order, `devicesPerSensor` to a sensor. */
export function fleetDevices(sensors: number, devicesPerSensor: number, seed: number): HospitalDevice[][] {
  const count = sensors * devicesPerSensor;
  const roster = buildMixRoster(count, new SeededRandom(seed)).devices;
  // The roster starts with a handful of shared servers; sensors report only devices of their own.
  const clinical = roster.slice(roster.length - count);
  return Array.from({ length: sensors }, (_, s) => clinical.slice(s * devicesPerSensor, (s + 1) * devicesPerSensor));
}

export function factsOf(d: HospitalDevice): BenchDevice {
  const port = SERVICE_PORT[d.category];
  const oui = d.mac.slice(0, 8).toUpperCase();
  const params = d.dhcp.parameterRequestList.join(',');
  const xid = (parseInt(d.mac.slice(9).replaceAll(':', ''), 16) ^ 0x5a17).toString(16);
  const clientId = `01${d.mac.replaceAll(':', '')}`;
  return {
    key: `mac:${d.mac}`,
    facts: [
      { attribute: 'vendor', value: d.vendor, signal: 'oui', evidence: `MA-L ${oui} ${d.vendor}`, confidence: 0.7 },
      { attribute: 'ip', value: d.ip, signal: 'arp.sender', evidence: `arp op 2 ${d.mac} is-at ${d.ip}`, confidence: 0.9 },
      { attribute: 'ip', value: d.ip, signal: 'dhcp.yiaddr', evidence: `DHCPACK xid ${xid} yiaddr ${d.ip}`, confidence: 0.95 },
      { attribute: 'hostname', value: d.hostname, signal: 'dhcp.option12', evidence: d.hostname, confidence: 0.9 },
      { attribute: 'dhcp.vendorClass', value: d.dhcp.vendorClassId, signal: 'dhcp.option60', evidence: d.dhcp.vendorClassId, confidence: 0.9 },
      { attribute: 'dhcp.parameterList', value: params, signal: 'dhcp.option55', evidence: params, confidence: 0.9 },
      { attribute: 'dhcp.clientId', value: clientId, signal: 'dhcp.option61', evidence: clientId, confidence: 0.9 },
      { attribute: 'service', value: `tcp/${port}`, signal: 'tcp.synAck', evidence: `SYN-ACK from ${d.ip}:${port}`, confidence: 0.9 },
    ],
  };
}

/**
 * One sensor's stream of observations: every fact of every one of its devices in turn, device by
 * device as a sensor finds them (a DHCP exchange yields several facts at once), then round again
 * with a later `lastSeen`, as a sensor re-reports what it still sees.
 */
export class ObservationSource {
  private device = 0;
  private fact = 0;
  private seq = 0;

  constructor(
    readonly sensorId: string,
    private readonly devices: readonly BenchDevice[],
    private readonly firstSeen: string,
  ) {}

  /** The `seq` of the latest batch; batches are numbered from 1 without gaps. */
  get lastSeq(): number {
    return this.seq;
  }

  /** The next batch: `size` observations, a fresh `seq`, and the devices it speaks of. */
  next(size: number, now = new Date().toISOString()): { batch: ObservationBatch; devices: DeviceKey[] } {
    const observations: Observation[] = [];
    const devices: DeviceKey[] = [];
    while (observations.length < size) {
      const d = this.devices[this.device] as BenchDevice;
      if (this.fact === 0 || devices.length === 0) devices.push(d.key);
      const f = d.facts[this.fact] as BenchFact;
      observations.push({ device: d.key, attribute: f.attribute, value: f.value, signal: f.signal, evidence: f.evidence, confidence: f.confidence, firstSeen: this.firstSeen, lastSeen: now });
      this.fact += 1;
      if (this.fact === d.facts.length) {
        this.fact = 0;
        this.device = (this.device + 1) % this.devices.length;
      }
    }
    this.seq += 1;
    // A sensor with a single device repeats it within a batch; name it once.
    const named = devices.length === new Set(devices).size ? devices : [...new Set(devices)];
    return { batch: { v: 1, sensorId: this.sensorId, seq: this.seq, sentAt: now, observations }, devices: named };
  }
}
