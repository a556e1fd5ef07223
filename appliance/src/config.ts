/**
 * The sensor's configuration file (`sensor.json`) and its schema. Everything has a default but the
 * sensor's identity, its hub and what it captures.
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Ajv } from 'ajv';
import { LocationSchema, describeSchemaError } from '@wardsight/protocol';

export const SensorConfigSchema = Type.Object(
  {
    sensorId: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' }),
    hub: Type.Object({ url: Type.String({ pattern: '^mqtts://' }) }, { additionalProperties: false }),
    /** Folder holding `sensor.crt`, `sensor.key` (mode 0600) and the hub's `ca.crt`. */
    tlsDir: Type.String({ minLength: 1 }),
    /** Where the sensor keeps its LevelDB store. */
    dataDir: Type.String({ minLength: 1 }),
    location: LocationSchema,
    capture: Type.Union([
      Type.Object(
        {
          interface: Type.String({ minLength: 1, maxLength: 64 }),
          filter: Type.Optional(Type.String({ maxLength: 4096 })),
          snapLength: Type.Optional(Type.Integer({ minimum: 96, maximum: 262_144 })),
          bufferSizeMB: Type.Optional(Type.Integer({ minimum: 1, maximum: 1024 })),
          promiscuous: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
      Type.Object(
        {
          file: Type.String({ minLength: 1 }),
          filter: Type.Optional(Type.String({ maxLength: 4096 })),
          /** `fast`: as fast as the sensor takes it (the default); `recorded`: at the pace of the capture's timestamps. */
          speed: Type.Optional(Type.Union([Type.Literal('fast'), Type.Literal('recorded')])),
        },
        { additionalProperties: false },
      ),
    ]),
    healthIntervalS: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600 })),
    flushIntervalMs: Type.Optional(Type.Integer({ minimum: 50, maximum: 60_000 })),
  },
  { additionalProperties: false },
);
export type SensorConfig = Static<typeof SensorConfigSchema>;

export const sensorDefaults = { healthIntervalS: 10, flushIntervalMs: 1000 };

const validate = new Ajv({ allErrors: true }).compile<SensorConfig>(SensorConfigSchema);

export class ConfigError extends Error {
  readonly code = 'APPLIANCE_ERR_CONFIG';
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Checks a configuration object; relative paths are taken from `baseDir`. */
export function parseSensorConfig(value: unknown, baseDir = process.cwd()): SensorConfig {
  if (!validate(value)) {
    const problems = (validate.errors ?? []).map((e) => describeSchemaError([e]));
    throw new ConfigError(`invalid sensor configuration: ${[...new Set(problems)].join('; ')}`);
  }
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  const config: SensorConfig = { ...value, tlsDir: abs(value.tlsDir), dataDir: abs(value.dataDir) };
  if ('file' in value.capture) config.capture = { ...value.capture, file: abs(value.capture.file) };
  return config;
}

export async function loadSensorConfig(path: string): Promise<SensorConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read ${path}: ${(err as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${path} is not JSON: ${(err as Error).message}`);
  }
  return parseSensorConfig(value, dirname(resolve(path)));
}

export function tlsFiles(config: SensorConfig) {
  return { cert: join(config.tlsDir, 'sensor.crt'), key: join(config.tlsDir, 'sensor.key'), ca: join(config.tlsDir, 'ca.crt') };
}
