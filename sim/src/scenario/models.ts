/**
 * The device models on the floors and how each identifies itself: its maker's OUI, its DHCP client
 * (RFC 2132 options 60 and 55), its IP stack, and what it says in its own application traffic.
 */
import type { DhcpProfile } from '../devices.js';
import type { FloorId } from './site.js';
import type { Stack } from './wire.js';

export type DeviceKind = 'infusion-pump' | 'patient-monitor' | 'workstation' | 'printer' | 'phone' | 'imaging';
/** Categories as the inventory names them (classify's vocabulary). */
export type ScenarioCategory = 'infusion-pump' | 'patient-monitor' | 'workstation' | 'printer' | 'ip-phone' | 'ct' | 'mri' | 'ultrasound';

/** What an imaging modality says in a DICOM association and its images (PS3.7 §D.3.3.2, PS3.3 C.7.5.1). */
export interface DicomIdentity {
  sopClassUid: string;
  modality: string;
  manufacturer: string;
  implementationClassUid: string;
  implementationVersionName: string;
  /** Images stored per burst and their pixel-data size, held steady so hourly volumes are. */
  imagesPerBurst: number;
  imageBytes: number;
}

export interface DeviceModel {
  kind: DeviceKind;
  category: ScenarioCategory;
  vendor: string;
  model: string;
  /** The maker's IEEE OUI. */
  oui: string;
  softwareVersion: string;
  dhcp: DhcpProfile;
  stack: Stack;
  /** Hostname prefix. */
  prefix: string;
  /** HL7 MSH-3 sending application, for devices that report over HL7. */
  hl7Application?: string;
  dicom?: DicomIdentity;
  /** HTTP / SIP user agent, for devices that say one. */
  userAgent?: string;
}

/** RFC 2132 §9.8 parameter request lists as typical stacks send them. */
const WINDOWS_PARAMETERS = [1, 3, 6, 15, 31, 33, 43, 44, 46, 47, 119, 121, 249, 252];
const LINUX_PARAMETERS = [1, 121, 33, 3, 6, 12, 15, 28, 42, 51, 54, 58, 59, 119];
const EMBEDDED_PARAMETERS = [1, 3, 6, 15, 28, 42];

const windowsDhcp: DhcpProfile = { vendorClassId: 'MSFT 5.0', parameterRequestList: WINDOWS_PARAMETERS, broadcast: false };
const linuxDhcp = (vendorClassId: string): DhcpProfile => ({ vendorClassId, parameterRequestList: LINUX_PARAMETERS, broadcast: false });
const embeddedDhcp = (vendorClassId: string): DhcpProfile => ({ vendorClassId, parameterRequestList: EMBEDDED_PARAMETERS, broadcast: true });

const WINDOWS: Stack = { ttl: 128, tcpWindow: 64240 };
const LINUX: Stack = { ttl: 64, tcpWindow: 29200 };
const EMBEDDED: Stack = { ttl: 64, tcpWindow: 8192 };

const pump = (vendor: string, model: string, oui: string, softwareVersion: string, vendorClass: string, hl7Application: string): DeviceModel => ({
  kind: 'infusion-pump', category: 'infusion-pump', vendor, model, oui, softwareVersion, dhcp: embeddedDhcp(vendorClass), stack: EMBEDDED, prefix: 'pump', hl7Application,
});
const monitor = (vendor: string, model: string, oui: string, softwareVersion: string, vendorClass: string): DeviceModel => ({
  kind: 'patient-monitor', category: 'patient-monitor', vendor, model, oui, softwareVersion, dhcp: embeddedDhcp(vendorClass), stack: EMBEDDED, prefix: 'mon',
  hl7Application: model.toUpperCase().replace(/\s+/g, '_'),
});
const workstation = (vendor: string, model: string, oui: string): DeviceModel => ({
  kind: 'workstation', category: 'workstation', vendor, model, oui, softwareVersion: '10.0.19045', dhcp: windowsDhcp, stack: WINDOWS, prefix: 'ws',
  userAgent: 'Microsoft-Delivery-Optimization/10.0',
});

export const PUMPS = [
  pump('Baxter', 'Sigma Spectrum', '58:42:e4', '8.00.01', 'Baxter Spectrum 8.00.01', 'SPECTRUM'),
  pump('Becton Dickinson', 'Alaris 8015', '9c:c8:ae', '12.1.2', 'BD Alaris PCU 12.1.2', 'ALARIS_PCU'),
  pump('ICU Medical', 'Plum 360', '00:03:b1', '15.10.00', 'ICU Medical Plum 360', 'PLUM360'),
] as const;

