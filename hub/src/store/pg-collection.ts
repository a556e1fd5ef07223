/**
 * A named collection on PostgreSQL: one table for every collection, keyed by (name, key), keys and
 * values as UTF-8 bytes, so keys order byte-wise as on LevelDB and may hold any text (U+0000
 * included). A batch is one statement, so it is applied whole or not at all.
 */
import type { Pool } from 'pg';
import { HubError } from '../errors.js';
import { COLLECTION_NAME, type Collection, type CollectionOp, type CollectionRange } from './hub-store.js';
import { utf8Bytes } from './pg-inventory-reads.js';

/** The names LevelHubStore keeps for its own records, refused here too: a collection that opens on one store opens on the other. */
const OWN_NAMES = new Set(['devices', 'applied', 'sensors', 'labels', 'enrolments', 'settings', 'aliases', 'bindings', 'client-ids', 'journal']);

/** Entries read per round trip while iterating (a range is read in pages, after the last key read). */
const PAGE = 500;

const text = (bytes: Buffer): string => bytes.toString('utf8');

/** The collection of that name; HUB_ERR_COLLECTION for a name the store refuses. */
export function pgCollection(pool: Pool, name: string): Collection {
  if (!COLLECTION_NAME.test(name) || OWN_NAMES.has(name)) throw new HubError('HUB_ERR_COLLECTION', `no collection may be named ${JSON.stringify(name)}`);
  return {
    get: async (key) => {
      const { rows } = await pool.query<{ value: Buffer }>('SELECT value FROM collections WHERE name = $1 AND key = $2', [name, utf8Bytes(key)]);
      return rows[0] ? text(rows[0].value) : undefined;
    },
    put: async (key, value) => {
      await pool.query('INSERT INTO collections (name, key, value) VALUES ($1, $2, $3) ON CONFLICT (name, key) DO UPDATE SET value = excluded.value', [name, utf8Bytes(key), utf8Bytes(value)]);
    },
    del: async (key) => {
      await pool.query('DELETE FROM collections WHERE name = $1 AND key = $2', [name, utf8Bytes(key)]);
    },
    batch: (ops) => batch(pool, name, ops),
    entries: (range = {}) => entries(pool, name, range),
  };
}

async function batch(pool: Pool, name: string, ops: readonly CollectionOp[]): Promise<void> {
  // The last change of each key is the one that counts, as in a LevelDB batch.
  const last = new Map<string, CollectionOp>();
  for (const op of ops) {
    last.delete(op.key);
    last.set(op.key, op);
  }
  const puts = [...last.values()].filter((op) => op.type === 'put');
  const dels = [...last.values()].filter((op) => op.type === 'del');
  if (puts.length === 0 && dels.length === 0) return;
  // Deleted and put keys differ, so one statement does both, atomically.
  await pool.query(
    `WITH gone AS (DELETE FROM collections WHERE name = $1 AND key = ANY($2::bytea[]))
     INSERT INTO collections (name, key, value) SELECT $1, * FROM unnest($3::bytea[], $4::bytea[])
     ON CONFLICT (name, key) DO UPDATE SET value = excluded.value`,
    [name, dels.map((op) => utf8Bytes(op.key)), puts.map((op) => utf8Bytes(op.key)), puts.map((op) => utf8Bytes(op.value))],
  );
}

/** A limit as abstract-level reads it: absent, negative or infinite means none. */
function limitOf(range: CollectionRange): number {
  const limit = range.limit;
  return limit === undefined || limit < 0 || !Number.isFinite(limit) ? Infinity : Math.floor(limit);
}

/**
 * Entries in key order (or reverse) within the range, a page at a time. Each page is read after the
 * last key of the one before, so an iteration sees writes made while it runs beyond where it has
 * read (LevelDB reads from a snapshot; callers that change a range while iterating it see a difference).
 */
async function* entries(pool: Pool, name: string, range: CollectionRange): AsyncGenerator<[string, string]> {
  const reverse = range.reverse === true;
  let remaining = limitOf(range);
  let after: Buffer | undefined;
  while (remaining > 0) {
    const params: unknown[] = [name];
    const where = ['name = $1'];
    const bound = (op: string, key: string | Buffer | undefined): void => {
      if (key === undefined) return;
      params.push(typeof key === 'string' ? utf8Bytes(key) : key);
      where.push(`key ${op} $${params.length}`);
    };
    bound('>=', range.gte);
    bound('>', range.gt);
    bound('<=', range.lte);
    bound('<', range.lt);
    bound(reverse ? '<' : '>', after);
    const page = Math.min(PAGE, remaining);
    params.push(page);
    const { rows } = await pool.query<{ key: Buffer; value: Buffer }>(`SELECT key, value FROM collections WHERE ${where.join(' AND ')} ORDER BY key ${reverse ? 'DESC' : 'ASC'} LIMIT $${params.length}`, params);
    for (const row of rows) yield [text(row.key), text(row.value)];
    remaining -= rows.length;
    const lastRow = rows.at(-1);
    if (rows.length < page || !lastRow) return;
    after = lastRow.key;
  }
}
