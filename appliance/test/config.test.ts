import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadSensorConfig, parseSensorConfig, parseSensorConfigText, runtimeSettings, tlsFiles, type SensorConfig } from '../src/config.js';
import { exampleConfig } from '../src/config-example.js';

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
    expect((await refused(rest)).message).toContain('sensorId is required but missing');
  });

  it('refuses an upper-case sensorId', async () => {
    expect((await refused({ ...fileCapture, sensorId: 'Floor2' })).message).toContain('sensorId must match pattern');
  });

  it('refuses a hub url that is not mqtts://', async () => {
    for (const url of ['mqtt://hub.ward.example:1883', 'https://hub.ward.example', 'hub.ward.example:8883']) {
      expect((await refused({ ...fileCapture, hub: { url } })).message, url).toContain('hub.url must match pattern');
    }
  });

  it('refuses a capture that names both a file and an interface, or neither', async () => {
    const both = await refused({ ...fileCapture, capture: { file: 'a.pcap', interface: 'eth1' } });
    expect(both.message).toContain("capture.interface is not a known field (give one of 'interface' or 'file', not both)");
    const neither = await refused({ ...fileCapture, capture: { filter: 'ip' } });
    expect(neither.message).toContain("capture needs one of 'interface' or 'file'");
  });

  it('takes a replay speed for a file capture, and refuses one it does not know or for an interface', async () => {
    const recorded = { ...fileCapture, capture: { file: 'a.pcap', speed: 'recorded' } };
    expect(parseSensorConfig(recorded).capture).toMatchObject({ speed: 'recorded' });
    expect((await refused({ ...fileCapture, capture: { file: 'a.pcap', speed: 'slow' } })).message).toContain("capture.speed must be one of 'fast', 'recorded'");
    expect((await refused({ ...interfaceCapture, capture: { interface: 'eth1', speed: 'fast' } })).message).toContain("capture.speed is not a known field (it goes with 'file', not here)");
  });

  it('refuses capture settings out of bounds, naming the field', async () => {
    const small = await refused({ ...interfaceCapture, capture: { interface: 'eth1', snapLength: 40 } });
    expect(small.message).toContain('capture.snapLength must be >= 96');
  });

  it('refuses keys the schema does not know, at the root and in the hub section', async () => {
    expect((await refused({ ...fileCapture, flushIntervalMS: 500 })).message).toContain("flushIntervalMS is not a known field (did you mean 'flushIntervalMs'?)");
    expect((await refused({ ...fileCapture, hub: { url: fileCapture.hub.url, password: 'x' } })).message).toContain('hub.password is not a known field');
  });

  it('lists every problem of a config at once', async () => {
    const { message } = await refused({ ...fileCapture, sensorId: 'Floor2', hub: { url: 'mqtt://hub' } });
    expect(message).toContain('sensorId must match pattern');
    expect(message).toContain('hub.url must match pattern');
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

/** A valid YAML configuration; line numbers in the cases below count from its first line. */
const yamlConfig = [
  '# floor 2 sensor', //                     1
  'sensorId: floor2', //                     2
  'hub:', //                                 3
  '  url: mqtts://hub.ward.example:8883', // 4
  'tlsDir: tls', //                          5
  'dataDir: data', //                        6
  'location:', //                            7
  '  site: St Mary', //                      8
  '  floor: "2"', //                         9
  'capture:', //                             10
  '  interface: eth1', //                    11
  '  bufferSizeMB: 64', //                   12
  '',
].join('\n');

describe('YAML configuration file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wardsight-yaml-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function write(text: string, name = 'wardsight.yaml'): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  }

  /** The ConfigError a text is refused with. */
  async function refusedText(text: string, name?: string): Promise<ConfigError & { path: string }> {
    const path = await write(text, name);
    const error: unknown = await loadSensorConfig(path).catch((err: unknown) => err);
    expect(error, 'the configuration should have been refused').toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('APPLIANCE_ERR_CONFIG');
    return Object.assign(error as ConfigError, { path });
  }

  it('loads YAML, with comments, and resolves relative paths against its folder', async () => {
    const config = await loadSensorConfig(await write(yamlConfig));
    expect(config).toEqual({
      sensorId: 'floor2',
      hub: { url: 'mqtts://hub.ward.example:8883' },
      tlsDir: join(dir, 'tls'),
      dataDir: join(dir, 'data'),
      location: { site: 'St Mary', floor: '2' },
      capture: { interface: 'eth1', bufferSizeMB: 64 },
    });
  });

  it('names file, line, column and field of a value out of bounds', async () => {
    const error = await refusedText(yamlConfig.replace('bufferSizeMB: 64', 'bufferSizeMB: 2000'));
    expect(error.message).toContain(`${error.path}:12:17: capture.bufferSizeMB must be <= 1024`);
    expect({ line: error.line, column: error.column, field: error.field }).toEqual({ line: 12, column: 17, field: 'capture.bufferSizeMB' });
    expect(error.file).toBe(error.path);
  });

  it('names a value of the wrong type, with a hint for an unquoted number where text belongs', async () => {
    const words = await refusedText(yamlConfig.replace('bufferSizeMB: 64', 'bufferSizeMB: lots'));
    expect({ line: words.line, column: words.column, field: words.field }).toEqual({ line: 12, column: 17, field: 'capture.bufferSizeMB' });
    expect(words.message).toContain(':12:17: capture.bufferSizeMB must be integer');
    const floor = await refusedText(yamlConfig.replace('floor: "2"', 'floor: 2'));
    expect({ line: floor.line, column: floor.column, field: floor.field }).toEqual({ line: 9, column: 10, field: 'location.floor' });
    expect(floor.message).toContain('location.floor must be string (write it in quotes: "2")');
  });

  it('places a missing required field at the section that should hold it', async () => {
    const error = await refusedText(yamlConfig.replace('  url: mqtts://hub.ward.example:8883\n', '  enrolUrl: https://hub.ward.example:8443\n'));
    expect({ line: error.line, column: error.column, field: error.field }).toEqual({ line: 3, column: 1, field: 'hub.url' });
    expect(error.message).toContain(':3:1: hub.url is required but missing');
    const top = await refusedText(yamlConfig.replace('sensorId: floor2\n', ''));
    expect(top.field).toBe('sensorId');
    expect(top.line).toBe(2); // the first key of the top-level mapping
  });

  it('names an unknown field at its own line, with the field it probably means', async () => {
    const error = await refusedText(`${yamlConfig}healthIntervalSec: 30\n`);
    expect({ line: error.line, column: error.column, field: error.field }).toEqual({ line: 13, column: 1, field: 'healthIntervalSec' });
    expect(error.message).toContain(":13:1: healthIntervalSec is not a known field (did you mean 'healthIntervalS'?)");
    const nested = await refusedText(yamlConfig.replace('  site: St Mary', '  site: St Mary\n  wing: East'));
    expect({ line: nested.line, column: nested.column, field: nested.field }).toEqual({ line: 9, column: 3, field: 'location.wing' });
  });

  it('reports a YAML syntax error with its line and column', async () => {
    const error = await refusedText(yamlConfig.replace('  site: St Mary', '  site: [St Mary'));
    expect(error.message).toContain(`${error.path} is not YAML: ${error.path}:`);
    expect(error.line).toBe(9);
    expect(error.column).toBeGreaterThanOrEqual(1);
    const tab = await refusedText(yamlConfig.replace('capture:\n  interface: eth1', 'capture:\n\tinterface: eth1'));
    expect(tab.line).toBe(11);
  });

  it('refuses a key given twice, naming it and the line of the second', async () => {
    const error = await refusedText(yamlConfig.replace('  interface: eth1', '  interface: eth1\n  interface: eth2'));
    expect({ line: error.line, column: error.column, field: error.field }).toEqual({ line: 12, column: 3, field: 'capture.interface' });
    expect(error.message).toContain(':12:3: capture.interface is given more than once; keep one');
    const top = await refusedText(`${yamlConfig}tlsDir: other\n`);
    expect({ line: top.line, field: top.field }).toEqual({ line: 13, field: 'tlsDir' });
  });

  it('gives positions in a JSON file too', async () => {
    const json = JSON.stringify({ ...interfaceCapture, capture: { interface: 'eth1', bufferSizeMB: 4096 } }, null, 2);
    const error = await refusedText(json, 'sensor.json');
    const line = json.split('\n').findIndex((l) => l.includes('"bufferSizeMB"')) + 1;
    expect({ line: error.line, field: error.field }).toEqual({ line, field: 'capture.bufferSizeMB' });
    expect(error.message).toContain(`sensor.json:${line}:`);
  });

  it('lists every problem, in the order of the file', async () => {
    const error = await refusedText(`${yamlConfig.replace('sensorId: floor2', 'sensorId: Floor2').replace('bufferSizeMB: 64', 'bufferSizeMB: 0')}colour: blue\n`);
    const lines = error.message.split('\n').slice(1).map((l) => l.trim());
    expect(lines).toEqual([
      expect.stringContaining(':2:11: sensorId must match pattern'),
      expect.stringContaining(':12:17: capture.bufferSizeMB must be >= 1'),
      expect.stringContaining(':13:1: colour is not a known field'),
    ]);
    expect(error.problems).toHaveLength(3);
  });

  it('takes the optional sections: name, enrolment, zone, watchdog and supervisor', async () => {
    const text = `${yamlConfig.replace('  url: mqtts://hub.ward.example:8883', '  url: mqtts://hub.ward.example:8883\n  enrolUrl: https://hub.ward.example:8443').replace('  floor: "2"', '  floor: "2"\n  zone: East')}sensorName: Floor 2 comms\nenrolment:\n  tokenFile: enrol.token\nwatchdog:\n  enabled: false\nsupervisor:\n  minBackoffMs: 500\n  maxBackoffMs: 30000\n`;
    const config = await loadSensorConfig(await write(text));
    expect(config.hub.enrolUrl).toBe('https://hub.ward.example:8443');
    expect(config.enrolment).toEqual({ tokenFile: join(dir, 'enrol.token') });
    expect(config.location.zone).toBe('East');
    expect(config.sensorName).toBe('Floor 2 comms');
    expect(runtimeSettings(config)).toEqual({ watchdogEnabled: false, minBackoffMs: 500, maxBackoffMs: 30_000 });
    expect(runtimeSettings(await loadSensorConfig(await write(yamlConfig)))).toEqual({ watchdogEnabled: true, minBackoffMs: 1000, maxBackoffMs: 60_000 });
  });

  it('refuses an enrolment URL that is not https://, backoffs out of bounds, and a maximum below the minimum', async () => {
    const http = await refusedText(yamlConfig.replace('  url: mqtts://hub.ward.example:8883', '  url: mqtts://hub.ward.example:8883\n  enrolUrl: http://hub.ward.example'));
    expect({ line: http.line, field: http.field }).toEqual({ line: 5, field: 'hub.enrolUrl' });
    const tiny = await refusedText(`${yamlConfig}supervisor:\n  minBackoffMs: 5\n`);
    expect(tiny.message).toContain(':14:17: supervisor.minBackoffMs must be >= 100');
    const crossed = await refusedText(`${yamlConfig}supervisor:\n  minBackoffMs: 5000\n  maxBackoffMs: 2000\n`);
    expect(crossed.message).toContain(':15:17: supervisor.maxBackoffMs must be >= supervisor.minBackoffMs (5000)');
  });

  it('refuses a file far larger than any configuration', async () => {
    const error = await refusedText(`${yamlConfig}${'# padding\n'.repeat(40_000)}`);
    expect(error.message).toContain('more than the 262144 a configuration may have');
  });

  it('names the field without a position when the configuration is a value, not a file', () => {
    const error = (() => {
      try {
        parseSensorConfig({ ...fileCapture, capture: { file: 'a.pcap', speed: 'slow' } });
      } catch (err) {
        return err as ConfigError;
      }
      throw new Error('not refused');
    })();
    expect(error.message).toBe("invalid sensor configuration: capture.speed must be one of 'fast', 'recorded'");
    expect({ line: error.line, field: error.field }).toEqual({ line: undefined, field: 'capture.speed' });
  });
});

describe('exampleConfig', () => {
  it('is a valid configuration as it is, with comments', () => {
    const text = exampleConfig();
    expect(text).toMatch(/^# wardsight\.yaml/);
    const config = parseSensorConfigText(text, '/etc/wardsight/wardsight.yaml');
    expect(config.capture).toEqual({ interface: 'eth1', filter: 'not port 22', bufferSizeMB: 32 });
    expect(config.tlsDir).toBe('/etc/wardsight/tls');
    expect(config.enrolment).toBeUndefined();
  });

  it('fills in the values given, quoting whatever text they hold', () => {
    const text = exampleConfig({
      sensorId: 'icu-3',
      sensorName: 'ICU "east": 3',
      hubUrl: 'mqtts://10.20.0.5:8883',
      enrolUrl: 'https://10.20.0.5:8443',
      location: { site: 'St Mary # main', floor: '3' },
      interface: 'enp1s0',
    });
    const config = parseSensorConfigText(text, '/boot/wardsight/wardsight.yaml');
    expect(config).toMatchObject({
      sensorId: 'icu-3',
      sensorName: 'ICU "east": 3',
      hub: { url: 'mqtts://10.20.0.5:8883', enrolUrl: 'https://10.20.0.5:8443' },
      enrolment: { tokenFile: '/boot/wardsight/enrol.token' },
      location: { site: 'St Mary # main', floor: '3' },
      capture: { interface: 'enp1s0' },
    });
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
