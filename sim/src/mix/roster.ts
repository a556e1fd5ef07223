/**
 * The devices of a large hospital for the traffic mix: thousands of clinical devices and the
 * servers they talk to, on several /16 subnets, with MACs under their makers' real IEEE OUIs.
 */
import type { DeviceCategory, Gateway, HospitalDevice } from '../devices.js';
import type { SeededRandom } from '../prng.js';

interface Kind {
  category: DeviceCategory;
  /** Share of the fleet. */
  share: number;
  makers: readonly (readonly [oui: string, vendor: string])[];
  vendorClass: string;
  params: readonly number[];
  ttl: number;
}

const KINDS: readonly Kind[] = [
  { category: 'infusion-pump', share: 0.34, makers: [['58:42:e4', 'Baxter'], ['9c:c8:ae', 'Becton Dickinson'], ['00:03:b1', 'ICU Medical']], vendorClass: 'udhcp 1.30.1', params: [1, 3, 6, 12, 15, 28, 42], ttl: 64 },
  { category: 'patient-monitor', share: 0.28, makers: [['00:09:fb', 'Philips'], ['44:4b:5d', 'GE Healthcare'], ['00:0f:14', 'Mindray']], vendorClass: 'IntelliVue', params: [1, 3, 6, 15, 42], ttl: 64 },
  { category: 'workstation', share: 0.3, makers: [['10:65:30', 'Dell'], ['50:81:40', 'HP']], vendorClass: 'MSFT 5.0', params: [1, 3, 6, 15, 31, 33, 43, 44, 46, 47, 119, 121, 249, 252], ttl: 128 },
  { category: 'printer', share: 0.05, makers: [['00:07:4d', 'Zebra Technologies'], ['50:81:40', 'HP']], vendorClass: 'Hewlett-Packard JetDirect', params: [1, 3, 6, 15, 44, 47], ttl: 64 },
  { category: 'ct', share: 0.03, makers: [['44:4b:5d', 'GE Healthcare'], ['00:09:fb', 'Philips']], vendorClass: 'Linux', params: [1, 3, 6, 12, 15, 28], ttl: 64 },
];

const SERVERS: readonly { hostname: string; category: DeviceCategory; oui: string; vendor: string }[] = [
  { hostname: 'pacs-01', category: 'pacs', oui: '10:65:30', vendor: 'Dell' },
  { hostname: 'pacs-02', category: 'pacs', oui: '10:65:30', vendor: 'Dell' },
  { hostname: 'hl7-engine', category: 'hl7-interface-engine', oui: '18:60:24', vendor: 'HP' },
  { hostname: 'files-01', category: 'workstation', oui: '18:60:24', vendor: 'HP' },
  { hostname: 'emr-web', category: 'workstation', oui: '10:65:30', vendor: 'Dell' },
];

/** Hosts per /16 subnet before the next subnet starts. */
const PER_SUBNET = 4000;

export interface MixRoster {
  devices: HospitalDevice[];
  servers: { pacs: HospitalDevice[]; hl7: HospitalDevice; files: HospitalDevice; web: HospitalDevice };
  gateways: Gateway[];
}

function mac(oui: string, index: number): string {
  const low = [(index >> 16) & 0xff, (index >> 8) & 0xff, index & 0xff].map((b) => b.toString(16).padStart(2, '0'));
  return `${oui}:${low.join(':')}`;
}

function address(subnet: number, host: number): string {
  return `10.${40 + subnet}.${(host >> 8) & 0xff}.${host & 0xff}`;
}

export function buildMixRoster(count: number, random: SeededRandom): MixRoster {
  const subnets = Math.max(1, Math.ceil((count + SERVERS.length) / PER_SUBNET));
  const gateways: Gateway[] = Array.from({ length: subnets }, (_, s) => ({
    mac: mac('10:57:25', 0x100000 + s),
    ip: address(s, 1),
    hostname: `core-rtr-${s}`,
    vendor: 'Cisco',
    category: 'router',
    floor: String(s),
    ttl: 255,
    tcpWindow: 4128,
    subnetMask: '255.255.0.0',
    dhcpServer: '10.40.0.5',
    ipv6Prefix: `fd00:${s}::`,
  }));
  const device = (index: number, category: DeviceCategory, oui: string, vendor: string, hostname: string, kind?: Kind): HospitalDevice => {
    const subnet = Math.floor(index / PER_SUBNET);
    return {
      mac: mac(oui, index + 1),
      ip: address(subnet, 10 + (index % PER_SUBNET)),
      hostname,
      vendor,
      category,
      floor: String(subnet),
      ttl: kind?.ttl ?? 64,
      tcpWindow: 64_240,
      dhcp: { vendorClassId: kind?.vendorClass ?? 'Linux', parameterRequestList: kind?.params ?? [1, 3, 6, 15], broadcast: false },
      ipv6: false,
      softwareVersion: `${random.int(1, 9)}.${random.int(0, 20)}.${random.int(0, 99)}`,
    };
  };
  const servers = SERVERS.map((s, i) => device(i, s.category, s.oui, s.vendor, s.hostname));
  const devices: HospitalDevice[] = [...servers];
  const cumulative = KINDS.map((k, i) => KINDS.slice(0, i + 1).reduce((sum, x) => sum + x.share, 0));
  for (let i = servers.length; i < count + servers.length; i++) {
    const pick = random.fraction() * (cumulative[cumulative.length - 1] ?? 1);
    const kind = KINDS[cumulative.findIndex((c) => pick < c)] ?? (KINDS[0] as Kind);
    const [oui, vendor] = kind.makers[random.int(0, kind.makers.length - 1)] ?? kind.makers[0] ?? ['00:00:00', ''];
    devices.push(device(i, kind.category, oui, vendor, `${kind.category.slice(0, 4)}-${i.toString(36)}`, kind));
  }
  const [pacs1, pacs2, hl7, files, web] = servers as [HospitalDevice, HospitalDevice, HospitalDevice, HospitalDevice, HospitalDevice];
  return { devices, servers: { pacs: [pacs1, pacs2], hl7, files, web }, gateways };
}
