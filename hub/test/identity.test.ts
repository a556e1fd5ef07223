/**
 * Identity resolution in the hub's store (real LevelDB on disk): a lease moving between devices,
 * one device seen by two sensors, an IP-only identity joining its MAC when a binding appears, and
 * two MACs joined by a DHCP client identifier.
 */
import { describe, expect, it } from 'vitest';
import type { Observation } from '@wardsight/protocol';
import { bestValue, currentSensor } from '../src/inventory/profile.js';
import { LevelHubStore } from '../src/store/level-store.js';
import { observation, useTempDirs } from './fixtures.js';

const A = 'mac:00:09:fb:00:00:0a';
const B = 'mac:00:1b:63:00:00:0b';
const ADDRESS = '10.10.1.50';
const RECEIVED = '2026-03-02T12:00:00.000Z';
const at = (hhmm: string): string => `2026-03-02T${hhmm}:00.000Z`;

/** An observation of `device` over one moment. */
function seen(device: string, attribute: string, value: string, signal: string, when: string, confidence = 0.9): Observation {
  return observation({ device, attribute, value, signal, evidence: `${signal} ${value}`, confidence, firstSeen: when, lastSeen: when });
}

describe('identity resolution', () => {
  const tempDir = useTempDirs();

  it('a DHCP lease passing from one device to another carries nothing of the first with it', async () => {
    const store = await LevelHubStore.open(await tempDir());
    try {
      let seq = 0;
      await store.applyObservations('floor1', ++seq, [seen(A, 'ip', ADDRESS, 'dhcp.yiaddr', at('08:00')), seen(A, 'hostname', 'pump-3w-07', 'dhcp.option12', at('08:00'))], RECEIVED);
      // A router-side sensor sees the address while A holds it: that is A's.
      await store.applyObservations('core', ++seq, [seen(`ip:${ADDRESS}`, 'service', 'tcp/2575', 'tcp.synAck', at('09:00'))], RECEIVED);
      // A leaves; at 11:00 the lease goes to B, which says its own name.
      await store.applyObservations('floor1', ++seq, [seen(B, 'ip', ADDRESS, 'dhcp.yiaddr', at('11:00')), seen(B, 'hostname', 'mon-3w-02', 'dhcp.option12', at('11:00'))], RECEIVED);
      await store.applyObservations('core', ++seq, [seen(`ip:${ADDRESS}`, 'http.server', 'MonitorWeb/2.1', 'http.server', at('11:30'))], RECEIVED);

      const a = await store.getDevice(A);
      const b = await store.getDevice(B);
      expect(Object.keys(b?.facts.hostname ?? {})).toEqual(['mon-3w-02']);
      expect(Object.keys(a?.facts.hostname ?? {})).toEqual(['pump-3w-07']);
      // What was seen at the address follows the holder of the lease at that moment.
      expect(Object.keys(a?.facts.service ?? {})).toEqual(['tcp/2575']);
      expect(b?.facts.service).toBeUndefined();
      expect(Object.keys(b?.facts['http.server'] ?? {})).toEqual(['MonitorWeb/2.1']);
      expect(a?.facts['http.server']).toBeUndefined();
      // A keeps the address in its history, but it is no longer A's current one.
      expect(a?.facts.ip?.[ADDRESS]?.releasedAt).toBe(at('11:00'));
      expect(a && bestValue(a, 'ip')).toBeNull();
      expect(b && bestValue(b, 'ip')?.value).toBe(ADDRESS);
      // The address names its current holder; no IP-only device was left behind.
      expect((await store.getDevice(`ip:${ADDRESS}`))?.key).toBe(B);
      expect((await store.listDevices()).map((d) => d.key).sort()).toEqual([A, B]);
      // A's renewal of the same address after B gave it up makes it A's again.
      await store.applyObservations('floor1', ++seq, [seen(A, 'ip', ADDRESS, 'dhcp.yiaddr', at('15:00'))], RECEIVED);
      expect(bestValue((await store.getDevice(A))!, 'ip')?.value).toBe(ADDRESS);
      expect(bestValue((await store.getDevice(B))!, 'ip')).toBeNull();
    } finally {
      await store.close();
    }
  });

  it('one device seen by two sensors is one device; its own frames outrank a routed sighting', async () => {
    const store = await LevelHubStore.open(await tempDir());
    try {
      await store.applyObservations('floor2', 1, [seen(A, 'ip', ADDRESS, 'arp.sender', at('08:00')), seen(A, 'vendor', 'B. Braun', 'oui', at('08:00'), 0.5)], RECEIVED);
      await store.applyObservations('floor3', 1, [seen(A, 'dhcp.vendorClass', 'BBraun-Space', 'dhcp.option60', at('08:10'))], RECEIVED);
      // Later, a sensor elsewhere sees it only through a router.
      await store.applyObservations('core', 1, [seen(`ip:${ADDRESS}`, 'service', 'tcp/2575', 'tcp.synAck', at('09:00'))], RECEIVED);

      const devices = await store.listDevices();
      expect(devices).toHaveLength(1);
      const device = devices[0]!;
      expect(device.sensors).toEqual({ floor2: at('08:00'), floor3: at('08:10') });
      expect(device.routedSensors).toEqual({ core: at('09:00') });
      expect(currentSensor(device)).toBe('floor3');
      expect(Object.keys(device.facts).sort()).toEqual(['dhcp.vendorClass', 'ip', 'service', 'vendor']);
    } finally {
      await store.close();
    }
  });

  it('an IP-only device joins its MAC when an ARP binding appears, keeping its facts and evidence', async () => {
    const dir = await tempDir();
    let store = await LevelHubStore.open(dir);
    try {
      const ipOnly = `ip:${ADDRESS}`;
      await store.applyObservations('core', 1, [seen(ipOnly, 'service', 'tcp/104', 'tcp.synAck', at('07:00')), seen(ipOnly, 'dicom.aeTitle', 'CT_SCANNER_1', 'dicom.callingAe', at('07:05'))], RECEIVED);
      expect((await store.listDevices()).map((d) => d.key)).toEqual([ipOnly]);

      const [entry] = await store.readJournal(10);
      expect(entry).toMatchObject({ kind: 'observations', sightings: [{ device: ipOnly, routed: true, points: [at('07:00'), at('07:05')] }] });

      await store.applyObservations('floor1', 1, [seen(B, 'ip', ADDRESS, 'arp.sender', at('07:30'))], RECEIVED);
    } finally {
      await store.close();
    }
    // Across a restart: the merge was written, not held in memory.
    store = await LevelHubStore.open(dir);
    try {
      const devices = await store.listDevices();
      expect(devices.map((d) => d.key)).toEqual([B]);
      const b = devices[0]!;
      expect(b.aliases).toEqual([`ip:${ADDRESS}`]);
      expect(b.facts['dicom.aeTitle']?.CT_SCANNER_1).toMatchObject({ signal: 'dicom.callingAe', sensorId: 'core', firstSeen: at('07:05') });
      expect(b.facts.service?.['tcp/104']?.sensorId).toBe('core');
      expect(b.firstSeen).toBe(at('07:00'));
      expect(b.sensors).toEqual({ floor1: at('07:30') });
      expect(b.routedSensors).toEqual({ core: at('07:05') });
      expect((await store.getDevice(`ip:${ADDRESS}`))?.key).toBe(B);
      // Later routed sightings of the address go straight to B.
      await store.applyObservations('core', 2, [seen(`ip:${ADDRESS}`, 'service', 'tcp/11112', 'tcp.synAck', at('09:00'))], RECEIVED);
      expect(Object.keys((await store.getDevice(B))?.facts.service ?? {}).sort()).toEqual(['tcp/104', 'tcp/11112']);
      expect(await store.listDevices()).toHaveLength(1);
    } finally {
      await store.close();
    }
  });

  it('an IP-only identity seen while the address was another device\'s keeps those facts apart', async () => {
    const store = await LevelHubStore.open(await tempDir());
    try {
      await store.applyObservations('floor1', 1, [seen(A, 'ip', ADDRESS, 'dhcp.yiaddr', at('06:00'))], RECEIVED);
      await store.applyObservations('floor1', 2, [seen(A, 'ip', ADDRESS, 'arp.sender', at('08:00'))], RECEIVED);
      // The address goes to B at 10:00; the router-side sensor's reports arrive only afterwards.
      await store.applyObservations('floor1', 3, [seen(B, 'ip', ADDRESS, 'dhcp.yiaddr', at('10:00'))], RECEIVED);
      await store.applyObservations('core', 1, [seen(`ip:${ADDRESS}`, 'service', 'tcp/23', 'tcp.synAck', at('07:00')), seen(`ip:${ADDRESS}`, 'service', 'tcp/443', 'tcp.synAck', at('10:30'))], RECEIVED);
      expect(Object.keys((await store.getDevice(A))?.facts.service ?? {})).toEqual(['tcp/23']);
      expect(Object.keys((await store.getDevice(B))?.facts.service ?? {})).toEqual(['tcp/443']);
    } finally {
      await store.close();
    }
  });

  it('two MACs presenting one DHCP client identifier are one device', async () => {
    const store = await LevelHubStore.open(await tempDir());
    try {
      const clientId = 'ff:00:00:00:01:00:01:2c:11:22:33';
      await store.applyObservations('floor1', 1, [seen(A, 'dhcp.clientId', clientId, 'dhcp.option61', at('08:00'), 0.6), seen(A, 'hostname', 'ws-radiology-1', 'dhcp.option12', at('08:00')), seen(A, 'ip', ADDRESS, 'dhcp.yiaddr', at('08:00'))], RECEIVED);
      // The same machine on another NIC (a docking station) a day later.
      await store.applyObservations('floor1', 2, [seen(B, 'dhcp.clientId', clientId, 'dhcp.option61', at('09:00'), 0.6), seen(B, 'ip', '10.10.1.51', 'dhcp.yiaddr', at('09:00'))], RECEIVED);
      const devices = await store.listDevices();
      expect(devices.map((d) => d.key)).toEqual([A]);
      expect(devices[0]?.aliases).toEqual([B]);
      expect(Object.keys(devices[0]?.facts.ip ?? {}).sort()).toEqual([ADDRESS, '10.10.1.51']);
      expect((await store.getDevice(B))?.key).toBe(A);
      expect((await store.getDevice('ip:10.10.1.51'))?.key).toBe(A);
      // Reports under the second MAC keep landing on the one device.
      await store.applyObservations('floor2', 1, [seen(B, 'vendor', 'Dell', 'oui', at('10:00'), 0.5)], RECEIVED);
      expect(await store.listDevices()).toHaveLength(1);
      expect((await store.getDevice(A))?.sensors).toEqual({ floor1: at('09:00'), floor2: at('10:00') });
      // A client identifier that is only the MAC again joins nothing.
      await store.applyObservations('floor1', 3, [seen('mac:00:00:00:00:00:0c', 'dhcp.clientId', '01:00:00:00:00:00:0c', 'dhcp.option61', at('10:00'), 0.6)], RECEIVED);
      await store.applyObservations('floor1', 4, [seen('mac:00:00:00:00:00:0d', 'dhcp.clientId', '01:00:00:00:00:00:0c', 'dhcp.option61', at('10:00'), 0.6)], RECEIVED);
      expect(await store.listDevices()).toHaveLength(3);
    } finally {
      await store.close();
    }
  });
});
