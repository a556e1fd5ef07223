/**
 * The floor the hub's store stands on: LevelDB (classic-level, as the hub uses it) in a fresh
 * directory, written in batches of 1,000 puts one batch after another, as the hub's single writer
 * does. Keys are the fleet's device keys in shuffled order; values are device records as the hub
 * stores them, made by the hub's own profile code from the same facts the sensors report.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { applyObservation, newDevice } from '@wardsight/hub';
import { SeededRandom, type HospitalDevice } from '@wardsight/sim';
import { benchSensorId, factsOf } from './hub-observations.js';

export interface LevelRate {
  putsPerSec: number;
  puts: number;
  batches: number;
  seconds: number;
  /** Mean size of the values written, in bytes of UTF-8. */
  valueBytes: number;
}

export const levelBenchDefaults = {
  putsPerBatch: 1000,
  /** Distinct values cycled through: enough that neighbouring values in a block differ as real records do. */
  distinctValues: 1000,
};

/** A device record as the hub keeps it once the sensor has reported each of the device's facts. */
export function storedRecordOf(device: HospitalDevice, sensorId: string, at: string): string {
  const { key, facts } = factsOf(device);
  const record = newDevice(key, at);
  for (const f of facts) applyObservation(record, { device: key, ...f, firstSeen: at, lastSeen: at }, sensorId);
  return JSON.stringify(record);
}

export async function measureLevelWrites(o: { devices: HospitalDevice[][]; seconds: number; seed: number }): Promise<LevelRate> {
  const flat = o.devices.flatMap((own, s) => own.map((device) => ({ device, sensorId: benchSensorId(s) })));
  const random = new SeededRandom(o.seed);
  const keys = flat.map((d) => `mac:${d.device.mac}`);
  // Fisher–Yates: the hub writes whichever devices a batch touches, not keys in order.
  for (let i = keys.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [keys[i], keys[j]] = [keys[j] as string, keys[i] as string];
  }
  const at = new Date().toISOString();
  const values = flat.slice(0, levelBenchDefaults.distinctValues).map((d) => storedRecordOf(d.device, d.sensorId, at));
  const valueBytes = values.reduce((sum, v) => sum + Buffer.byteLength(v), 0) / Math.max(1, values.length);

  const dir = await mkdtemp(join(tmpdir(), 'wardsight-bench-level-'));
  const db = new ClassicLevel<string, string>(join(dir, 'db'), { valueEncoding: 'utf8' });
  try {
    await db.open();
    let puts = 0;
    let batches = 0;
    const started = performance.now();
    const until = started + o.seconds * 1000;
    while (performance.now() < until) {
      const ops = new Array<{ type: 'put'; key: string; value: string }>(levelBenchDefaults.putsPerBatch);
      for (let i = 0; i < ops.length; i++, puts++) ops[i] = { type: 'put', key: keys[puts % keys.length] as string, value: values[puts % values.length] as string };
      await db.batch(ops);
      batches += 1;
    }
    const seconds = (performance.now() - started) / 1000;
    return { putsPerSec: puts / seconds, puts, batches, seconds, valueBytes };
  } finally {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  }
}
