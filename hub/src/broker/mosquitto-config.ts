/**
 * A Mosquitto 2.0 configuration for Wardsight, written into one directory the broker owns:
 *
 *   mosquitto.conf            the broker's options (mosquitto.conf(5))
 *   dynamic-security.json     clients and roles (mosquitto-acl.ts); the plugin rewrites it itself
 *   tls/                      copies of the CA certificate, the hub's server identity and the CRL
 *   data/                     persistence (sessions, queued QoS 1 messages, retained messages)
 *   mosquitto.log             the broker's log, including every denied PUBLISH
 *
 * Copies rather than paths into the hub's data directory: Mosquitto started as root switches to its
 * `user` before it opens any certificate or its log (seen on 2.0.11), and the hub's keys are kept
 * 0600 in 0700 directories. When the hub runs as root the directory is handed to that user.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { access, chmod, chown, mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { crlPath, ensureCrl, HUB_SERVER_IDENTITY, HUB_TLS_DIR, readIdentity } from '@wardsight/provisioning';
import { dynsecDocument } from './mosquitto-acl.js';
import { MosquittoError } from './mosquitto-errors.js';
import { mosquittoLayout, renderMosquittoConf, type MosquittoLayout } from './mosquitto-layout.js';
import { assertReachable, type BrokerAccount } from './mosquitto-passage.js';

export const mosquittoConfigDefaults = {
  host: '0.0.0.0',
  port: 8883,
  /** The account Mosquitto switches to when started as root (mosquitto.conf(5), `user`). */
  user: 'mosquitto',
  /** How often the in-memory state is saved; bounded to 1 s … 1 h so little is lost on a crash. */
  autosaveIntervalS: 60,
  maxAutosaveIntervalS: 3600,
  /** Sessions of clients gone this long are dropped (a sensor that returns simply subscribes again). */
  sessionExpiry: '30d',
  /** Log denied publishes; Mosquitto 2.0 logs those only under `log_type debug`. */
  logDenials: true,
} as const;

export interface MosquittoConfigOptions {
  /** The hub's data directory: its CA certificate, server identity and CRL are copied from there. */
  hubDataDir: string;
  host?: string;
  /** 0 picks a free port now (tests); Mosquitto itself has no "any port". */
  port?: number;
  /** Sensors admitted from the start; more are admitted at run time through the plugin. */
  sensors?: readonly string[];
  /** Other instances of the hub that may join this broker (their ingest is CN=hub-<name>). */
  hubInstances?: readonly string[];
  user?: string;
  /** The dynamic-security plugin; found in the usual Debian places when not given. */
  pluginPath?: string;
  autosaveIntervalS?: number;
  logDenials?: boolean;
}

const execFileAsync = promisify(execFile);
const PLUGIN_FILE = 'mosquitto_dynamic_security.so';
const MULTIARCH: Partial<Record<NodeJS.Architecture, string>> = { x64: 'x86_64-linux-gnu', arm64: 'aarch64-linux-gnu', arm: 'arm-linux-gnueabihf' };

