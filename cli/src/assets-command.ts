/**
 * `wardsight assets`: the hospital's asset register (its CMMS export) merged with what the sensors
 * found. `import` sends an export and its column mapping to the local hub; `list` shows each asset
 * and the device it links to; `conflicts` shows where the register, technicians and sensors disagree.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import type { AssetView, ConflictView, ImportOutcome } from '@wardsight/hub';
import { hubDefaults } from '@wardsight/hub/config';
import { hubRequest } from './hub-client.js';

const MAPPING_HELP = `
The mapping file (YAML or JSON) names the CSV column of each field; assetTag or serialNumber is required:

  delimiter: ";"                # default ","
  columns:
    assetTag: Asset No
    serialNumber: Serial
    department: Department
    room: Location
    owner: Responsible
    criticality: Risk Class
    mac: MAC Address            # mac, serialNumber and hostname find the device
    hostname: Network Name
    ip: IP Address
    vendor: Manufacturer        # optional: compared with what the sensors found
    model: Model
  criticality:                  # the CMMS's words → critical | high | medium | low
    Life support: critical
    Therapeutic: high

A malformed file is refused whole, with the row (the header is row 1) and the column at fault.`;

async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the ${what} ${file}: ${(err as Error).message}`, { cause: err });
  }
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

function assetTable(assets: AssetView[]): string {
  const rows = assets.map((a) => [a.asset, a.state, a.device ?? '', a.matchedBy ?? '', a.fields.department?.value ?? '', a.fields.room?.value ?? '', a.fields.criticality?.value ?? '', a.conflicts ? String(a.conflicts) : '']);
  return table(['ASSET', 'STATE', 'DEVICE', 'BY', 'DEPARTMENT', 'ROOM', 'CRITICALITY', 'CONFLICTS'], rows);
}

function conflictList(conflicts: ConflictView[]): string {
  if (!conflicts.length) return 'no conflicts';
  const rows = conflicts.map((c) => [c.kind, c.asset, c.device ?? '', c.field, `${c.value} (${c.source})`, `${c.otherValue ?? '—'} (${c.otherSource})`]);
  return `${table(['KIND', 'ASSET', 'DEVICE', 'FIELD', 'VALUE (SOURCE)', 'OTHER (SOURCE)'], rows)}\n\n${conflicts.map((c) => `- ${c.message}`).join('\n')}`;
}

export function registerAssets(program: Command): void {
  const assets = program.command('assets').description('The hospital\'s asset register (CMMS export) merged with the inventory');

  assets
    .command('import <file>')
    .description('Import a CMMS export (CSV) into the local hub\'s asset register')
    .requiredOption('--mapping <file>', 'column mapping (YAML or JSON): which column holds which field')
    .option('--data-dir <dir>', 'hub data directory', hubDefaults().dataDir)
    .addHelpText('after', MAPPING_HELP)
    .action(async (file: string, opts: { mapping: string; dataDir: string }) => {
      const [csv, mapping] = await Promise.all([readText(file, 'register file'), readText(opts.mapping, 'mapping file')]);
      const outcome = await hubRequest<ImportOutcome>(opts.dataDir, 'POST', '/api/v1/assets/import', { csv, mapping, source: basename(file) });
      process.stdout.write(
        [
          `${outcome.rows} assets read from ${basename(file)}: ${outcome.matched} matched to a device, ${outcome.notSeen} not yet seen on the network${outcome.ambiguous ? `, ${outcome.ambiguous} matching several devices` : ''}`,
          `${outcome.unchanged} unchanged; ${outcome.conflicts} new conflicts, ${outcome.openConflicts} open (\`wardsight assets conflicts\`)`,
          '',
        ].join('\n'),
      );
    });

  assets
    .command('list')
    .description('Each asset, the device it links to (or not yet seen), its department, room and criticality')
    .option('--data-dir <dir>', 'hub data directory', hubDefaults().dataDir)
    .option('--json', 'print the API\'s asset objects, every field with its source, as JSON')
    .action(async (opts: { dataDir: string; json?: boolean }) => {
      const { assets: list } = await hubRequest<{ assets: AssetView[] }>(opts.dataDir, 'GET', '/api/v1/assets');
      process.stdout.write(opts.json ? `${JSON.stringify(list, null, 2)}\n` : `${assetTable(list)}\n`);
    });

  assets
    .command('conflicts')
    .description('Where the register, technicians and sensors disagree: each with the asset, device, field, both values and both sources')
    .option('--data-dir <dir>', 'hub data directory', hubDefaults().dataDir)
    .option('--json', 'print the API\'s conflict objects as JSON')
    .action(async (opts: { dataDir: string; json?: boolean }) => {
      const { conflicts } = await hubRequest<{ conflicts: ConflictView[] }>(opts.dataDir, 'GET', '/api/v1/assets/conflicts');
      process.stdout.write(opts.json ? `${JSON.stringify(conflicts, null, 2)}\n` : `${conflictList(conflicts)}\n`);
    });
}
