import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadSensorConfig, parseSensorConfig, tlsFiles, type SensorConfig } from '../src/config.js';

const fileCapture = {
  sensorId: 'floor2',
  hub: { url: 'mqtts://hub.ward.example:8883' },
  tlsDir: 'tls',
  dataDir: 'data',
  location: { site: 'St Mary', building: 'North', floor: '2', room: 'Comms 2.14' },
  capture: { file: 'captures/ward2.pcap', filter: 'not port 22' },
};

const interfaceCapture = {
  sensorId: 'icu-east-3',
  hub: { url: 'mqtts://10.20.0.5:8883' },
  tlsDir: '/etc/wardsight/tls',
  dataDir: '/var/lib/wardsight',
  location: { site: 'St Mary', floor: '3' },
  capture: { interface: 'eth1', filter: 'not port 22', snapLength: 1514, bufferSizeMB: 32, promiscuous: true },
  healthIntervalS: 30,
  flushIntervalMs: 500,
};

describe('sensor configuration file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wardsight-appliance-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Writes a config file into a sub-folder, so that its folder is neither the temp root nor the working directory. */
  async function write(value: unknown, text = JSON.stringify(value, null, 2)): Promise<string> {
    await mkdir(join(dir, 'etc'), { recursive: true });
    const path = join(dir, 'etc', 'sensor.json');
    await writeFile(path, text);
    return path;
  }

  /** Loads a config that must be refused and returns the ConfigError. */
  async function refused(value: unknown): Promise<ConfigError> {
    const error: unknown = await loadSensorConfig(await write(value)).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('APPLIANCE_ERR_CONFIG');
    return error as ConfigError;
  }

  it('loads a file-capture config and resolves relative paths against the config file\'s folder', async () => {
    const config = await loadSensorConfig(await write(fileCapture));
    const folder = join(dir, 'etc');
    expect(folder).not.toBe(process.cwd());
    expect(config).toEqual({
      ...fileCapture,
      tlsDir: join(folder, 'tls'),
      dataDir: join(folder, 'data'),
      capture: { file: join(folder, 'captures', 'ward2.pcap'), filter: 'not port 22' },
    });
  });

  it('resolves paths that climb out of the config folder too', async () => {
    const config = await loadSensorConfig(await write({ ...fileCapture, tlsDir: '../tls', dataDir: './state/../data' }));
    expect(config.tlsDir).toBe(join(dir, 'tls'));
    expect(config.dataDir).toBe(join(dir, 'etc', 'data'));
  });

  it('loads an interface-capture config, keeping absolute paths and the interface name as written', async () => {
    const config = await loadSensorConfig(await write(interfaceCapture));
    expect(config).toEqual(interfaceCapture);
  });

  it('takes relative paths from the working directory when parsing without a file', () => {
    const config = parseSensorConfig(fileCapture);
    expect(config.dataDir).toBe(resolve(process.cwd(), 'data'));
    expect(parseSensorConfig(fileCapture, '/srv/sensor').tlsDir).toBe('/srv/sensor/tls');
  });

  it('refuses a config without a sensorId', async () => {
    const { sensorId: _id, ...rest } = fileCapture;
    expect((await refused(rest)).message).toContain("must have required property 'sensorId'");
  });

  it('refuses an upper-case sensorId', async () => {
    expect((await refused({ ...fileCapture, sensorId: 'Floor2' })).message).toContain('/sensorId must match pattern');
  });

  it('refuses a hub url that is not mqtts://', async () => {
    for (const url of ['mqtt://hub.ward.example:1883', 'https://hub.ward.example', 'hub.ward.example:8883']) {
      expect((await refused({ ...fileCapture, hub: { url } })).message, url).toContain('/hub/url must match pattern');
    }
  });

  it('refuses a capture that names both a file and an interface, or neither', async () => {
    const both = await refused({ ...fileCapture, capture: { file: 'a.pcap', interface: 'eth1' } });
    expect(both.message).toContain('/capture ');
    const neither = await refused({ ...fileCapture, capture: { filter: 'ip' } });
    expect(neither.message).toContain("/capture must have required property 'interface'");
    expect(neither.message).toContain("/capture must have required property 'file'");
  });

  it('takes a replay speed for a file capture, and refuses one it does not know or for an interface', async () => {
    const recorded = { ...fileCapture, capture: { file: 'a.pcap', speed: 'recorded' } };
    expect(parseSensorConfig(recorded).capture).toMatchObject({ speed: 'recorded' });
    expect((await refused({ ...fileCapture, capture: { file: 'a.pcap', speed: 'slow' } })).message).toContain('/capture/speed');
    expect((await refused({ ...interfaceCapture, capture: { interface: 'eth1', speed: 'fast' } })).message).toContain("unexpected property 'speed'");
  });

  it('refuses capture settings out of bounds, naming the field', async () => {
    const small = await refused({ ...interfaceCapture, capture: { interface: 'eth1', snapLength: 40 } });
    expect(small.message).toContain('/capture/snapLength must be >= 96');
  });

  it('refuses keys the schema does not know, at the root and in the hub section', async () => {
    expect((await refused({ ...fileCapture, flushIntervalMS: 500 })).message).toContain("(root) has an unexpected property 'flushIntervalMS'");
    expect((await refused({ ...fileCapture, hub: { url: fileCapture.hub.url, password: 'x' } })).message).toContain("/hub has an unexpected property 'password'");
  });

  it('lists every problem of a config at once', async () => {
    const { message } = await refused({ ...fileCapture, sensorId: 'Floor2', hub: { url: 'mqtt://hub' } });
    expect(message).toContain('/sensorId');
    expect(message).toContain('/hub/url');
  });

  it('refuses a file that is not JSON, naming the file', async () => {
    const path = await write(null, '{ "sensorId": "floor2", ');
    const error: unknown = await loadSensorConfig(path).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(`${path} is not JSON`);
  });

  it('refuses a missing file, naming it', async () => {
    const path = join(dir, 'nowhere', 'sensor.json');
    const error: unknown = await loadSensorConfig(path).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(`cannot read ${path}`);
  });
});

describe('tlsFiles', () => {
  it('names the sensor certificate, its key and the hub CA inside the TLS folder', () => {
    const config: SensorConfig = parseSensorConfig(interfaceCapture);
    expect(tlsFiles(config)).toEqual({
      cert: '/etc/wardsight/tls/sensor.crt',
      key: '/etc/wardsight/tls/sensor.key',
      ca: '/etc/wardsight/tls/ca.crt',
    });
  });
});
