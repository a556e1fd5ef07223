/**
 * Watches a sensor and its hub through the hub's API while a loss test runs: every second it reads
 * the sensor's latest health (capture counters, outbox depth) and the hub's ingest counters, and
 * keeps the highest outbox depth the hub was told of. A sensor sends its health (QoS 0) only while
 * it is connected and the hub keeps the latest only, so the peak seen is a lower bound of the true
 * one: after a hub outage, the depth of the first report made once it could hear the sensor again.
 */
import { eventually } from './harness.js';
import type { IngestCounters } from './loss-evidence.js';
import type { HubApi } from './loss-hub-api.js';

export const watchDefaults = { intervalMs: 1000 };

export interface SensorHealthRow {
  id: string;
  state: string;
  health: {
    seq: number;
    sentAt: string;
    outboxDepth: number;
    capture: { packets: number; queueDrops: number; lost: number };
  } | null;
}

export interface HubHealth {
  uptimeS: number;
  ingest: IngestCounters;
}

export class SensorWatch {
  /** Highest outbox depth reported. */
  peakDepth = 0;
  latest: SensorHealthRow | undefined;
  /** The last ingest counters read from each run of the hub, by run (0 for the first). */
  readonly ingestByRun = new Map<number, IngestCounters>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(
    private readonly api: HubApi,
    readonly sensorId: string,
    /** Which run of the hub is up now (0 for the first). */
    private readonly hubRun: () => number,
  ) {}

  start(): void {
    const tick = async () => {
      await this.read().catch(() => undefined);
      if (!this.stopped) this.timer = setTimeout(() => void tick(), watchDefaults.intervalMs);
    };
    void tick();
  }

  /** One read of the sensor's row and the hub's counters. */
  async read(): Promise<void> {
    const run = this.hubRun();
    const [{ sensors }, health] = await Promise.all([this.api.get<{ sensors: SensorHealthRow[] }>('/api/v1/sensors'), this.api.get<HubHealth>('/api/v1/health')]);
    const row = sensors.find((s) => s.id === this.sensorId);
    if (row) this.latest = row;
    const depth = row?.health?.outboxDepth ?? 0;
    if (depth > this.peakDepth) this.peakDepth = depth;
    if (run === this.hubRun()) this.ingestByRun.set(run, health.ingest);
  }

  /**
   * Waits until the sensor has decoded `sent` packets, then for a health report made `settleMs`
   * after that (time for every finding to reach the outbox) saying the outbox is empty: all of it
   * confirmed by the hub. Each wait fails after `drainMs`. Returns the time since `fromMs`.
   */
  async drained(sent: number, { settleMs, drainMs }: { settleMs: number; drainMs: number }, fromMs: number): Promise<number> {
    const latest = async () => {
      await this.read();
      return this.latest?.health ?? undefined;
    };
    const withLast = (err: unknown): never => {
      throw new Error(`${(err as Error).message}; last health: capture ${JSON.stringify(this.latest?.health?.capture ?? null)}, outbox depth ${this.latest?.health?.outboxDepth}`);
    };
    const caughtUp = await eventually(
      async () => {
        const h = await latest();
        return h && h.capture.packets >= sent ? h : undefined;
      },
      drainMs,
      `sensor caught up with the replay of ${sent} packets`,
    ).catch(withLast);
    const settledAfter = Date.parse(caughtUp.sentAt) + settleMs;
    await eventually(
      async () => {
        const h = await latest();
        return h && Date.parse(h.sentAt) >= settledAfter && h.outboxDepth === 0 ? true : undefined;
      },
      drainMs,
      'outbox drained',
    ).catch(withLast);
    return Date.now() - fromMs;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}
