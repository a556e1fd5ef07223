/**
 * A running sensor: capture thread → shard workers → findings → outbox → hub. The device table and
 * the outbox live in the sensor's LevelDB store, owned by this (main) thread, so a restart neither
 * forgets devices nor loses findings.
 */
import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import { encodeMessage, topicFor } from '@wardsight/protocol';
import { FACT_LOG_COMPACT_AT, Publisher, SensorStore, behaviourItems, type CaptureSpec, type FoundBatch, type IntervalBehaviour, type PoolCounters, type UplinkCounters } from '@wardsight/edge-core';
import { runtimeSettings, sensorDefaults, tlsFiles, type SensorConfig } from './config.js';
import { SupervisedCapture } from './capture-supervision.js';
import { createHealthReporter } from './health.js';
import { ensureSensorIdentity } from './first-boot.js';
import { sensorVersion } from './version.js';

export interface RunningSensor {
  /** Resolves when a file capture has been read and everything it found is in the outbox. */
  captureDone: Promise<void>;
  /** Resolves once the outbox is empty (all acknowledged by the broker). */
  drained(): Promise<void>;
  counters(): PoolCounters;
  /** What the uplink has sent, and what the hub confirmed. */
  uplink(): UplinkCounters;
  close(): Promise<void>;
}

function captureSpec(config: SensorConfig): CaptureSpec {
  const c = config.capture;
  if ('file' in c) return { kind: 'file', path: c.file, ...(c.filter ? { filter: c.filter } : {}) };
  return { kind: 'live', ...c };
}

export interface StartOptions {
  /** Aborts a first-boot enrolment that is waiting for the hub. */
  signal?: AbortSignal;
}

export async function startSensor(config: SensorConfig, log: Logger, options: StartOptions = {}): Promise<RunningSensor> {
  const files = tlsFiles(config);
  // First boot: no certificate yet, so enrol with the bundle's one-time token.
  await ensureSensorIdentity(
    { sensorId: config.sensorId, tlsDir: config.tlsDir, files, ...(config.hub.enrolUrl ? { enrolUrl: config.hub.enrolUrl } : {}), ...(config.enrolment ? { tokenFile: config.enrolment.tokenFile } : {}), ...(options.signal ? { signal: options.signal } : {}) },
    log,
  );
  const [cert, key, ca] = await Promise.all([readFile(files.cert, 'utf8'), readFile(files.key, 'utf8'), readFile(files.ca, 'utf8')]).catch((err: unknown) => {
    throw new Error(`sensor identity missing in ${config.tlsDir} (${(err as Error).message}); register it with \`wardsight provision sensor add ${config.sensorId}\` and start it with its bundle`);
  });
  const store = await SensorStore.open(config.dataDir, { log: log.child({ module: 'store' }) });
  const known = await store.loadDevices();
  // What this start found on disk, before any of it is sent.
  const recovered = { knownDevices: known.length, outboxDepth: store.outboxDepth };
  /** Findings as the shards send them, until the next flush. */
  const batches: FoundBatch[] = [];
  const summaries: IntervalBehaviour[] = [];
  const publisher = new Publisher(store, {
    sensorId: config.sensorId,
    url: config.hub.url,
    ca,
    cert,
    key,
    location: config.location,
    version: sensorVersion(),
    onRejected: (seq, reason, detail) => log.error({ seq, reason, detail }, 'the hub refused a message; it is dropped'),
  });
  await publisher.start();

  let flushing: Promise<void> = Promise.resolve();
  const settings = runtimeSettings(config);
  let restarting = false;
  const capture = new SupervisedCapture({
    spec: captureSpec(config),
    pool: {
      ...('file' in config.capture && config.capture.speed ? { replay: config.capture.speed } : {}),
      onFlush: (batch) => batches.push(batch),
      onBehaviour: (summary) => summaries.push(summary),
    },
    // A restarted capture starts from what the store knows, which includes everything found before the crash.
    knownDevices: async () => {
      if (!restarting) {
        restarting = true;
        return known;
      }
      return store.loadDevices();
    },
    beforeRestart: () => flush(),
    backoff: { minBackoffMs: settings.minBackoffMs, maxBackoffMs: settings.maxBackoffMs },
    log: log.child({ module: 'capture' }),
  });
  const started = Date.now();

  /** Moves new findings into the outbox, and into the store as the latest of their facts. */
  const flush = (): Promise<void> => {
    flushing = flushing.then(async () => {
      const taken = batches.splice(0, batches.length);
      // First sightings and state updates go to the outbox apart, within its budget (outbox-policy.ts).
      const queued = await store.enqueueFindings(config.sensorId, taken);
      // Behaviour summaries after the findings of the same moments, so the hub knows the devices first.
      const intervals = summaries.splice(0, summaries.length);
      if (intervals.length > 0) queued.push(...(await store.enqueue(intervals.flatMap((s) => behaviourItems(config.sensorId, s)))));
      for (const b of taken) await store.saveFacts(b);
      // A long-running sensor's log of findings is folded into each fact's latest sighting now and then.
      if (store.factLogEntries > FACT_LOG_COMPACT_AT) await store.compactFacts();
      if (queued.length > 0) publisher.notify();
    });
    return flushing;
  };

  const reporter = createHealthReporter({
    sensorId: config.sensorId,
    dataDir: config.dataDir,
    version: sensorVersion(),
    location: config.location,
    intervalS: config.healthIntervalS ?? sensorDefaults.healthIntervalS,
    startedAt: started,
    counters: () => capture.counters(),
    outbox: () => {
      const s = store.outboxStats();
      return { depth: s.depth, bytes: s.bytes, budgetBytes: s.budgetBytes, shedMessages: s.shed.behaviourMessages, coalesced: s.coalesced.observations };
    },
    clockOffsetMs: () => publisher.hubClockOffsetMs,
    nextSeq: () => store.nextSeq(),
    log: log.child({ module: 'health' }),
  });
  const health = async (): Promise<void> => {
    publisher.publishVolatile(topicFor(config.sensorId, 'health'), encodeMessage(await reporter.collect()).toString());
  };

  const flushTimer = setInterval(() => void flush().catch((err: unknown) => log.error({ err }, 'flush failed')), config.flushIntervalMs ?? sensorDefaults.flushIntervalMs);
  const healthTimer = setInterval(() => void health().catch((err: unknown) => log.error({ err }, 'health report failed')), reporter.intervalS * 1000);

  try {
    await capture.start();
  } catch (err) {
    clearInterval(flushTimer);
    clearInterval(healthTimer);
    await publisher.close();
    await store.close();
    throw err;
  }
  for (const warning of capture.warnings) log.debug({ warning }, 'libpcap warning');
  log.info({ sensorId: config.sensorId, capture: captureSpec(config), hub: config.hub.url, ...recovered, shards: capture.shardCount }, 'sensor started');
  const captureDone = capture.finished.then(async () => {
    await flush();
    await health();
    const c = capture.counters();
    log.info({ packets: c.packets, malformed: c.malformed, devices: c.devices, lost: c.lost, queueDrops: c.queueDrops, outboxDepth: store.outboxDepth }, 'capture finished');
  });

  return {
    captureDone,
    counters: () => capture.counters(),
    uplink: () => ({ ...publisher.counters }),
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
      await capture.stop();
      await flush();
      await publisher.close();
      await store.close();
    },
  };
}
