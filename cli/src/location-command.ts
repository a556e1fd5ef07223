/**
 * `wardsight where DEVICE`, `wardsight moved`, `wardsight missing`: where a device is and was, what
 * moved over a time range, and what has not been seen for a while — from the local hub's API.
 */
import type { Command } from 'commander';
import type { Move, Span } from '@wardsight/hub';
import { hubDefaults } from '@wardsight/hub/config';
import { fetchFromHub } from './devices.js';

const minutes = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`not a whole number of minutes: ${v}`);
  return n;
};

const instant = (v: string): string => {
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new Error(`not a date and time (ISO 8601, e.g. 2026-03-02T08:00:00Z): ${v}`);
  return new Date(t).toISOString();
};

const print = (json: boolean | undefined, value: unknown, text: () => string): void => {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text()}\n`);
};

type DeviceMove = Move & { device: string };

export function registerLocation(program: Command): void {
  const dataDir = hubDefaults().dataDir;
  program
    .command('where')
    .description('Where a device is now, and its moves between floors')
    .argument('<device>', 'device id (mac:…, or ip:… for a device seen only by address)')
    .option('--data-dir <dir>', 'hub data directory', dataDir)
    .option('--json', 'print the API\'s answer as JSON')
    .action(async (device: string, opts: { dataDir: string; json?: boolean }) => {
      const where = await fetchFromHub<{ device: string; now: Span | null; moves: DeviceMove[] }>(opts.dataDir, `/api/v1/devices/${encodeURIComponent(device)}/location`);
      print(opts.json, where, () =>
        [
          where.now ? `${where.device} is on ${where.now.floor} (sensor ${where.now.sensorId}), seen there from ${where.now.start} to ${where.now.end}` : `${where.device}: no sensor has placed it yet`,
          ...where.moves.map((m) => `  moved ${m.at}  ${m.from} -> ${m.to}`),
        ].join('\n'),
      );
    });
  program
    .command('moved')
    .description('Devices that moved between floors in a time range (by default the last 24 hours)')
    .option('--since <time>', 'from (ISO 8601)', instant)
    .option('--until <time>', 'to (ISO 8601; default now)', instant)
    .option('--data-dir <dir>', 'hub data directory', dataDir)
    .option('--json', 'print the API\'s answer as JSON')
    .action(async (opts: { since?: string; until?: string; dataDir: string; json?: boolean }) => {
      const query = new URLSearchParams({ ...(opts.since ? { since: opts.since } : {}), ...(opts.until ? { until: opts.until } : {}) });
      const answer = await fetchFromHub<{ since: string; until: string; moves: DeviceMove[] }>(opts.dataDir, `/api/v1/movements?${query.toString()}`);
      print(opts.json, answer, () => [`${answer.moves.length} moves from ${answer.since} to ${answer.until}`, ...answer.moves.map((m) => `  ${m.at}  ${m.device}  ${m.from} -> ${m.to}`)].join('\n'));
    });
  program
    .command('missing')
    .description('Devices not seen for a while, with where they were last')
    .option('--minutes <n>', 'not seen for this many minutes', minutes, 60)
    .option('--data-dir <dir>', 'hub data directory', dataDir)
    .option('--json', 'print the API\'s answer as JSON')
    .action(async (opts: { minutes: number; dataDir: string; json?: boolean }) => {
      const answer = await fetchFromHub<{ cutoff: string; devices: { id: string; lastSeen: string; hostname: string | null; lastPlace: Span | null }[] }>(opts.dataDir, `/api/v1/devices/missing?minutes=${opts.minutes}`);
      print(opts.json, answer, () =>
        [`${answer.devices.length} devices not seen since ${answer.cutoff}`, ...answer.devices.map((d) => `  ${d.id}  ${d.hostname ?? ''}  last seen ${d.lastSeen}${d.lastPlace ? ` on ${d.lastPlace.floor}` : ''}`)].join('\n'),
      );
    });
}
