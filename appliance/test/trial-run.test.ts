/**
 * `wardsight sensor` as the service runs it, with real processes: a real hub (@wardsight/hub on
 * 127.0.0.1, ports picked by the system), sensors registered at it and given the bundle a technician
 * gets (`writeConfigBundle`, a one-time token, enrolment on first start), capturing a simulated
 * floor's pcap (@wardsight/sim).
 *
 * Updates: an install root holds two signed releases installed by the update installer — the first
 * one, and the running tree's own version (`sensorVersion()`) on trial — and the sensor is started
 * through the root's launcher, as systemd starts it. Each release's program hands over to this
 * repository's built `wardsight` (a release carrying the whole tree with node_modules would be far
 * larger than a test wants); the launcher, the state, the trial and the verdict are the real ones. A
 * sensor whose hub acknowledges its findings confirms its version; one whose broker never answers is
 * rolled back at the trial's deadline and exits with the status that makes systemd restart it.
 *
 * Starting: a sensor waiting to enrol with a hub that is down keeps telling its service manager
 * (a real AF_UNIX datagram socket as $NOTIFY_SOCKET) to wait, and stops cleanly on SIGTERM; a refused
 * enrolment ends with its own exit status and the hub's message.
 *
 * The running version is read from the tree's root package.json, past the workspace's own.
 *
 * Needs `npx tsc --build` first (the command line and the launcher run from the build).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DgramSocket } from 'node-unix-socket';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type RunningHub } from '@wardsight/hub';
import { compareReleaseVersions, generateReleaseKeyPair, loadReleasePublicKey, signRelease, writeConfigBundle } from '@wardsight/provisioning';
import { writeHospital } from '@wardsight/sim';
import { installRelease, readTreeVersion, readUpdateState, sensorExitStatus, sensorTreeVersion, sensorVersion, updateLayout, type UpdateState } from '../dist/index.js';

const CLI = resolve(import.meta.dirname, '../../bin/wardsight.js');
const FIRST_VERSION = '0.0.1';

let work: string;
let hub: RunningHub;
let pcap: string;
let caPem: string;
let keyDir: string;
let sensors = 0;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'wardsight-trial-'));
  hub = await startHub({ dataDir: join(work, 'hub'), host: '127.0.0.1', mqttPort: 0, apiPort: 0 }, pino({ level: 'silent' }));
  caPem = await readFile(hub.caFile, 'utf8');
  const sim = await writeHospital(join(work, 'sim'), { seed: 3, sessionsPerDevice: 1 });
  pcap = sim.pcaps[0]!.path;
  keyDir = join(work, 'keys');
  await generateReleaseKeyPair(keyDir);
});

/** Sensors started by a test, stopped after it whatever its outcome. */
const started: ChildProcess[] = [];

afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

afterAll(async () => {
  await hub?.close();
  await rm(work, { recursive: true, force: true });
});

/** A port nothing listens on: a hub that never answers. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** A sensor registered at the hub, and the bundle its technician copies onto it. */
async function sensorBundle(urls: { mqttUrl?: string; apiUrl?: string } = {}): Promise<{ sensorId: string; configFile: string; tokenFile: string }> {
  const sensorId = `trial-${(sensors += 1)}`;
  const location = { site: 'Test General', floor: '1' };
  const issued = await hub.registry.add({ id: sensorId, name: `Sensor ${sensors}`, location, by: 'test' });
  const bundle = await writeConfigBundle({
    outDir: join(work, 'sensors', sensorId),
    sensorId,
    sensorName: issued.record.name,
    token: issued.token,
    expiresAt: issued.expiresAt,
    caPem,
    mqttUrl: urls.mqttUrl ?? hub.mqttUrl,
    apiUrl: urls.apiUrl ?? hub.apiUrl,
    location: issued.record.location,
    capture: { file: pcap },
  });
  return { sensorId, configFile: bundle.configFile, tokenFile: bundle.tokenFile };
}

