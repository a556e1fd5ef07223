/**
 * `wardsight appliance install` into a staging root in a temp folder: the systemd unit has every
 * directive the sensor relies on (and passes `systemd-analyze verify` where systemd is installed),
 * directories and files get their modes, a configuration bundle is checked, copied and pointed at the
 * installed places, and a dry run changes nothing. With an update root the unit starts the root's
 * launcher (installed by the update modules from the build), the root's folder is the service
 * user's, and the trusted release key is installed. The command line is run as a real process too
 * (needs `npx tsc --build` first).
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSensorConfigText } from '../src/config.js';
import { generateReleaseKeyPair } from '@wardsight/provisioning';
import { findOnPath, install, planInstall, type InstallOptions } from '../src/install.js';
import { sensorExitStatus } from '../src/install-exit-status.js';
import { unitWord } from '../src/install-unit.js';
import { installLauncher, updateLayout } from '../dist/update/index.js';

const run = promisify(execFile);
const cliPath = fileURLToPath(new URL('../../bin/wardsight.js', import.meta.url));

/** A bundle as a technician copies it: comments in the YAML, paths relative to the bundle. */
const bundleYaml = `# Wardsight sensor floor3-east (Floor 3 east).
sensorId: floor3-east
sensorName: Floor 3 east
hub:
  url: mqtts://hub.hospital.example:8883
  enrolUrl: https://hub.hospital.example:8443
tlsDir: tls
dataDir: data
enrolment:
  tokenFile: enrol.token
location:
  site: Main site
  floor: "3"
  zone: East
capture:
  interface: eth1
`;

/** The unit's directives by section, each key with all its values (a key may repeat). */
function parseUnit(text: string): Record<string, Record<string, string[]>> {
  const sections: Record<string, Record<string, string[]>> = {};
  let current: Record<string, string[]> = {};
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const header = /^\[(\w+)\]$/.exec(line);
    if (header) {
      current = sections[header[1]!] = {};
      continue;
    }
    const eq = line.indexOf('=');
    const key = line.slice(0, eq);
    (current[key] ??= []).push(line.slice(eq + 1));
  }
  return sections;
}

const mode = async (path: string) => (await stat(path)).mode & 0o777;

