/**
 * Offline analysis: a capture through the whole edge pipeline (capture thread → shard workers →
 * decode → fingerprint → store) with no hub. What `wardsight read` runs, and what the edge
 * benchmark times.
 */
import type { CaptureSpec } from './capture/pcap-capture.js';
import { CapturePool, type PoolOptions } from './pool/pool.js';
import type { DeviceRecord } from './state/device-table.js';
import { SensorStore } from './state/store.js';

export interface AnalysisSummary {
  packets: number;
  malformed: number;
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
    const changed = new Map<string, DeviceRecord>();
    const pool = new CapturePool(spec, {
      ...options,
      onFlush: (found, dirty) => {
        observations += found.length;
        for (const r of dirty) changed.set(r.key, r);
      },
    });
    try {
      await pool.start(await store.loadDevices());
      await pool.ended;
    } finally {
      await pool.close();
    }
    await store.saveDevices([...changed.values()]);
    const c = pool.counters();
    return {
      packets: c.packets,
      malformed: c.malformed,
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
