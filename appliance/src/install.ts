/**
 * `wardsight appliance install`: makes this board a sensor that starts at boot. The plan (the
 * service user, its directories with owner and mode, the configuration bundle, the systemd unit,
 * then `systemctl daemon-reload` and `enable`) is made first and either printed (`dryRun`) or
 * carried out, saying each thing done. With `root` it installs into a staging tree instead (an SD
 * card image): files are written under it, and users and systemctl are left to the target. With an
 * update root (signed updates) the unit starts that root's launcher, the root's folder is given to
 * the service user, and the trusted release public key is installed beside the configuration.
 */
import { execFile } from 'node:child_process';
import { access, constants, readFile } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import { promisify } from 'node:util';
import { parseReleasePublicKey, releaseKeyId } from '@wardsight/provisioning';
import { exampleConfig } from './config-example.js';
import { DEFAULT_CONFIG_FILE } from './config.js';
import { ApplianceError } from './errors.js';
import { readBundle } from './install-bundle.js';
import { applyStep, describeStep, targetPath, type InstallStep, type Owners } from './install-steps.js';
import { installPaths, sensorUnit, sysusersLines, tmpfilesLines, UNIT_NAME, type UnitSettings } from './install-unit.js';
import { updateDefaults, updateLayout } from './update/layout.js';

export { sensorUnit, installPaths, UNIT_NAME, UPDATE_ROOT_VARIABLE } from './install-unit.js';
export type { InstallStep } from './install-steps.js';

const run = promisify(execFile);

export interface InstallOptions {
  /** Absolute path of the `wardsight` command (bin/wardsight.js) the unit runs. */
  cliPath: string;
  /** Node.js the unit runs it with; by default this one. */
  nodePath?: string;
  /** Install into this staging tree rather than this system. */
  root?: string;
  /** Say what would be done, do nothing. */
  dryRun?: boolean;
  /** A configuration bundle folder (wardsight.yaml, tls/ca.crt, enrol.token). */
  bundle?: string;
  user?: string;
  group?: string;
  watchdogSec?: number;
  restartSec?: number;
  /**
   * The install root of signed updates (`wardsight appliance update`), whose launcher the unit then
   * starts; `false` runs `cliPath` directly. By default: /opt/wardsight when a launcher is
   * installed there (under `root` when staging), else `cliPath` directly.
   */
  updateRoot?: string | false;
  /** A file with the trusted release public key (PEM, from `wardsight provision release keygen`), installed as /etc/wardsight/release.pub. */
  releaseKey?: string;
}

export const installDefaults = { user: 'wardsight', group: 'wardsight', watchdogSec: 30, restartSec: 5 };
/** WatchdogSec below 5 s trips on a busy single-board computer; above an hour a hang goes unseen. */
export const installBounds = { watchdogSec: { min: 5, max: 3600 }, restartSec: { min: 1, max: 600 } };

/** sysusers.d(5) and useradd(8) names: a letter or `_` first, at most 31 characters. */
const NAME = /^[a-z_][a-z0-9_-]{0,30}$/;

export interface InstallPlan {
  unit: UnitSettings;
  root: string | undefined;
  steps: InstallStep[];
}

const bad = (detail: string) => new ApplianceError('APPLIANCE_ERR_INSTALL_OPTION', detail);

async function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}

/** The update root the unit uses: the one given, none, or the default one when its launcher is there. */
export async function chooseUpdateRoot(o: Pick<InstallOptions, 'updateRoot' | 'root'>): Promise<string | undefined> {
  if (o.updateRoot === false) return undefined;
  if (o.updateRoot !== undefined) return o.updateRoot;
  const launcher = updateLayout(updateDefaults.root).launcherScript;
  return (await exists(targetPath(launcher, o.root))) ? updateDefaults.root : undefined;
}

