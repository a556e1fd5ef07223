/**
 * What identity resolution reads for one group of observation batches, read inside the group's
 * transaction (after it took the inventory lock, so nothing another hub instance wrote before is
 * missed): what the batches surely ask for in two round trips, anything else when asked. Nothing
 * outlives the group, so no instance works from a record another has since changed.
 */
import type { PoolClient } from 'pg';
import type { DeviceKey, Observation } from '@wardsight/protocol';
import { distinguishingClientId, holderAt, ipKey, isBinding, type BindingHistory } from '../inventory/identity.js';
import type { DeviceRecord } from '../inventory/profile.js';
import type { SensorRecord } from './hub-store.js';
import type { ResolutionReads } from './resolution.js';

/** Text PostgreSQL can hold: it refuses U+0000, which no device key or alias can contain. */
export const storableText = (text: string): boolean => !text.includes('\u0000');

/** Text held as bytea (any text, compared byte-wise) is UTF-8, as LevelDB keeps its keys. */
export const utf8Bytes = (key: string): Buffer => Buffer.from(key, 'utf8');

/**
 * The texts among `keys` that a bytea key read back stands for. Usually the one text it was asked
 * by; a text with a lone surrogate has the bytes of one with U+FFFD there, and is the same key, as on LevelDB.
 */
function askedBy(keys: Iterable<string>): (bytes: Buffer) => string[] {
  const index = new Map<string, string[]>();
  for (const key of keys) {
    const hex = utf8Bytes(key).toString('hex');
    index.set(hex, [...(index.get(hex) ?? []), key]);
  }
  return (bytes) => index.get(bytes.toString('hex')) ?? [];
}

interface KeyedRow<V> {
  key: string | Buffer;
  value: V;
}

/** A row of a read that gathers several tables: which table, the key as bytes, the value. */
interface GatheredRow {
  kind: 'applied' | 'sensor' | 'binding' | 'client-id' | 'alias' | 'device';
  key: Buffer;
  value: unknown;
}

/** Read results by key; a key read and not found maps to undefined. */
type Found<V> = Map<string, V | undefined>;

/** One observation batch of a group, as far as reading for it goes. */
export interface GroupBatch {
  sensorId: string;
  seq: number;
  observations: readonly Observation[];
}

/** What the first read of a group finds: the batches already applied (as `sensorId!seq`) and the sensors' records. */
export interface GroupStart {
  applied: Set<string>;
  sensors: Map<string, SensorRecord>;
}

const GROUP_START = `
  SELECT 'applied' AS kind, convert_to(sensor_id || '!' || seq, 'UTF8') AS key, NULL::json AS value FROM applied WHERE (sensor_id, seq) IN (SELECT * FROM unnest($1::text[], $2::bigint[]))
  UNION ALL SELECT 'sensor', convert_to(id, 'UTF8'), record FROM sensors WHERE id = ANY($3::text[])
  UNION ALL SELECT 'binding', address, history FROM bindings WHERE address = ANY($4::bytea[])
  UNION ALL SELECT 'client-id', client_id, to_json(device) FROM client_ids WHERE client_id = ANY($5::bytea[])`;

const GROUP_DEVICES = `
  SELECT 'alias' AS kind, convert_to(key, 'UTF8') AS key, to_json(device) AS value FROM aliases WHERE key = ANY($1::text[])
  UNION ALL SELECT 'device', convert_to(key, 'UTF8'), record FROM devices WHERE key = ANY($2::text[] || ARRAY(SELECT device FROM aliases WHERE key = ANY($1::text[])))`;

export class InventoryReads implements ResolutionReads {
  private readonly devices: Found<DeviceRecord> = new Map();
  private readonly aliases: Found<DeviceKey> = new Map();
  private readonly bindingHistories: Found<BindingHistory> = new Map();
  private readonly clientIds: Found<DeviceKey> = new Map();
  /** What the group's observations name: device keys, addresses (with when each was seen), IP-only keys. */
  private readonly keys = new Set<DeviceKey>();
  private readonly addressesSeen: [string, string][] = [];
  private readonly ipOnly = new Set<DeviceKey>();

  constructor(private readonly client: PoolClient) {}

  /**
   * The group's first read, in one round trip: which of its batches are applied, its sensors'
   * records, the histories of the addresses its observations name and the owners of their client
   * identifiers.
   */
  async begin(group: readonly GroupBatch[]): Promise<GroupStart> {
    const addresses = new Set<string>();
    const clientIds = new Set<string>();
    for (const { observations } of group) {
      for (const obs of observations) {
        if (obs.device.startsWith('ip:')) {
          addresses.add(obs.device.slice(3));
          this.ipOnly.add(obs.device);
          this.addressesSeen.push([obs.device.slice(3), obs.lastSeen]);
          continue;
        }
        this.keys.add(obs.device);
        if (isBinding(obs)) {
          addresses.add(obs.value);
          this.addressesSeen.push([obs.value, obs.lastSeen]);
          this.ipOnly.add(ipKey(obs.value));
        } else if (obs.attribute === 'dhcp.clientId' && distinguishingClientId(obs.value, obs.device)) {
          clientIds.add(obs.value);
        }
      }
    }
    for (const address of addresses) this.bindingHistories.set(address, undefined);
    for (const value of clientIds) this.clientIds.set(value, undefined);
    const sensorIds = [...new Set(group.map((b) => b.sensorId))];
    const { rows } = await this.client.query<GatheredRow>(GROUP_START, [group.map((b) => b.sensorId), group.map((b) => b.seq), sensorIds, [...addresses].map(utf8Bytes), [...clientIds].map(utf8Bytes)]);
    const start: GroupStart = { applied: new Set(), sensors: new Map() };
    const address = askedBy(addresses);
    const clientId = askedBy(clientIds);
    for (const row of rows) {
      if (row.kind === 'applied') start.applied.add(row.key.toString('utf8'));
      else if (row.kind === 'sensor') start.sensors.set(row.key.toString('utf8'), row.value as SensorRecord);
      else if (row.kind === 'binding') for (const key of address(row.key)) this.bindingHistories.set(key, row.value as BindingHistory);
      else if (row.kind === 'client-id') for (const key of clientId(row.key)) this.clientIds.set(key, row.value as DeviceKey);
    }
    return start;
  }

