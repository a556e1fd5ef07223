/**
 * The technician's whole path, across network namespaces the test makes: a hub in one, a sensor
 * board in another, joined by a veth pair. `wardsight provision sensor add` registers the sensor and
 * writes its bundle; the sensor, started with nothing but that bundle, makes its key, enrols over
 * HTTPS, connects with mutual TLS, captures on its mirror port and appears at the hub with its
 * location. A reused, a forged and an expired token are each refused with a message that says so.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceView, RegisteredSensorView } from '@wardsight/hub';
import { writeHospital } from '@wardsight/sim';
import { createSensorBoardNetwork, eventually, netnsSupport, tempDir, type VethLink } from '@wardsight/test';

const CLI = fileURLToPath(new URL('../../bin/wardsight.js', import.meta.url));
const support = netnsSupport();
const tcpreplay = existsSync('/usr/bin/tcpreplay');
if (!support.ok) console.warn(`[skip] enrolment path test: ${support.why}`);
else if (!tcpreplay) console.warn('[skip] enrolment path test: needs tcpreplay (apt-get install tcpreplay)');

const HUB_IP = '10.77.0.1';
const SENSOR_IP = '10.77.0.2';
/** The board's mirror port, and the switch end that feeds it; both live in the sensor's namespace. */
const MIRROR = 'wsmirror0';
const SWITCH = 'wsswitch0';

interface SensorRow {
  id: string;
  state: string;
  location: { site: string; building?: string; floor: string; zone?: string } | null;
}

