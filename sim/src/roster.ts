/** The devices of the simulated hospital: two floors, each behind its own Cisco router. */
import type { SeededRandom } from './prng.js';
import type { DeviceCategory, DhcpProfile, Gateway, HospitalDevice } from './devices.js';

/** Parameter request lists (RFC 2132 §9.8) as typical stacks send them. */
const WINDOWS_PARAMETERS = [1, 3, 6, 15, 31, 33, 43, 44, 46, 47, 119, 121, 249, 252];
const LINUX_PARAMETERS = [1, 121, 33, 3, 6, 12, 15, 28, 42, 51, 54, 58, 59, 119];
const EMBEDDED_PARAMETERS = [1, 3, 6, 15, 28, 42];

const windows = (): DhcpProfile => ({ vendorClassId: 'MSFT 5.0', parameterRequestList: WINDOWS_PARAMETERS, broadcast: false });
const linux = (): DhcpProfile => ({
  vendorClassId: 'dhcpcd-9.4.1:Linux-5.15.0:x86_64:GenuineIntel',
  parameterRequestList: LINUX_PARAMETERS,
  broadcast: false,
});
const embedded = (vendorClassId: string): DhcpProfile => ({ vendorClassId, parameterRequestList: EMBEDDED_PARAMETERS, broadcast: true });

interface DeviceSpec {
  hostname: string;
  floor: string;
  oui: string;
  vendor: string;
  category: DeviceCategory;
  model: string;
  softwareVersion: string;
  dhcp: DhcpProfile;
  os: 'windows' | 'linux' | 'embedded';
  /** Reserved address; others draw one from the floor's DHCP pool. */
  ip?: string;
  vlan?: number;
}

const SPECS: readonly DeviceSpec[] = [
  {
    hostname: 'pacs-01', floor: '1', oui: '10:65:30', vendor: 'Dell', category: 'pacs',
    model: 'PowerEdge R740', softwareVersion: '5.31.0', os: 'windows', dhcp: windows(), ip: '10.20.1.10',
  },
  {
    hostname: 'hl7-engine', floor: '1', oui: '18:60:24', vendor: 'HP', category: 'hl7-interface-engine',
    model: 'ProLiant DL360 Gen10', softwareVersion: '4.5.0', os: 'linux', dhcp: linux(), ip: '10.20.1.11',
  },
  {
    hostname: 'pump-1a-baxter', floor: '1', oui: '58:42:e4', vendor: 'Baxter', category: 'infusion-pump',
    model: 'Sigma Spectrum', softwareVersion: '8.00.01', os: 'embedded', dhcp: embedded('Baxter Spectrum 8.00.01'),
  },
  {
    hostname: 'pump-1b-bd', floor: '1', oui: '9c:c8:ae', vendor: 'Becton Dickinson', category: 'infusion-pump',
    model: 'Alaris 8015', softwareVersion: '12.1.2', os: 'embedded', dhcp: embedded('BD Alaris PCU 12.1.2'),
  },
  {
    hostname: 'mon-bed12', floor: '1', oui: '00:09:fb', vendor: 'Philips', category: 'patient-monitor',
    model: 'IntelliVue MX450', softwareVersion: 'M.00.03', os: 'embedded', dhcp: embedded('Philips IntelliVue MX450'),
  },
  {
    hostname: 'mon-bed14', floor: '1', oui: '44:4b:5d', vendor: 'GE Healthcare', category: 'patient-monitor',
    model: 'CARESCAPE B450', softwareVersion: '2.0.9', os: 'embedded', dhcp: embedded('GEHC CARESCAPE B450'),
  },
  {
    hostname: 'ws-nurse-1', floor: '1', oui: '10:65:30', vendor: 'Dell', category: 'workstation',
    model: 'OptiPlex 7090', softwareVersion: '10.0.19045', os: 'windows', dhcp: windows(),
  },
  {
    hostname: 'prn-label-1', floor: '1', oui: '00:07:4d', vendor: 'Zebra Technologies', category: 'printer',
    model: 'ZT410', softwareVersion: 'V75.20.21Z', os: 'embedded', dhcp: embedded('Zebra ZT410'),
  },
  {
    hostname: 'ct-01', floor: '2', oui: '44:4b:5d', vendor: 'GE Healthcare', category: 'ct',
    model: 'Revolution CT', softwareVersion: 'revo_ct_22.10', os: 'linux', dhcp: linux(),
  },
  {
    hostname: 'pump-2a-icu', floor: '2', oui: '00:03:b1', vendor: 'ICU Medical', category: 'infusion-pump',
    model: 'Plum 360', softwareVersion: '15.10.00', os: 'embedded', dhcp: embedded('ICU Medical Plum 360'),
  },
  {
    hostname: 'pump-2b-baxter', floor: '2', oui: '58:42:e4', vendor: 'Baxter', category: 'infusion-pump',
    model: 'Sigma Spectrum', softwareVersion: '8.00.01', os: 'embedded', dhcp: embedded('Baxter Spectrum 8.00.01'),
  },
  {
    hostname: 'mon-bed21', floor: '2', oui: '00:0f:14', vendor: 'Mindray', category: 'patient-monitor',
    model: 'BeneVision N12', softwareVersion: '04.01.00', os: 'embedded', dhcp: embedded('Mindray BeneVision N12'),
  },
  {
    hostname: 'mon-bed22', floor: '2', oui: '00:09:fb', vendor: 'Philips', category: 'patient-monitor',
    model: 'IntelliVue MX800', softwareVersion: 'M.00.03', os: 'embedded', dhcp: embedded('Philips IntelliVue MX800'),
  },
  {
    hostname: 'ws-nurse-2', floor: '2', oui: '50:81:40', vendor: 'HP', category: 'workstation',
    model: 'EliteDesk 800 G6', softwareVersion: '10.0.19045', os: 'windows', dhcp: windows(),
  },
  {
    hostname: 'prn-ward-2', floor: '2', oui: '50:81:40', vendor: 'HP', category: 'printer',
    model: 'LaserJet Enterprise M507', softwareVersion: '2409048_052604', os: 'embedded', dhcp: embedded('Hewlett-Packard JetDirect'), vlan: 30,
  },
];

