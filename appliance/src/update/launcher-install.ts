/**
 * Installs the launcher into the install root: a copy of the compiled bookkeeping modules (node
 * built-ins only) under `launcher.d/<id>/`, switched in through the `launcher` link, and the POSIX sh
 * script `bin/wardsight-launcher` that systemd runs as ExecStart. It is written from the code that is
 * running when a release is installed — a version that has proven itself — so a new version that
 * cannot start at all never takes its own rollback with it.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { releasePathProblem } from '@wardsight/provisioning';
import { pointLinkAt, writeFileAtomic } from './atomic-file.js';
import { UpdateError } from './errors.js';
import { updateDefaults, type UpdateLayout } from './layout.js';

/** The launcher and everything it imports (each imports node built-ins and these only). */
export const LAUNCHER_MODULES = ['launcher.js', 'trial.js', 'update-state.js', 'lock.js', 'layout.js', 'atomic-file.js', 'errors.js'] as const;

export interface LauncherOptions {
  /** The node binary systemd runs; default: the one running now. */
  nodePath?: string;
  /** The program started from the slot, relative to it. */
  entry?: string;
}

/** Single-quotes a word for sh (POSIX.1-2017 XCU §2.2.2): nothing inside single quotes is special but the quote itself. */
function shellQuote(word: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000\n\r]/.test(word)) throw new UpdateError('APPLIANCE_ERR_UPDATE_LAYOUT', `${JSON.stringify(word)} cannot be used in the launcher script (it has a line break or NUL)`);
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

export function launcherScript(layout: UpdateLayout, nodePath: string, entry: string): string {
  const root = shellQuote(layout.root);
  return [
    '#!/bin/sh',
    '# Wardsight sensor launcher: the ExecStart of wardsight-sensor.service. Written by the update',
    '# installer and rewritten by every update; do not edit.',
    '# Before each start it records the start of a version on trial and rolls back past the trial\'s',
    '# limits (with the code in launcher/, outside the slots). Then it replaces itself with the program',
    '# of the slot `current` points at, which so keeps the main PID for sd_notify (NotifyAccess=main).',
    `root=${root}`,
    `node=${shellQuote(nodePath)}`,
    'if ! "$node" "$root/launcher/launcher.js" --root "$root"; then',
    '  echo "wardsight-launcher: the start could not be recorded (see above); starting $root/current anyway" >&2',
    'fi',
    `exec "$node" "$root/current/"${shellQuote(entry)} "$@"`,
    '',
  ].join('\n');
}

/** Writes (or rewrites) the launcher of `layout`; returns the script's path. */
export async function installLauncher(layout: UpdateLayout, options: LauncherOptions = {}): Promise<string> {
  const entry = options.entry ?? updateDefaults.entry;
  if (releasePathProblem(entry) !== null) throw new UpdateError('APPLIANCE_ERR_UPDATE_LAYOUT', `the entry ${JSON.stringify(entry)} must be a plain path inside the slot, such as ${updateDefaults.entry}`);
  const sourceDir = dirname(fileURLToPath(import.meta.url));
  const id = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const codeDir = join(layout.launcherVersions, id);
  await mkdir(codeDir, { recursive: true, mode: 0o755 });
  for (const module of LAUNCHER_MODULES) await copyFile(join(sourceDir, module), join(codeDir, module));
  await writeFile(join(codeDir, 'package.json'), '{ "type": "module", "private": true }\n', { mode: 0o644 });
  await pointLinkAt(layout.launcherLink, `launcher.d/${id}`);
  await mkdir(dirname(layout.launcherScript), { recursive: true, mode: 0o755 });
  await writeFileAtomic(layout.launcherScript, launcherScript(layout, options.nodePath ?? process.execPath, entry), 0o755);
  // Older copies, the one just replaced among them, are no longer referenced.
  for (const name of await readdir(layout.launcherVersions)) {
    if (name !== id) await rm(join(layout.launcherVersions, name), { recursive: true, force: true });
  }
  return layout.launcherScript;
}
