/**
 * A running sensor: capture → edge core → device table → outbox → hub. The device table and the
 * outbox live in the sensor's LevelDB store, so a restart neither forgets devices nor loses findings.
 */
import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import { encodeMessage, MAX_OBSERVATIONS_PER_BATCH, topicFor, type Health } from '@wardsight/protocol';
import { DeviceTable, EdgeCore, PcapCapture, Publisher, SensorStore, type CaptureSpec } from '@wardsight/edge-core';
import { sensorDefaults, tlsFiles, type SensorConfig } from './config.js';

export const SENSOR_VERSION = '0.1.0';

export interface RunningSensor {
  /** Resolves when a file capture has been read and everything it found is in the outbox. */
  captureDone: Promise<void>;
  /** Resolves once the outbox is empty (all acknowledged by the broker). */
  drained(): Promise<void>;
  core: EdgeCore;
  close(): Promise<void>;
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
  const table = new DeviceTable();
  table.load(await store.loadDevices());
  const core = new EdgeCore(table);
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

  const capture = new PcapCapture(captureSpec(config));
  const started = Date.now();
  let flushing: Promise<void> = Promise.resolve();

  /** Moves new findings into the outbox and changed devices into the store. */
  const flush = (): Promise<void> => {
    flushing = flushing.then(async () => {
      const observations = table.takeObservations();
      for (let i = 0; i < observations.length; i += MAX_OBSERVATIONS_PER_BATCH) {
        const chunk = observations.slice(i, i + MAX_OBSERVATIONS_PER_BATCH);
        await store.enqueue([{ topic: topicFor(config.sensorId, 'observations'), build: (seq) => encodeMessage({ v: 1, sensorId: config.sensorId, seq, sentAt: new Date().toISOString(), observations: chunk }).toString() }]);
      }
      await store.saveDevices(table.takeDirty());
      if (observations.length > 0) publisher.notify();
    });
    return flushing;
  };

  const health = async (): Promise<void> => {
    const libpcap = capture.counters();
    const message: Health = {
      v: 1,
      sensorId: config.sensorId,
      seq: await store.nextSeq(),
      sentAt: new Date().toISOString(),
      version: SENSOR_VERSION,
      uptimeS: Math.round((Date.now() - started) / 1000),
      memRssMB: Math.round(process.memoryUsage.rss() / 1e5) / 10,
      cpuPct: null,
      devices: table.size,
      outboxDepth: store.outboxDepth,
      capture: { packets: core.counters.packets, malformed: core.counters.malformed, ...libpcap },
      location: config.location,
    };
    publisher.publishVolatile(topicFor(config.sensorId, 'health'), encodeMessage(message).toString());
  };

  const flushTimer = setInterval(() => void flush().catch((err: unknown) => log.error({ err }, 'flush failed')), config.flushIntervalMs ?? sensorDefaults.flushIntervalMs);
  const healthTimer = setInterval(() => void health().catch((err: unknown) => log.error({ err }, 'health report failed')), (config.healthIntervalS ?? sensorDefaults.healthIntervalS) * 1000);

  capture.start((frame, caplen, tsMs) => core.onFrame(frame, caplen, tsMs));
  for (const warning of capture.warnings) log.debug({ warning }, 'libpcap warning');
  log.info({ sensorId: config.sensorId, capture: captureSpec(config), hub: config.hub.url, knownDevices: table.size, outboxDepth: store.outboxDepth }, 'sensor started');
  const captureDone = capture.ended.then(async () => {
    await flush();
    await health();
    log.info({ packets: core.counters.packets, malformed: core.counters.malformed, devices: table.size }, 'capture finished');
  });

  return {
    captureDone,
    core,
    async drained() {
      await flushing;
      while (store.outboxDepth > 0 || table.pendingObservations > 0) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        await flush();
      }
    },
    async close() {
      clearInterval(flushTimer);
      clearInterval(healthTimer);
      capture.close();
      await flush();
      await publisher.close();
      await store.close();
    },
  };
}
