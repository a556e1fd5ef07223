/** Transactions on a pool connection: committed whole, or rolled back with the error passed on. */
import type { Pool, PoolClient } from 'pg';
import { INVENTORY_LOCK, LOCK_SPACE } from './pg-schema.js';

/** Opens a transaction and takes the inventory lock, in one round trip (the lock's key is constant). */
const BEGIN_INVENTORY = `BEGIN; SELECT pg_advisory_xact_lock(${LOCK_SPACE}, ${INVENTORY_LOCK})`;

/** Runs `work` in a transaction on a connection of the pool: it commits, or rolls back and throws. */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  const client = await pool.connect();
  let result: T;
  try {
    await client.query(begin);
    result = await work(client);
    await client.query('COMMIT');
  } catch (err) {
    // A connection that cannot even roll back is not given back to the pool.
    const rolledBack = await client.query('ROLLBACK').then(
      () => true,
      () => false,
    );
    client.release(rolledBack ? undefined : true);
    throw err;
  }
  client.release();
  return result;
}

/**
 * Runs `work` in a transaction that first takes the inventory lock, held until it commits or rolls
 * back: the hub instances sharing the database write the inventory one at a time, and each reads,
 * once it holds the lock, everything the ones before it wrote.
 */
export function inInventoryTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  return inTransaction(pool, work, BEGIN_INVENTORY);
}
