/**
 * The writes of the inventory's transactions, all in one statement over arrays whatever the number
 * of rows: what a resolution changed, journal entries, applied markers, sensor records. Callers hold
 * the inventory lock, which is what lets journal ids be taken as one block in write order.
 */
import type { PoolClient } from 'pg';
import type { JournalEntry, SensorRecord } from './hub-store.js';
import type { ResolvedBatch } from './resolution.js';
import { utf8Bytes } from './pg-inventory-reads.js';
import { JOURNAL_CHANNEL, noticePayload } from './pg-journal-notices.js';

/** Journal ids sort in the order entries were written (zero-padded, as LevelHubStore names them). */
const journalKey = (n: number): string => n.toString().padStart(16, '0');

type WithoutId<E> = E extends unknown ? Omit<E, 'id'> : never;
/** A journal entry before its id is known (each kind of entry, without its id). */
export type UnnumberedEntry = WithoutId<JournalEntry>;

/** A batch marked applied: its `(sensorId, seq)` is never applied again. */
export interface AppliedBatch {
  sensorId: string;
  seq: number;
  receivedAt: string;
}

/** Everything one transaction of the inventory writes. */
export interface InventoryChange {
  /** What identity resolution changed, for a group of observation batches. */
  resolved?: ResolvedBatch;
  /** Journal entries, numbered by `numberJournal`; a notice of them goes with them. */
  entries: readonly JournalEntry[];
  /** Each `(sensorId, seq)` once: a second marker is a key violation, failing the transaction. */
  applied: readonly AppliedBatch[];
  sensors: readonly SensorRecord[];
  /** Names the writing instance in the notice of its entries. */
  writer: string;
}

/** Every write of the inventory in one statement (one round trip); a table without rows to write is left alone. */
const WRITE_INVENTORY = `
  WITH devices_put AS (INSERT INTO devices (key, record) SELECT * FROM unnest($1::text[], $2::json[]) ON CONFLICT (key) DO UPDATE SET record = excluded.record),
  devices_gone AS (DELETE FROM devices WHERE key = ANY($3::text[])),
  aliases_put AS (INSERT INTO aliases (key, device) SELECT * FROM unnest($4::text[], $5::text[]) ON CONFLICT (key) DO UPDATE SET device = excluded.device),
  bindings_put AS (INSERT INTO bindings (address, history) SELECT * FROM unnest($6::bytea[], $7::json[]) ON CONFLICT (address) DO UPDATE SET history = excluded.history),
  client_ids_put AS (INSERT INTO client_ids (client_id, device) SELECT * FROM unnest($8::bytea[], $9::text[]) ON CONFLICT (client_id) DO UPDATE SET device = excluded.device),
  journal_put AS (INSERT INTO journal (id, entry) SELECT * FROM unnest($10::bigint[], $11::json[])),
  applied_put AS (INSERT INTO applied (sensor_id, seq, received_at) SELECT * FROM unnest($12::text[], $13::bigint[], $14::text[])),
  sensors_put AS (INSERT INTO sensors (id, record) SELECT * FROM unnest($15::text[], $16::json[]) ON CONFLICT (id) DO UPDATE SET record = excluded.record)
  SELECT pg_notify($17, $18) WHERE $18::text IS NOT NULL`;

/**
 * Writes one transaction's change of the inventory, with the NOTIFY of its journal entries (sent
 * when the transaction commits). A record is written or removed, never both: one statement may not
 * touch a row twice, and what a resolution removed it never loads again.
 */
export async function writeInventory(client: PoolClient, change: InventoryChange): Promise<void> {
  const r = change.resolved;
  const devices = r ? [...r.devices].filter(([key]) => !r.removed.has(key)) : [];
  // An address read and never bound (an empty history) is not written, as on LevelDB.
  const bound = r ? [...r.bindings].filter(([, history]) => history.length > 0) : [];
  const aliases = r ? [...r.aliases] : [];
  const clientIds = r ? [...r.clientIds] : [];
  const lastId = change.entries.at(-1)?.id;
  await client.query(WRITE_INVENTORY, [
    devices.map(([key]) => key),
    devices.map(([, record]) => JSON.stringify(record)),
    r ? [...r.removed] : [],
    aliases.map(([key]) => key),
    aliases.map(([, device]) => device),
    bound.map(([address]) => utf8Bytes(address)),
    bound.map(([, history]) => JSON.stringify(history)),
    clientIds.map(([value]) => utf8Bytes(value)),
    clientIds.map(([, device]) => device),
    change.entries.map((e) => Number(e.id)),
    change.entries.map((e) => JSON.stringify(e)),
    change.applied.map((b) => b.sensorId),
    change.applied.map((b) => b.seq),
    change.applied.map((b) => b.receivedAt),
    change.sensors.map((s) => s.id),
    change.sensors.map((s) => JSON.stringify(s)),
    JOURNAL_CHANNEL,
    lastId === undefined ? null : noticePayload({ writer: change.writer, lastId: Number(lastId) }),
  ]);
}

/**
 * Numbers the entries after every entry written so far (by any instance: the sequence is the
 * database's). The caller holds the inventory lock, so no other writer takes ids between these,
 * and an entry with a lower id is never committed after one with a higher id: a reader that has
 * read up to an id has missed nothing before it.
 */
export async function numberJournal(client: PoolClient, entries: readonly UnnumberedEntry[]): Promise<JournalEntry[]> {
  if (entries.length === 0) return [];
  const { rows } = await client.query<{ last: string }>("SELECT setval('journal_id_seq', nextval('journal_id_seq') + $1 - 1) AS last", [entries.length]);
  const first = Number(rows[0]?.last) - entries.length + 1;
  return entries.map((entry, i) => ({ id: journalKey(first + i), ...entry }) as JournalEntry);
}

/** The records of these sensors that exist, by id. */
export async function readSensors(client: PoolClient, ids: readonly string[]): Promise<Map<string, SensorRecord>> {
  if (ids.length === 0) return new Map();
  const { rows } = await client.query<{ record: SensorRecord }>('SELECT record FROM sensors WHERE id = ANY($1::text[])', [ids]);
  return new Map(rows.map((r) => [r.record.id, r.record]));
}
