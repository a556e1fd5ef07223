/** `wardsight devices`: the inventory of the local hub, from its data directory's address and credential. */
import type { Command } from 'commander';
import type { DeviceView } from '@wardsight/hub';
import { hubDefaults } from '@wardsight/hub/config';
import { hubRequest } from './hub-client.js';

/** GET on the local hub's API. */
export function fetchFromHub<T>(dataDir: string, path: string): Promise<T> {
  return hubRequest<T>(dataDir, 'GET', path);
}

function table(devices: DeviceView[]): string {
  const rows = devices.map((d) => [d.hostname ?? '', d.mac ?? d.id, d.ip ?? '', d.vendor ?? '', d.location ? `floor ${d.location.floor}` : '', d.services.join(',')]);
  const head = ['HOSTNAME', 'MAC', 'IP', 'VENDOR', 'WHERE', 'SERVICES'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

export function registerDevices(program: Command): void {
  program
    .command('devices')
    .description('List the devices in the local hub\'s inventory')
    .option('--data-dir <dir>', 'hub data directory', hubDefaults().dataDir)
    .option('--json', 'print JSON (the API\'s device objects) instead of a table')
    .action(async (opts: { dataDir: string; json?: boolean }) => {
      const { devices } = await fetchFromHub<{ devices: DeviceView[] }>(opts.dataDir, '/api/v1/devices');
      devices.sort((a, b) => (a.location?.floor ?? '').localeCompare(b.location?.floor ?? '') || (a.ip ?? '').localeCompare(b.ip ?? '', 'en', { numeric: true }));
      process.stdout.write(opts.json ? `${JSON.stringify(devices, null, 2)}\n` : `${table(devices)}\n`);
    });
}

interface SensorRow {
  id: string;
  state: string;
  location: { site: string; floor: string } | null;
  lastMessageAt: string;
  health: { capture: Record<string, number>; memRssMB: number; peakRssMB: number; devices: number; outboxDepth: number } | null;
}

export function registerSensors(program: Command): void {
  program
    .command('sensors')
    .description('List the sensors that report to the local hub, with their capture counters')
    .option('--data-dir <dir>', 'hub data directory', hubDefaults().dataDir)
    .option('--json', 'print JSON (the API\'s sensor objects) instead of a table')
    .action(async (opts: { dataDir: string; json?: boolean }) => {
      const { sensors } = await fetchFromHub<{ sensors: SensorRow[] }>(opts.dataDir, '/api/v1/sensors');
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(sensors, null, 2)}\n`);
        return;
      }
      for (const s of sensors) {
        const c = s.health?.capture;
        const counters = c ? `${c.packets ?? 0} packets, ${c.malformed ?? 0} malformed, ${c.fragments ?? 0} fragments, libpcap dropped ${c.dropped ?? 0}/${c.ifDropped ?? 0}, queue drops ${c.queueDrops ?? 0}` : 'no health report yet';
        process.stdout.write(`${s.id.padEnd(16)} ${s.state.padEnd(8)} ${s.location ? `floor ${s.location.floor}`.padEnd(10) : ''.padEnd(10)} ${counters}\n`);
      }
    });
}
