/**
 * A private PostgreSQL server for tests and for the hub benchmark's shared-store runs: made from the
 * Debian server binaries in a temporary directory, listening on loopback only, and removed with its
 * data when stopped. As root (CI) the server runs as the `postgres` system user, which PostgreSQL
 * requires.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { chown, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** Where Debian's `postgresql` packages put each major version's server binaries. */
const POSTGRES_ROOT = '/usr/lib/postgresql';
/** The superuser every such server is made with. */
const SUPERUSER = 'wardsight';
/** The database made at start, named in `PostgresServer.url`. */
const DATABASE = 'wardsight';
/** Database names `createDatabase` takes: plain identifiers, no quoting surprises. */
const DATABASE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export interface PostgresOptions {
  /** How long to wait for the server to accept connections (ms); default 15 s, at most 120 s. */
  startTimeoutMs?: number;
  /** Further server settings (`-c name=value`), e.g. `{ max_connections: '200' }`. */
  settings?: Record<string, string>;
}

export interface PostgresServer {
  /** `postgresql://` URL of the `wardsight` database, with the superuser's password. */
  url: string;
  /** The name of that database. */
  database: string;
  /** Fast shutdown (SIGINT), then removes the server's directory. Safe to call twice. */
  stop(): Promise<void>;
  /** Makes another empty database on the same server and returns its URL. */
  createDatabase(name: string): Promise<string>;
}

const defaults = { startTimeoutMs: 15_000 };
/** A slower start is a broken server, not a slow machine. */
const MAX_START_TIMEOUT_MS = 120_000;
/** Server settings for a throwaway database: nothing needs to survive a crash, and little memory. */
const SPEED_SETTINGS: Record<string, string> = {
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
  shared_buffers: '16MB',
  max_connections: '100',
  logging_collector: 'off',
};
/** Times a start is retried when another process took the free port first. */
const PORT_ATTEMPTS = 3;

/** The newest major version's binary directory, or null when no PostgreSQL server is installed. */
function newestBinDir(): string | null {
  if (!existsSync(POSTGRES_ROOT)) return null;
  const versions = readdirSync(POSTGRES_ROOT)
    .filter((v) => /^\d+(\.\d+)?$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const bin = join(POSTGRES_ROOT, v, 'bin');
    if (existsSync(join(bin, 'postgres')) && existsSync(join(bin, 'initdb'))) return bin;
  }
  return null;
}

const asRoot = (): boolean => process.getuid?.() === 0;

/** True when a server can be started here: the binaries, and as root the `postgres` user to run them. */
export function postgresAvailable(): boolean {
  if (newestBinDir() === null) return false;
  if (!asRoot()) return true;
  try {
    execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The `postgres` system user's uid and gid. */
function postgresUser(): { uid: number; gid: number } {
  const [uid, gid] = ['-u', '-g'].map((flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim()));
  return { uid: uid ?? NaN, gid: gid ?? NaN };
}

/** A command line run as the server's owner: through `runuser` as root, as is otherwise. */
const asOwner = (command: string, args: string[]): [string, string[]] => (asRoot() ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args]);

/** A TCP port on loopback nobody listens on now. */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no TCP port on 127.0.0.1');
  return address.port;
}

async function logTail(file: string, lines = 20): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** Runs a command to its end with its output appended to `logFile`; rejects with the log's tail. */
async function run(command: string, args: string[], logFile: string): Promise<void> {
  const log = await open(logFile, 'a');
  try {
    const child = spawn(...asOwner(command, args), { stdio: ['ignore', log.fd, log.fd] });
    const [code] = (await once(child, 'exit')) as [number | null];
    if (code !== 0) throw new Error(`${command} exited with ${code}:\n${await logTail(logFile)}`);
  } finally {
    await log.close();
  }
}

/** Connects as the superuser to `database`, runs `work`, and disconnects. */
async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Polls until the server takes a password login, it exits, or `timeoutMs` passes. */
async function waitReady(server: ChildProcess, url: string, timeoutMs: number, logFile: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    if (server.exitCode !== null || server.signalCode !== null) throw new Error(`postgres exited during start:\n${await logTail(logFile)}`);
    try {
      await withClient(url, (c) => c.query('SELECT 1'));
      return;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`postgres did not accept connections within ${timeoutMs} ms (last: ${(last as Error | undefined)?.message}):\n${await logTail(logFile)}`);
}

/**
 * The postmaster's process id. As root the spawned process is `runuser`, which answers a signal with
 * SIGTERM and, two seconds later, SIGKILL to its child: the server is signalled directly instead,
 * by the pid it writes first into its data directory.
 */
