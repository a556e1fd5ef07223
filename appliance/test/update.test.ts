/**
 * Signed updates on a sensor, end to end with real files and processes: releases are signed with a
 * real Ed25519 key (provisioning's signer), installed into an install root in a temporary directory,
 * and started through the installed launcher (its POSIX sh script and its own copy of the bookkeeping
 * code) as child processes. The update modules are imported from the build, because the launcher is
 * copied from compiled code (`npx tsc --build` first).
 */
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { spawn } from 'node:child_process';
import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateReleaseKeyPair, loadReleasePublicKey, signRelease } from '@wardsight/provisioning';
import {
  commandHealthCheck,
  describeUpdateStatus,
  installRelease,
  LAUNCHER_MODULES,
  readUpdateState,
  readUpdateStatus,
  runTrialHealthCheck,
  updateLayout,
  type InstallReleaseOptions,
  type UpdateState,
} from '../dist/update/index.js';

const UPDATE_MODULE = resolve(import.meta.dirname, '../dist/update/index.js');

/** What a release's program does when the launcher starts it. */
type Behaviour = 'runs' | 'exits-at-once' | 'confirms-itself';

function programText(version: string, behaviour: Behaviour): string {
  if (behaviour === 'exits-at-once') return `console.error('version ${version} cannot start');\nprocess.exit(3);\n`;
  if (behaviour === 'runs') return `console.log('running ${version}', process.argv.slice(2).join(' '));\n`;
  return [
    `import { runTrialHealthCheck } from ${JSON.stringify(UPDATE_MODULE)};`,
    `const outcome = await runTrialHealthCheck({ root: process.env.WARDSIGHT_ROOT, version: '${version}', check: async () => ({ healthy: true }) });`,
    `console.log('running ${version}', outcome.kind);`,
  ].join('\n');
}

let work: string;
let root: string;
let bundles = 0;
let keyDir: string;
let publicKey: KeyObject;

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'wardsight-update-'));
  root = join(work, 'opt-wardsight');
  keyDir = join(work, 'keys');
  const pair = await generateReleaseKeyPair(keyDir);
  publicKey = await loadReleasePublicKey(pair.publicKeyPath);
});

afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Builds a small application tree for `version` and signs it; returns the bundle's path. */
async function release(version: string, behaviour: Behaviour = 'runs', extra: { privateKeyPath?: string; minimumFromVersion?: string } = {}): Promise<string> {
  const payload = join(work, `payload-${version}-${behaviour}`);
  await mkdir(join(payload, 'bin'), { recursive: true });
  await mkdir(join(payload, 'lib', 'rules'), { recursive: true });
  await writeFile(join(payload, 'package.json'), `{ "name": "wardsight", "version": "${version}", "type": "module" }\n`);
  await writeFile(join(payload, 'bin', 'wardsight.js'), programText(version, behaviour));
  await chmod(join(payload, 'bin', 'wardsight.js'), 0o755);
  await writeFile(join(payload, 'lib', 'rules', 'fingerprints.json'), `{"release":"${version}","marker":"FINGERPRINT-RULES-${version}"}\n`);
  const signed = await signRelease({
    payloadDir: payload,
    version,
    privateKeyPath: extra.privateKeyPath ?? join(keyDir, 'wardsight-release.key'),
    outDir: join(work, 'out', String((bundles += 1))),
    ...(extra.minimumFromVersion ? { minimumFromVersion: extra.minimumFromVersion } : {}),
  });
  return signed.bundlePath;
}

function install(bundle: string, options: Partial<InstallReleaseOptions> = {}) {
  return installRelease(bundle, { root, publicKey, ...options });
}

/** Every path under the root with its type, mode and content hash or link target. */
async function snapshot(dir: string, prefix = ''): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(join(dir, prefix)).catch(() => [])).sort()) {
    const path = prefix ? `${prefix}/${name}` : name;
    const info = await lstat(join(dir, path));
    if (info.isSymbolicLink()) out[path] = `link ${await readlink(join(dir, path))}`;
    else if (info.isDirectory()) Object.assign(out, { [path]: `dir ${info.mode & 0o777}` }, await snapshot(dir, path));
    else out[path] = `file ${info.mode & 0o777} ${createHash('sha256').update(await readFile(join(dir, path))).digest('hex')}`;
  }
  return out;
}

/** Replaces the first occurrence of `from` in a file by `to` (same length), as an attacker would edit bytes. */
async function patchBytes(file: string, from: string, to: string): Promise<void> {
  const bytes = await readFile(file);
  const at = bytes.indexOf(from);
  expect(at, `${from} in ${file}`).toBeGreaterThanOrEqual(0);
  bytes.write(to, at, 'latin1');
  await writeFile(file, bytes);
}

