/** The `wardsight` command line: one program, a subcommand per job, `--help` on each. */
import { Command, CommanderError } from 'commander';
import { registerAppliance } from './appliance-command.js';
import { registerAssets } from './assets-command.js';
import { registerBench } from './bench-command.js';
import { registerDemo } from './demo-command.js';
import { registerDevices, registerSensors } from './devices.js';
import { registerFeeds } from './feeds-command.js';
import { registerFingerprints } from './fingerprints.js';
import { registerHub } from './hub-command.js';
import { registerLocation } from './location-command.js';
import { registerProvision } from './provision-command.js';
import { registerRead } from './read-command.js';
import { registerRisk } from './risk-command.js';
import { registerSensor } from './sensor-command.js';
import { registerSim } from './sim-command.js';

export const CLI_VERSION = '0.1.0';

export function buildProgram(): Command {
  const program = new Command('wardsight')
    .description('Passive visibility and risk for the connected medical devices of a hospital')
    .version(CLI_VERSION)
    .showHelpAfterError()
    .exitOverride();
  registerHub(program);
  registerSensor(program);
  registerAppliance(program);
  registerRead(program);
  registerDevices(program);
  registerAssets(program);
  registerFeeds(program);
  registerRisk(program);
  registerSensors(program);
  registerLocation(program);
  registerProvision(program);
  registerSim(program);
  registerDemo(program);
  registerBench(program);
  registerFingerprints(program);
  return program;
}

/** Runs the command line; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    // A command that finished its work but found faults on the way says so through exitCode.
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    const e = err as Error & { code?: string };
    process.stderr.write(`wardsight: ${e.message}${e.code ? ` [${e.code}]` : ''}\n`);
    return 1;
  }
}