/** A signed release of `version` whose program is this repository's `wardsight`. */
async function release(version: string): Promise<string> {
  const payload = join(work, 'payloads', version);
  await mkdir(join(payload, 'bin'), { recursive: true });
  await writeFile(join(payload, 'package.json'), `${JSON.stringify({ name: 'wardsight', version, type: 'module', private: true })}\n`);
  await writeFile(join(payload, 'bin', 'wardsight.js'), `import ${JSON.stringify(pathToFileURL(CLI).href)};\n`);
  await chmod(join(payload, 'bin', 'wardsight.js'), 0o755);
  const out = join(work, 'releases', version);
  const signed = await signRelease({ payloadDir: payload, version, privateKeyPath: join(keyDir, 'wardsight-release.key'), outDir: out }).catch(async (err: { code?: string }) => {
    if (err.code !== 'PROV_ERR_RELEASE_EXISTS') throw err;
    return { bundlePath: join(out, `wardsight-sensor-${version}.tar`) };
  });
  return signed.bundlePath;
}

/** An install root with the first release known good and the running version on trial. */
async function rootWithTrial(name: string): Promise<string> {
  const root = join(work, name);
  const publicKey = await loadReleasePublicKey(join(keyDir, 'wardsight-release.pub'));
  await installRelease(await release(FIRST_VERSION), { root, publicKey });
  const installed = await installRelease(await release(sensorVersion()), { root, publicKey });
  expect(installed).toMatchObject({ version: sensorVersion(), slot: 'b', previousSlot: 'a', onTrial: true });
  return root;
}

