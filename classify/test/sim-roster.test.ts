/**
 * The simulated hospital, classified from what its devices put on the wire. The signals are
 * built from the roster's own fields the way the simulator writes them into packets (the file
 * each comes from is named beside it); the expectations are the roster's ground truth.
 */
import { buildHospital, packets, type HospitalDevice } from '@wardsight/sim';
import { describe, expect, it } from 'vitest';
import { classify } from '../src/classify.js';
import type { Profile, Signal } from '../src/profile.js';

/** IEEE registry organisation names of the roster's OUIs (standards-oui.ieee.org), as the sensor reports them. */
const REGISTRY: Readonly<Record<string, string>> = {
  '10:65:30': 'Dell Inc.',
  '18:60:24': 'Hewlett Packard',
  '58:42:e4': 'Baxter International Inc',
  '9c:c8:ae': 'Becton, Dickinson and Company',
  '00:09:fb': 'Philips Patient Monitoring',
  '44:4b:5d': 'GE Healthcare',
  '00:07:4d': 'Zebra Technologies Corp.',
  '00:03:b1': 'ICU Medical, Inc.',
  '00:0f:14': 'Mindray Co., Ltd.',
  '50:81:40': 'HP Inc.',
  '10:57:25': 'Cisco Systems, Inc',
  '14:19:23': 'Cisco Systems, Inc',
};

/** sim/src/traffic/wado-fetch.ts: the workstations' browser and the hospital's DNS domain. */
const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const DOMAIN = 'hospital.local';
/** sim/src/traffic/dicom-store.ts: the scanner's implementation (under GE's root) and the archive's (dcm4che). */
const SCANNER_IMPLEMENTATION = { uid: '1.2.840.113619.6.336', version: 'REVO_CT_22.10' };
const ARCHIVE_IMPLEMENTATION = { uid: '1.2.40.0.13.1.3', version: 'dcm4che-5.31.0' };
/** sim/src/network.ts: every SYN and SYN-ACK carries only an MSS option of 1460. */
const SYN_OPTIONS = '1460:-:MSS';

const sig = (signal: string, value: string): Signal => ({ signal, value });
/** sim/src/traffic/dicom-store.ts aeTitleOf. */
const aeTitle = (d: HospitalDevice): string => d.hostname.toUpperCase().replace(/-/g, '_').slice(0, 16);

/** What a sensor reports of one device, from the frames the simulator sends for it. */
function signalsOf(device: HospitalDevice, all: readonly HospitalDevice[]): Signal[] {
  const registry = REGISTRY[device.mac.slice(0, 8)];
  if (registry === undefined) throw new Error(`no registry name for ${device.mac}`);
  const engine = all.find((d) => d.category === 'hl7-interface-engine');
  const pacs = all.find((d) => d.category === 'pacs');
  if (!engine || !pacs) throw new Error('the roster has no engine or archive');
  // sim/src/traffic/join.ts and packets/dhcp.ts: DISCOVER and REQUEST carry options 61, 12, 60 and 55.
  const signals = [
    sig('oui', registry),
    sig('dhcp.option61', `01${device.mac.replace(/:/g, '')}`),
    sig('dhcp.option12', device.hostname),
    sig('dhcp.option60', device.dhcp.vendorClassId),
    sig('dhcp.option55', device.dhcp.parameterRequestList.join(',')),
    sig('tcp.synSignature', `${device.ttl}:${device.tcpWindow}:${SYN_OPTIONS}`),
  ];
  switch (device.category) {
    case 'ct': // sim/src/traffic/dicom-store.ts: A-ASSOCIATE-RQ to the archive, CT image storage and verification.
      signals.push(
        sig('dicom.callingAe', aeTitle(device)),
        sig('dicom.abstractSyntax', packets.CT_IMAGE_STORAGE),
        sig('dicom.abstractSyntax', packets.VERIFICATION_SOP_CLASS),
        sig('dicom.implementationClassUid', SCANNER_IMPLEMENTATION.uid),
        sig('dicom.implementationVersion', SCANNER_IMPLEMENTATION.version),
      );
      break;
    case 'pacs': // dicom-store.ts (A-ASSOCIATE-AC) and wado-fetch.ts (HTTP Server header).
      signals.push(
        sig('dicom.calledAe', aeTitle(device)),
        sig('dicom.abstractSyntax', packets.CT_IMAGE_STORAGE),
        sig('dicom.abstractSyntax', packets.VERIFICATION_SOP_CLASS),
        sig('dicom.implementationClassUid', ARCHIVE_IMPLEMENTATION.uid),
        sig('dicom.implementationVersion', ARCHIVE_IMPLEMENTATION.version),
        sig('http.server', `WildFly/26 dcm4chee-arc/${device.softwareVersion}`),
      );
      break;
    case 'patient-monitor': // sim/src/traffic/vitals-report.ts: ORU^R01 with MSH-3 from the model.
      signals.push(
        sig('hl7.sendingApplication', (device.model ?? device.hostname).toUpperCase().replace(/\s+/g, '_')),
        sig('hl7.sendingFacility', `WARD${device.floor}`),
        sig('hl7.messageType', 'ORU^R01^ORU_R01'),
        sig('hl7.version', '2.5'),
      );
      break;
    case 'hl7-interface-engine': // vitals-report.ts and packets/hl7.ts hl7Ack: the engine acknowledges as MSH-5 of the report.
      signals.push(sig('hl7.sendingApplication', device.hostname.toUpperCase().replace(/-/g, '')), sig('hl7.messageType', 'ACK^R01^ACK'), sig('hl7.version', '2.5'));
      break;
    case 'infusion-pump': // sim/src/traffic/plan.ts and tls-session.ts: TLS to the engine.
      signals.push(sig('tls.sni', `${engine.hostname}.${DOMAIN}`));
      break;
    case 'workstation': // plan.ts: WADO over HTTP and HTTPS to the archive, print jobs.
      signals.push(sig('http.userAgent', BROWSER), sig('http.host', `${pacs.hostname}.${DOMAIN}:8080`), sig('tls.sni', `${pacs.hostname}.${DOMAIN}`), sig('tls.alpn', 'h2,http/1.1'));
      break;
    default: // printers and routers only answer
      break;
  }
  return signals;
}