  /**
   * The group's second read, in one round trip: the aliases of the devices its observations name
   * and of the holders and owners the first read found (the holder of an address when it was seen
   * and its current one), and the records of those devices and of the addresses' IP-only identities.
   */
  async prefetchDevices(): Promise<void> {
    const keys = new Set(this.keys);
    for (const [address, at] of this.addressesSeen) {
      const history = this.bindingHistories.get(address) ?? [];
      for (const span of [holderAt(history, at), history.at(-1)]) if (span) keys.add(span.device);
    }
    for (const owner of this.clientIds.values()) if (owner !== undefined) keys.add(owner);
    const aliasKeys = [...keys].filter((key) => !this.aliases.has(key) && storableText(key));
    const ids = [...this.ipOnly, ...keys].filter((id) => !this.devices.has(id) && storableText(id));
    for (const key of keys) if (!this.aliases.has(key)) this.aliases.set(key, undefined);
    const { rows } = await this.client.query<GatheredRow>(GROUP_DEVICES, [aliasKeys, ids]);
    for (const row of rows) if (row.kind === 'alias') this.aliases.set(row.key.toString('utf8'), row.value as DeviceKey);
    // Every device a key names is now read: mark those not found.
    for (const key of [...this.ipOnly, ...keys]) {
      const id = this.aliases.get(key) ?? key;
      if (!this.devices.has(id)) this.devices.set(id, undefined);
    }
    for (const row of rows) if (row.kind === 'device') this.devices.set(row.key.toString('utf8'), row.value as DeviceRecord);
  }

  /** Reads at once the aliases of these keys (a behaviour batch names its devices by the keys sensors saw). */
  prefetchAliases(keys: Iterable<DeviceKey>): Promise<void> {
    return this.readTextKeyed(this.aliases, 'SELECT key, device AS value FROM aliases WHERE key = ANY($1::text[])', keys);
  }

  device(id: DeviceKey): Promise<DeviceRecord | undefined> {
    return this.readOne(this.devices, id, 'SELECT key, record AS value FROM devices WHERE key = $1');
  }

  alias(key: DeviceKey): Promise<DeviceKey | undefined> {
    return this.readOne(this.aliases, key, 'SELECT key, device AS value FROM aliases WHERE key = $1');
  }

  async bindings(address: string): Promise<BindingHistory | undefined> {
    if (!this.bindingHistories.has(address)) await this.readBytesKeyed(this.bindingHistories, 'SELECT address AS key, history AS value FROM bindings WHERE address = ANY($1::bytea[])', [address]);
    return this.bindingHistories.get(address);
  }

  async clientId(value: string): Promise<DeviceKey | undefined> {
    if (!this.clientIds.has(value)) await this.readBytesKeyed(this.clientIds, 'SELECT client_id AS key, device AS value FROM client_ids WHERE client_id = ANY($1::bytea[])', [value]);
    return this.clientIds.get(value);
  }

  private async readOne<V>(found: Found<V>, key: string, sql: string): Promise<V | undefined> {
    if (!found.has(key)) {
      const { rows } = storableText(key) ? await this.client.query<KeyedRow<V>>(sql, [key]) : { rows: [] };
      found.set(key, rows[0]?.value);
    }
    return found.get(key);
  }

  /** Reads rows by text key into `found`, marking the keys not found; keys PostgreSQL cannot hold are not found. */
  private async readTextKeyed<V>(found: Found<V>, sql: string, keys: Iterable<string>): Promise<void> {
    const wanted = [...keys].filter((key) => !found.has(key));
    for (const key of wanted) found.set(key, undefined);
    const asked = wanted.filter(storableText);
    if (asked.length === 0) return;
    const { rows } = await this.client.query<KeyedRow<V>>(sql, [asked]);
    for (const row of rows) found.set(String(row.key), row.value);
  }

  /** Reads rows by bytea key into `found`, marking the keys not found. */
  private async readBytesKeyed<V>(found: Found<V>, sql: string, keys: Iterable<string>): Promise<void> {
    const wanted = [...keys].filter((key) => !found.has(key));
    if (wanted.length === 0) return;
    for (const key of wanted) found.set(key, undefined);
    const asked = askedBy(wanted);
    const { rows } = await this.client.query<KeyedRow<V>>(sql, [wanted.map(utf8Bytes)]);
    for (const row of rows) if (Buffer.isBuffer(row.key)) for (const key of asked(row.key)) found.set(key, row.value);
  }
}
