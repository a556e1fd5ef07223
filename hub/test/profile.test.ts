import { describe, expect, it } from 'vitest';
import type { Observation } from '@wardsight/protocol';
import { applyObservation, bestValue, currentSensor, newDevice, type DeviceRecord } from '../src/inventory/profile.js';
import { INFUSION_PUMP, observation } from './fixtures.js';

/** A device built from observations, each with the sensor that reported it. */
function deviceFrom(...reports: [Observation, string][]): DeviceRecord {
  const device = newDevice(INFUSION_PUMP, reports[0]![0].firstSeen);
  for (const [obs, sensorId] of reports) applyObservation(device, obs, sensorId);
  return device;
}

const at = (hhmm: string): string => `2024-05-01T${hhmm}:00.000Z`;

describe('applyObservation', () => {
  it('widens the device\'s first and last seen, whatever order observations arrive in', () => {
    const device = deviceFrom(
      [observation({ firstSeen: at('10:00'), lastSeen: at('10:10') }), 'floor2'],
      [observation({ attribute: 'hostname', value: 'pump-7', firstSeen: at('11:00'), lastSeen: at('11:30') }), 'floor2'],
      [observation({ attribute: 'ip', value: '10.20.0.7', firstSeen: at('09:15'), lastSeen: at('09:20') }), 'floor2'],
    );
    expect(device.firstSeen).toBe(at('09:15'));
    expect(device.lastSeen).toBe(at('11:30'));
  });

  it('keeps, per sensor, when that sensor last reported the device, never moving it back', () => {
    const device = deviceFrom(
      [observation({ lastSeen: at('10:00') }), 'floor2'],
      [observation({ lastSeen: at('10:30') }), 'floor3'],
      [observation({ lastSeen: at('09:00') }), 'floor2'],
    );
    expect(device.sensors).toEqual({ floor2: at('10:00'), floor3: at('10:30') });
  });

  it('lets a higher-confidence observation of the same value replace its signal, evidence and sensor', () => {
    const device = deviceFrom(
      [observation({ signal: 'oui', evidence: '00:09:fb', confidence: 0.5, lastSeen: at('10:00') }), 'floor2'],
      [observation({ signal: 'dhcp.option60', evidence: 'BBraun-Space', confidence: 0.8, lastSeen: at('10:20') }), 'floor3'],
    );
    expect(device.facts.vendor?.['B. Braun']).toEqual({
      signal: 'dhcp.option60',
      evidence: 'BBraun-Space',
      confidence: 0.8,
      firstSeen: at('10:00'),
      lastSeen: at('10:20'),
      sensorId: 'floor3',
    });
  });

  it('keeps the stronger evidence against a lower-confidence observation, but still extends its time span', () => {
    const device = deviceFrom(
      [observation({ signal: 'dhcp.option60', evidence: 'BBraun-Space', confidence: 0.8, firstSeen: at('10:00'), lastSeen: at('10:20') }), 'floor2'],
      [observation({ signal: 'oui', evidence: '00:09:fb', confidence: 0.5, firstSeen: at('09:00'), lastSeen: at('11:00') }), 'floor3'],
    );
    expect(device.facts.vendor?.['B. Braun']).toEqual({
      signal: 'dhcp.option60',
      evidence: 'BBraun-Space',
      confidence: 0.8,
      firstSeen: at('09:00'),
      lastSeen: at('11:00'),
      sensorId: 'floor2',
    });
  });

  it('keeps different values of one attribute side by side', () => {
    const device = deviceFrom(
      [observation({ value: 'B. Braun' }), 'floor2'],
      [observation({ value: 'Baxter', signal: 'http.server', evidence: 'Baxter-Sigma/1.2' }), 'floor2'],
    );
    expect(Object.keys(device.facts.vendor ?? {}).sort()).toEqual(['B. Braun', 'Baxter']);
  });
});

