/**
 * The sensor's configuration file (`wardsight.yaml`; a JSON file such as an older `sensor.json` loads
 * as well, JSON being YAML). A refused file names each problem as `file:line:column: field message`.
 * Relative paths in it are taken from the file's folder.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { ConfigError } from './config-error.js';
import { unknownFieldHint } from './config-hints.js';
import { configProblems, type ConfigProblem } from './config-problems.js';
import { SensorConfigSchema, sensorDefaults, type SensorConfig } from './config-schema.js';
import { configSourceDefaults, readConfigSource, type ConfigSource } from './config-source.js';

export { ConfigError } from './config-error.js';
export type { ConfigProblem } from './config-problems.js';
export { DEFAULT_CONFIG_FILE, DEFAULT_CONFIG_PATH, SensorConfigSchema, sensorDefaults, type SensorConfig } from './config-schema.js';

const validate = new Ajv({ allErrors: true }).compile<SensorConfig>(SensorConfigSchema);

/** Checks that hold between fields, which the schema alone cannot say. */
function crossFieldProblems(config: SensorConfig, source?: ConfigSource): ConfigProblem[] {
  const s = config.supervisor;
  if (s?.minBackoffMs === undefined || s.maxBackoffMs === undefined || s.minBackoffMs <= s.maxBackoffMs) return [];
  const where = source?.locate(['supervisor', 'maxBackoffMs']);
  return [{ field: 'supervisor.maxBackoffMs', message: `must be >= supervisor.minBackoffMs (${s.minBackoffMs})`, ...(where ? { line: where.line, column: where.column } : {}) }];
}

function checked(value: unknown, baseDir: string, source?: ConfigSource, file?: string): SensorConfig {
  if (!validate(value)) throw ConfigError.fromProblems(configProblems(validate.errors ?? [], value, (path, key) => unknownFieldHint(SensorConfigSchema, path, key), source), file);
  const crossField = crossFieldProblems(value, source);
  if (crossField.length > 0) throw ConfigError.fromProblems(crossField, file);
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  const config: SensorConfig = { ...value, tlsDir: abs(value.tlsDir), dataDir: abs(value.dataDir) };
  if ('file' in value.capture) config.capture = { ...value.capture, file: abs(value.capture.file) };
  if (value.enrolment) config.enrolment = { tokenFile: abs(value.enrolment.tokenFile) };
  return config;
}

/** Checks a configuration object; relative paths are taken from `baseDir`. */
export function parseSensorConfig(value: unknown, baseDir = process.cwd()): SensorConfig {
  return checked(value, baseDir);
}

/**
 * Checks a configuration given as YAML (or JSON) text. `file` names it in problems; relative paths
 * are taken from `baseDir`, by default the file's folder.
 */
export function parseSensorConfigText(text: string, file: string, baseDir = dirname(resolve(file))): SensorConfig {
  const source = readConfigSource(text);
  if (source.syntaxProblems.length > 0) {
    // Someone who wrote JSON is told about JSON; YAML is the file's format otherwise.
    const format = basename(file).toLowerCase().endsWith('.json') ? 'JSON' : 'YAML';
    const lines = source.syntaxProblems.map((p) => `${file}:${p.line}:${p.column}: ${p.message}`);
    const message = lines.length === 1 ? `${file} is not ${format}: ${lines[0] ?? ''}` : `${file} is not ${format}:\n  ${lines.join('\n  ')}`;
    throw new ConfigError(message, { file, problems: source.syntaxProblems });
  }
  return checked(source.value, baseDir, source, file);
}

export async function loadSensorConfig(path: string): Promise<SensorConfig> {
  let text: string;
  try {
    const size = (await stat(path)).size;
    if (size > configSourceDefaults.maxBytes) throw new Error(`${size} bytes, more than the ${configSourceDefaults.maxBytes} a configuration may have`);
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read ${path}: ${(err as Error).message}`, { file: path, cause: err });
  }
  return parseSensorConfigText(text, path);
}

export function tlsFiles(config: SensorConfig) {
  return { cert: join(config.tlsDir, 'sensor.crt'), key: join(config.tlsDir, 'sensor.key'), ca: join(config.tlsDir, 'ca.crt') };
}

/** The effective restart backoff and watchdog switch of a configuration, defaults filled in. */
export function runtimeSettings(config: SensorConfig): { watchdogEnabled: boolean; minBackoffMs: number; maxBackoffMs: number } {
  return {
    watchdogEnabled: config.watchdog?.enabled ?? sensorDefaults.watchdogEnabled,
    minBackoffMs: config.supervisor?.minBackoffMs ?? sensorDefaults.minBackoffMs,
    maxBackoffMs: Math.max(config.supervisor?.minBackoffMs ?? 0, config.supervisor?.maxBackoffMs ?? sensorDefaults.maxBackoffMs),
  };
}
