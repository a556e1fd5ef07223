/** The people-facing facts about each simulated device (its ground truth) and what it sends as itself. */

/** Ground truth for one device, as written to `truth.json`. */
export interface TruthDevice {
  /** Lower-case `aa:bb:cc:dd:ee:ff`. */
  mac: string;
  ip: string;
  hostname: string;
  /** Canonical maker name, as the inventory names it (e.g. `Philips`, `Becton Dickinson`). */
  vendor: string;
  category: DeviceCategory;
  floor: string;
  model?: string;
}

export type DeviceCategory =
  | 'pacs'
  | 'hl7-interface-engine'
  | 'infusion-pump'
  | 'patient-monitor'
  | 'ct'
  | 'workstation'
  | 'printer'
  | 'router';

/** What a host needs to put frames on the wire. */
export interface Host {
  mac: string;
  ip: string;
  floor: string;
  /** Initial IPv4 TTL of its stack: 128 for Windows, 64 for Linux and most embedded stacks, 255 for routers. */
  ttl: number;
  /** TCP receive window it advertises. */
  tcpWindow: number;
  /** Set when its frames are seen on the mirror port with an 802.1Q tag. */
  vlan?: number;
}

/** How a device's DHCP client introduces itself (RFC 2132 options 60 and 55, broadcast flag). */
export interface DhcpProfile {
  vendorClassId: string;
  parameterRequestList: readonly number[];
  broadcast: boolean;
}

export interface HospitalDevice extends TruthDevice, Host {
  dhcp: DhcpProfile;
  /** Whether its stack brings up IPv6 (router solicitation, MLD, duplicate address detection). */
  ipv6: boolean;
  /** Software or firmware version it reveals in application traffic. */
  softwareVersion: string;
}

/** A floor's router: the default gateway and the DHCP relay towards the central DHCP server. */
export interface Gateway extends TruthDevice, Host {
  subnetMask: string;
  dhcpServer: string;
  /** The /64 announced in router advertisements. */
  ipv6Prefix: string;
}

/** The truth fields only, in a stable key order. */
export function truthOf(device: TruthDevice): TruthDevice {
  const { mac, ip, hostname, vendor, category, floor, model } = device;
  return model === undefined ? { mac, ip, hostname, vendor, category, floor } : { mac, ip, hostname, vendor, category, floor, model };
}
