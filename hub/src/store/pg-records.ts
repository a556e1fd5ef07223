/**
 * Labels, settings and enrolments on PostgreSQL: a row each, written outside the inventory lock (no
 * inventory write reads them). A change of an enrolment holds its row for the time of the change.
 */
import type { Pool } from 'pg';
import type { DeviceKey } from '@wardsight/protocol';
import type { EnrolmentRecord } from '../sensors/enrolment-record.js';
import type { LabelRecord } from './hub-store.js';
import { storableText } from './pg-inventory-reads.js';
import { inTransaction } from './pg-transaction.js';

/** One label per device and attribute; a device's labels sort together (as on LevelDB). */
const labelKey = (deviceKey: DeviceKey, attribute: string): string => `${deviceKey}!${attribute}`;

/** Labels, settings and enrolments of one store, on its pool. */
export class PgRecords {
  constructor(private readonly pool: Pool) {}

  async putLabel(label: LabelRecord): Promise<LabelRecord> {
    await this.pool.query('INSERT INTO labels (key, record) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET record = excluded.record', [labelKey(label.deviceKey, label.attribute), JSON.stringify(label)]);
    return label;
  }

  async listLabels(): Promise<LabelRecord[]> {
    const { rows } = await this.pool.query<{ record: LabelRecord }>('SELECT record FROM labels ORDER BY key');
    return rows.map((r) => r.record);
  }

  async deleteLabel(deviceKey: DeviceKey, attribute: string): Promise<boolean> {
    const key = labelKey(deviceKey, attribute);
    if (!storableText(key)) return false;
    const { rowCount } = await this.pool.query('DELETE FROM labels WHERE key = $1', [key]);
    return (rowCount ?? 0) > 0;
  }

  async getSetting(name: string): Promise<string | undefined> {
    if (!storableText(name)) return undefined;
    const { rows } = await this.pool.query<{ value: string }>('SELECT value FROM settings WHERE name = $1', [name]);
    return rows[0]?.value;
  }

  async putSetting(name: string, value: string): Promise<void> {
    await this.pool.query('INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value', [name, value]);
  }

  async getEnrolment(sensorId: string): Promise<EnrolmentRecord | undefined> {
    if (!storableText(sensorId)) return undefined;
    const { rows } = await this.pool.query<{ record: EnrolmentRecord }>('SELECT record FROM enrolments WHERE sensor_id = $1 AND record IS NOT NULL', [sensorId]);
    return rows[0]?.record;
  }

  async listEnrolments(): Promise<EnrolmentRecord[]> {
    const { rows } = await this.pool.query<{ record: EnrolmentRecord }>('SELECT record FROM enrolments WHERE record IS NOT NULL ORDER BY sensor_id');
    return rows.map((r) => r.record);
  }

  /**
   * One transaction holding the sensor's row (a placeholder is made first for a sensor without one)
   * FOR UPDATE while `change` decides: a second change of that sensor, from any instance, waits and
   * then sees what the first wrote. A `change` that throws leaves nothing behind, placeholder included.
   */
  changeEnrolment<T>(sensorId: string, change: (current: EnrolmentRecord | undefined) => Promise<{ next: EnrolmentRecord; result: T }>): Promise<T> {
    return inTransaction(this.pool, async (client) => {
      await client.query('INSERT INTO enrolments (sensor_id, record) VALUES ($1, NULL) ON CONFLICT (sensor_id) DO NOTHING', [sensorId]);
      const { rows } = await client.query<{ record: EnrolmentRecord | null }>('SELECT record FROM enrolments WHERE sensor_id = $1 FOR UPDATE', [sensorId]);
      const { next, result } = await change(rows[0]?.record ?? undefined);
      await client.query('UPDATE enrolments SET record = $2 WHERE sensor_id = $1', [sensorId, JSON.stringify(next)]);
      return result;
    });
  }
}
