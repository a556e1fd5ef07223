/**
 * `wardsight provision`: the technician's commands. `sensor add` registers a sensor at the hub and
 * writes its config bundle (configuration, the hub's CA, a one-time enrolment token and its QR code);
 * `sensor list`, `sensor replace` (new hardware in the same place) and `sensor revoke`.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { hubDefaults } from '@wardsight/hub/config';
import type { RegisteredSensorView } from '@wardsight/hub';
import { hubRequest, readEndpoint } from './hub-client.js';
import { registerRelease } from './release-command.js';
import { durationOption } from './durations.js';

interface TokenAnswer {
  sensor: RegisteredSensorView;
  token: string;
  expiresAt: string;
}

interface BundleFlags {
  hubDataDir: string;
  out?: string;
  hubAddress?: string;
  qr: boolean;
}

/** `30m`, `12h`, `7d` (or plain minutes) as minutes. */
const validFor = durationOption('--valid-for', ['m', 'h', 'd'], 'm');
const duration = (value: string): number => validFor(value) / 60_000;

/** The hub's URL with its host replaced by the address sensors use to reach it. */
function reachable(url: string, address: string | undefined): string {
  if (!address) return url;
  const u = new URL(url);
  u.hostname = address.includes(':') && !address.startsWith('[') ? `[${address}]` : address;
  return u.toString().replace(/\/$/, '');
}

function where(s: RegisteredSensorView): string {
  const l = s.location;
  return [l.site, l.building, `floor ${l.floor}`, l.zone, l.room].filter(Boolean).join(', ');
}

async function writeBundle(answer: TokenAnswer, flags: BundleFlags, replace: boolean): Promise<void> {
  const endpoint = await readEndpoint(flags.hubDataDir);
  const { readFile } = await import('node:fs/promises');
  const { writeConfigBundle } = await import('@wardsight/provisioning');
  const sensor = answer.sensor;
  const bundle = await writeConfigBundle({
    outDir: resolve(flags.out ?? `sensor-${sensor.id}`),
    sensorId: sensor.id,
    sensorName: sensor.name,
    token: answer.token,
    expiresAt: answer.expiresAt,
    caPem: await readFile(endpoint.caFile, 'utf8'),
    mqttUrl: reachable(endpoint.mqttUrl, flags.hubAddress),
    apiUrl: reachable(endpoint.apiUrl, flags.hubAddress),
    location: sensor.location,
    capture: { interface: sensor.captureInterface },
    replace,
  });
  const out = process.stdout;
  if (flags.qr) out.write(`${bundle.qrTerminal}\n`);
  out.write(
    [
      `sensor ${sensor.id} (${sensor.name}) at ${where(sensor)}: ${sensor.state}`,
      `  bundle     ${bundle.dir}   (copy it onto the sensor's boot partition)`,
      `  QR code    ${bundle.qrPng}`,
      `  token      expires ${answer.expiresAt}; it works once`,
      '',
    ].join('\n'),
  );
  if (!flags.hubAddress && /\/\/(127\.|\[::1\]|localhost)/.test(endpoint.apiUrl)) {
    process.stderr.write('note: the bundle points at this machine\'s loopback address; give --hub-address <name or IP> for a sensor on another machine\n');
  }
}

function bundleOptions(command: Command): Command {
  return command
    .option('--hub-data-dir <dir>', 'data directory of the local hub', hubDefaults().dataDir)
    .option('--out <dir>', 'bundle directory (default: ./sensor-<id>)')
    .option('--hub-address <host>', 'name or IP sensors use to reach the hub (the hub certificate must carry it: `wardsight hub --public-name`)')
    .option('--no-qr', 'do not print the QR code in the terminal');
}