describe('appliance install into a staging root', () => {
  let dir: string;
  let root: string;
  let bundle: string;
  const said: string[] = [];
  const say = (line: string) => said.push(line);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wardsight-install-'));
    root = join(dir, 'root');
    bundle = join(dir, 'bundle');
    await mkdir(join(bundle, 'tls'), { recursive: true });
    await writeFile(join(bundle, 'wardsight.yaml'), bundleYaml, { mode: 0o600 });
    await writeFile(join(bundle, 'tls', 'ca.crt'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    await writeFile(join(bundle, 'enrol.token'), 'wst1.floor3-east.secret\n', { mode: 0o600 });
    await writeFile(join(bundle, 'README.txt'), 'copy this folder\n');
    said.length = 0;
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const options = (extra: Partial<InstallOptions> = {}): InstallOptions => ({ cliPath, nodePath: process.execPath, root, bundle, ...extra });

  it('writes a notify unit with the watchdog, restart policy, service user, directories, capabilities and sandboxing', async () => {
    await install(options(), say);
    const text = await readFile(join(root, 'etc/systemd/system/wardsight-sensor.service'), 'utf8');
    const unit = parseUnit(text);
    expect(unit.Service).toMatchObject({
      Type: ['notify'],
      NotifyAccess: ['all'],
      ExecStart: [`${process.execPath} ${cliPath} sensor --config /etc/wardsight/wardsight.yaml`],
      WatchdogSec: ['30'],
      Restart: ['on-failure'],
      RestartSec: ['5'],
      User: ['wardsight'],
      Group: ['wardsight'],
      StateDirectory: ['wardsight'],
      ConfigurationDirectory: ['wardsight'],
      LogsDirectory: ['wardsight'],
      AmbientCapabilities: ['CAP_NET_RAW CAP_NET_ADMIN'],
      CapabilityBoundingSet: ['CAP_NET_RAW CAP_NET_ADMIN'],
      NoNewPrivileges: ['yes'],
      ProtectSystem: ['strict'],
      ProtectHome: ['yes'],
      PrivateTmp: ['yes'],
    });
    expect(unit.Service?.ReadWritePaths?.[0]?.split(' ')).toEqual(['/var/lib/wardsight', '/etc/wardsight/tls']);
    expect(unit.Service?.Environment).toBeUndefined();
    // The exit statuses `wardsight sensor` ends with: a refused enrolment is not retried, a stop while starting is clean.
    expect(unit.Service).toMatchObject({ RestartPreventExitStatus: [String(sensorExitStatus.enrolmentRefused)], SuccessExitStatus: [String(sensorExitStatus.stoppedWhileStarting)] });
    expect(text).toMatch(/^# Exit status 78: the hub refused enrolment.*\n# Restarting cannot fix that.*\nRestartPreventExitStatus=78$/m);
    expect(unit.Install).toEqual({ WantedBy: ['multi-user.target'] });
    expect(await mode(join(root, 'etc/systemd/system/wardsight-sensor.service'))).toBe(0o644);
  });

  it('passes systemd-analyze verify, when systemd is installed', async (context) => {
    const analyze = await findOnPath('systemd-analyze');
    if (!analyze) {
      console.warn('systemd-analyze is not installed: unit verification skipped');
      context.skip();
      return;
    }
    // A node path with a blank and a percent sign checks the quoting of ExecStart too.
    const oddDir = join(dir, 'node 100%');
    await mkdir(oddDir);
    await symlink(process.execPath, join(oddDir, 'node'));
    await install(options({ nodePath: join(oddDir, 'node'), watchdogSec: 60 }), say);
    const unitPath = join(root, 'etc/systemd/system/wardsight-sensor.service');
    expect(parseUnit(await readFile(unitPath, 'utf8')).Service?.ExecStart?.[0]).toBe(`"${oddDir.replace('%', '%%')}/node" ${cliPath} sensor --config /etc/wardsight/wardsight.yaml`);
    const result = await run(analyze, ['verify', unitPath]).then(
      (r) => ({ code: 0, stderr: r.stderr }),
      (err: { code: number; stderr: string }) => ({ code: err.code, stderr: err.stderr }),
    );
    const aboutOurs = result.stderr.split('\n').filter((line) => line.includes('wardsight-sensor.service'));
    expect(aboutOurs, result.stderr).toEqual([]);
    expect(result.code, result.stderr).toBe(0);
  });

  it('with an update root, starts its launcher, lets the service write the root, and installs the release key', async () => {
    const keys = await generateReleaseKeyPair(join(dir, 'keys'));
    await install(options({ updateRoot: '/opt/wardsight', releaseKey: keys.publicKeyPath }), say);
    const text = await readFile(join(root, 'etc/systemd/system/wardsight-sensor.service'), 'utf8');
    const unit = parseUnit(text);
    expect(unit.Service).toMatchObject({
      Type: ['notify'],
      NotifyAccess: ['all'],
      ExecStart: ['/opt/wardsight/bin/wardsight-launcher sensor --config /etc/wardsight/wardsight.yaml'],
      Environment: ['WARDSIGHT_UPDATE_ROOT=/opt/wardsight'],
      Restart: ['on-failure'],
      RestartPreventExitStatus: ['78'],
    });
    expect(unit.Service?.ReadWritePaths?.[0]?.split(' ')).toEqual(['/var/lib/wardsight', '/etc/wardsight/tls', '/opt/wardsight']);
    expect(text).toContain('# A version on trial that fails its health check exits 75 once rolled back: the restart runs the previous one.');

    // The root's folder is the service user's (state.json, the lock and `current` change at each start); nothing is put in it.
    expect(await mode(join(root, 'opt/wardsight'))).toBe(0o755);
    expect(await readdir(join(root, 'opt/wardsight'))).toEqual([]);
    expect(said.find((l) => l.includes('opt/wardsight'))).toBe(
      `created directory ${join(root, 'opt/wardsight')} (0755) (ownership left to the target): no release is installed there yet: install one with \`wardsight appliance update <bundle> --root /opt/wardsight\` before starting the service`,
    );
    expect(await readFile(join(root, 'etc/tmpfiles.d/wardsight.conf'), 'utf8')).toContain('\nd /opt/wardsight 0755 wardsight wardsight -\n');

    expect(await readFile(join(root, 'etc/wardsight/release.pub'), 'utf8')).toBe(await readFile(keys.publicKeyPath, 'utf8'));
    expect(await mode(join(root, 'etc/wardsight/release.pub'))).toBe(0o644);
    expect(said).toContain(`wrote ${join(root, 'etc/wardsight/release.pub')} (0644) (ownership left to the target): trusted release key ${keys.keyId}`);
  });

  it('refuses a release key that is not an Ed25519 public key, and an update root that is not absolute', async () => {
    const keys = await generateReleaseKeyPair(join(dir, 'keys'));
    await expect(planInstall(options({ releaseKey: keys.privateKeyPath }))).rejects.toMatchObject({ code: 'APPLIANCE_ERR_INSTALL_OPTION', message: expect.stringContaining('never the private .key') });
    await writeFile(join(dir, 'not-a-key.pub'), 'hello\n');
    await expect(planInstall(options({ releaseKey: join(dir, 'not-a-key.pub') }))).rejects.toMatchObject({ code: 'APPLIANCE_ERR_INSTALL_OPTION' });
    await expect(planInstall(options({ releaseKey: join(dir, 'missing.pub') }))).rejects.toMatchObject({ code: 'APPLIANCE_ERR_INSTALL_OPTION', message: expect.stringContaining('cannot be read') });
    await expect(planInstall(options({ updateRoot: 'opt/wardsight' }))).rejects.toMatchObject({ code: 'APPLIANCE_ERR_INSTALL_OPTION', message: expect.stringContaining('update root path must be absolute') });
    await expect(planInstall(options({ updateRoot: '/opt/ward\nsight' }))).rejects.toMatchObject({ code: 'APPLIANCE_ERR_INSTALL_OPTION' });
    await expect(stat(root)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('uses /opt/wardsight by itself when a launcher is installed there, unless told not to', async () => {
    await installLauncher(updateLayout(join(root, 'opt/wardsight')));
    const unitPath = join(root, 'etc/systemd/system/wardsight-sensor.service');
    await install(options(), say);
    expect(parseUnit(await readFile(unitPath, 'utf8')).Service?.ExecStart).toEqual(['/opt/wardsight/bin/wardsight-launcher sensor --config /etc/wardsight/wardsight.yaml']);
    expect(said.find((l) => l.includes('opt/wardsight (0755)'))).toContain('the launcher and the trial write its state there');
    await install(options({ updateRoot: false }), say);
    expect(parseUnit(await readFile(unitPath, 'utf8')).Service?.ExecStart).toEqual([`${process.execPath} ${cliPath} sensor --config /etc/wardsight/wardsight.yaml`]);
  });

  it('passes systemd-analyze verify with the launcher of an update root, when systemd is installed', async (context) => {
    const analyze = await findOnPath('systemd-analyze');
    if (!analyze) {
      console.warn('systemd-analyze is not installed: unit verification skipped');
      context.skip();
      return;
    }
    // A real launcher in a root whose path has a blank and a percent sign (quoting of ExecStart, Environment, ReadWritePaths).
    const updateRoot = join(dir, 'opt ward%sight');
    await installLauncher(updateLayout(updateRoot));
    await install(options({ updateRoot }), say);
    const unitPath = join(root, 'etc/systemd/system/wardsight-sensor.service');
    const unit = parseUnit(await readFile(unitPath, 'utf8'));
    const quoted = `"${updateRoot.replace('%', '%%')}`;
    expect(unit.Service?.ExecStart?.[0]).toBe(`${quoted}/bin/wardsight-launcher" sensor --config /etc/wardsight/wardsight.yaml`);
    expect(unit.Service?.Environment?.[0]).toBe(`"WARDSIGHT_UPDATE_ROOT=${updateRoot.replace('%', '%%')}"`);
    expect(unit.Service?.ReadWritePaths?.[0]).toBe(`/var/lib/wardsight /etc/wardsight/tls ${quoted}"`);
    const result = await run(analyze, ['verify', unitPath]).then(
      (r) => ({ code: 0, stderr: r.stderr }),
      (err: { code: number; stderr: string }) => ({ code: err.code, stderr: err.stderr }),
    );
    const aboutOurs = result.stderr.split('\n').filter((line) => line.includes('wardsight-sensor.service'));
    expect(aboutOurs, result.stderr).toEqual([]);
    expect(result.code, result.stderr).toBe(0);
  });

  it('lays out directories with their modes and installs the bundle pointed at them', async () => {
    await install(options(), say);
    expect(await mode(join(root, 'etc/wardsight'))).toBe(0o755);
    expect(await mode(join(root, 'etc/wardsight/tls'))).toBe(0o700);
    expect(await mode(join(root, 'var/lib/wardsight'))).toBe(0o700);
    expect(await mode(join(root, 'var/log/wardsight'))).toBe(0o750);
    for (const parent of ['etc', 'var', 'var/lib', 'var/log', 'etc/systemd/system']) expect(await mode(join(root, parent)), parent).toBe(0o755);

    const configText = await readFile(join(root, 'etc/wardsight/wardsight.yaml'), 'utf8');
    expect(await mode(join(root, 'etc/wardsight/wardsight.yaml'))).toBe(0o640);
    expect(configText).toContain('# Wardsight sensor floor3-east (Floor 3 east).');
    const config = parseSensorConfigText(configText, '/etc/wardsight/wardsight.yaml');
    expect(config).toMatchObject({ tlsDir: '/etc/wardsight/tls', dataDir: '/var/lib/wardsight', enrolment: { tokenFile: '/var/lib/wardsight/enrol.token' }, sensorId: 'floor3-east' });

    expect(await readFile(join(root, 'etc/wardsight/tls/ca.crt'), 'utf8')).toContain('BEGIN CERTIFICATE');
    expect(await mode(join(root, 'etc/wardsight/tls/ca.crt'))).toBe(0o644);
    expect(await readFile(join(root, 'var/lib/wardsight/enrol.token'), 'utf8')).toBe('wst1.floor3-east.secret\n');
    expect(await mode(join(root, 'var/lib/wardsight/enrol.token'))).toBe(0o600);
    expect(await readdir(join(root, 'etc/wardsight'))).toEqual(['tls', 'wardsight.yaml']);

    expect(await readFile(join(root, 'etc/sysusers.d/wardsight.conf'), 'utf8')).toContain('u wardsight - "Wardsight sensor" /var/lib/wardsight /usr/sbin/nologin');
    expect(await readFile(join(root, 'etc/tmpfiles.d/wardsight.conf'), 'utf8')).toContain('d /etc/wardsight/tls 0700 wardsight wardsight -');
    expect(said).toContain('left creating user wardsight to the target (staging root)');
    expect(said).toContain('left systemctl enable wardsight-sensor.service to the target (staging root)');
    expect(said.find((l) => l.includes('wardsight.yaml'))).toContain('dataDir: data → /var/lib/wardsight');
  });

  it('takes a user, group, watchdog and restart delay of its own, and refuses unsafe ones', async () => {
    await install(options({ user: 'ws-sensor', group: 'netcap', watchdogSec: 60, restartSec: 10 }), say);
    const unit = parseUnit(await readFile(join(root, 'etc/systemd/system/wardsight-sensor.service'), 'utf8'));
    expect(unit.Service).toMatchObject({ User: ['ws-sensor'], Group: ['netcap'], WatchdogSec: ['60'], RestartSec: ['10'] });
    expect(await readFile(join(root, 'etc/sysusers.d/wardsight.conf'), 'utf8')).toMatch(/^g netcap -\nu ws-sensor -:netcap /m);
    for (const bad of [{ user: 'Root Admin' }, { group: '0day' }, { watchdogSec: 1 }, { restartSec: 0 }, { nodePath: 'node' }]) {
      await expect(planInstall(options(bad)), JSON.stringify(bad)).rejects.toMatchObject({ code: 'APPLIANCE_ERR_INSTALL_OPTION' });
    }
  });

  it('refuses an incomplete or invalid bundle before writing anything', async () => {
    await rm(join(bundle, 'tls', 'ca.crt'));
    await expect(install(options(), say)).rejects.toMatchObject({ code: 'APPLIANCE_ERR_INSTALL_BUNDLE', message: expect.stringContaining('tls/ca.crt') });
    await writeFile(join(bundle, 'tls', 'ca.crt'), 'x');
    await rm(join(bundle, 'enrol.token'));
    await expect(install(options(), say)).rejects.toMatchObject({ code: 'APPLIANCE_ERR_INSTALL_BUNDLE', message: expect.stringContaining('enrol.token') });
    await writeFile(join(bundle, 'enrol.token'), 't');
    await writeFile(join(bundle, 'wardsight.yaml'), bundleYaml.replace('  interface: eth1', '  interface: eth1\n  bufferSizeMB: 5000'));
    await expect(install(options(), say)).rejects.toMatchObject({ code: 'APPLIANCE_ERR_INSTALL_BUNDLE', message: expect.stringContaining('wardsight.yaml:17:17: capture.bufferSizeMB must be <= 1024') });
    await expect(stat(root)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('converts an older bundle\'s sensor.json, and installs a pre-issued identity with its key private', async () => {
    await rm(join(bundle, 'wardsight.yaml'));
    await rm(join(bundle, 'enrol.token'));
    const value = { sensorId: 'floor2', hub: { url: 'mqtts://hub:8883' }, tlsDir: 'tls', dataDir: 'data', location: { site: 'St Mary', floor: '2' }, capture: { interface: 'eth1' } };
    await writeFile(join(bundle, 'sensor.json'), JSON.stringify(value));
    await writeFile(join(bundle, 'tls', 'sensor.crt'), 'cert');
    await writeFile(join(bundle, 'tls', 'sensor.key'), 'key', { mode: 0o600 });
    await install(options(), say);
    const configText = await readFile(join(root, 'etc/wardsight/wardsight.yaml'), 'utf8');
    expect(configText).toMatch(/^sensorId: floor2$/m);
    expect(parseSensorConfigText(configText, '/etc/wardsight/wardsight.yaml')).toMatchObject({ sensorId: 'floor2', tlsDir: '/etc/wardsight/tls', dataDir: '/var/lib/wardsight' });
    expect(parseSensorConfigText(configText, '/etc/wardsight/wardsight.yaml').enrolment).toBeUndefined();
    expect(await mode(join(root, 'etc/wardsight/tls/sensor.key'))).toBe(0o600);
    expect(await mode(join(root, 'etc/wardsight/tls/sensor.crt'))).toBe(0o644);
  });

  it('without a bundle writes an example configuration once, and keeps an edited one on reinstall', async () => {
    await install(options({ bundle: undefined }), say);
    const path = join(root, 'etc/wardsight/wardsight.yaml');
    expect(parseSensorConfigText(await readFile(path, 'utf8'), path).sensorId).toBe('floor3-east');
    await writeFile(path, bundleYaml.replace('sensorId: floor3-east', 'sensorId: edited'));
    await install(options({ bundle: undefined }), say);
    expect(await readFile(path, 'utf8')).toContain('sensorId: edited');
    expect(said).toContain(`kept ${path} as it is`);
  });

  it('changes nothing on a dry run, staged or on this system, and says what it would do', async () => {
    await install(options({ dryRun: true }), say);
    await expect(stat(root)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(said.every((l) => l.startsWith('would '))).toBe(true);
    expect(said).toContain(`would create directory ${join(root, 'var/lib/wardsight')} (0700 wardsight:wardsight)`);

    said.length = 0;
    const unitOnSystem = '/etc/systemd/system/wardsight-sensor.service';
    const before = await stat(unitOnSystem).then(() => true, () => false);
    await install(options({ root: undefined, dryRun: true }), say);
    expect(await stat(unitOnSystem).then(() => true, () => false)).toBe(before);
    expect(said[0]).toBe('would create system user wardsight unless it exists (useradd --system --no-create-home --home-dir /var/lib/wardsight --shell /usr/sbin/nologin --user-group wardsight)');
    expect(said).toContain('would run systemctl daemon-reload');
    expect(said).toContain('would run systemctl enable wardsight-sensor.service');

    said.length = 0;
    const keys = await generateReleaseKeyPair(join(dir, 'keys'));
    await install(options({ dryRun: true, updateRoot: '/opt/wardsight', releaseKey: keys.publicKeyPath }), say);
    await expect(stat(root)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(said).toContain(`would create directory ${join(root, 'opt/wardsight')} (0755 wardsight:wardsight): no release is installed there yet: install one with \`wardsight appliance update <bundle> --root /opt/wardsight\` before starting the service`);
    expect(said).toContain(`would write ${join(root, 'etc/wardsight/release.pub')} (0644 root:root): trusted release key ${keys.keyId}`);
  });

  it('runs as `wardsight appliance install` from the command line', async () => {
    const { stdout } = await run(process.execPath, [cliPath, 'appliance', 'install', '--root', root, '--bundle', bundle, '--watchdog-sec', '45']);
    expect(stdout).toContain(`wrote ${join(root, 'etc/systemd/system/wardsight-sensor.service')} (0644)`);
    const unit = parseUnit(await readFile(join(root, 'etc/systemd/system/wardsight-sensor.service'), 'utf8'));
    expect(unit.Service?.WatchdogSec).toEqual(['45']);
    expect(unit.Service?.ExecStart?.[0]).toBe(`${process.execPath} ${cliPath} sensor --config /etc/wardsight/wardsight.yaml`);
    expect(stdout).toContain(`the service runs ${cliPath} directly (no update root; signed updates need --update-root)`);
    const refused = await run(process.execPath, [cliPath, 'appliance', 'install', '--root', root, '--watchdog-sec', '2']).catch((err: { code: number; stderr: string }) => err);
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining('[APPLIANCE_ERR_INSTALL_OPTION]') });
  });

  it('runs as `wardsight appliance install --update-root --release-key` from the command line', async () => {
    const keys = await generateReleaseKeyPair(join(dir, 'keys'));
    const { stdout } = await run(process.execPath, [cliPath, 'appliance', 'install', '--root', root, '--bundle', bundle, '--update-root', '--release-key', keys.publicKeyPath]);
    expect(stdout).toContain('the service starts through the launcher of the update root /opt/wardsight');
    const unitPath = join(root, 'etc/systemd/system/wardsight-sensor.service');
    expect(parseUnit(await readFile(unitPath, 'utf8')).Service?.ExecStart).toEqual(['/opt/wardsight/bin/wardsight-launcher sensor --config /etc/wardsight/wardsight.yaml']);
    expect(await readFile(join(root, 'etc/wardsight/release.pub'), 'utf8')).toContain('BEGIN PUBLIC KEY');

    await run(process.execPath, [cliPath, 'appliance', 'install', '--root', root, '--bundle', bundle, '--update-root', '/srv/wardsight']);
    expect(parseUnit(await readFile(unitPath, 'utf8')).Service).toMatchObject({ ExecStart: ['/srv/wardsight/bin/wardsight-launcher sensor --config /etc/wardsight/wardsight.yaml'], Environment: ['WARDSIGHT_UPDATE_ROOT=/srv/wardsight'] });
    await run(process.execPath, [cliPath, 'appliance', 'install', '--root', root, '--bundle', bundle, '--no-update-root']);
    expect(parseUnit(await readFile(unitPath, 'utf8')).Service?.ExecStart).toEqual([`${process.execPath} ${cliPath} sensor --config /etc/wardsight/wardsight.yaml`]);
  });
});

describe('unit command-line words', () => {
  it('leaves plain paths alone, quotes blanks and doubles specifiers (systemd.syntax(7))', () => {
    expect(unitWord('/usr/bin/node')).toBe('/usr/bin/node');
    expect(unitWord('/opt/ward sight/bin/wardsight.js')).toBe('"/opt/ward sight/bin/wardsight.js"');
    expect(unitWord('/opt/100%/node')).toBe('/opt/100%%/node');
    expect(unitWord('/opt/a"b\\c')).toBe('"/opt/a\\"b\\\\c"');
  });
});
