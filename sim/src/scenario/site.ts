/**
 * The site of the simulated day: St Mary, North building, three floors each watched by its own
 * sensor on its own /24 behind a Catalyst router, and the data centre the floors reach through it.
 */
import type { SeededRandom } from '../prng.js';
import { randomMac } from './addresses.js';
import type { LocalHost, RemoteHost } from './wire.js';

export const FLOOR_IDS = ['1', '2', '3'] as const;
export type FloorId = (typeof FLOOR_IDS)[number];

/** Capture time of the day: 2026-03-02T00:00:00Z, in microseconds since the epoch. */
export const SCENARIO_START_MICROS = Date.UTC(2026, 2, 2, 0, 0, 0) * 1000;
export const HOUR_MICROS = 3_600_000_000;
export const MINUTE_MICROS = 60_000_000;
export const SECOND_MICROS = 1_000_000;
/** The day lasts 24 hours; the hub learns normal behaviour in its first 8. */
export const SCENARIO_HOURS = 24;
export const LEARNING_HOURS = 8;
export const SCENARIO_END_MICROS = SCENARIO_START_MICROS + SCENARIO_HOURS * HOUR_MICROS;
export const LEARNING_END_MICROS = SCENARIO_START_MICROS + LEARNING_HOURS * HOUR_MICROS;

export const DOMAIN = 'stmary.local';

/** Devices present at the start join one after another within this, the first two minutes. */
export const JOIN_WINDOW_MICROS = 120 * SECOND_MICROS;

export interface SensorLocation {
  site: string;
  building: string;
  floor: FloorId;
  zone: string;
}

export interface ScenarioFloor {
  id: FloorId;
  sensorId: string;
  location: SensorLocation;
  /** CIDR, e.g. `10.10.1.0/24`. */
  subnet: string;
  /** The floor's router: default gateway and DHCP relay. */
  gateway: LocalHost & { hostname: string; vendor: string; model: string };
}

/** Cisco's OUI for the floor routers (one MAC each). */
const ROUTER_OUI = '10:57:25';
/** RFC 1812 routers start at 255; Catalyst advertises a small window on its own TCP sessions. */
const ROUTER_STACK = { ttl: 255, tcpWindow: 4128 } as const;

export function buildFloors(random: SeededRandom, usedMacs: Set<string>): ScenarioFloor[] {
  return FLOOR_IDS.map((id) => ({
    id,
    sensorId: `floor${id}`,
    location: { site: 'St Mary', building: 'North', floor: id, zone: 'east' },
    subnet: `10.10.${id}.0/24`,
    gateway: {
      ip: floorAddress(id, 1),
      mac: randomMac(random, ROUTER_OUI, usedMacs),
      floor: id,
      ...ROUTER_STACK,
      hostname: `rtr-north-${id}`,
      vendor: 'Cisco',
      model: 'Catalyst 9300',
    },
  }));
}

export function floorAddress(floor: FloorId, host: number): string {
  return `10.10.${floor}.${host}`;
}

/** Addresses the floors' DHCP pools hand out (RFC 2131 leases through the floor router's relay). */
export const DHCP_POOL = { first: 100, last: 250 } as const;

/** A server in the data centre (10.20.0.0/24), one routed hop from every floor. */
export interface Server extends RemoteHost {
  hostname: string;
}

const windowsServer = { ttl: 128, tcpWindow: 65535, hops: 1 } as const;
const linuxServer = { ttl: 64, tcpWindow: 64240, hops: 1 } as const;

export const DATA_CENTRE_SUBNET = '10.20.0.0/24';

/** The data centre's servers; `researchPacs` and `lis` serve other departments, never the floors' devices. */
export const SERVERS = {
  /** Resolver and DHCP server (RFC 2131 server identifier) in one, as a Windows domain controller is. */
  dns: { hostname: 'dc01', ip: '10.20.0.10', ...windowsServer },
  ntp: { hostname: 'ntp01', ip: '10.20.0.11', ...linuxServer },
  hl7: { hostname: 'hl7-engine', ip: '10.20.0.20', ...linuxServer },
  pacs: { hostname: 'pacs-01', ip: '10.20.0.21', ...linuxServer },
  researchPacs: { hostname: 'pacs-research', ip: '10.20.0.22', ...linuxServer },
  lis: { hostname: 'lis-01', ip: '10.20.0.25', ...linuxServer },
  files: { hostname: 'files-01', ip: '10.20.0.30', ...windowsServer },
  updates: { hostname: 'updates-01', ip: '10.20.0.40', ...windowsServer },
  sip: { hostname: 'sip-01', ip: '10.20.0.50', ...linuxServer },
} as const satisfies Record<string, Server>;

export function fqdn(server: Server): string {
  return `${server.hostname}.${DOMAIN}`;
}

/** A host on the internet: RFC 5737 documentation ranges stand for public addresses, many hops out. */
export function internetHost(ip: string): RemoteHost {
  return { ip, ttl: 64, tcpWindow: 65535, hops: 14 };
}

export function isoTime(micros: number): string {
  return new Date(Math.floor(micros / 1000)).toISOString();
}
