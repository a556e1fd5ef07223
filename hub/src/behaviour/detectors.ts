/**
 * Anomaly detectors: one device's interval, after its learning window, against its baseline and
 * its model's. Each conversation is judged once, by the first rule that fits — a new internet
 * destination, HL7 or DICOM to an unknown peer, a protocol the model never used, a port the device
 * never served — so one odd conversation is one alert. A scan is judged first and stands for
 * everything else in its interval. Pure: findings out, the baseline's `accepted` and `hour` updated.
 */
import type { DeviceBehaviour } from '@wardsight/protocol';
import type { AlertFinding } from '../alerts/alert.js';
import { clinicalProtocol, hourOf, hourlyVolume, protocolKey, servedKey, type DeviceBaseline, type ModelBehaviour } from './baseline.js';

export const detectorDefaults = {
  /** Distinct peer addresses, or ports on one address, in one interval that make a scan. */
  scanTargets: 50,
  /** An hour's bytes above this many times the highest learnt hour is out of baseline… */
  volumeFactor: 4,
  /** …and above this many bytes at all (a quiet device doubling its few packets is not news). */
  volumeFloorBytes: 50_000,
};
export type DetectorOptions = typeof detectorDefaults;

const PRIVATE_V4: readonly [number, number][] = [
  [0x0a000000, 8], // 10/8 RFC 1918
  [0xac100000, 12], // 172.16/12 RFC 1918
  [0xc0a80000, 16], // 192.168/16 RFC 1918
  [0x64400000, 10], // 100.64/10 RFC 6598 shared address space
  [0x7f000000, 8], // loopback
  [0xa9fe0000, 16], // link-local RFC 3927
  [0xe0000000, 4], // multicast
  [0x00000000, 8], // "this network"
  [0xffffffff, 32], // limited broadcast
];

/** DHCP and DHCPv6, as the sensor names them or by their server ports. */
const LEASE_PROTOCOLS = new Set(['dhcp', 'dhcpv6', 'udp/67', 'udp/547']);

/** Whether an address is outside the hospital's own networks (neither private, local nor multicast). */
export function isExternal(address: string): boolean {
  if (address.includes(':')) return !/^(fe[89ab]|f[cd]|ff|::1$|::$)/i.test(address);
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return false;
  const value = (((parts[0] ?? 0) << 24) | ((parts[1] ?? 0) << 16) | ((parts[2] ?? 0) << 8) | (parts[3] ?? 0)) >>> 0;
  return !PRIVATE_V4.some(([net, bits]) => (bits === 0 ? true : value >>> (32 - bits) === net >>> (32 - bits)));
}

export interface Examined {
  device: DeviceBehaviour;
  sensorId: string;
  base: DeviceBaseline;
  model: ModelBehaviour | null;
}

function finding(e: Examined, kind: AlertFinding['kind'], severity: AlertFinding['severity'], title: string, dedup: string, evidence: AlertFinding['evidence'], at: string): AlertFinding {
  return { kind, severity, device: e.device.device, sensorId: e.sensorId, title, evidence, at, dedup };
}

/** True once: the key is then accepted, so the same departure is not raised every interval. */
function firstTime(base: DeviceBaseline, key: string): boolean {
  if (base.accepted.includes(key)) return false;
  base.accepted.push(key);
  return true;
}

/** A scan in one interval: many addresses, or many ports on one address. */
export function scanFinding(e: Examined, o: DetectorOptions = detectorDefaults): AlertFinding | null {
  const outbound = e.device.peers.filter((p) => p.role === 'client');
  const addresses = new Set(outbound.map((p) => p.address));
  const portsPer = new Map<string, Set<number>>();
  for (const p of outbound) {
    let ports = portsPer.get(p.address);
    if (!ports) portsPer.set(p.address, (ports = new Set()));
    ports.add(p.port);
  }
  let widest = 0;
  let widestAddress = '';
  for (const [address, ports] of portsPer) {
    if (ports.size > widest) {
      widest = ports.size;
      widestAddress = address;
    }
  }
  const targets = Math.max(addresses.size, widest) + e.device.peersOmitted;
  if (targets < o.scanTargets) return null;
  const by = addresses.size >= widest ? 'addresses' : 'ports';
  // The first probe, where the sensor timed its conversations: among the scanned address's ports, or
  // among the addresses the device never used (its usual conversations in the interval are not the scan).
  const probes = by === 'ports' ? outbound.filter((p) => p.address === widestAddress) : outbound.filter((p) => !e.base.peers.includes(p.address));
  const first = (probes.length > 0 ? probes : outbound).reduce<string | undefined>((t, p) => (p.firstSeen !== undefined && (t === undefined || p.firstSeen < t) ? p.firstSeen : t), undefined);
  return finding(e, 'scanning', 'high', `scanning: ${targets} ${by} in one interval`, '', { targets, addresses: addresses.size, portsOnOneAddress: widest, omitted: e.device.peersOmitted }, first ?? e.device.firstSeen);
}