interface Run {
  child: ChildProcess;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const child = spawn(command, args, { env: { ...process.env, WARDSIGHT_LOG: 'info', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  started.push(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.on('close', (code, signal) => done({ code, signal })));
  return { child, stderr: () => stderr, exit };
}

/** Polls `probe` until it gives a value, failing past `ms` with `what` and the child's log. */
async function eventually<T>(probe: () => Promise<T | undefined>, ms: number, what: string, running?: Run): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`${what} within ${ms} ms${running ? `; sensor log:\n${running.stderr().slice(-4000)}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const stateOf = (root: string): Promise<UpdateState> => readUpdateState(updateLayout(root));

/** A short trial deadline: the installer allows 30 s at least, which is long for a test. */
async function shortenDeadline(root: string, deadlineS: number): Promise<void> {
  const state = await stateOf(root);
  await writeFile(updateLayout(root).state, JSON.stringify({ ...state, trial: { ...state.trial, deadlineS } }));
}

describe('a new version on trial, started through the update launcher', () => {
  it('confirms itself once it captures and the hub acknowledges its findings', async () => {
    expect(compareReleaseVersions(FIRST_VERSION, sensorVersion())).toBeLessThan(0);
    const root = await rootWithTrial('root-confirm');
    const { configFile } = await sensorBundle();
    const sensor = run(updateLayout(root).launcherScript, ['sensor', '--config', configFile], { WARDSIGHT_UPDATE_ROOT: root });
    try {
      const confirmed = await eventually(async () => {
        const state = await stateOf(root);
        return state.trial === null ? state : undefined;
      }, 45_000, 'the trial was not judged', sensor);
      expect(confirmed.active).toBe('b');
      expect(confirmed.bad).toEqual([]);
      expect(confirmed.events.map((e) => e.kind)).toEqual(['installed', 'installed', 'trial-start', 'confirmed']);
      expect(confirmed.events.at(-1)).toMatchObject({ kind: 'confirmed', version: sensorVersion(), slot: 'b', detail: 'after 1 start(s)' });
      expect(await readlink(join(root, 'current'))).toBe('slots/b');
      // The sensor says so once the state is written and `current` points at the slot: a moment after what the test just read.
      await eventually(async () => (sensor.stderr().includes('the new version confirmed itself healthy') ? true : undefined), 10_000, 'the sensor did not log its confirmation', sensor);
    } finally {
      sensor.child.kill('SIGTERM');
    }
    expect(await sensor.exit).toEqual({ code: 0, signal: null });
  });

  it('rolls itself back when its hub never answers by the trial deadline, and exits for systemd to restart the previous one', async () => {
    const root = await rootWithTrial('root-rollback');
    await shortenDeadline(root, 6);
    const { configFile } = await sensorBundle({ mqttUrl: `mqtts://127.0.0.1:${await closedPort()}` });
    const sensor = run(updateLayout(root).launcherScript, ['sensor', '--config', configFile], { WARDSIGHT_UPDATE_ROOT: root });
    const exited = await Promise.race([sensor.exit, new Promise<never>((_, fail) => setTimeout(() => fail(new Error(`the sensor did not exit; log:\n${sensor.stderr().slice(-4000)}`)), 40_000))]);
    expect(exited, sensor.stderr().slice(-4000)).toEqual({ code: sensorExitStatus.trialRolledBack, signal: null });
    expect(sensor.stderr()).toContain(`version ${sensorVersion()} was rolled back (its health check failed: no healthy answer within the trial deadline`);
    expect(sensor.stderr()).toContain('enrolled with the hub');

    const after = await stateOf(root);
    expect(after).toMatchObject({ active: 'a', trial: null });
    expect(after.bad).toEqual([expect.objectContaining({ version: sensorVersion(), reason: expect.stringContaining('its health check failed') })]);
    expect(after.events.map((e) => e.kind)).toEqual(['installed', 'installed', 'trial-start', 'rolled-back']);
    expect(await readlink(join(root, 'current'))).toBe('slots/a');
  });

  it('rolls back at the deadline a version still waiting to enrol, stopping its start', async () => {
    const root = await rootWithTrial('root-never-started');
    await shortenDeadline(root, 3);
    const { configFile } = await sensorBundle({ apiUrl: `https://127.0.0.1:${await closedPort()}` });
    const sensor = run(updateLayout(root).launcherScript, ['sensor', '--config', configFile], { WARDSIGHT_UPDATE_ROOT: root });
    const exited = await Promise.race([sensor.exit, new Promise<never>((_, fail) => setTimeout(() => fail(new Error(`the sensor did not exit; log:\n${sensor.stderr().slice(-4000)}`)), 30_000))]);
    expect(exited, sensor.stderr().slice(-4000)).toEqual({ code: sensorExitStatus.trialRolledBack, signal: null });
    expect(sensor.stderr()).toContain(`version ${sensorVersion()} was rolled back (its health check failed: no healthy answer within the trial deadline`);
    expect(sensor.stderr()).not.toContain('sensor started');
    expect(await stateOf(root)).toMatchObject({ active: 'a', trial: null, bad: [{ version: sensorVersion() }] });
  });

  it('leaves the trial of another version alone', async () => {
    const root = await rootWithTrial('root-other');
    const { configFile } = await sensorBundle();
    // The version on trial is not the running one (as for the previous version after a rollback).
    const state = await stateOf(root);
    await writeFile(updateLayout(root).state, JSON.stringify({ ...state, trial: { ...state.trial, version: '99.0.0' } }));
    const sensor = run(process.execPath, [CLI, 'sensor', '--config', configFile, '--exit-when-done', '--update-root', root]);
    expect(await sensor.exit, sensor.stderr().slice(-4000)).toEqual({ code: 0, signal: null });
    expect((await stateOf(root)).trial).toMatchObject({ version: '99.0.0', attempts: 0 });
    expect(sensor.stderr()).not.toContain('on trial');
  });
});

describe('the running version', () => {
  it('is the version of the tree\'s root package.json, found upward past a workspace\'s own', async () => {
    const tree = join(work, 'tree');
    await mkdir(join(tree, 'appliance', 'dist'), { recursive: true });
    await writeFile(join(tree, 'package.json'), JSON.stringify({ name: 'wardsight', version: '2.3.0', workspaces: ['appliance'] }));
    await writeFile(join(tree, 'appliance', 'package.json'), JSON.stringify({ name: '@wardsight/appliance', version: '0.1.0' }));
    expect(readTreeVersion(join(tree, 'appliance', 'dist'))).toEqual({ version: '2.3.0', packageJson: join(tree, 'package.json') });
    // A pruned release tree: the root named, without workspaces.
    await writeFile(join(tree, 'package.json'), JSON.stringify({ name: 'wardsight', version: '2.3.1' }));
    expect(readTreeVersion(join(tree, 'appliance', 'dist')).version).toBe('2.3.1');
    // No root at all: the nearest version.
    await rm(join(tree, 'package.json'));
    expect(readTreeVersion(join(tree, 'appliance', 'dist'), 2)).toEqual({ version: '0.1.0', packageJson: join(tree, 'appliance', 'package.json') });
    // This build's own.
    const root = JSON.parse(await readFile(resolve(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };
    expect(sensorTreeVersion()).toEqual({ version: root.version, packageJson: resolve(import.meta.dirname, '../../package.json') });
  });
});

/** The service manager's side of $NOTIFY_SOCKET: every datagram as its assignments. */
function notifySocket(path: string): { received: Record<string, string>[]; close: () => void } {
  const socket = new DgramSocket();
  const received: Record<string, string>[] = [];
  socket.bind(path);
  socket.on('data', (buf: Buffer) => {
    received.push(Object.fromEntries(buf.toString('utf8').split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)])) as Record<string, string>);
  });
  return { received, close: () => socket.close() };
}

describe('starting under systemd', () => {
  it('asks for more time while waiting to enrol with a hub that is down, and stops cleanly on SIGTERM', async () => {
    const downApi = `https://127.0.0.1:${await closedPort()}`;
    const { configFile, tokenFile } = await sensorBundle({ apiUrl: downApi });
    const manager = notifySocket(join(work, `notify-${sensors}.sock`));
    try {
      const sensor = run(process.execPath, [CLI, 'sensor', '--config', configFile], { NOTIFY_SOCKET: join(work, `notify-${sensors}.sock`) });
      const asked = await eventually(async () => manager.received.find((n) => n.EXTEND_TIMEOUT_USEC), 15_000, 'no EXTEND_TIMEOUT_USEC', sensor);
      expect(asked).toEqual({ STATUS: expect.stringMatching(new RegExp(`^starting: enrolling with the hub at ${downApi} \\(\\d+ s so far\\)$`)), EXTEND_TIMEOUT_USEC: '60000000' });
      await eventually(async () => (sensor.stderr().includes('enrolment not possible yet') ? true : undefined), 15_000, 'no enrolment attempt', sensor);
      sensor.child.kill('SIGTERM');
      expect(await sensor.exit).toEqual({ code: sensorExitStatus.stoppedWhileStarting, signal: null });
      expect(sensor.stderr()).toContain('stopped by SIGTERM while starting (enrolment was waiting for the hub); nothing was left half done');
      expect(manager.received.some((n) => n.READY === '1')).toBe(false);
      expect(manager.received.at(-1)).toEqual({ STATUS: 'stopped by SIGTERM while starting' });
      // The token is kept for the next start.
      expect(await readFile(tokenFile, 'utf8')).toContain('.');
    } finally {
      manager.close();
    }
  });

  it('ends with its own exit status and the hub\'s message when the hub refuses enrolment', async () => {
    const { sensorId, configFile } = await sensorBundle();
    // A new token for the same sensor replaces the one in the bundle, which the hub then refuses.
    await hub.registry.replace(sensorId, 'test');
    const sensor = run(process.execPath, [CLI, 'sensor', '--config', configFile]);
    expect(await sensor.exit).toEqual({ code: sensorExitStatus.enrolmentRefused, signal: null });
    expect(sensor.stderr()).toMatch(/wardsight: the hub refused enrolment: .+; the service is not restarted for this: .+ \[APPLIANCE_ERR_ENROLMENT_REFUSED\]/);
  });
});
