/**
 * The configuration bundle a technician copied onto a sensor (`wardsight provision sensor`):
 * `wardsight.yaml` (or an older `sensor.json`), `tls/ca.crt` (with `sensor.crt` and `sensor.key` if
 * an identity was issued ahead), and `enrol.token`. Read and checked before anything is installed,
 * and the configuration pointed at the installed places (comments kept): its identity in
 * /etc/wardsight/tls, its store and the token in /var/lib/wardsight, where the sensor may write.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Document, isMap, parseDocument } from 'yaml';
import { DEFAULT_CONFIG_FILE, parseSensorConfigText } from './config.js';
import { ApplianceError } from './errors.js';
import { installPaths } from './install-unit.js';

export const BUNDLE_TOKEN_FILE = 'enrol.token';
/** Older bundles carried their configuration as JSON under this name. */
const LEGACY_CONFIG_FILE = 'sensor.json';

export interface BundleFile {
  name: string;
  data: Buffer;
  /** Keys and tokens: mode 0600. */
  secret: boolean;
}

export interface Bundle {
  /** The configuration as it will be installed. */
  configText: string;
  /** What was changed in it, for the installer to say. */
  configChanges: string[];
  tls: BundleFile[];
  token: BundleFile | undefined;
}

const missing = (dir: string, what: string) => new ApplianceError('APPLIANCE_ERR_INSTALL_BUNDLE', `the bundle ${dir} has no ${what}; copy the whole folder that \`wardsight provision sensor\` wrote`);

async function readIfPresent(path: string): Promise<Buffer | undefined> {
  return readFile(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw new ApplianceError('APPLIANCE_ERR_INSTALL_BUNDLE', `cannot read ${path}: ${err.message}`, { cause: err });
  });
}

/** Sets `path` in the configuration to `wanted`, noting the change. */
function point(doc: Document, path: string[], wanted: string, changes: string[]): void {
  const was = doc.getIn(path);
  if (was === wanted) return;
  doc.setIn(path, wanted);
  changes.push(`${path.join('.')}: ${was === undefined ? '(unset)' : String(was)} → ${wanted}`);
}

async function readConfig(dir: string, hasToken: boolean): Promise<{ text: string; changes: string[] }> {
  const yamlFile = join(dir, DEFAULT_CONFIG_FILE);
  const jsonFile = join(dir, LEGACY_CONFIG_FILE);
  const yamlText = await readIfPresent(yamlFile);
  const jsonText = yamlText ? undefined : await readIfPresent(jsonFile);
  const text = (yamlText ?? jsonText)?.toString('utf8');
  if (text === undefined) throw missing(dir, DEFAULT_CONFIG_FILE);
  try {
    parseSensorConfigText(text, yamlText ? yamlFile : jsonFile, dir);
  } catch (err) {
    throw new ApplianceError('APPLIANCE_ERR_INSTALL_BUNDLE', `the bundle's configuration is not valid; fix it before installing:\n${(err as Error).message}`, { cause: err });
  }
  // A JSON file becomes block-style YAML; a YAML file keeps its comments and layout.
  const doc = yamlText ? parseDocument(text) : new Document(parseDocument(text).toJS());
  const changes = yamlText ? [] : [`${LEGACY_CONFIG_FILE} converted to ${DEFAULT_CONFIG_FILE}`];
  point(doc, ['tlsDir'], installPaths.tlsDir, changes);
  point(doc, ['dataDir'], installPaths.stateDir, changes);
  if (hasToken || isMap(doc.get('enrolment'))) point(doc, ['enrolment', 'tokenFile'], join(installPaths.stateDir, BUNDLE_TOKEN_FILE), changes);
  return { text: doc.toString({ lineWidth: 0 }), changes };
}

async function readTls(dir: string): Promise<BundleFile[]> {
  const tlsDir = join(dir, 'tls');
  const names = await readdir(tlsDir).catch(() => [] as string[]);
  const files: BundleFile[] = [];
  for (const name of names.sort()) {
    const path = join(tlsDir, name);
    if (!(await stat(path)).isFile()) continue;
    files.push({ name, data: await readFile(path), secret: name.endsWith('.key') });
  }
  return files;
}

/** Reads and checks a bundle; refuses one that could not bring a sensor up. */
export async function readBundle(dir: string): Promise<Bundle> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new ApplianceError('APPLIANCE_ERR_INSTALL_BUNDLE', `${dir} is not a folder; give --bundle the folder that holds ${DEFAULT_CONFIG_FILE}`);
  const tokenData = await readIfPresent(join(dir, BUNDLE_TOKEN_FILE));
  const token = tokenData ? { name: BUNDLE_TOKEN_FILE, data: tokenData, secret: true } : undefined;
  const tls = await readTls(dir);
  if (!tls.some((f) => f.name === 'ca.crt')) throw missing(dir, "tls/ca.crt (the hub's CA certificate)");
  const hasIdentity = tls.some((f) => f.name === 'sensor.crt') && tls.some((f) => f.name === 'sensor.key');
  if (!token && !hasIdentity) throw missing(dir, `${BUNDLE_TOKEN_FILE} (nor a tls/sensor.crt and tls/sensor.key)`);
  const config = await readConfig(dir, token !== undefined);
  return { configText: config.text, configChanges: config.changes, tls, token };
}
