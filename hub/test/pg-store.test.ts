/**
 * PgHubStore on a PostgreSQL server of its own (one per file, a database per test): the store
 * contract, and what sharing one database between hub instances asks of it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { DeviceKey, Observation } from '@wardsight/protocol';
import { postgresAvailable, startPostgres, type PostgresServer } from '@wardsight/test';
import type { HubStore } from '../src/store/hub-store.js';
import { PgHubStore } from '../src/store/pg-store.js';
import { MIGRATIONS, migrate } from '../src/store/pg-schema.js';
import { bestValue } from '../src/inventory/profile.js';
import { describeStoreContract } from './store-contract.js';
import { INFUSION_PUMP, observation } from './fixtures.js';

const RECEIVED = '2024-05-01T10:06:00.000Z';

const macOf = (i: number): DeviceKey => `mac:02:00:00:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`;
const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits until `condition` holds, failing after a few seconds. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(5);
  }
}

let server: PostgresServer | undefined;
let databases = 0;

/** A fresh, empty database on the file's server. */
async function freshDatabase(): Promise<string> {
  if (!server) throw new Error('no PostgreSQL server');
  databases += 1;
  return server.createDatabase(`pg_store_${databases}`);
}

/** Runs `work` with a plain connection to the database, to look at what the store wrote. */
async function inDatabase<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const count = async (url: string, sql: string): Promise<number> => inDatabase(url, async (c) => Number((await c.query<{ n: string }>(sql)).rows[0]?.n));

