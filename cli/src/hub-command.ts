/** `wardsight hub`: the central hub with its embedded broker and store. */
import type { Command } from 'commander';
import { hubDefaults } from '@wardsight/hub/config';
import { createLogger } from './log.js';
import { untilSignal } from './signals.js';

const port = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new Error(`not a port number: ${value}`);
  return n;
};
const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function registerHub(program: Command): void {
  const d = hubDefaults();
  program
    .command('hub')
    .description('Run the hub: MQTT broker over TLS, ingest, inventory store and the HTTPS API')
    .option('--data-dir <dir>', 'where the hub keeps its store, CA and credential', d.dataDir)
    .option('--host <address>', 'address to listen on', d.host)
    .option('--mqtt-port <port>', 'MQTT over TLS port', port, d.mqttPort)
    .option('--api-port <port>', 'HTTPS API and dashboard port', port, d.apiPort)
    .option('--public-name <name>', 'extra DNS name or IP for the hub certificate (repeatable)', collect, [] as string[])
    .action(async (opts: { dataDir: string; host: string; mqttPort: number; apiPort: number; publicName: string[] }) => {
      const { startHub } = await import('@wardsight/hub');
      const log = createLogger();
      const hub = await startHub({ dataDir: opts.dataDir, host: opts.host, mqttPort: opts.mqttPort, apiPort: opts.apiPort, publicNames: opts.publicName }, log);
      process.stdout.write(`Wardsight hub running\n  dashboard  ${hub.apiUrl}/\n  MQTT       ${hub.mqttUrl}\n  credential ${hub.credentialFile}${hub.credentialCreated ? ' (new)' : ''}\n  CA         ${hub.caFile}\n`);
      await untilSignal(() => hub.close());
    });
}
