/**
 * Connecting to the hub's PostgreSQL database: the options and their bounds, the connection pool,
 * and a failure to connect told as HUB_ERR_STORE_CONNECT naming the host, port, database and user,
 * never the password.
 */
import { Client, Pool } from 'pg';
import type { Logger } from 'pino';
import { HubError } from '../errors.js';

export interface PgStoreOptions {
  /** Connections the store's pool opens at most (a separate one listens for journal notices). */
  maxConnections: number;
  /** How long opening a connection may take before it counts as a failure, in milliseconds. */
  connectTimeoutMs: number;
  /** Where connection trouble after opening is reported (a lost listening connection, say). */
  log?: Logger;
}

export const pgStoreDefaults: PgStoreOptions = { maxConnections: 10, connectTimeoutMs: 10_000 };

const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, Math.floor(value)));

/**
 * The options with defaults filled in and bounds applied: at least two connections (the writer holds
 * one for each group it commits while reads go on beside it), at most 100 (PostgreSQL's default
 * limit for the whole server); a timeout of 100 ms to 2 minutes, so an unreachable database fails
 * the start rather than hanging it.
 */
export function pgStoreOptions(options: Partial<PgStoreOptions> = {}): PgStoreOptions {
  const o = { ...pgStoreDefaults, ...options };
  return { ...o, maxConnections: clamp(o.maxConnections, 2, 100), connectTimeoutMs: clamp(o.connectTimeoutMs, 100, 120_000) };
}

/** Where a connection URL points, for messages: `database "hub" on db.example:5432 as user "wardsight"`. */
export function describeTarget(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'the database of a connection URL that could not be read';
  }
  const param = (name: string): string | undefined => parsed.searchParams.get(name) ?? undefined;
  const host = decodeURIComponent(parsed.hostname) || param('host') || process.env.PGHOST || 'localhost';
  const port = parsed.port || param('port') || process.env.PGPORT || '5432';
  const user = decodeURIComponent(parsed.username) || param('user') || process.env.PGUSER || 'the default user';
  const database = decodeURIComponent(parsed.pathname.slice(1)) || param('dbname') || process.env.PGDATABASE || user;
  return `database "${database}" on ${host}:${port} as user "${user}"`;
}

/** The password a URL carries, to keep it out of messages; empty when it carries none. */
function passwordOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return '';
  }
}

/** A failure to reach the database or to be let in, as the hub reports it. */
export function connectError(url: string, err: unknown): HubError {
  const password = passwordOf(url);
  let reason = err instanceof Error ? err.message : String(err);
  if (password !== '') reason = reason.replaceAll(password, '***');
  return new HubError('HUB_ERR_STORE_CONNECT', `${describeTarget(url)}: ${reason}`, { cause: err });
}

/** Idle time after which TCP keepalive starts probing a connection: a peer gone without a word is found out. */
const KEEPALIVE_AFTER_MS = 10_000;
/**
 * A transaction left open this long is ended by the server. The hub's transactions never wait on
 * anything but the database and an enrolment's certificate signing; one held longer belongs to an
 * instance that stopped half-way, and would otherwise hold the inventory lock from every other.
 */
const IDLE_IN_TRANSACTION_MS = 60_000;

/** The store's pool; an idle connection that fails is dropped by the pool and reported, not thrown. */
export function openPool(url: string, o: PgStoreOptions): Pool {
  const pool = new Pool({
    connectionString: url,
    max: o.maxConnections,
    connectionTimeoutMillis: o.connectTimeoutMs,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    keepAliveInitialDelayMillis: KEEPALIVE_AFTER_MS,
    idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_MS,
    application_name: 'wardsight-hub',
  });
  pool.on('error', (err) => o.log?.warn({ err, database: describeTarget(url) }, 'an idle PostgreSQL connection failed; the pool opens another when needed'));
  return pool;
}

/**
 * A connection of its own, outside the pool, for LISTEN (which holds its connection). Keepalive
 * matters most here: a listening connection that is silently gone would otherwise never be missed.
 */
export function openClient(url: string, o: PgStoreOptions): Client {
  return new Client({ connectionString: url, connectionTimeoutMillis: o.connectTimeoutMs, keepAlive: true, keepAliveInitialDelayMillis: KEEPALIVE_AFTER_MS, application_name: 'wardsight-hub-journal' });
}
