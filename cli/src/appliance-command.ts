/**
 * `wardsight appliance`: the sensor board itself. `install` makes it start the sensor at boot under
 * systemd (its user, directories, configuration bundle and unit; with signed updates, the update
 * root's launcher and the trusted release key); `check-config` reads a
 * configuration and names each problem by file, line and column; `example-config` prints a
 * commented configuration to start from.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { registerUpdate } from './update-command.js';

interface InstallFlags {
  bundle?: string;
  root?: string;
  dryRun?: boolean;
  node?: string;
  cli?: string;
  user?: string;
  group?: string;
  watchdogSec?: number;
  restartSec?: number;
  /** `--update-root [dir]`: true without a value; `--no-update-root`: false. */
  updateRoot?: string | boolean;
  releaseKey?: string;
}

/** The update root asked for: a folder, the default one, none, or (undefined) the installer's choice. */
function updateRootOption(value: string | boolean | undefined, defaultRoot: string): string | false | undefined {
  if (value === undefined || value === false) return value;
  return resolve(value === true ? defaultRoot : value);
}

/** The `wardsight` entry point of this installation (bin/wardsight.js), for the unit's ExecStart. */
const defaultCliPath = (): string => fileURLToPath(new URL('../../bin/wardsight.js', import.meta.url));

const seconds = (value: string): number => {
  if (!/^\d+$/.test(value.trim())) throw new Error(`expected a whole number of seconds, not ${JSON.stringify(value)}`);
  return Number(value);
};

async function runInstall(flags: InstallFlags): Promise<void> {
  const { install, updateDefaults } = await import('@wardsight/appliance');
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const updateRoot = updateRootOption(flags.updateRoot, updateDefaults.root);
  const plan = await install(
    {
      cliPath: resolve(flags.cli ?? defaultCliPath()),
      ...(flags.node ? { nodePath: resolve(flags.node) } : {}),
      ...(flags.root ? { root: resolve(flags.root) } : {}),
      ...(flags.bundle ? { bundle: resolve(flags.bundle) } : {}),
      ...(flags.dryRun ? { dryRun: true } : {}),
      ...(flags.user ? { user: flags.user } : {}),
      ...(flags.group ? { group: flags.group } : {}),
      ...(flags.watchdogSec !== undefined ? { watchdogSec: flags.watchdogSec } : {}),
      ...(flags.restartSec !== undefined ? { restartSec: flags.restartSec } : {}),
      ...(updateRoot !== undefined ? { updateRoot } : {}),
      ...(flags.releaseKey ? { releaseKey: resolve(flags.releaseKey) } : {}),
    },
    say,
  );
  const root = plan.unit.updateRoot;
  say(root === undefined ? `the service runs ${plan.unit.cliPath} directly (no update root; signed updates need --update-root)` : `the service starts through the launcher of the update root ${root}`);
  if (flags.dryRun) say('dry run: nothing was changed');
}

export function registerAppliance(program: Command): void {
  const appliance = program.command('appliance').description('The sensor board: install it as a systemd service, check its configuration');

  appliance
    .command('install')
    .description('Install the sensor as the systemd service wardsight-sensor (user, directories, configuration bundle, unit), then enable it')
    .option('--bundle <dir>', 'the configuration bundle copied to the board (wardsight.yaml, tls/ca.crt, enrol.token)')
    .option('--root <dir>', 'install into this staging root (an image) instead: no user is created and systemctl is not run')
    .option('--dry-run', 'say what would be done, change nothing')
    .option('--node <path>', 'the Node.js binary the service runs (default: this one)')
    .option('--cli <path>', 'the wardsight command the service runs (default: this installation\'s bin/wardsight.js)')
    .option('--user <name>', 'system user the sensor runs as (default: wardsight)')
    .option('--group <name>', 'its group (default: the user\'s name)')
    .option('--watchdog-sec <s>', 'WatchdogSec= of the unit: restart a sensor silent this long (default: 30)', seconds)
    .option('--restart-sec <s>', 'RestartSec= of the unit: wait before restarting after a failure (default: 5)', seconds)
    .option('--update-root [dir]', 'start the sensor through the launcher of this install root of signed updates (default when given without a folder, or when its launcher exists: /opt/wardsight)')
    .option('--no-update-root', 'run the wardsight command directly, without signed updates')
    .option('--release-key <file>', 'the trusted release public key (.pub from `wardsight provision release keygen`), installed as /etc/wardsight/release.pub')
    .action(runInstall);

  appliance
    .command('check-config')
    .argument('[file]', 'the configuration file (default: /etc/wardsight/wardsight.yaml)')
    .description('Check a sensor configuration; each problem is named as file:line:column: field')
    .action(async (file?: string) => {
      const { loadSensorConfig, DEFAULT_CONFIG_PATH } = await import('@wardsight/appliance');
      const path = file ?? DEFAULT_CONFIG_PATH;
      const config = await loadSensorConfig(path);
      const capture = 'interface' in config.capture ? `interface ${config.capture.interface}` : `file ${config.capture.file}`;
      process.stdout.write(`${path}: sensor ${config.sensorId}, hub ${config.hub.url}, capture ${capture}: valid\n`);
    });

  appliance
    .command('example-config')
    .description('Print a commented example of wardsight.yaml')
    .action(async () => {
      const { exampleConfig } = await import('@wardsight/appliance');
      process.stdout.write(exampleConfig());
    });

  registerUpdate(appliance);
}