export const MONITORS = [
  monitor('Philips', 'IntelliVue MX450', '00:09:fb', 'M.00.03', 'Philips IntelliVue MX450'),
  monitor('GE Healthcare', 'CARESCAPE B450', '44:4b:5d', '2.0.9', 'GEHC CARESCAPE B450'),
  monitor('Mindray', 'BeneVision N12', '00:0f:14', '04.01.00', 'Mindray BeneVision N12'),
] as const;

/** Each floor bought its desktops in a different year: a model is on one floor only. */
export const WORKSTATIONS: Readonly<Record<FloorId, DeviceModel>> = {
  '1': workstation('Dell', 'OptiPlex 7090', '10:65:30'),
  '2': workstation('HP', 'EliteDesk 800 G6', '50:81:40'),
  '3': workstation('Lenovo', 'ThinkCentre M70q', '80:96:21'),
};

export const PRINTERS = [
  {
    kind: 'printer', category: 'printer', vendor: 'Zebra Technologies', model: 'ZT410', oui: '00:07:4d', softwareVersion: 'V75.20.21Z',
    dhcp: embeddedDhcp('Zebra ZT410'), stack: EMBEDDED, prefix: 'prn-label',
  },
  {
    kind: 'printer', category: 'printer', vendor: 'HP', model: 'LaserJet Enterprise M507', oui: '50:81:40', softwareVersion: '2409048_052604',
    dhcp: embeddedDhcp('Hewlett-Packard JetDirect'), stack: EMBEDDED, prefix: 'prn',
  },
] as const satisfies readonly DeviceModel[];

export const PHONE: DeviceModel = {
  kind: 'phone', category: 'ip-phone', vendor: 'Poly', model: 'VVX 450', oui: '00:04:f2', softwareVersion: '6.4.3.5018',
  dhcp: embeddedDhcp('Polycom-VVX450'), stack: EMBEDDED, prefix: 'phone', userAgent: 'PolycomVVX-VVX_450-UA/6.4.3.5018',
};

/** One modality per floor, each a model found on that floor only. */
export const IMAGING: Readonly<Record<FloorId, DeviceModel>> = {
  '1': {
    kind: 'imaging', category: 'ct', vendor: 'GE Healthcare', model: 'Revolution CT', oui: '44:4b:5d', softwareVersion: 'revo_ct_22.10',
    dhcp: linuxDhcp('dhcpcd-9.4.1:Linux-5.15.0:x86_64:GenuineIntel'), stack: LINUX, prefix: 'ct',
    dicom: {
      sopClassUid: '1.2.840.10008.5.1.4.1.1.2', modality: 'CT', manufacturer: 'GE MEDICAL SYSTEMS',
      implementationClassUid: '1.2.840.113619.6.336', implementationVersionName: 'REVO_CT_22.10', imagesPerBurst: 4, imageBytes: 12_000,
    },
  },
  '2': {
    kind: 'imaging', category: 'mri', vendor: 'Siemens Healthineers', model: 'MAGNETOM Vida', oui: '00:0e:8c', softwareVersion: 'syngo MR XA50',
    dhcp: windowsDhcp, stack: WINDOWS, prefix: 'mri',
    dicom: {
      sopClassUid: '1.2.840.10008.5.1.4.1.1.4', modality: 'MR', manufacturer: 'SIEMENS',
      implementationClassUid: '1.3.12.2.1107.5.2', implementationVersionName: 'MR_XA50A', imagesPerBurst: 5, imageBytes: 9_000,
    },
  },
  '3': {
    kind: 'imaging', category: 'ultrasound', vendor: 'GE Healthcare', model: 'LOGIQ E10', oui: '44:4b:5d', softwareVersion: 'R3.1.2',
    dhcp: windowsDhcp, stack: WINDOWS, prefix: 'us',
    dicom: {
      sopClassUid: '1.2.840.10008.5.1.4.1.1.6.1', modality: 'US', manufacturer: 'GE Healthcare',
      implementationClassUid: '1.2.840.113619.6.397', implementationVersionName: 'LOGIQE10_R3', imagesPerBurst: 3, imageBytes: 10_000,
    },
  },
};