describe.skipIf(!support.ok || !tcpreplay)('a sensor enrolled from its bundle alone, in network namespaces', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let link: VethLink;
  let hubDir: string;
  let floorPcap: string;
  const children: ChildProcess[] = [];
  const inNs = (ns: string, args: string[]) => spawnSync('ip', ['netns', 'exec', ns, process.execPath, CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
  const wardsight = (ns: string, args: string[]): string => {
    const run = inNs(ns, args);
    if (run.status !== 0) throw new Error(`wardsight ${args.join(' ')} failed (${run.status ?? run.signal}): ${run.stderr}`);
    return run.stdout;
  };
  const sensorProcess = (config: string, log: string[]): ChildProcess => {
    const child = spawn('ip', ['netns', 'exec', link.b.ns, process.execPath, CLI, 'sensor', '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (c: Buffer) => log.push(c.toString()));
    child.stderr?.on('data', (c: Buffer) => log.push(c.toString()));
    children.push(child);
    return child;
  };
  const exitOf = (child: ChildProcess) => new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));

  beforeAll(async () => {
    dir = await tempDir();
    const sim = await writeHospital(join(dir.path, 'sim'), { seed: 11 });
    floorPcap = sim.pcaps[0]?.path ?? '';
    link = createSensorBoardNetwork({ hubIp: HUB_IP, sensorIp: SENSOR_IP, mirror: MIRROR, feed: SWITCH });

    hubDir = join(dir.path, 'hub');
    const hubLog: string[] = [];
    const hub = spawn('ip', ['netns', 'exec', link.a.ns, process.execPath, CLI, 'hub', '--data-dir', hubDir, '--host', HUB_IP, '--public-name', HUB_IP, '--mqtt-port', '8883', '--api-port', '8443'], { stdio: ['ignore', 'pipe', 'pipe'] });
    hub.stdout?.on('data', (c: Buffer) => hubLog.push(c.toString()));
    hub.stderr?.on('data', (c: Buffer) => hubLog.push(c.toString()));
    children.push(hub);
    await eventually(async () => (existsSync(join(hubDir, 'hub.json')) ? true : undefined), 30_000, 'hub started').catch((err: unknown) => {
      throw new Error(`${(err as Error).message}\n${hubLog.join('')}`);
    });
  });

  afterAll(async () => {
    for (const c of children) {
      if (c.exitCode !== null || c.signalCode !== null) continue;
      const exited = exitOf(c);
      c.kill('SIGTERM');
      const timer = setTimeout(() => c.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    link?.remove();
    await dir?.remove();
  });

  it('provision sensor add → enrolment → mutual TLS → the sensor and its devices at the hub, with its location', async () => {
    const bundle = join(dir.path, 'bundle-floor3');
    // A token that expires a minute from now, for the last check below; made first so the minute passes meanwhile.
    const shortLived = join(dir.path, 'bundle-floor4');
    wardsight(link.a.ns, ['provision', 'sensor', 'add', 'floor-4', '--hub-data-dir', hubDir, '--floor', '4', '--valid-for', '1m', '--out', shortLived, '--no-qr']);
    const expiresAt = Date.now() + 60_000;

    const out = wardsight(link.a.ns, ['provision', 'sensor', 'add', 'floor-3', '--hub-data-dir', hubDir, '--site', 'St Mary', '--building', 'North', '--floor', '3', '--zone', 'east', '--name', 'North 3 east closet', '--interface', MIRROR, '--out', bundle]);
    expect(out).toMatch(/▄|█/); // the QR code, drawn in the terminal
    expect(out).toContain('sensor floor-3 (North 3 east closet) at St Mary, North, floor 3, east: awaiting-enrolment');
    const png = await readFile(join(bundle, 'enrol-qr.png'));
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect((await stat(join(bundle, 'enrol.token'))).mode & 0o777).toBe(0o600);
    const config = await readFile(join(bundle, 'wardsight.yaml'), 'utf8');
    expect(config).toContain(`enrolUrl: https://${HUB_IP}:8443`);
    expect(config).toContain(`url: mqtts://${HUB_IP}:8883`);
    expect(config).not.toMatch(/wse1\./); // the token is only in its own file
    const token = await readFile(join(bundle, 'enrol.token'), 'utf8');
    // The technician's spare copy of the bundle, taken before the sensor spends the token.
    const copy = join(dir.path, 'bundle-copy');
    await cp(bundle, copy, { recursive: true });

    const log: string[] = [];
    sensorProcess(join(bundle, 'wardsight.yaml'), log);
    await eventually(async () => (log.join('').includes('sensor started') ? true : undefined), 60_000, 'sensor enrolled and capturing').catch((err: unknown) => {
      throw new Error(`${(err as Error).message}\n${log.join('')}`);
    });
    expect(log.join('')).toContain('enrolled with the hub');
    expect(existsSync(join(bundle, 'tls', 'sensor.crt'))).toBe(true);
    expect((await stat(join(bundle, 'tls', 'sensor.key'))).mode & 0o777).toBe(0o600);
    expect(existsSync(join(bundle, 'enrol.token'))).toBe(false);

    const online = await eventually(
      async () => {
        const rows = JSON.parse(wardsight(link.a.ns, ['sensors', '--json', '--data-dir', hubDir])) as SensorRow[];
        return rows.find((r) => r.id === 'floor-3' && r.state === 'online');
      },
      30_000,
      'sensor online at the hub',
    );
    expect(online.location).toEqual({ site: 'St Mary', building: 'North', floor: '3', zone: 'east' });
    const registered = JSON.parse(wardsight(link.a.ns, ['provision', 'sensor', 'list', '--json', '--hub-data-dir', hubDir])) as RegisteredSensorView[];
    expect(registered.find((s) => s.id === 'floor-3')).toMatchObject({ state: 'active', name: 'North 3 east closet', token: null });

    // The floor's traffic on the mirror port: its devices reach the hub, placed where the sensor is.
    execFileSync('ip', ['netns', 'exec', link.b.ns, 'tcpreplay', '--topspeed', '-i', SWITCH, floorPcap], { stdio: 'ignore' });
    const devices = await eventually(
      async () => {
        const all = JSON.parse(wardsight(link.a.ns, ['devices', '--json', '--data-dir', hubDir])) as DeviceView[];
        return all.length >= 5 ? all : undefined;
      },
      30_000,
      'devices from the mirror port at the hub',
    );
    for (const d of devices) expect(d.location).toMatchObject({ floor: '3', zone: 'east' });

    // A reused token: the spare copy's sensor is refused and says why.
    const reused = inNs(link.b.ns, ['sensor', '--config', join(copy, 'wardsight.yaml')]);
    expect(reused.status).not.toBe(0);
    expect(reused.stderr).toMatch(/already used on .* to enrol sensor floor-3; a token works once/);

    // A forged token: the same form, a secret the hub never made.
    const forged = token.trim().replace(/.{6}$/, (tail) => (tail === 'aaaaaa' ? 'bbbbbb' : 'aaaaaa'));
    await writeFile(join(copy, 'enrol.token'), `${forged}\n`, { mode: 0o600 });
    const refusedForged = inNs(link.b.ns, ['sensor', '--config', join(copy, 'wardsight.yaml')]);
    expect(refusedForged.status).not.toBe(0);
    expect(refusedForged.stderr).toContain('this enrolment token was not issued by this hub (or was forged)');

    // An expired token.
    await new Promise((r) => setTimeout(r, Math.max(0, expiresAt - Date.now() + 1000)));
    const expired = inNs(link.b.ns, ['sensor', '--config', join(shortLived, 'wardsight.yaml')]);
    expect(expired.status).not.toBe(0);
    expect(expired.stderr).toMatch(/this enrolment token for sensor floor-4 expired at .*; issue a new one with `wardsight provision sensor replace floor-4`/);
  }, 180_000);
});
