/**
 * Offline analysis: a capture through the whole edge pipeline (capture thread → shard workers →
 * decode → fingerprint → store) with no hub. What `wardsight read` runs, and what the edge
 * benchmark times.
 */
import type { CaptureSpec } from './capture/pcap-capture.js';
import { CapturePool, type PoolOptions } from './pool/pool.js';
import { findingCount } from './state/device-table.js';
import { SensorStore } from './state/store.js';

export interface AnalysisSummary {
  packets: number;
  malformed: number;
  fragments: number;
  bytes: number;
  devices: number;
  observations: number;
  seconds: number;
  shards: number;
  weird: Record<string, number>;
}

export async function analyseCapture(spec: CaptureSpec, dataDir: string, options: Partial<Omit<PoolOptions, 'onFlush'>> = {}): Promise<AnalysisSummary> {
  const started = process.hrtime.bigint();
  const store = await SensorStore.open(dataDir);
  try {
    let observations = 0;
    // Facts go to the store as they come, so memory does not grow with the device count.
    let saving: Promise<void> = Promise.resolve();
    const pool = new CapturePool(spec, {
      ...options,
      onFlush: (found) => {
        const n = findingCount(found);
        observations += n;
        if (n > 0) saving = saving.then(() => store.saveFacts(found));
      },
    });
    try {
      await pool.start(await store.loadDevices());
      await pool.ended;
    } finally {
      await pool.close();
    }
    await saving;
    const c = pool.counters();
    return {
      packets: c.packets,
      malformed: c.malformed,
      fragments: c.fragments,
      bytes: c.bytes,
      devices: c.devices,
      observations,
      seconds: Number(process.hrtime.bigint() - started) / 1e9,
      shards: options.shards ?? pool.shardCount,
      weird: c.weird,
    };
  } finally {
    await store.close();
  }
}
