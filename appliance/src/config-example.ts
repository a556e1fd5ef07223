/**
 * A commented example of `wardsight.yaml`, for a technician to read and edit and for a configuration
 * bundle to start from. The values given fill it in; the rest are placeholders that load as they are.
 */
import type { Location } from '@wardsight/protocol';
import { DEFAULT_CONFIG_FILE, sensorDefaults } from './config-schema.js';

export interface ExampleConfigValues {
  sensorId: string;
  sensorName?: string;
  /** The hub's broker, `mqtts://host:8883`. */
  hubUrl: string;
  /** The hub's HTTPS API for first-boot enrolment; without it the enrolment lines stay commented out. */
  enrolUrl?: string;
  location: Location;
  /** The mirror (SPAN) port the sensor listens on. */
  interface: string;
}

export const exampleDefaults: ExampleConfigValues = {
  sensorId: 'floor3-east',
  sensorName: 'Floor 3 east comms room',
  hubUrl: 'mqtts://hub.hospital.example:8883',
  location: { site: 'Main site', building: 'North wing', floor: '3', zone: 'East', room: 'Comms 3.14' },
  interface: 'eth1',
};

/** A YAML double-quoted scalar (YAML 1.2 §7.3.1 takes JSON's escapes), so any text stays text. */
const q = (text: string): string => JSON.stringify(text);

export function exampleConfig(values: Partial<ExampleConfigValues> = {}): string {
  const v = { ...exampleDefaults, ...values };
  const l = v.location;
  const optional = (key: string, value: string | undefined, note: string) => (value === undefined ? `  # ${key}: ${note}` : `  ${key}: ${q(value)}`);
  return [
    `# ${DEFAULT_CONFIG_FILE}: the configuration of one Wardsight sensor.`,
    '# YAML (JSON works too). Relative paths are taken from the folder of this file.',
    '# Check it with: wardsight appliance check-config <this file>',
    '',
    '# This sensor\'s id: lower-case letters, digits and dashes; the CN of its certificate.',
    `sensorId: ${q(v.sensorId)}`,
    v.sensorName === undefined ? '# sensorName: "Floor 3 east comms room"' : `sensorName: ${q(v.sensorName)}`,
    '',
    'hub:',
    '  # The hub\'s MQTT broker (TLS with client certificates).',
    `  url: ${q(v.hubUrl)}`,
    '  # The hub\'s HTTPS API, used once at first boot to enrol with the token below.',
    v.enrolUrl === undefined ? '  # enrolUrl: "https://hub.hospital.example"' : `  enrolUrl: ${q(v.enrolUrl)}`,
    '',
    '# First-boot enrolment: the one-time token that came with this file.',
    v.enrolUrl === undefined ? '# enrolment:\n#   tokenFile: enrol.token' : 'enrolment:\n  tokenFile: enrol.token',
    '',
    '# sensor.crt, sensor.key (mode 0600) and the hub\'s ca.crt.',
    'tlsDir: tls',
    '# The sensor\'s own store (devices, findings not yet sent). Installed sensors use /var/lib/wardsight.',
    'dataDir: /var/lib/wardsight',
    '',
    '# Where this sensor is; floors and rooms are text, so quote numbers: floor: "3".',
    'location:',
    `  site: ${q(l.site)}`,
    optional('building', l.building, '"North wing"'),
    `  floor: ${q(l.floor)}`,
    optional('zone', l.zone, '"East"'),
    optional('room', l.room, '"Comms 3.14"'),
    '',
    'capture:',
    '  # The mirror (SPAN) port. Or, to replay a capture file instead: file: captures/ward3.pcap',
    `  interface: ${q(v.interface)}`,
    '  # A BPF filter (pcap-filter(7)): leave the sensor\'s own management traffic out.',
    '  filter: "not port 22"',
    '  # Kernel buffer, 1 to 1024 MB: more absorbs longer bursts.',
    '  bufferSizeMB: 32',
    '  # snapLength: 262144',
    '  # promiscuous: true',
    '',
    `# healthIntervalS: ${sensorDefaults.healthIntervalS}     # seconds between health reports (1 to 3600)`,
    `# flushIntervalMs: ${sensorDefaults.flushIntervalMs}   # findings are queued for the hub this often (50 to 60000)`,
    '',
    '# systemd watchdog pings, when the service manager asks for them (WatchdogSec= in the unit).',
    'watchdog:',
    `  enabled: ${String(sensorDefaults.watchdogEnabled)}`,
    '',
    '# How long the capture waits before it is started again after a failure; doubles each time.',
    'supervisor:',
    `  minBackoffMs: ${sensorDefaults.minBackoffMs}`,
    `  maxBackoffMs: ${sensorDefaults.maxBackoffMs}`,
    '',
  ].join('\n');
}
