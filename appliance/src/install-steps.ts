/**
 * The steps of an installation and how each is carried out and said: a system user (useradd(8)),
 * a directory or a file with its owner and mode, a systemctl(1) command. Files are written to a
 * temporary name and renamed, so a board that loses power mid-install never has half a unit file.
 */
import { access, chmod, chown, mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ApplianceError } from './errors.js';

/** `root-service`: owned by root, readable by the service's group. */
export type StepOwner = 'root' | 'service' | 'root-service';

export type InstallStep =
  | { kind: 'user'; user: string; group: string; home: string }
  | { kind: 'dir'; path: string; mode: number; owner: StepOwner; note?: string | undefined }
  | { kind: 'file'; path: string; mode: number; owner: StepOwner; data: string | Buffer; keep?: boolean; note?: string | undefined }
  | { kind: 'systemctl'; args: string[] };

export interface Owners {
  uid: number;
  gid: number;
}

export interface StepContext {
  /** The staging root, when installing into one. */
  root: string | undefined;
  dryRun: boolean;
  /** systemctl's path, when it is installed (never looked up for a staging root). */
  systemctl: string | undefined;
  /** Whether systemd runs this system (sd_booted(3)). */
  booted: boolean;
  /** The service user's ids, once it exists (never for a staging root). */
  owners: Owners | undefined;
}

export type CommandRunner = (file: string, args: string[]) => Promise<{ stdout: string; stderr: string }>;

const octal = (mode: number) => `0${mode.toString(8)}`;

function ownerName(owner: StepOwner, user: string, group: string): string {
  return owner === 'root' ? 'root:root' : owner === 'service' ? `${user}:${group}` : `root:${group}`;
}

function useraddArgs(step: Extract<InstallStep, { kind: 'user' }>): string[] {
  const group = step.group === step.user ? ['--user-group'] : ['--gid', step.group];
  return ['--system', '--no-create-home', '--home-dir', step.home, '--shell', '/usr/sbin/nologin', ...group, step.user];
}

/** Where a path of the target system is written: under the staging root, if any. */
export function targetPath(path: string, root: string | undefined): string {
  return root === undefined ? path : join(root, path);
}

/** What a step does, in words (after "would" for a dry run). */
export function describeStep(step: InstallStep, ctx: Pick<StepContext, 'root'>, names: { user: string; group: string } = { user: 'wardsight', group: 'wardsight' }): string {
  switch (step.kind) {
    case 'user':
      return ctx.root === undefined ? `create system user ${step.user} unless it exists (useradd ${useraddArgs(step).join(' ')})` : `leave creating user ${step.user} to the target (staging root)`;
    case 'dir':
      return `create directory ${targetPath(step.path, ctx.root)} (${octal(step.mode)} ${ownerName(step.owner, names.user, names.group)})${step.note ? `: ${step.note}` : ''}`;
    case 'file':
      return `${step.keep ? 'write, unless present,' : 'write'} ${targetPath(step.path, ctx.root)} (${octal(step.mode)} ${ownerName(step.owner, names.user, names.group)})${step.note ? `: ${step.note}` : ''}`;
    case 'systemctl':
      return ctx.root === undefined ? `run systemctl ${step.args.join(' ')}` : `leave systemctl ${step.args.join(' ')} to the target (staging root)`;
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}

function failed(what: string, err: unknown): ApplianceError {
  const e = err as Error & { stderr?: string };
  return new ApplianceError('APPLIANCE_ERR_INSTALL_STEP', `${what} failed: ${(e.stderr || e.message).trim()}`, { cause: err });
}

async function setOwner(path: string, owner: StepOwner, owners: Owners | undefined): Promise<void> {
  if (!owners) return;
  await chown(path, owner === 'service' ? owners.uid : 0, owner === 'root' ? 0 : owners.gid);
}

async function ensureUser(step: Extract<InstallStep, { kind: 'user' }>, run: CommandRunner): Promise<string> {
  const known = (db: string, name: string) => run('getent', [db, name]).then(() => true, () => false);
  if (await known('passwd', step.user)) return `user ${step.user} exists`;
  try {
    if (step.group !== step.user && !(await known('group', step.group))) await run('groupadd', ['--system', step.group]);
    await run('useradd', useraddArgs(step));
  } catch (err) {
    throw failed(`creating user ${step.user}`, err);
  }
  return `created system user ${step.user}`;
}

async function systemctl(step: Extract<InstallStep, { kind: 'systemctl' }>, ctx: StepContext, run: CommandRunner): Promise<string> {
  const command = `systemctl ${step.args.join(' ')}`;
  if (ctx.root !== undefined) return `left ${command} to the target (staging root)`;
  if (!ctx.systemctl) return `skipped ${command}: systemctl is not installed here`;
  // Without a running systemd there is nothing to reload; enabling only links files, which works offline.
  if (step.args[0] === 'daemon-reload' && !ctx.booted) return `skipped ${command}: systemd is not running on this system`;
  try {
    await run(ctx.systemctl, step.args);
  } catch (err) {
    throw failed(`${command} (the files are installed; run it by hand once the problem is fixed)`, err);
  }
  return `ran ${command}`;
}

/** Carries out one step; returns what was done, in words. */
export async function applyStep(step: InstallStep, ctx: StepContext, run: CommandRunner): Promise<string> {
  if (step.kind === 'user') return ctx.root === undefined ? ensureUser(step, run) : describeStep(step, ctx).replace(/^leave/, 'left');
  if (step.kind === 'systemctl') return systemctl(step, ctx, run);
  const path = targetPath(step.path, ctx.root);
  const owned = ctx.root === undefined ? '' : ' (ownership left to the target)';
  try {
    if (step.kind === 'dir') {
      // Parents an ordinary mode (a staging root has no /var yet), the directory its own.
      await mkdir(dirname(path), { recursive: true, mode: 0o755 });
      await mkdir(path, { recursive: true, mode: step.mode });
      await chmod(path, step.mode);
      await setOwner(path, step.owner, ctx.owners);
      return `created directory ${path} (${octal(step.mode)})${owned}${step.note ? `: ${step.note}` : ''}`;
    }
    if (step.keep && (await exists(path))) return `kept ${path} as it is`;
    await mkdir(dirname(path), { recursive: true, mode: 0o755 });
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, step.data, { mode: step.mode });
    await chmod(temporary, step.mode);
    await setOwner(temporary, step.owner, ctx.owners);
    await rename(temporary, path);
    return `wrote ${path} (${octal(step.mode)})${owned}${step.note ? `: ${step.note}` : ''}`;
  } catch (err) {
    throw failed(`${step.kind === 'dir' ? 'creating' : 'writing'} ${path}`, err);
  }
}