describe('bestValue', () => {
  it('returns null for an attribute never observed', () => {
    expect(bestValue(deviceFrom([observation(), 'floor2']), 'model')).toBeNull();
  });

  it('picks the highest-confidence vendor even when a weaker one was seen more recently', () => {
    const device = deviceFrom(
      [observation({ value: 'B. Braun', signal: 'dicom.implementationClassUid', evidence: '1.2.276.0.7230010', confidence: 0.9, lastSeen: at('10:00') }), 'floor2'],
      [observation({ value: 'Baxter', signal: 'oui', evidence: '00:1b:63', confidence: 0.4, lastSeen: at('12:00') }), 'floor2'],
    );
    expect(bestValue(device, 'vendor')).toMatchObject({ value: 'B. Braun', confidence: 0.9, signal: 'dicom.implementationClassUid', evidence: '1.2.276.0.7230010' });
  });

  it('breaks a confidence tie for a vendor by recency', () => {
    const device = deviceFrom(
      [observation({ value: 'B. Braun', confidence: 0.7, lastSeen: at('10:00') }), 'floor2'],
      [observation({ value: 'Baxter', confidence: 0.7, lastSeen: at('10:30') }), 'floor2'],
    );
    expect(bestValue(device, 'vendor')?.value).toBe('Baxter');
  });

  it('takes the most recent hostname over a stronger but older one: a renamed device', () => {
    const device = deviceFrom(
      [observation({ attribute: 'hostname', value: 'pump-7', signal: 'dhcp.option12', confidence: 0.9, lastSeen: at('09:00') }), 'floor2'],
      [observation({ attribute: 'hostname', value: 'pump-7-icu', signal: 'dhcp.option12', confidence: 0.7, lastSeen: at('11:00') }), 'floor2'],
    );
    expect(bestValue(device, 'hostname')?.value).toBe('pump-7-icu');
  });

  it('does not let a newer DHCP requested address beat an ARP-confirmed one', () => {
    const device = deviceFrom(
      [observation({ attribute: 'ip', value: '10.20.0.7', signal: 'arp.sender', evidence: '10.20.0.7 is-at 00:09:fb:12:34:56', confidence: 0.9, lastSeen: at('10:00') }), 'floor2'],
      [observation({ attribute: 'ip', value: '10.20.0.99', signal: 'dhcp.option50', evidence: 'requested 10.20.0.99', confidence: 0.3, lastSeen: at('10:30') }), 'floor2'],
    );
    expect(bestValue(device, 'ip')).toMatchObject({ value: '10.20.0.7', signal: 'arp.sender' });
  });

  it('moves to a newer address once it is confirmed', () => {
    const device = deviceFrom(
      [observation({ attribute: 'ip', value: '10.20.0.7', signal: 'arp.sender', confidence: 0.9, lastSeen: at('10:00') }), 'floor2'],
      [observation({ attribute: 'ip', value: '10.20.0.99', signal: 'dhcp.yiaddr', confidence: 0.6, lastSeen: at('10:30') }), 'floor2'],
    );
    expect(bestValue(device, 'ip')?.value).toBe('10.20.0.99');
  });

  it('falls back to the most recent hint when no address is confirmed', () => {
    const device = deviceFrom(
      [observation({ attribute: 'ip', value: '10.20.0.98', signal: 'dhcp.option50', confidence: 0.3, lastSeen: at('10:00') }), 'floor2'],
      [observation({ attribute: 'ip', value: '10.20.0.99', signal: 'dhcp.option50', confidence: 0.2, lastSeen: at('10:30') }), 'floor2'],
    );
    expect(bestValue(device, 'ip')?.value).toBe('10.20.0.99');
  });
});

describe('currentSensor', () => {
  it('returns null for a device no sensor has reported', () => {
    expect(currentSensor(newDevice(INFUSION_PUMP, at('10:00')))).toBeNull();
  });

  it('follows a device that moved floors to the sensor that reported it last', () => {
    const device = deviceFrom([observation({ lastSeen: at('10:00') }), 'floor2']);
    expect(currentSensor(device)).toBe('floor2');
    applyObservation(device, observation({ lastSeen: at('11:00') }), 'floor3');
    expect(currentSensor(device)).toBe('floor3');
    // A late report from the old floor about an earlier time does not move it back.
    applyObservation(device, observation({ lastSeen: at('10:30') }), 'floor2');
    expect(currentSensor(device)).toBe('floor3');
  });
});