export function registerProvision(program: Command): void {
  const provision = program.command('provision').description('Register, enrol, replace and revoke sensors; sign releases');
  const sensor = provision.command('sensor').description('The hub\'s register of sensors');

  bundleOptions(
    sensor
      .command('add <sensorId>')
      .description('Register a sensor and write its config bundle with a one-time enrolment token (also shown as a QR code)')
      .requiredOption('--floor <floor>', 'floor the sensor watches')
      .option('--site <name>', 'site', 'main')
      .option('--building <name>', 'building')
      .option('--zone <name>', 'zone of the floor (a wing, a ward)')
      .option('--room <name>', 'room or closet the sensor is in')
      .option('--name <text>', 'a person\'s name for the sensor (default: its id)')
      .option('--interface <name>', 'capture interface on the sensor (the mirror port)', 'eth0')
      .option('--valid-for <duration>', 'how long the enrolment token stays usable: 30m, 12h, 7d (default 7d)', duration),
  ).action(async (sensorId: string, flags: BundleFlags & { floor: string; site: string; building?: string; zone?: string; room?: string; name?: string; interface: string; validFor?: number }) => {
    const location = { site: flags.site, floor: flags.floor, ...(flags.building ? { building: flags.building } : {}), ...(flags.zone ? { zone: flags.zone } : {}), ...(flags.room ? { room: flags.room } : {}) };
    const answer = await hubRequest<TokenAnswer>(flags.hubDataDir, 'POST', '/api/v1/provisioning/sensors', {
      id: sensorId,
      location,
      captureInterface: flags.interface,
      ...(flags.name ? { name: flags.name } : {}),
      ...(flags.validFor ? { validMinutes: flags.validFor } : {}),
    });
    await writeBundle(answer, flags, false);
  });

  bundleOptions(
    sensor
      .command('replace <sensorId>')
      .description('New hardware in the same place (or a token that expired): a new bundle and token; the old certificate stops working now')
      .option('--valid-for <duration>', 'how long the enrolment token stays usable: 30m, 12h, 7d (default 7d)', duration),
  ).action(async (sensorId: string, flags: BundleFlags & { validFor?: number }) => {
    const answer = await hubRequest<TokenAnswer>(flags.hubDataDir, 'POST', `/api/v1/provisioning/sensors/${encodeURIComponent(sensorId)}/replace`, flags.validFor ? { validMinutes: flags.validFor } : {});
    await writeBundle(answer, flags, true);
  });

  sensor
    .command('revoke <sensorId>')
    .description('Revoke a sensor: it is cut off from the hub at once and cannot enrol again')
    .option('--hub-data-dir <dir>', 'data directory of the local hub', hubDefaults().dataDir)
    .action(async (sensorId: string, flags: { hubDataDir: string }) => {
      const s = await hubRequest<RegisteredSensorView>(flags.hubDataDir, 'POST', `/api/v1/provisioning/sensors/${encodeURIComponent(sensorId)}/revoke`);
      process.stdout.write(`sensor ${s.id} revoked at ${s.revokedAt ?? '?'}; its connection is dropped and its certificate refused\n`);
    });

  sensor
    .command('list')
    .description('The register: each sensor, where it is, whether it has enrolled or is revoked')
    .option('--hub-data-dir <dir>', 'data directory of the local hub', hubDefaults().dataDir)
    .option('--json', 'print the API\'s objects as JSON')
    .action(async (flags: { hubDataDir: string; json?: boolean }) => {
      const { sensors } = await hubRequest<{ sensors: RegisteredSensorView[] }>(flags.hubDataDir, 'GET', '/api/v1/provisioning/sensors');
      if (flags.json) return void process.stdout.write(`${JSON.stringify(sensors, null, 2)}\n`);
      const rows = sensors.map((s) => [s.id, s.state, s.name, where(s), s.certificate ? `cert ${s.certificate.serial.slice(0, 12)}… until ${s.certificate.notAfter.slice(0, 10)}` : s.token ? `token until ${s.token.expiresAt}` : '']);
      const head = ['ID', 'STATE', 'NAME', 'WHERE', 'IDENTITY'];
      const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
      const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
      process.stdout.write(`${[line(head), ...rows.map(line)].join('\n')}\n`);
    });

  registerRelease(provision);
}