/** Drops the database of `url` (its stores are closed). */
async function dropDatabase(url: string): Promise<void> {
  if (!server) return;
  const name = new URL(url).pathname.slice(1);
  await inDatabase(server.url, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/** Opens stores, and closes every one it opened when asked (after the tests of a describe). */
function opened(): { open(url: string): Promise<PgHubStore>; closeAll(): Promise<void> } {
  const stores: PgHubStore[] = [];
  return {
    async open(url) {
      const store = await PgHubStore.open(url);
      stores.push(store);
      return store;
    },
    async closeAll() {
      await Promise.all(stores.splice(0).map((s) => s.close()));
    },
  };
}

/**
 * Batch `seq` of `sensorId`: five observations of devices that other batches see too, with a value
 * and a confidence of their own, so the inventory comes out the same in whatever order the batches apply.
 */
function overlappingBatch(sensorId: string, seq: number): Observation[] {
  const sensorIndex = Number(sensorId.slice(-1));
  return Array.from({ length: 5 }, (_, k) => {
    const minute = String((seq * 7 + k) % 60).padStart(2, '0');
    return observation({
      device: macOf((seq * 3 + k) % 25),
      attribute: k % 2 === 0 ? 'vendor' : 'hostname',
      value: `value-${(seq + k) % 4}`,
      signal: 'oui',
      evidence: `${sensorId}/${seq}/${k}`,
      confidence: (sensorIndex * 1000 + seq * 5 + k) / 10_000,
      firstSeen: `2024-05-01T09:${minute}:00.000Z`,
      lastSeen: `2024-05-01T10:${minute}:00.000Z`,
    });
  });
}

const byKey = <T extends { key: string }>(records: T[]): T[] => [...records].sort((a, b) => (a.key < b.key ? -1 : 1));

describe.skipIf(!postgresAvailable())('PgHubStore', () => {
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });

  describeStoreContract('PgHubStore', {
    async open() {
      const url = await freshDatabase();
      return { store: await PgHubStore.open(url), reopen: () => PgHubStore.open(url), cleanup: () => dropDatabase(url) };
    },
  });

  describe('schema migrations', () => {
    it('applies each migration once, whether stores open one after another or together', async () => {
      const url = await freshDatabase();
      await (await PgHubStore.open(url)).close();
      await (await PgHubStore.open(url)).close();
      const together = await Promise.all([PgHubStore.open(url), PgHubStore.open(url), PgHubStore.open(url)]);
      await Promise.all(together.map((s) => s.close()));
      const applied = await inDatabase(url, async (c) => (await c.query<{ id: number }>('SELECT id FROM schema_migrations ORDER BY id')).rows.map((r) => r.id));
      expect(applied).toEqual(MIGRATIONS.map((m) => m.id));
    });

    it('lets one of two migrations started together do the work, the other finding it done', async () => {
      const url = await freshDatabase();
      const pool = new pg.Pool({ connectionString: url, max: 2 });
      const [a, b] = await Promise.all([pool.connect(), pool.connect()]);
      try {
        const outcomes = await Promise.all([migrate(a), migrate(b)]);
        expect(outcomes.map((ids) => ids.length).sort()).toEqual([0, MIGRATIONS.length]);
      } finally {
        a.release();
        b.release();
        await pool.end();
      }
    });

    it('refuses a database a newer hub migrated further', async () => {
      const url = await freshDatabase();
      await (await PgHubStore.open(url)).close();
      await inDatabase(url, (c) => c.query("INSERT INTO schema_migrations (id, name) VALUES (999, 'from a newer hub')"));
      await expect(PgHubStore.open(url)).rejects.toMatchObject({ code: 'HUB_ERR_STORE_SCHEMA', message: expect.stringContaining('999') as unknown });
    });
  });

  describe('hub instances sharing one database', () => {
    const stores = opened();
    afterAll(() => stores.closeAll());

    it('applies each (sensor, seq) once when two instances apply overlapping batches at once, leaving the inventory one store would hold', async () => {
      const url = await freshDatabase();
      const [first, second] = await Promise.all([stores.open(url), stores.open(url)]);
      const batches = ['floor1', 'floor2'].flatMap((sensorId) => Array.from({ length: 60 }, (_, i) => ({ sensorId, seq: i + 1 })));
      // The first instance gets seq 1..40 of each sensor, the second 21..60: 20 of each sensor's go to both.
      const toFirst = batches.filter((b) => b.seq <= 40);
      const toSecond = batches.filter((b) => b.seq > 20);
      const apply = (store: HubStore, list: typeof batches) => list.map((b) => store.applyObservations(b.sensorId, b.seq, overlappingBatch(b.sensorId, b.seq), RECEIVED).then((fresh) => ({ ...b, fresh })));
      const outcomes = await Promise.all([...apply(first, toFirst), ...apply(second, toSecond)]);

      for (const { sensorId, seq } of batches) {
        const fresh = outcomes.filter((o) => o.sensorId === sensorId && o.seq === seq && o.fresh);
        expect(fresh, `${sensorId} ${seq}`).toHaveLength(1);
      }
      expect(await count(url, 'SELECT count(*) AS n FROM applied')).toBe(batches.length);
      const journal = await first.readJournal(1000);
      expect(journal.map((e) => `${e.sensorId}!${e.seq}`).sort()).toEqual(batches.map((b) => `${b.sensorId}!${b.seq}`).sort());
      const ids = journal.map((e) => Number(e.id));
      expect(ids).toEqual([...ids].sort((a, b) => a - b));

      // One store, the same batches one after another.
      const alone = await stores.open(await freshDatabase());
      for (const b of batches) expect(await alone.applyObservations(b.sensorId, b.seq, overlappingBatch(b.sensorId, b.seq), RECEIVED)).toBe(true);
      const expected = byKey(await alone.listDevices());
      expect(expected).toHaveLength(25);
      expect(byKey(await first.listDevices())).toEqual(expected);
      expect(byKey(await second.listDevices())).toEqual(expected);
      expect(await second.listSensors()).toEqual(await alone.listSensors());
    });

    it('gives a role to one instance at a time, and to another once the holder is gone', async () => {
      const url = await freshDatabase();
      const first = await PgHubStore.open(url);
      const second = await stores.open(url);
      expect(await first.tryLead('analysis')).toBe(true);
      expect(await first.tryLead('analysis')).toBe(true);
      expect(await second.tryLead('analysis')).toBe(false);
      expect(await second.tryLead('another-role')).toBe(true);
      await first.close();
      // The server lets a session's locks go when its connection ends.
      const deadline = Date.now() + 5000;
      let taken = false;
      while (!taken && Date.now() < deadline) taken = await second.tryLead('analysis');
      expect(taken).toBe(true);
    });

    it("wakes an instance's journal listener when another instance writes an entry", async () => {
      const url = await freshDatabase();
      const [reader, writer] = await Promise.all([stores.open(url), stores.open(url)]);
      let woken = 0;
      reader.onJournal(() => (woken += 1));
      expect(await writer.applyObservations('floor2', 1, [observation()], RECEIVED)).toBe(true);
      await until(() => woken > 0 && reader.journalWritten === writer.journalWritten, 'the notice of the other instance');
      const entries = await reader.readJournal(10);
      expect(entries.map((e) => Number(e.id))).toEqual([reader.journalWritten]);
    });

    it('listens again after its listening connection is lost, and looks at the journal when it does', async () => {
      const url = await freshDatabase();
      const [reader, writer] = await Promise.all([stores.open(url), stores.open(url)]);
      let woken = 0;
      reader.onJournal(() => (woken += 1));
      const ended = await inDatabase(url, async (c) => (await c.query("SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'")).rowCount);
      expect(ended).toBe(2);
      await until(() => woken >= 1, 'the listener after listening again');
      await writer.applyObservations('floor2', 1, [observation()], RECEIVED);
      await until(() => reader.journalWritten === writer.journalWritten, 'the notice on the new connection');
    });

    it('lets one of two instances creating one enrolment at once succeed', async () => {
      const url = await freshDatabase();
      const [first, second] = await Promise.all([stores.open(url), stores.open(url)]);
      const create = (store: HubStore, by: string) =>
        store.changeEnrolment('floor2', async (current) => {
          await pause(20);
          if (current) throw new Error(`floor2 exists, made by ${current.createdBy}`);
          const next = { id: 'floor2', name: 'floor2', location: { site: 'St Mary', floor: '2' }, captureInterface: 'eth1', state: 'awaiting-enrolment' as const, createdAt: RECEIVED, createdBy: by, token: null, retiredTokens: [], certificate: null, revokedCertificates: [], replacements: 0, revokedAt: null, revokedBy: null };
          return { next, result: by };
        });
      const outcomes = await Promise.allSettled([create(first, 'first'), create(second, 'second')]);
      expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
      const winner = outcomes.find((o) => o.status === 'fulfilled')?.value;
      expect((await second.getEnrolment('floor2'))?.createdBy).toBe(winner);
      expect(await first.listEnrolments()).toHaveLength(1);
    });
  });

  describe('what PostgreSQL could change, kept as LevelDB keeps it', () => {
    const stores = opened();
    afterAll(() => stores.closeAll());

    it('keeps facts in the order they were first seen, so the first of two equal values stays the one shown', async () => {
      const store = await stores.open(await freshDatabase());
      // Equal confidence and time: the value seen first is the best (a longer name first, which jsonb would reorder).
      const tied = ['Space Infusion', 'Braun'].map((value) => observation({ value }));
      await store.applyObservations('floor2', 1, tied, RECEIVED);
      const device = await store.getDevice(INFUSION_PUMP);
      expect(Object.keys(device?.facts.vendor ?? {})).toEqual(['Space Infusion', 'Braun']);
      expect(device && bestValue(device, 'vendor')?.value).toBe('Space Infusion');
    });

    it('takes text with U+0000 in values, client identifiers, addresses and collection keys, and orders keys by their bytes', async () => {
      const store = await stores.open(await freshDatabase());
      const odd = [observation({ attribute: 'hostname', value: 'pump\u0000ward', signal: 'dhcp.option12' }), observation({ attribute: 'dhcp.clientId', value: 'ff:00\u0000:01:02:03:04', signal: 'dhcp.option61' })];
      const bound = observation({ device: macOf(1), attribute: 'ip', value: '10.0.0.1\u0000', signal: 'arp.sender' });
      const results = await Promise.all([store.applyObservations('floor2', 1, odd, RECEIVED), store.applyObservations('floor2', 2, [bound], RECEIVED), store.applyObservations('floor2', 3, [observation({ device: macOf(2) })], RECEIVED)]);
      expect(results).toEqual([true, true, true]);
      expect(Object.keys((await store.getDevice(INFUSION_PUMP))?.facts.hostname ?? {})).toEqual(['pump\u0000ward']);
      expect((await store.getDevice('ip:10.0.0.1\u0000'))?.key).toBe(macOf(1));

      const keys = ['a b', 'a', 'a\u0000b', '\u00e9', 'z', '\u{1f600}', '\uffee'];
      await store.collection('vuln-statements').batch(keys.map((key) => ({ type: 'put', key, value: `v${key}` })));
      const read: string[] = [];
      for await (const [key, value] of store.collection('vuln-statements').entries({ gt: 'a' })) {
        expect(value).toBe(`v${key}`);
        read.push(key);
      }
      // UTF-8 byte order: U+0000 first, U+FFEE before U+1F600 (UTF-16 code units would put it after).
      expect(read).toEqual(['a\u0000b', 'a b', 'z', '\u00e9', '\uffee', '\u{1f600}']);
    });

    it('reads a collection longer than one page, in order, up to its limit', async () => {
      const store = await stores.open(await freshDatabase());
      const keys = Array.from({ length: 1234 }, (_, i) => `k${i.toString().padStart(5, '0')}`);
      await store.collection('presence').batch(keys.map((key) => ({ type: 'put', key, value: key })));
      const all: string[] = [];
      for await (const [key] of store.collection('presence').entries()) all.push(key);
      expect(all).toEqual(keys);
      const tail: string[] = [];
      for await (const [key] of store.collection('presence').entries({ reverse: true, limit: 700, lt: 'k01000' })) tail.push(key);
      expect(tail).toEqual(keys.slice(300, 1000).reverse());
    });
  });

  describe('connecting', () => {
    it('says HUB_ERR_STORE_CONNECT for a wrong password, naming host and database, never the password', async () => {
      const url = new URL(await freshDatabase());
      url.password = 'not-the-password-7Qx';
      const failure = await PgHubStore.open(url.toString()).then(
        async (store) => {
          await store.close();
          throw new Error('opened with a wrong password');
        },
        (err: unknown) => err as Error,
      );
      expect(failure).toMatchObject({ code: 'HUB_ERR_STORE_CONNECT' });
      expect(failure.message).toContain(`database "${url.pathname.slice(1)}" on 127.0.0.1:${url.port}`);
      expect(failure.message).toContain('password authentication failed');
      expect(failure.message).not.toContain('not-the-password-7Qx');
    });

    it('says HUB_ERR_STORE_CONNECT when nothing listens at the address', async () => {
      const url = new URL(await freshDatabase());
      const probe = await import('node:net').then(({ createServer }) => createServer());
      await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
      const address = probe.address();
      await new Promise((r) => probe.close(r));
      url.port = String(typeof address === 'object' && address ? address.port : 1);
      await expect(PgHubStore.open(url.toString())).rejects.toMatchObject({ code: 'HUB_ERR_STORE_CONNECT', message: expect.stringContaining('ECONNREFUSED') as unknown });
    });

    it('closes once however often it is asked', async () => {
      const store = await PgHubStore.open(await freshDatabase());
      await Promise.all([store.close(), store.close()]);
      await store.close();
    });
  });

  describe('throughput', () => {
    it('applies 200 batches of 50 observations sent together', async () => {
      const store = await PgHubStore.open(await freshDatabase());
      try {
        const batches = Array.from({ length: 200 }, (_, seq) => Array.from({ length: 50 }, (_, k) => observation({ device: macOf((seq * 50 + k) % 2000), value: `vendor-${k % 7}`, evidence: `batch ${seq}` })));
        const started = performance.now();
        const fresh = await Promise.all(batches.map((obs, seq) => store.applyObservations(`floor${seq % 4}`, seq + 1, obs, RECEIVED)));
        const seconds = (performance.now() - started) / 1000;
        expect(fresh.every(Boolean)).toBe(true);
        expect(await store.readJournal(1000)).toHaveLength(200);
        expect(await store.listDevices()).toHaveLength(2000);
        console.log(`PgHubStore: ${Math.round(10_000 / seconds)} observations/s (200 batches of 50 in ${seconds.toFixed(2)} s)`);
      } finally {
        await store.close();
      }
    });
  });
});
