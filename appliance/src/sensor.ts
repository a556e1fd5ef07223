/**
 * A running sensor: capture thread → shard workers → findings → outbox → hub. The device table and
 * the outbox live in the sensor's LevelDB store, owned by this (main) thread, so a restart neither
 * forgets devices nor loses findings.
 */
import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import { encodeMessage, MAX_OBSERVATIONS_PER_BATCH, topicFor, type Health } from '@wardsight/protocol';
import { CapturePool, encodeFindings, FACT_LOG_COMPACT_AT, Publisher, SensorStore, type CaptureSpec, type FoundBatch, type PoolCounters } from '@wardsight/edge-core';
import { sensorDefaults, tlsFiles, type SensorConfig } from './config.js';

export const SENSOR_VERSION = '0.1.0';

export interface RunningSensor {
  /** Resolves when a file capture has been read and everything it found is in the outbox. */
  captureDone: Promise<void>;
  /** Resolves once the outbox is empty (all acknowledged by the broker). */
  drained(): Promise<void>;
  counters(): PoolCounters;
  close(): Promise<void>;
}

/**
 * An observation batch (the contract's ObservationBatch) around observations already in JSON. The
 * envelope's values are a checked sensor id, a number and an ISO time: nothing needs escaping.
 */
function observationBatchJson(sensorId: string, seq: number, observationsJson: string): string {
  return `{"v":1,"sensorId":${JSON.stringify(sensorId)},"seq":${seq},"sentAt":"${new Date().toISOString()}","observations":[${observationsJson}]}`;
}

function captureSpec(config: SensorConfig): CaptureSpec {
  const c = config.capture;
  if ('file' in c) return { kind: 'file', path: c.file, ...(c.filter ? { filter: c.filter } : {}) };
  return { kind: 'live', ...c };
}

export async function startSensor(config: SensorConfig, log: Logger): Promise<RunningSensor> {
  const files = tlsFiles(config);
  const [cert, key, ca] = await Promise.all([readFile(files.cert, 'utf8'), readFile(files.key, 'utf8'), readFile(files.ca, 'utf8')]).catch((err: unknown) => {
    throw new Error(`sensor identity missing in ${config.tlsDir} (${(err as Error).message}); issue one with \`wardsight provision sensor ${config.sensorId}\``);
  });
  const store = await SensorStore.open(config.dataDir);
  const known = await store.loadDevices();
  // What this start found on disk, before any of it is sent.
  const recovered = { knownDevices: known.length, outboxDepth: store.outboxDepth };
  /** Findings as the shards send them, until the next flush. */
  const batches: FoundBatch[] = [];
  const publisher = new Publisher(store, {
    sensorId: config.sensorId,
    url: config.hub.url,
    ca,
    cert,
    key,
    location: config.location,
    version: SENSOR_VERSION,
    onRejected: (seq, reason, detail) => log.error({ seq, reason, detail }, 'the hub refused a message; it is dropped'),
  });
  await publisher.start();

  const pool = new CapturePool(captureSpec(config), {
    ...('file' in config.capture && config.capture.speed ? { replay: config.capture.speed } : {}),
    onFlush: (batch) => batches.push(batch),
  });
  const started = Date.now();
  let flushing: Promise<void> = Promise.resolve();

  /** Moves new findings into the outbox, and into the store as the latest of their facts. */
  const flush = (): Promise<void> => {
    flushing = flushing.then(async () => {
      const taken = batches.splice(0, batches.length);
      const observations = taken.flatMap((b) => encodeFindings(b).observations);
      for (let i = 0; i < observations.length; i += MAX_OBSERVATIONS_PER_BATCH) {
        const chunk = observations.slice(i, i + MAX_OBSERVATIONS_PER_BATCH).join(',');
        await store.enqueue([{ topic: topicFor(config.sensorId, 'observations'), build: (seq) => observationBatchJson(config.sensorId, seq, chunk) }]);
      }
      for (const b of taken) await store.saveFacts(b);
      // A long-running sensor's log of findings is folded into each fact's latest sighting now and then.
      if (store.factLogEntries > FACT_LOG_COMPACT_AT) await store.compactFacts();
      if (observations.length > 0) publisher.notify();
    });
    return flushing;
  };

  const health = async (): Promise<void> => {
    const c = pool.counters();
    const message: Health = {
      v: 1,
      sensorId: config.sensorId,
      seq: await store.nextSeq(),
      sentAt: new Date().toISOString(),
      version: SENSOR_VERSION,
      uptimeS: Math.round((Date.now() - started) / 1000),
      memRssMB: Math.round(process.memoryUsage.rss() / 1e5) / 10,
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1e2) / 10,
      cpuPct: null,
      devices: c.devices,
      outboxDepth: store.outboxDepth,
      capture: { packets: c.packets, malformed: c.malformed, fragments: c.fragments, queueDrops: c.queueDrops, lost: c.lost, restarts: c.restarts, ...c.libpcap },
      location: config.location,
    };
    publisher.publishVolatile(topicFor(config.sensorId, 'health'), encodeMessage(message).toString());
  };

  const flushTimer = setInterval(() => void flush().catch((err: unknown) => log.error({ err }, 'flush failed')), config.flushIntervalMs ?? sensorDefaults.flushIntervalMs);
  const healthTimer = setInterval(() => void health().catch((err: unknown) => log.error({ err }, 'health report failed')), (config.healthIntervalS ?? sensorDefaults.healthIntervalS) * 1000);

  try {
    await pool.start(known);
  } catch (err) {
    clearInterval(flushTimer);
    clearInterval(healthTimer);
    await pool.close();
    await publisher.close();
    await store.close();
    throw err;
  }
  for (const warning of pool.warnings) log.debug({ warning }, 'libpcap warning');
  log.info({ sensorId: config.sensorId, capture: captureSpec(config), hub: config.hub.url, ...recovered, shards: pool.shardCount }, 'sensor started');
  const captureDone = pool.ended.then(async () => {
    await flush();
    await health();
    const c = pool.counters();
    log.info({ packets: c.packets, malformed: c.malformed, devices: c.devices, lost: c.lost, queueDrops: c.queueDrops, outboxDepth: store.outboxDepth }, 'capture finished');
  });

  return {
    captureDone,
    counters: () => pool.counters(),
    async drained() {
      await flushing;
      while (store.outboxDepth > 0 || batches.length > 0) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        await flush();
      }
    },
    async close() {
      clearInterval(flushTimer);
      clearInterval(healthTimer);
      await pool.close();
      await flush();
      await publisher.close();
      await store.close();
    },
  };
}