/** Runs the installed launcher as systemd would; resolves with its exit code and output. */
function launch(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(updateLayout(root).launcherScript, args, { env: { ...process.env, WARDSIGHT_ROOT: root }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

const state = (): Promise<UpdateState> => readUpdateState(updateLayout(root));
const current = (): Promise<string> => readlink(join(root, 'current'));

describe('installing a signed release', () => {
  it('installs the first release into slot a, then the next one into slot b on trial, and switches current', async () => {
    const first = await install(await release('1.0.0'));
    expect(first).toMatchObject({ version: '1.0.0', slot: 'a', previousSlot: null, onTrial: false, files: 3 });
    expect(await current()).toBe('slots/a');

    const second = await install(await release('1.1.0'));
    expect(second).toMatchObject({ version: '1.1.0', slot: 'b', previousSlot: 'a', onTrial: true });
    expect(await current()).toBe('slots/b');
    expect(await readFile(join(root, 'slots', 'b', 'lib', 'rules', 'fingerprints.json'), 'utf8')).toContain('FINGERPRINT-RULES-1.1.0');
    expect((await lstat(join(root, 'slots', 'b', 'bin', 'wardsight.js'))).mode & 0o777).toBe(0o755);
    const after = await state();
    expect(after.active).toBe('a');
    expect(after.slots).toMatchObject({ a: { version: '1.0.0' }, b: { version: '1.1.0' } });
    expect(after.trial).toMatchObject({ slot: 'b', previous: 'a', version: '1.1.0', attempts: 0, maxAttempts: 3, deadlineS: 600, firstStartAt: null });
    expect(after.events.map((e) => e.kind)).toEqual(['installed', 'installed']);

    const status = describeUpdateStatus(await readUpdateStatus(root));
    expect(status).toContain('current       slot b, version 1.1.0');
    expect(status).toContain('trial         1.1.0: 0 of 3 start(s), not started yet; rolls back to slot a');
  });

  it('refuses another update while a version is on trial', async () => {
    await install(await release('1.0.0'));
    await install(await release('1.1.0'));
    await expect(install(await release('1.2.0'))).rejects.toMatchObject({ code: 'APPLIANCE_ERR_UPDATE_TRIAL_PENDING' });
  });

  it('refuses an older or an equal version, and a pre-release of the running version', async () => {
    await install(await release('1.0.0'));
    const before = await snapshot(root);
    for (const version of ['1.0.0', '0.9.9', '1.0.0-rc.1']) {
      await expect(install(await release(version))).rejects.toMatchObject({ code: 'APPLIANCE_ERR_UPDATE_OLDER', message: expect.stringContaining(`release ${version} is not newer than the running 1.0.0`) });
    }
    await expect(install(await release('1.0.1'), { currentVersion: '1.0.1' })).rejects.toMatchObject({ code: 'APPLIANCE_ERR_UPDATE_OLDER' });
    expect(await snapshot(root)).toEqual(before);
    await expect(install(await release('1.1.0-beta.2'))).resolves.toMatchObject({ slot: 'b', onTrial: true });
  });

  it('refuses a release that may not update the running version directly', async () => {
    await install(await release('1.0.0'));
    await expect(install(await release('2.0.0', 'runs', { minimumFromVersion: '1.5.0' }))).rejects.toMatchObject({ code: 'APPLIANCE_ERR_UPDATE_PREREQUISITE' });
  });

  describe('a tampered bundle is refused and leaves the install root exactly as it was', () => {
    let bundle: string;
    let before: Record<string, string>;
    beforeEach(async () => {
      await install(await release('1.0.0'));
      bundle = await release('1.1.0');
      before = await snapshot(root);
    });
    afterEach(async () => {
      expect(await snapshot(root)).toEqual(before);
      expect(await current()).toBe('slots/a');
    });

    it('a payload byte changed', async () => {
      await patchBytes(bundle, 'FINGERPRINT-RULES-1.1.0', 'FINGERPRINT-RULES-6.6.6');
      await expect(install(bundle)).rejects.toMatchObject({
        code: 'APPLIANCE_ERR_UPDATE_TAMPERED',
        message: expect.stringContaining('file lib/rules/fingerprints.json hash mismatch'),
      });
    });

    it('the manifest changed', async () => {
      await patchBytes(bundle, '"version": "1.1.0"', '"version": "9.1.0"');
      await expect(install(bundle)).rejects.toMatchObject({ code: 'APPLIANCE_ERR_UPDATE_SIGNATURE', message: expect.stringContaining('does not match the manifest') });
    });

    it('signed by another key', async () => {
      const otherKey = join(work, 'other.key');
      const { privateKey } = generateKeyPairSync('ed25519');
      await writeFile(otherKey, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
      await expect(install(await release('1.2.0', 'runs', { privateKeyPath: otherKey }))).rejects.toMatchObject({
        code: 'APPLIANCE_ERR_UPDATE_SIGNATURE',
        message: expect.stringContaining('signed by another key'),
      });
    });

    it('not a bundle at all', async () => {
      await writeFile(bundle, 'this is not a release\n');
      await expect(install(bundle)).rejects.toMatchObject({ code: 'APPLIANCE_ERR_UPDATE_MALFORMED' });
    });
  });

  it('takes over a lock left by a process that no longer exists', async () => {
    await mkdir(root, { recursive: true });
    // The highest pid Linux hands out is 4194304 (pid_max limit); this one cannot be running.
    await writeFile(join(root, 'update.lock'), '4194305\n');
    await expect(install(await release('1.0.0'))).resolves.toMatchObject({ slot: 'a' });
  });
});

describe('the trial of a new version', () => {
  beforeEach(async () => {
    await install(await release('1.0.0'));
  });

  it('a failing health check rolls back to the previous slot, marks the version bad and the launcher runs the previous version', async () => {
    await install(await release('1.1.0'));
    const outcome = await runTrialHealthCheck({ root, version: '1.1.0', check: async () => ({ healthy: false, detail: 'the hub did not answer' }) });
    expect(outcome).toEqual({ kind: 'rolled-back', slot: 'a', badVersion: '1.1.0', reason: 'its health check failed: the hub did not answer' });
    expect(await current()).toBe('slots/a');
    const after = await state();
    expect(after).toMatchObject({ active: 'a', trial: null, bad: [{ version: '1.1.0', reason: 'its health check failed: the hub did not answer' }] });
    expect(after.events.at(-1)).toMatchObject({ kind: 'rolled-back', version: '1.1.0', slot: 'a' });

    const run = await launch('sensor', '--config', '/etc/wardsight/wardsight.yaml');
    expect(run).toMatchObject({ code: 0, stdout: 'running 1.0.0 sensor --config /etc/wardsight/wardsight.yaml\n' });
    // The version stays bad: offered again, it is refused.
    await expect(install(await release('1.1.0', 'confirms-itself'))).rejects.toMatchObject({ code: 'APPLIANCE_ERR_UPDATE_KNOWN_BAD' });
  });

  it('a health check that throws counts as a failure; the previous version judges no trial', async () => {
    await install(await release('1.1.0'));
    expect(await runTrialHealthCheck({ root, version: '1.0.0', check: async () => ({ healthy: true }) })).toEqual({ kind: 'other-version', trialVersion: '1.1.0' });
    const outcome = await runTrialHealthCheck({ root, version: '1.1.0', check: () => Promise.reject(new Error('capture did not start')) });
    expect(outcome).toMatchObject({ kind: 'rolled-back', reason: 'its health check failed: the check failed: capture did not start' });
    expect(await runTrialHealthCheck({ root, version: '1.0.0', check: async () => ({ healthy: true }) })).toEqual({ kind: 'no-trial' });
  });

  it('a health-check command: exit status 0 confirms, another status rolls back with its output', async () => {
    const healthy = commandHealthCheck('sh', ['-c', 'echo capture running, hub reached']);
    expect(await healthy(new AbortController().signal)).toEqual({ healthy: true, detail: 'capture running, hub reached' });
    await install(await release('1.1.0'));
    const outcome = await runTrialHealthCheck({ root, version: '1.1.0', check: commandHealthCheck('sh', ['-c', 'echo no packets on eth1 >&2; exit 2']) });
    expect(outcome).toMatchObject({ kind: 'rolled-back', reason: 'its health check failed: sh exited with status 2: no packets on eth1' });
  });

  it('a health check that does not answer before the trial deadline rolls back', async () => {
    await install(await release('1.1.0'), { trialDeadlineS: 30 });
    // The version first started 29 s ago (as the launcher would have recorded it): one second is left.
    const layout = updateLayout(root);
    const record = JSON.parse(await readFile(layout.state, 'utf8')) as UpdateState;
    record.trial = { ...record.trial!, attempts: 1, firstStartAt: new Date(Date.now() - 29_000).toISOString() };
    await writeFile(layout.state, JSON.stringify(record));
    let aborted = false;
    const outcome = await runTrialHealthCheck({
      root,
      version: '1.1.0',
      check: (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => ((aborted = true), reject(new Error('aborted'))))),
    });
    expect(outcome).toMatchObject({ kind: 'rolled-back', reason: expect.stringContaining('no healthy answer within the trial deadline') });
    expect(aborted).toBe(true);
    expect(await current()).toBe('slots/a');
  });

  it('a health check stopped by its caller (the sensor shutting down) gives no verdict and leaves the trial pending', async () => {
    await install(await release('1.1.0'));
    const before = await state();
    const stop = new AbortController();
    let checkAborted = false;
    let asked: () => void = () => undefined;
    const checking = new Promise<void>((resolve) => (asked = resolve));
    const judging = runTrialHealthCheck({
      root,
      version: '1.1.0',
      signal: stop.signal,
      check: (signal) => {
        asked();
        return new Promise((resolve) => signal.addEventListener('abort', () => ((checkAborted = true), resolve({ healthy: false, detail: 'stopped' }))));
      },
    });
    await checking;
    stop.abort();
    expect(await judging).toEqual({ kind: 'abandoned', version: '1.1.0' });
    expect(checkAborted).toBe(true);
    expect(await state()).toEqual(before);
    expect(await current()).toBe('slots/b');
    // Already stopped: the check is not even asked.
    expect(await runTrialHealthCheck({ root, version: '1.1.0', signal: stop.signal, check: () => Promise.reject(new Error('asked')) })).toEqual({ kind: 'abandoned', version: '1.1.0' });
  });

  it('a new version that confirms itself when started by the launcher becomes the known good one', async () => {
    await install(await release('1.1.0', 'confirms-itself'));
    const run = await launch('sensor');
    expect(run.stdout).toBe('running 1.1.0 confirmed\n');
    expect(run.stderr).toContain('"kind":"trial","slot":"b","version":"1.1.0","attempt":1');
    expect(await state()).toMatchObject({ active: 'b', trial: null, bad: [] });
    expect(await current()).toBe('slots/b');
    // A steady start runs it again without a trial; the next update goes into the other slot.
    expect((await launch('sensor')).stdout).toBe('running 1.1.0 no-trial\n');
    await expect(install(await release('1.2.0'))).resolves.toMatchObject({ slot: 'a', previousSlot: 'b' });
  });

  it('a new version that exits at once is rolled back by the launcher once its starts are used up', async () => {
    await install(await release('1.1.0', 'exits-at-once'), { maxAttempts: 2 });
    for (const attempt of [1, 2]) {
      const run = await launch('sensor');
      expect(run.code).toBe(3);
      expect(run.stderr).toContain('version 1.1.0 cannot start');
      expect((await state()).trial).toMatchObject({ attempts: attempt });
    }
    const third = await launch('sensor');
    expect(third).toMatchObject({ code: 0, stdout: 'running 1.0.0 sensor\n' });
    expect(third.stderr).toContain('rolled back the version on trial');
    expect(await current()).toBe('slots/a');
    expect(await state()).toMatchObject({ active: 'a', trial: null, bad: [{ version: '1.1.0', reason: 'it did not confirm itself healthy in 2 start(s)' }] });
  });

  it('the launcher rolls back a version that has run past its deadline without confirming', async () => {
    await install(await release('1.1.0'), { trialDeadlineS: 60 });
    const layout = updateLayout(root);
    const record = JSON.parse(await readFile(layout.state, 'utf8')) as UpdateState;
    record.trial = { ...record.trial!, attempts: 1, firstStartAt: new Date(Date.now() - 61_000).toISOString() };
    await writeFile(layout.state, JSON.stringify(record));
    expect((await launch('sensor')).stdout).toBe('running 1.0.0 sensor\n');
    expect((await state()).bad).toMatchObject([{ version: '1.1.0', reason: 'it did not confirm itself healthy within 60 s of its first start' }]);
  });

  it('the launcher runs from its own copy of the bookkeeping code, outside the slots, and repairs current', async () => {
    const layout = updateLayout(root);
    expect((await readdir(join(root, 'launcher'))).sort()).toEqual([...LAUNCHER_MODULES, 'package.json'].sort());
    expect(await readlink(layout.launcherLink)).toMatch(/^launcher\.d\//);
    expect((await lstat(layout.launcherScript)).mode & 0o777).toBe(0o755);
    // A switch interrupted between the state and the link: the launcher makes current follow the state.
    await install(await release('1.1.0'));
    await rm(join(root, 'current'));
    await writeFile(join(root, 'slots', 'a', 'bin', 'wardsight.js'), 'process.exit(9);\n');
    const run = await launch();
    expect(run.stdout).toBe('running 1.1.0 \n');
    expect(await current()).toBe('slots/b');
  });
});