function checkOptions(o: InstallOptions, updateRoot: string | undefined): UnitSettings {
  const unit: UnitSettings = {
    nodePath: o.nodePath ?? process.execPath,
    cliPath: o.cliPath,
    configFile: join(installPaths.configDir, DEFAULT_CONFIG_FILE),
    user: o.user ?? installDefaults.user,
    group: o.group ?? o.user ?? installDefaults.group,
    watchdogSec: o.watchdogSec ?? installDefaults.watchdogSec,
    restartSec: o.restartSec ?? installDefaults.restartSec,
    updateRoot,
  };
  const paths: [string, string][] = [['node', unit.nodePath], ['wardsight command', unit.cliPath]];
  if (updateRoot !== undefined) paths.push(['update root', updateRoot]);
  for (const [what, path] of paths) {
    if (!isAbsolute(path)) throw bad(`the ${what} path must be absolute, not ${path}`);
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f]/.test(path)) throw bad(`the ${what} path ${JSON.stringify(path)} has a control character (a line break?); a unit file cannot hold it`);
  }
  for (const [what, name] of [['user', unit.user], ['group', unit.group]] as const) {
    if (!NAME.test(name)) throw bad(`${what} name '${name}' is not a system ${what} name (lower-case letters, digits, _ and -, a letter or _ first, at most 31)`);
  }
  for (const key of ['watchdogSec', 'restartSec'] as const) {
    const { min, max } = installBounds[key];
    if (!Number.isInteger(unit[key]) || unit[key] < min || unit[key] > max) throw bad(`${key} must be a whole number of seconds from ${min} to ${max}, not ${unit[key]}`);
  }
  return unit;
}

/**
 * Reads the release public key given to the installer; refuses anything but an Ed25519 public key
 * (a private key would otherwise pass: node derives its public half), and installs its SPKI form only.
 */
async function readReleaseKey(path: string): Promise<{ pem: string; keyId: string }> {
  const hint = 'give the .pub file from `wardsight provision release keygen`, never the private .key';
  const text = await readFile(path, 'utf8').catch((err: unknown) => {
    throw bad(`the release public key ${path} cannot be read (${(err as Error).message}); ${hint}`);
  });
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) throw bad(`${path} holds a private key, which must never be copied to a sensor; ${hint}`);
  try {
    const key = parseReleasePublicKey(text, path);
    return { pem: key.export({ type: 'spki', format: 'pem' }).toString(), keyId: releaseKeyId(key) };
  } catch (err) {
    throw new ApplianceError('APPLIANCE_ERR_INSTALL_OPTION', `${(err as Error).message}; ${hint}`, { cause: err });
  }
}

/** The update root's folder, given to the service user; says when no release is installed there yet. */
async function updateRootStep(updateRoot: string, root: string | undefined): Promise<InstallStep> {
  const launcher = updateLayout(updateRoot).launcherScript;
  const note = (await exists(targetPath(launcher, root)))
    ? 'the launcher and the trial write its state there'
    : `no release is installed there yet: install one with \`wardsight appliance update <bundle> --root ${updateRoot}\` before starting the service`;
  return { kind: 'dir', path: updateRoot, mode: 0o755, owner: 'service', note };
}

