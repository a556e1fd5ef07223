/**
 * The hub's schema on PostgreSQL, as an ordered list of migrations. `migrate` applies the ones a
 * database lacks inside one transaction that holds an advisory lock, so hub instances starting
 * together on one database apply each migration once and never see half a schema.
 *
 * Records are `json`, not `jsonb`: `json` keeps a record's text as written, so object keys keep the
 * order the hub gave them (where two facts tie, the first seen is the one shown, as on LevelDB) and a
 * `\u0000` in a value read off the wire is stored rather than refused. Keys that may hold any text
 * (collection keys, DHCP client identifiers, bound addresses) are `bytea`: PostgreSQL text cannot
 * hold U+0000, which the vulnerability library uses as a separator, and `bytea` compares byte-wise,
 * the order LevelDB gives. Other keys are `COLLATE "C"`, byte-wise too.
 */
import type { PoolClient } from 'pg';
import { HubError } from '../errors.js';

export interface Migration {
  /** Applied in increasing order; never renumbered once released. */
  id: number;
  name: string;
  sql: string;
}

/**
 * Advisory locks the hub takes, as (space, key) pairs: the space is the hub's own ("Ward"), so that
 * other software sharing the database does not collide with it. Each is scoped to one transaction.
 */
export const LOCK_SPACE = 0x5761_7264;
/** Held while migrating. */
export const MIGRATION_LOCK = 1;
/** Held by every writer of the inventory, the journal, the applied markers and the sensors. */
export const INVENTORY_LOCK = 2;

/** Every migration, oldest first. A released migration is never changed: a change of schema is a new one. */
export const MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: 'inventory, journal, sensors, labels, settings, enrolments, collections',
    sql: `
      CREATE TABLE devices (key text COLLATE "C" PRIMARY KEY, record json NOT NULL);
      CREATE TABLE aliases (key text COLLATE "C" PRIMARY KEY, device text COLLATE "C" NOT NULL);
      CREATE TABLE bindings (address bytea PRIMARY KEY, history json NOT NULL);
      CREATE TABLE client_ids (client_id bytea PRIMARY KEY, device text COLLATE "C" NOT NULL);
      CREATE TABLE applied (sensor_id text COLLATE "C" NOT NULL, seq bigint NOT NULL, received_at text NOT NULL, PRIMARY KEY (sensor_id, seq));
      CREATE TABLE journal (id bigserial PRIMARY KEY, entry json NOT NULL);
      CREATE TABLE sensors (id text COLLATE "C" PRIMARY KEY, record json NOT NULL);
      CREATE TABLE labels (key text COLLATE "C" PRIMARY KEY, record json NOT NULL);
      CREATE TABLE settings (name text COLLATE "C" PRIMARY KEY, value text NOT NULL);
      -- A row with a null record is a placeholder: it exists to be locked (FOR UPDATE) by a first enrolment.
      CREATE TABLE enrolments (sensor_id text COLLATE "C" PRIMARY KEY, record json);
      CREATE TABLE collections (name text COLLATE "C" NOT NULL, key bytea NOT NULL, value bytea NOT NULL, PRIMARY KEY (name, key));
    `,
  },
];

/**
 * Brings the database to the newest schema this hub knows. Refuses (HUB_ERR_STORE_SCHEMA) a
 * database migrated further than that, by a newer hub. Returns the ids it applied.
 */
export async function migrate(client: PoolClient): Promise<number[]> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_SPACE, MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (id integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    const { rows } = await client.query<{ id: number }>('SELECT id FROM schema_migrations ORDER BY id');
    const done = new Set(rows.map((r) => r.id));
    const newest = Math.max(0, ...MIGRATIONS.map((m) => m.id));
    const unknown = rows.find((r) => r.id > newest);
    if (unknown) throw new HubError('HUB_ERR_STORE_SCHEMA', `migration ${unknown.id} is applied; this hub knows migrations up to ${newest}`);
    const applied: number[] = [];
    for (const migration of [...MIGRATIONS].sort((a, b) => a.id - b.id)) {
      if (done.has(migration.id)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (id, name) VALUES ($1, $2)', [migration.id, migration.name]);
      applied.push(migration.id);
    }
    await client.query('COMMIT');
    return applied;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