/** Writes (or rewrites) the broker directory `dir`. Write it before the broker starts: while it runs, the plugin owns its file. */
export async function writeMosquittoConfig(dir: string, opts: MosquittoConfigOptions): Promise<MosquittoLayout> {
  const layout = mosquittoLayout(dir);
  const user = opts.user ?? mosquittoConfigDefaults.user;
  const host = opts.host ?? mosquittoConfigDefaults.host;
  const port = opts.port === 0 ? await freePort(host) : (opts.port ?? mosquittoConfigDefaults.port);
  const autosave = Math.min(Math.max(Math.trunc(opts.autosaveIntervalS ?? mosquittoConfigDefaults.autosaveIntervalS), 1), mosquittoConfigDefaults.maxAutosaveIntervalS);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new MosquittoError('HUB_ERR_MOSQUITTO_CONFIG', `port ${String(opts.port)} is not 0 or 1 to 65535`);
  const pluginPath = opts.pluginPath ?? (await findPlugin());
  // mosquitto.conf has one option per line and no quoting: a space or line break would change its meaning.
  for (const [what, value] of [['directory', dir], ['host', host], ['user', user], ['plugin path', pluginPath]]) {
    if (!value || /\s/.test(value)) throw new MosquittoError('HUB_ERR_MOSQUITTO_CONFIG', `${what} ${JSON.stringify(value)} is empty or has spaces, which mosquitto.conf cannot hold`);
  }
  const server = await readIdentity(join(opts.hubDataDir, HUB_TLS_DIR), HUB_SERVER_IDENTITY).catch((error: unknown) => {
    throw new MosquittoError('HUB_ERR_MOSQUITTO_CONFIG', `the hub's server identity is missing in ${opts.hubDataDir}: start the hub once with this data directory`, { cause: error });
  });
  await ensureCrl(opts.hubDataDir);
  const owner = await brokerOwner(user);

  for (const sub of [layout.dir, layout.tlsDir, layout.persistenceDir]) {
    try {
      await mkdir(sub, { recursive: true, mode: 0o700 });
      await chmod(sub, 0o700);
      if (owner) await chown(sub, owner.uid, owner.gid);
    } catch (error) {
      throw new MosquittoError('HUB_ERR_MOSQUITTO_CONFIG', `${sub}: ${(error as Error).message}`, { cause: error });
    }
  }
  if (owner) await assertReachable(layout.dir, owner, user);
  await writeOwnedFile(layout.caFile, server.ca, 0o644, owner);
  await writeOwnedFile(layout.certFile, server.cert, 0o644, owner);
  await writeOwnedFile(layout.keyFile, server.key, 0o600, owner);
  await installCrl(opts.hubDataDir, layout, owner);
  await writeOwnedFile(layout.dynsecFile, `${JSON.stringify(dynsecDocument(opts.sensors ?? [], opts.hubInstances ?? []), null, 2)}\n`, 0o600, owner);
  const conf = renderMosquittoConf(layout, {
    host,
    port,
    user,
    pluginPath,
    autosaveIntervalS: autosave,
    sessionExpiry: mosquittoConfigDefaults.sessionExpiry,
    logDenials: opts.logDenials ?? mosquittoConfigDefaults.logDenials,
  });
  await writeOwnedFile(layout.configFile, conf, 0o644, owner);
  return layout;
}

/**
 * Copies the hub's current CRL into the broker directory in one step. Mosquitto reads it again on
 * SIGHUP (MosquittoProcess.reload); until then it keeps the list it has.
 */
export async function installCrl(hubDataDir: string, layout: MosquittoLayout, owner?: BrokerOwner | null): Promise<void> {
  const pem = await readFile(crlPath(hubDataDir), 'utf8');
  await writeOwnedFile(layout.crlFile, pem, 0o644, owner === undefined ? await ownerOf(layout.tlsDir) : owner);
}

export type BrokerOwner = BrokerAccount;

/** The account that will own the broker's files: `user` when this process is root, else nobody to change to. */
export async function brokerOwner(user: string): Promise<BrokerOwner | null> {
  if (process.getuid?.() !== 0 || user === 'root') return null;
  try {
    const [uid, gid, groups] = await Promise.all([execFileAsync('id', ['-u', user]), execFileAsync('id', ['-g', user]), execFileAsync('id', ['-G', user])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()), groups: groups.stdout.trim().split(/\s+/).map(Number) };
  } catch (error) {
    throw new MosquittoError('HUB_ERR_MOSQUITTO_CONFIG', `there is no account "${user}" for Mosquitto to run as: install the mosquitto package or name another user`, { cause: error });
  }
}

/** The owner of `path` when this process is root and may give files away; null otherwise. */
async function ownerOf(path: string): Promise<BrokerOwner | null> {
  if (process.getuid?.() !== 0) return null;
  const { uid, gid } = await stat(path);
  return { uid, gid, groups: [] };
}

async function writeOwnedFile(path: string, content: string, mode: number, owner: BrokerOwner | null): Promise<void> {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, content, { flag: 'wx', mode });
    await chmod(temporary, mode);
    if (owner) await chown(temporary, owner.uid, owner.gid);
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw new MosquittoError('HUB_ERR_MOSQUITTO_CONFIG', `${path}: ${(error as Error).message}`, { cause: error });
  }
}

async function findPlugin(): Promise<string> {
  const multiarch = MULTIARCH[process.arch];
  const candidates = [...(multiarch ? [join('/usr/lib', multiarch, PLUGIN_FILE)] : []), join('/usr/lib', PLUGIN_FILE), join('/usr/local/lib', PLUGIN_FILE)];
  for (const candidate of candidates) {
    if (await access(candidate).then(() => true, () => false)) return candidate;
  }
  throw new MosquittoError('HUB_ERR_MOSQUITTO_CONFIG', `the dynamic-security plugin is not in ${candidates.join(', ')}: install Mosquitto 2.0 or later, or give pluginPath`);
}

/** A port free at this moment on `host`; Mosquitto binds it a moment later, so a race is possible but rare. */
async function freePort(host: string): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, host, resolve);
  });
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (address === null || typeof address === 'string') throw new MosquittoError('HUB_ERR_MOSQUITTO_CONFIG', `no free port on ${host}`);
  return address.port;
}