/** What an installation would do, in order; reads and checks the bundle, changes nothing. */
export async function planInstall(o: InstallOptions): Promise<InstallPlan> {
  const unit = checkOptions(o, await chooseUpdateRoot(o));
  const bundle = o.bundle ? await readBundle(o.bundle) : undefined;
  const releaseKey = o.releaseKey ? await readReleaseKey(o.releaseKey) : undefined;
  const steps: InstallStep[] = [{ kind: 'user', user: unit.user, group: unit.group, home: installPaths.stateDir }];
  steps.push(
    { kind: 'dir', path: installPaths.configDir, mode: 0o755, owner: 'root' },
    { kind: 'dir', path: installPaths.tlsDir, mode: 0o700, owner: 'service' },
    { kind: 'dir', path: installPaths.stateDir, mode: 0o700, owner: 'service' },
    { kind: 'dir', path: installPaths.logsDir, mode: 0o750, owner: 'service' },
  );
  if (unit.updateRoot !== undefined) steps.push(await updateRootStep(unit.updateRoot, o.root));
  if (bundle) {
    steps.push({ kind: 'file', path: unit.configFile, mode: 0o640, owner: 'root-service', data: bundle.configText, note: bundle.configChanges.join('; ') || undefined });
    for (const f of bundle.tls) steps.push({ kind: 'file', path: join(installPaths.tlsDir, f.name), mode: f.secret ? 0o600 : 0o644, owner: 'service', data: f.data });
    if (bundle.token) steps.push({ kind: 'file', path: join(installPaths.stateDir, bundle.token.name), mode: 0o600, owner: 'service', data: bundle.token.data });
  } else {
    steps.push({ kind: 'file', path: unit.configFile, mode: 0o640, owner: 'root-service', data: exampleConfig(), keep: true, note: 'an example to edit (no --bundle given)' });
  }
  if (releaseKey) steps.push({ kind: 'file', path: installPaths.releaseKey, mode: 0o644, owner: 'root', data: releaseKey.pem, note: `trusted release key ${releaseKey.keyId}` });
  steps.push(
    { kind: 'file', path: installPaths.sysusers, mode: 0o644, owner: 'root', data: sysusersLines(unit.user, unit.group) },
    { kind: 'file', path: installPaths.tmpfiles, mode: 0o644, owner: 'root', data: tmpfilesLines(unit.user, unit.group, unit.updateRoot) },
    { kind: 'file', path: join(installPaths.unitDir, UNIT_NAME), mode: 0o644, owner: 'root', data: sensorUnit(unit) },
    { kind: 'systemctl', args: ['daemon-reload'] },
    { kind: 'systemctl', args: ['enable', UNIT_NAME] },
  );
  return { unit, root: o.root, steps };
}

/** The first executable `name` on $PATH. */
export async function findOnPath(name: string, path = process.env.PATH ?? ''): Promise<string | undefined> {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    if (await access(candidate, constants.X_OK).then(() => true, () => false)) return candidate;
  }
  return undefined;
}

/** sd_booted(3): systemd is this system's init when /run/systemd/system exists. */
async function systemdRunning(): Promise<boolean> {
  return access('/run/systemd/system').then(() => true, () => false);
}

async function lookUpOwners(user: string, group: string): Promise<Owners> {
  const field = async (db: string, name: string, index: number) => Number((await run('getent', [db, name])).stdout.split(':')[index]);
  return { uid: await field('passwd', user, 2), gid: await field('group', group, 2) };
}

/**
 * Installs (or, with `dryRun`, says what it would install); `say` receives one line per step.
 * Returns the plan that was carried out.
 */
export async function install(o: InstallOptions, say: (line: string) => void): Promise<InstallPlan> {
  const plan = await planInstall(o);
  const live = o.root === undefined;
  if (live && !o.dryRun && process.getuid?.() !== 0) {
    throw new ApplianceError('APPLIANCE_ERR_INSTALL_OPTION', 'installing on this system needs root (run it with sudo), or use --root <dir> to stage an image, or --dry-run');
  }
  const systemctl = live ? await findOnPath('systemctl') : undefined;
  const context = { root: o.root, dryRun: o.dryRun === true, systemctl, booted: live && (await systemdRunning()), owners: undefined as Owners | undefined };
  for (const step of plan.steps) {
    if (o.dryRun) {
      say(`would ${describeStep(step, context, plan.unit)}`);
      continue;
    }
    say(await applyStep(step, context, run));
    if (step.kind === 'user' && live) context.owners = await lookUpOwners(plan.unit.user, plan.unit.group);
  }
  if (!live && !o.dryRun) {
    say(`staged in ${o.root}: on the target, create the user (systemd-sysusers, or useradd --system ${plan.unit.user}), then systemctl enable ${UNIT_NAME}`);
  }
  return plan;
}
