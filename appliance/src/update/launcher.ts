/**
 * The launcher's bookkeeping step, run by `<root>/bin/wardsight-launcher` before every start of the
 * sensor service: `node launcher.js --root <root>`. It counts the start of a version on trial, rolls
 * back past the trial's limits, makes `current` point where the state says, and reports its decision
 * as one JSON line on standard error (the journal keeps it). The shell script then execs the program
 * in `current`. This file and the modules it imports use node built-ins only: a copy of them lives in
 * `<root>/launcher.d/`, outside the slots, so that a version that cannot run at all is still rolled back.
 */
import { isUpdateError } from './errors.js';
import { updateLayout } from './layout.js';
import { recordStart, type StartDecision, type UpdateLog } from './trial.js';

/** Pino's levels, so the journal reads the same as the sensor's own lines. */
const LEVEL = { info: 30, warn: 40, error: 50 } as const;

const DECISIONS: Record<StartDecision['kind'], string> = {
  'no-release': 'no release is installed under the root yet',
  steady: 'starting the known good version',
  trial: 'starting the version on trial',
  'rolled-back': 'starting the previous version after a rollback',
};

function writeLine(level: number, details: object, msg: string): void {
  process.stderr.write(`${JSON.stringify({ level, time: Date.now(), name: 'wardsight-launcher', pid: process.pid, ...details, msg })}\n`);
}

const log: UpdateLog = {
  info: (details, msg) => writeLine(LEVEL.info, details, msg),
  warn: (details, msg) => writeLine(LEVEL.warn, details, msg),
};

function rootArgument(argv: string[]): string | null {
  const at = argv.indexOf('--root');
  const value = at === -1 ? undefined : argv[at + 1];
  return value === undefined || value.startsWith('--') ? null : value;
}

async function main(argv: string[]): Promise<number> {
  const root = rootArgument(argv);
  if (root === null) {
    writeLine(LEVEL.error, {}, 'usage: launcher.js --root <install root>');
    return 2;
  }
  try {
    const decision = await recordStart(updateLayout(root), { log });
    writeLine(decision.kind === 'rolled-back' ? LEVEL.warn : LEVEL.info, { root, ...decision }, DECISIONS[decision.kind]);
    return 0;
  } catch (error) {
    const code = isUpdateError(error) ? error.code : undefined;
    writeLine(LEVEL.error, { root, code }, (error as Error).message);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