function postmasterPid(server: ChildProcess, data: string): number | undefined {
  if (!asRoot()) return server.pid;
  try {
    const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Sends `signal` to the postmaster; false when there is none to send it to. */
function signalServer(server: ChildProcess, data: string, signal: NodeJS.Signals): boolean {
  const pid = postmasterPid(server, data);
  if (pid === undefined) return false;
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stops the server: SIGINT, PostgreSQL's fast shutdown; SIGQUIT, the immediate one, if that takes
 * over ten seconds. A server that never wrote its pid is ended through the process that started it.
 */
async function shutdown(server: ChildProcess, data: string): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = once(server, 'exit');
  if (!signalServer(server, data, 'SIGINT')) server.kill('SIGTERM');
  const timer = setTimeout(() => signalServer(server, data, 'SIGQUIT') || server.kill('SIGKILL'), 10_000);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Starts a PostgreSQL server of its own for a test or a benchmark run: a new cluster in a temporary
 * directory with the superuser `wardsight` (a random password, scram-sha-256), on a free port of 127.0.0.1, with its
 * socket in that directory and the database `wardsight` made. The cluster's collation is ICU's
 * `en-US`, as on a typical installation: a store that needs keys in byte order must ask for it.
 */
export async function startPostgres(options: PostgresOptions = {}): Promise<PostgresServer> {
  const bin = newestBinDir();
  if (bin === null) throw new Error(`no PostgreSQL server binaries under ${POSTGRES_ROOT}/*/bin (Debian package postgresql)`);
  const timeoutMs = Math.min(Math.max(options.startTimeoutMs ?? defaults.startTimeoutMs, 1000), MAX_START_TIMEOUT_MS);
  const dir = await mkdtemp(join(tmpdir(), 'wardsight-pg-'));
  const data = join(dir, 'data');
  const logFile = join(dir, 'postgres.log');
  const password = randomBytes(18).toString('base64url');
  let server: ChildProcess | undefined;
  /** A process that ends without stopping its server stops it at once and removes it (exit handlers run synchronously). */
  const stopOnExit = () => {
    if (server) signalServer(server, data, 'SIGQUIT');
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      // the server was still writing its last files: only a temporary directory is left behind
    }
  };
  try {
    await writeFile(join(dir, 'password'), `${password}\n`, { mode: 0o600 });
    if (asRoot()) {
      // The logs are written through descriptors this process opens; initdb needs the directory and the password.
      const { uid, gid } = postgresUser();
      for (const path of [dir, join(dir, 'password')]) await chown(path, uid, gid);
    }
    await run(join(bin, 'initdb'), ['-D', data, '-U', SUPERUSER, `--pwfile=${join(dir, 'password')}`, '-A', 'scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8', '--locale-provider=icu', '--icu-locale=en-US', '--no-sync', '--no-instructions'], join(dir, 'initdb.log'));
    await rm(join(dir, 'password'));

    const settings = Object.entries({ ...SPEED_SETTINGS, ...options.settings }).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
    const urlOf = (port: number, database: string) => `postgresql://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const log = await open(logFile, 'a');
      try {
        server = spawn(...asOwner(join(bin, 'postgres'), ['-D', data, '-h', '127.0.0.1', '-p', String(port), '-k', dir, ...settings]), { stdio: ['ignore', log.fd, log.fd] });
      } finally {
        await log.close();
      }
      process.once('exit', stopOnExit);
      try {
        await waitReady(server, urlOf(port, 'postgres'), timeoutMs, logFile);
        break;
      } catch (err) {
        await shutdown(server, data);
        process.off('exit', stopOnExit);
        const portTaken = (await logTail(logFile, 5)).includes('could not bind');
        if (!portTaken || attempt === PORT_ATTEMPTS) throw err;
      }
    }
    const running = server;
    await withClient(urlOf(port, 'postgres'), (c) => c.query(`CREATE DATABASE ${DATABASE}`));

    let stopping: Promise<void> | undefined;
    return {
      url: urlOf(port, DATABASE),
      database: DATABASE,
      stop() {
        stopping ??= (async () => {
          await shutdown(running, data);
          process.off('exit', stopOnExit);
          await rm(dir, { recursive: true, force: true });
        })();
        return stopping;
      },
      async createDatabase(name: string) {
        if (!DATABASE_NAME.test(name)) throw new Error(`not a database name this launcher makes: ${JSON.stringify(name)}`);
        await withClient(urlOf(port, 'postgres'), (c) => c.query(`CREATE DATABASE ${name}`));
        return urlOf(port, name);
      },
    };
  } catch (err) {
    if (server) await shutdown(server, data);
    process.off('exit', stopOnExit);
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
