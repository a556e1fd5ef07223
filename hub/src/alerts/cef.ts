/**
 * ArcSight Common Event Format (CEF 0, "Implementing ArcSight CEF" rev. 25) for alert events:
 *   CEF:0|Wardsight|Wardsight Hub|<version>|<kind>|<title>|<severity 0-10>|<extension>
 * The signature id is the anomaly kind, the same for an alert's raise, acknowledgement and
 * resolution, so a SIEM correlates them on `externalId` (the alert id) and reads the state in `act`.
 */
import { isIPv4 } from 'node:net';
import type { Severity } from './alert.js';
import type { AlertEvent } from './event.js';

export const CEF_VENDOR = 'Wardsight';
export const CEF_PRODUCT = 'Wardsight Hub';

/** CEF severity 0–10 as ArcSight bands it: 0–3 low, 4–6 medium, 7–8 high, 9–10 very high. */
export const CEF_SEVERITY: Record<Severity, number> = { low: 3, medium: 6, high: 8, critical: 10 };

/** A header field: `\` and `|` escaped; a header has no line breaks, so they become spaces. */
export function cefHeaderField(value: string): string {
  return value.replace(/[\\|]/g, (c) => `\\${c}`).replace(/\r\n|[\r\n]/g, ' ');
}

/** An extension value: `\` and `=` escaped, line breaks written as `\n` and `\r`. */
export function cefExtensionValue(value: string): string {
  return value.replace(/[\\=]/g, (c) => `\\${c}`).replace(/\r/g, '\\r').replace(/\n/g, '\\n');
}

/** Evidence as one line for `msg`: `peer: 198.51.100.7, port: 443`. */
function evidenceText(evidence: Record<string, string | number | boolean>): string {
  return Object.entries(evidence)
    .map(([name, value]) => `${name}: ${String(value)}`)
    .join(', ');
}

/** Where the device is named: a MAC-keyed device by its MAC, an IP-keyed one by its address. */
function deviceFields(device: string): [string, string][] {
  if (device.startsWith('mac:')) return [['dvcmac', device.slice(4)]];
  const ip = device.slice(3);
  if (isIPv4(ip)) return [['src', ip]];
  // CEF's src is IPv4 only; IPv6 goes in the custom IPv6 field c6a2 with its label.
  return [['c6a2Label', 'Source IPv6 Address'], ['c6a2', ip]];
}

/** The CEF record of one alert event. */
export function cefMessage(event: AlertEvent, productVersion: string): string {
  const a = event.alert;
  const header = ['CEF:0', CEF_VENDOR, CEF_PRODUCT, productVersion, a.kind, a.title, String(CEF_SEVERITY[a.severity])].map((f, i) => (i === 0 ? f : cefHeaderField(f)));
  const ext: [string, string][] = [
    ['rt', String(Date.parse(event.at))],
    ['start', String(Date.parse(a.firstAt))],
    ['end', String(Date.parse(a.lastAt))],
    ['cnt', String(a.count)],
    ...deviceFields(a.device),
  ];
  const hostname = a.evidence.hostname;
  if (typeof hostname === 'string' && hostname !== '') ext.push(['dvchost', hostname]);
  ext.push(['cs1Label', 'Device Key'], ['cs1', a.device]);
  if (a.sensorId) ext.push(['cs2Label', 'Sensor'], ['cs2', a.sensorId]);
  if (a.stateBy) ext.push(['cs3Label', 'State Changed By'], ['cs3', a.stateBy]);
  ext.push(['externalId', a.id], ['act', a.state], ['cat', event.type]);
  const facts = evidenceText(a.evidence);
  if (facts !== '') ext.push(['msg', facts]);
  return `${header.join('|')}|${ext.map(([key, value]) => `${key}=${cefExtensionValue(value)}`).join(' ')}`;
}
