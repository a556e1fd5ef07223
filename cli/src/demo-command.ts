/**
 * `wardsight demo` (what `make demo` runs): a hub with its embedded broker and store, and one sensor
 * per floor of the simulated hospital reading that floor's traffic. Ctrl-C stops everything.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { wardsightHome } from '@wardsight/hub/config';
import { importDemoFeeds } from './feeds-command.js';
import { createLogger } from './log.js';
import { untilSignal } from './signals.js';

interface DemoFlags {
  home: string;
  seed: number;
  mqttPort: number;
  apiPort: number;
  feeds?: string[];
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('Run a hub and two floor sensors on a simulated hospital; prints the dashboard URL')
    .option('--home <dir>', 'Wardsight home (hub data in <home>/hub, demo files in <home>/demo)', wardsightHome())
    .option('--seed <n>', 'simulation seed', (v) => Number.parseInt(v, 10), 1)
    .option('--mqtt-port <port>', 'MQTT over TLS port', (v) => Number.parseInt(v, 10), 8883)
    .option('--api-port <port>', 'HTTPS port of the API and dashboard', (v) => Number.parseInt(v, 10), 8443)
    .option('--feeds <paths...>', 'vulnerability feed files or folders to import into the demo hub (CSAF, CVE, KEV, EPSS, SBOM, MDS2)')
    .action(async (flags: DemoFlags) => {
      const [{ startHub }, { writeHospital }] = await Promise.all([import('@wardsight/hub'), import('@wardsight/sim')]);
      const log = createLogger(process.env.WARDSIGHT_LOG ?? 'warn');
      const demoDir = join(flags.home, 'demo');
      // Sensors start from empty stores on every demo, so that they report everything again.
      await rm(join(demoDir, 'sensors'), { recursive: true, force: true });
      const sim = await writeHospital(join(demoDir, 'sim'), { seed: flags.seed });
      const hub = await startHub({ dataDir: join(flags.home, 'hub'), mqttPort: flags.mqttPort, apiPort: flags.apiPort }, log);
      const feeds = flags.feeds?.length ? await importDemoFeeds(hub.risk.library, flags.feeds) : null;

      const children: ChildProcess[] = [];
      const { writeConfigBundle } = await import('@wardsight/provisioning');
      const caPem = await readFile(hub.caFile, 'utf8');
      for (const floor of sim.pcaps) {
        const sensorId = `floor-${floor.floor}`;
        // Each sensor goes through the technician's path: registered, a bundle with a one-time token, enrolment on first start.
        const location = { site: 'Demo General Hospital', floor: floor.floor };
        const issued = (await hub.registry.get(sensorId))
          ? await hub.registry.replace(sensorId, 'demo')
          : await hub.registry.add({ id: sensorId, name: `Floor ${floor.floor} mirror port`, location, by: 'demo' });
        const bundle = await writeConfigBundle({
          outDir: join(demoDir, 'sensors', sensorId),
          sensorId,
          sensorName: issued.record.name,
          token: issued.token,
          expiresAt: issued.expiresAt,
          caPem,
          mqttUrl: hub.mqttUrl,
          apiUrl: hub.apiUrl,
          location: issued.record.location,
          capture: { file: floor.path },
        });
        const child = spawn(process.execPath, [process.argv[1] ?? 'wardsight', 'sensor', '--config', bundle.configFile], {
          stdio: ['ignore', 'inherit', 'inherit'],
          env: { ...process.env, WARDSIGHT_LOG: process.env.WARDSIGHT_LOG ?? 'warn' },
        });
        child.on('exit', (code, signal) => {
          if (code !== 0 && signal === null) process.stderr.write(`sensor ${sensorId} exited with code ${code ?? '?'}\n`);
        });
        children.push(child);
      }

      process.stdout.write(
        [
          '',
          'Wardsight demo running: a hub and two floor sensors on a simulated hospital.',
          `  dashboard   ${hub.apiUrl}/   (HTTP Basic, user and password in the credential file)`,
          `  credential  ${hub.credentialFile}`,
          `  CA          ${hub.caFile}   (the dashboard's certificate is signed by it)`,
          `  truth       ${sim.truth}`,
          '  inventory   npx wardsight devices   (or --json)',
          feeds ? `  feeds       ${feeds.files} files, ${feeds.records} records imported${feeds.problems ? ` (${feeds.problems} problems: \`wardsight feeds import\` lists them)` : ''}` : '  feeds       none imported: npx wardsight feeds import PATH…',
          '  risk        npx wardsight risk priorities   ·   npx wardsight models assess Baxter "Sigma Spectrum"',
          '',
          'Press Ctrl-C to stop.',
          '',
        ].join('\n'),
      );
      await untilSignal(async () => {
        await Promise.all(children.map(stopChild));
        await hub.close();
      });
    });
}