/** The interval's findings after learning (the caller checks the window). */
export function examine(e: Examined, o: DetectorOptions = detectorDefaults): AlertFinding[] {
  const scan = scanFinding(e, o);
  if (scan) return [scan];
  const out: AlertFinding[] = [];
  const { base, model } = e;
  for (const peer of e.device.peers) {
    // When the conversation began, where the sensor says; else when the device was first heard in the interval.
    const at = peer.firstSeen ?? e.device.firstSeen;
    const where = `${peer.address}:${peer.port}/${peer.transport}`;
    const evidence = { peer: peer.address, port: peer.port, transport: peer.transport, role: peer.role, app: peer.app ?? '', packets: peer.packets, bytes: peer.bytes };
    if (isExternal(peer.address)) {
      if (!base.peers.includes(peer.address) && firstTime(base, `ext|${peer.address}`)) out.push(finding(e, 'new-external-destination', 'high', `new internet destination ${where}`, peer.address, evidence, at));
      continue;
    }
    const clinical = clinicalProtocol(peer);
    if (clinical) {
      const known = [...(base.clinicalPeers[clinical] ?? []), ...(model?.clinicalPeers[clinical] ?? [])];
      if (!known.includes(peer.address) && firstTime(base, `clin|${clinical}|${peer.address}`)) out.push(finding(e, 'clinical-protocol-unknown-peer', 'high', `${clinical.toUpperCase()} with unknown peer ${where}`, `${clinical}|${peer.address}`, evidence, at));
      continue;
    }
    if (peer.role === 'client') {
      const proto = protocolKey(peer);
      // Renewing a lease by unicast is the address's plumbing, not a new behaviour (the first
      // request is broadcast from no address, which a summary does not count).
      if (LEASE_PROTOCOLS.has(proto)) continue;
      const known = model ? model.protocols : base.protocols;
      if (!known.includes(proto) && !base.protocols.includes(proto) && firstTime(base, `proto|${proto}`)) {
        out.push(finding(e, 'new-protocol-for-model', 'medium', `${proto} never seen for ${model ? model.model : 'this device'} (${where})`, proto, { ...evidence, protocol: proto, model: model?.model ?? '' }, at));
      }
      continue;
    }
    const port = servedKey(peer);
    if (!base.served.includes(port) && !(model?.served.includes(port) ?? false) && firstTime(base, `served|${port}`)) out.push(finding(e, 'new-listening-port', 'medium', `new listening port ${port}`, port, evidence, at));
  }
  const volume = volumeFinding(e, o);
  if (volume) out.push(volume);
  return out;
}

/** Adds the interval's bytes to the hour under way; an hour far above the learnt hours is raised once. */
function volumeFinding(e: Examined, o: DetectorOptions): AlertFinding | null {
  const { base } = e;
  const hour = hourOf(e.device.firstSeen);
  if (base.hour?.start !== hour) base.hour = { start: hour, bytes: 0, alerted: false };
  base.hour.bytes += e.device.bytes;
  const learnt = hourlyVolume(base);
  const limit = Math.max(o.volumeFloorBytes, learnt.max * o.volumeFactor);
  if (base.hour.alerted || learnt.hours === 0 || base.hour.bytes <= limit) return null;
  base.hour.alerted = true;
  // The interval's largest conversation is what took the hour over: it began the excess.
  const largest = e.device.peers[0];
  return finding(e, 'volume-outside-baseline', 'medium', `${base.hour.bytes} bytes sent in the hour from ${hour}, baseline at most ${learnt.max}`, hour, { hour, bytes: base.hour.bytes, baselineMeanBytes: Math.round(learnt.mean), baselineMaxBytes: learnt.max, limit }, largest?.firstSeen ?? e.device.firstSeen);
}