const STACK = {
  windows: { ttl: 128, tcpWindow: 64240, ipv6: true },
  linux: { ttl: 64, tcpWindow: 29200, ipv6: false },
  embedded: { ttl: 64, tcpWindow: 8192, ipv6: false },
} as const;

export interface Roster {
  devices: HospitalDevice[];
  gateways: Gateway[];
}

/** Builds the roster; MAC suffixes and pool addresses come from `random`, everything else is fixed. */
export function buildRoster(random: SeededRandom): Roster {
  const usedMacs = new Set<string>();
  const macFor = (oui: string): string => {
    for (;;) {
      const suffix = Array.from(random.bytes(3), (b) => b.toString(16).padStart(2, '0')).join(':');
      const mac = `${oui}:${suffix}`;
      if (!usedMacs.has(mac)) {
        usedMacs.add(mac);
        return mac;
      }
    }
  };
  const gateways = ['1', '2'].map((floor, i): Gateway => ({
    mac: macFor(i === 0 ? '10:57:25' : '14:19:23'),
    ip: `10.20.${floor}.1`,
    hostname: `rtr-floor${floor}`,
    vendor: 'Cisco',
    category: 'router',
    floor,
    model: 'Catalyst 9300',
    ttl: 255,
    tcpWindow: 4128,
    subnetMask: '255.255.255.0',
    dhcpServer: '10.20.0.5',
    ipv6Prefix: `fd00:20:${floor}::`,
  }));
  const devices = ['1', '2'].flatMap((floor) => {
    const specs = SPECS.filter((spec) => spec.floor === floor);
    const pool = random.distinct(specs.length, 100, 199);
    return specs.map((spec, i): HospitalDevice => {
      const device: HospitalDevice = {
        mac: macFor(spec.oui),
        ip: spec.ip ?? `10.20.${floor}.${pool[i]}`,
        hostname: spec.hostname,
        vendor: spec.vendor,
        category: spec.category,
        floor,
        model: spec.model,
        ...STACK[spec.os],
        dhcp: spec.dhcp,
        softwareVersion: spec.softwareVersion,
      };
      if (spec.vlan !== undefined) device.vlan = spec.vlan;
      return device;
    });
  });
  return { devices, gateways };
}
