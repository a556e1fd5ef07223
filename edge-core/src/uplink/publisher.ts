/**
 * Publishes the outbox to the hub over MQTT with TLS client certificates, in order, at QoS 1.
 * An entry leaves the outbox only when the broker acknowledges it; after a reconnect everything
 * still in the outbox is sent again, and the hub's `(sensorId, seq)` idempotency absorbs repeats.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { topicFor, type Location, type Status } from '@wardsight/protocol';
import type { SensorStore } from '../state/store.js';

export interface UplinkOptions {
  sensorId: string;
  /** `mqtts://host:port` */
  url: string;
  ca: string;
  cert: string;
  key: string;
  location: Location;
  version: string;
  /** Messages in flight before the pump waits for acknowledgements. */
  maxInflight?: number;
  reconnectPeriodMs?: number;
  connectTimeoutMs?: number;
}

export interface UplinkCounters {
  published: number;
  acknowledged: number;
  reconnects: number;
  lastError: string | null;
  connected: boolean;
}

export class Publisher {
  private client: MqttClient | undefined;
  private cursor = 0;
  private inflight = 0;
  private pumping = false;
  /** The hub learns where this sensor is from its status: send that before any finding. */
  private announced = false;
  private wake: (() => void) | undefined;
  readonly counters: UplinkCounters = { published: 0, acknowledged: 0, reconnects: 0, lastError: null, connected: false };

  constructor(
    private readonly store: SensorStore,
    private readonly options: UplinkOptions,
  ) {}

  async start(): Promise<void> {
    const o = this.options;
    const willSeq = await this.store.nextSeq();
    const client = mqtt.connect(o.url, {
      clientId: `sensor-${o.sensorId}`,
      protocolVersion: 4,
      clean: true,
      ca: o.ca,
      cert: o.cert,
      key: o.key,
      rejectUnauthorized: true,
      reconnectPeriod: o.reconnectPeriodMs ?? 2000,
      connectTimeout: o.connectTimeoutMs ?? 10_000,
      will: { topic: topicFor(o.sensorId, 'status'), payload: Buffer.from(JSON.stringify(this.status('offline', willSeq))), qos: 1, retain: true },
    });
    this.client = client;
    client.on('connect', () => {
      this.counters.connected = true;
      this.cursor = 0;
      this.announced = false;
      void this.announce().then(() => {
        this.announced = true;
        this.notify();
      });
    });
    client.on('reconnect', () => (this.counters.reconnects += 1));
    client.on('close', () => {
      this.counters.connected = false;
      this.cursor = 0;
      this.wake?.();
    });
    client.on('error', (err) => (this.counters.lastError = err.message));
  }

  /** New entries are in the outbox: send them if connected. */
  notify(): void {
    if (this.wake) this.wake();
    else void this.pump();
  }

  /** Publishes a retained QoS 0 message that is not worth keeping in the outbox (health). */
  publishVolatile(topic: string, payload: string): void {
    if (this.client?.connected) this.client.publish(topic, payload, { qos: 0, retain: true });
  }

  /** Says goodbye (retained offline status) and disconnects, leaving unsent entries in the outbox. */
  async close(): Promise<void> {
    const client = this.client;
    if (!client) return;
    if (client.connected) {
      const seq = await this.store.nextSeq();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 2000);
        client.publish(topicFor(this.options.sensorId, 'status'), JSON.stringify(this.status('offline', seq)), { qos: 1, retain: true }, () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    await client.endAsync();
    this.wake?.();
  }

  private status(state: Status['state'], seq: number): Status {
    const o = this.options;
    return { v: 1, sensorId: o.sensorId, seq, sentAt: new Date().toISOString(), state, location: o.location, version: o.version };
  }

  private async announce(): Promise<void> {
    const seq = await this.store.nextSeq();
    this.client?.publish(topicFor(this.options.sensorId, 'status'), JSON.stringify(this.status('online', seq)), { qos: 1, retain: true });
  }

  private async pump(): Promise<void> {
    if (this.pumping || !this.announced) return;
    this.pumping = true;
    const maxInflight = Math.max(1, this.options.maxInflight ?? 64);
    try {
      while (this.client?.connected) {
        const batch = await this.store.pending(this.cursor, maxInflight);
        if (batch.length === 0) {
          await new Promise<void>((resolve) => (this.wake = resolve));
          this.wake = undefined;
          continue;
        }
        for (const entry of batch) {
          while (this.inflight >= maxInflight && this.client.connected) {
            await new Promise<void>((resolve) => (this.wake = resolve));
            this.wake = undefined;
          }
          if (!this.client.connected) break;
          this.cursor = entry.seq;
          this.inflight += 1;
          this.counters.published += 1;
          this.client.publish(entry.topic, entry.payload, { qos: 1 }, (err) => {
            this.inflight -= 1;
            if (!err) {
              this.counters.acknowledged += 1;
              void this.store.acknowledge(entry.seq);
            }
            this.wake?.();
          });
        }
      }
    } finally {
      this.pumping = false;
    }
  }
}