const hospital = buildHospital({ sessionsPerDevice: 0 });
const profiles = new Map(hospital.devices.map((d) => [d.hostname, classify(signalsOf(d, hospital.devices))]));
const best = (profile: Profile | undefined, attribute: keyof Profile): string | null => profile?.[attribute].best?.value ?? null;
const MEDICAL = new Set(['infusion-pump', 'patient-monitor', 'ct']);

describe('the simulated hospital', () => {
  it('has the devices this test knows how to describe', () => {
    expect(hospital.devices.length).toBe(15);
    expect(new Set(hospital.devices.map((d) => d.category))).toEqual(new Set(['pacs', 'hl7-interface-engine', 'infusion-pump', 'patient-monitor', 'workstation', 'printer', 'ct']));
  });

  it.each(hospital.devices.filter((d) => MEDICAL.has(d.category)).map((d) => [d.hostname, d] as const))(
    'medical device %s: vendor, category and model',
    (hostname, device) => {
      const profile = profiles.get(hostname);
      expect({ vendor: best(profile, 'vendor'), category: best(profile, 'category'), model: best(profile, 'model') }).toEqual({
        vendor: device.vendor,
        category: device.category,
        model: device.model ?? null,
      });
      // The model comes from a product-family rule, never from the host name.
      const modelRules = profile?.model.best?.evidence.map((e) => e.rule) ?? [];
      expect(modelRules.some((rule) => /^(?:pump|monitor|ct)\./.test(rule))).toBe(true);
      expect(best(profile, 'hostname')).toBe(hostname);
    },
  );

  it.each(hospital.devices.filter((d) => !MEDICAL.has(d.category)).map((d) => [d.hostname, d] as const))(
    'IT device %s: vendor and category, and the model only where the wire names it',
    (hostname, device) => {
      const profile = profiles.get(hostname);
      // Only the label printer names its model (DHCP vendor class 'Zebra ZT410'); the others never say theirs.
      const model = device.vendor === 'Zebra Technologies' ? (device.model ?? null) : null;
      expect({ vendor: best(profile, 'vendor'), category: best(profile, 'category'), model: best(profile, 'model') }).toEqual({
        vendor: device.vendor,
        category: device.category,
        model,
      });
    },
  );

  it('names the operating system where the wire shows it', () => {
    const os = Object.fromEntries(hospital.devices.map((d) => [d.hostname, best(profiles.get(d.hostname), 'os')]));
    expect(os).toMatchObject({ 'pacs-01': 'Windows', 'ws-nurse-1': 'Windows', 'ws-nurse-2': 'Windows', 'hl7-engine': 'Linux', 'ct-01': 'Linux' });
    expect(best(profiles.get('ct-01'), 'osVersion')).toBe('5.15.0');
  });

  it('reads the software version devices reveal', () => {
    expect(best(profiles.get('pump-1a-baxter'), 'softwareVersion')).toBe('8.00.01');
    expect(best(profiles.get('pump-1b-bd'), 'softwareVersion')).toBe('12.1.2');
    expect(best(profiles.get('ct-01'), 'softwareVersion')).toBe('22.10');
    expect(best(profiles.get('pacs-01'), 'softwareVersion')).toBe('dcm4chee-arc 5.31.0');
  });

  it('the routers: the maker from the OUI, and nothing more claimed than the wire supports', () => {
    for (const gateway of hospital.infrastructure) {
      const profile = classify([sig('oui', REGISTRY[gateway.mac.slice(0, 8)] ?? '')]);
      expect(best(profile, 'vendor')).toBe(gateway.vendor);
      expect(best(profile, 'category')).toBeNull();
    }
  });
});
