/**
 * Publishes the outbox to the hub over MQTT with TLS client certificates, in order, at QoS 1.
 * An entry leaves the outbox only when the hub says it has stored it (an `ack` command on this
 * sensor's commands topic), never on the broker's PUBACK alone: a broker may acknowledge what it
 * then drops. What the hub has not acknowledged is sent again after a reconnect or a silence, and
 * the hub's `(sensorId, seq)` idempotency absorbs the repeats.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { decodeMessage, topicFor, type AckCommand, type Location, type Status } from '@wardsight/protocol';
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
  /** Messages published but not yet acknowledged by the broker before the pump waits. */
  maxInflight?: number;
  /** Messages sent but not yet stored by the hub before the pump waits. */
  maxUnconfirmed?: number;
  /** Send everything unconfirmed again when the hub has confirmed nothing for this long. */
  confirmTimeoutMs?: number;
  reconnectPeriodMs?: number;
  connectTimeoutMs?: number;
  keepaliveS?: number;
  /** Told of each message the hub refused for good (it is dropped from the outbox). */
  onRejected?: (seq: number, reason: string, detail: string) => void;
}

export const uplinkDefaults = {
  maxInflight: 64,
  maxUnconfirmed: 1024,
  confirmTimeoutMs: 30_000,
  reconnectPeriodMs: 2000,
  connectTimeoutMs: 10_000,
  /** MQTT keep-alive: a link that died silently is noticed within one and a half of these. */
  keepaliveS: 30,
};

export interface UplinkCounters {
  published: number;
  /** Messages the hub confirmed stored. */
  confirmed: number;
  /** Messages the hub refused for good. */
  rejected: number;
  /** Times everything unconfirmed was sent again after the hub stayed silent. */
  resends: number;
  reconnects: number;
  /** Acknowledgements received from the hub (of findings or of this sensor's status): the hub hears it. */
  hubAcks: number;
  lastError: string | null;
  connected: boolean;
}

export class Publisher {
  private client: MqttClient | undefined;
  private readonly o: Required<Omit<UplinkOptions, 'onRejected'>> & Pick<UplinkOptions, 'onRejected'>;
  /** Highest sequence number sent on this connection; the pump goes on after it. */
  private cursor = 0;
  private inflight = 0;
  /** Sent, not yet stored by the hub: sequence → when sent. */
  private readonly unconfirmed = new Map<number, number>();
  private lastConfirmAt = Date.now();
  private pumping = false;
  /** The pump under way, so that closing waits for it to stop reading the outbox. */
  private pumped: Promise<void> = Promise.resolve();
  /** Bumped whenever sending starts over from the oldest entry; a batch in progress then stops. */
  private generation = 0;
  /** The hub learns where this sensor is from its status: send that before any finding. */
  private announced = false;
  private wake: (() => void) | undefined;
  private watchdog: ReturnType<typeof setInterval> | undefined;
  private commands: Promise<unknown> = Promise.resolve();
  private closing = false;
  /** Sequence numbers of this connection's online status and last will (see reserveStatusSeqs). */
  private statusSeqs: Promise<{ online: number; will: number }> = Promise.resolve({ online: 0, will: 0 });
  /** The hub's clock minus ours, as seen in recent acknowledgements (each: its send time minus our receive time). */
  private readonly clockSamples: number[] = [];
  readonly counters: UplinkCounters = { published: 0, confirmed: 0, rejected: 0, resends: 0, reconnects: 0, hubAcks: 0, lastError: null, connected: false };

  constructor(
    private readonly store: SensorStore,
    options: UplinkOptions,
  ) {
    this.o = { ...uplinkDefaults, ...options };
    // At least one message in flight, and room to confirm what is in flight.
    this.o.maxInflight = Math.max(1, this.o.maxInflight);
    this.o.maxUnconfirmed = Math.max(this.o.maxInflight, this.o.maxUnconfirmed);
  }

  /**
   * Sequence numbers for the next connection's statuses: its online status, then its last will, so
   * that the hub takes the will for newer than that online status, and any will of an earlier
   * connection for older than it (a stale will never marks a connected sensor offline).
   */
  private async reserveStatusSeqs(): Promise<{ online: number; will: number }> {
    const online = await this.store.nextSeq();
    return { online, will: await this.store.nextSeq() };
  }

  private willOf(seq: number) {
    return { topic: topicFor(this.o.sensorId, 'status'), payload: Buffer.from(JSON.stringify(this.status('offline', seq))), qos: 1 as const, retain: true };
  }

  async start(): Promise<void> {
    const o = this.o;
    const statusSeqs = await this.reserveStatusSeqs();
    this.statusSeqs = Promise.resolve(statusSeqs);
    const client = mqtt.connect(o.url, {
      clientId: `sensor-${o.sensorId}`,
      protocolVersion: 4,
      clean: true,
      ca: o.ca,
      cert: o.cert,
      key: o.key,
      rejectUnauthorized: true,
      reconnectPeriod: o.reconnectPeriodMs,
      connectTimeout: o.connectTimeoutMs,
      keepalive: o.keepaliveS,
      will: this.willOf(statusSeqs.will),
    });
    this.client = client;
    client.on('connect', () => {
      this.counters.connected = true;
      this.restart();
      this.announce().then(
        () => {
          this.announced = true;
          this.notify();
        },
        (err: unknown) => {
          // Without its commands the sensor would never hear an acknowledgement: drop this connection and try again.
          this.counters.lastError = `announcing to the hub failed: ${(err as Error).message}`;
          client.end(true, undefined, () => client.reconnect());
        },
      );
    });
    // Commands are handled one at a time, in order: two acknowledgements never race on the outbox.
    client.on('message', (topic, payload) => {
      this.commands = this.commands.then(() => this.onCommand(topic, payload)).catch((err: unknown) => (this.counters.lastError = (err as Error).message));
    });
    client.on('reconnect', () => (this.counters.reconnects += 1));
    client.on('close', () => {
      // The next connection's will is written before it connects (the client sends the will it holds then).
      if (!this.closing) {
        this.statusSeqs = this.reserveStatusSeqs().then((next) => {
          client.options.will = this.willOf(next.will);
          return next;
        });
        this.statusSeqs.catch((err: unknown) => (this.counters.lastError = (err as Error).message));
      }
      this.counters.connected = false;
      this.announced = false;
      this.wake?.();
    });
    client.on('error', (err) => (this.counters.lastError = err.message));
    this.watchdog = setInterval(() => this.checkSilence(), Math.min(5000, o.confirmTimeoutMs));
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

  /** Says goodbye (retained offline status) and disconnects, leaving unconfirmed entries in the outbox. */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.watchdog);
    const client = this.client;
    if (!client) return;
    if (client.connected) {
      const seq = await this.store.nextSeq();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 2000);
        client.publish(topicFor(this.o.sensorId, 'status'), JSON.stringify(this.status('offline', seq)), { qos: 1, retain: true }, () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    // Forced: what is still in flight stays in the outbox and goes again next time; nothing waits on a dead link.
    await client.endAsync(true);
    await this.commands;
    this.wake?.();
    // The store closes after this: the pump must have stopped reading it.
    await this.pumped;
  }

  /** Everything unconfirmed goes out again, from the oldest. */
  private restart(): void {
    this.generation += 1;
    this.cursor = 0;
    this.unconfirmed.clear();
    this.lastConfirmAt = Date.now();
  }

  private checkSilence(): void {
    void this.forgetMerged().catch((err: unknown) => (this.counters.lastError = (err as Error).message));
    if (this.unconfirmed.size === 0 || Date.now() - this.lastConfirmAt < this.o.confirmTimeoutMs) return;
    this.counters.resends += 1;
    // A hub that confirms nothing for this long is most likely behind a connection that died without a
    // word: a new connection finds out at once, and everything unconfirmed goes out again on it.
    const client = this.client;
    if (client?.connected) {
      this.lastConfirmAt = Date.now();
      client.end(true, undefined, () => client.reconnect());
      return;
    }
    this.restart();
    this.notify();
  }

  /**
   * Entries sent long ago that the outbox no longer holds were merged or shed by its budget while on
   * the way: no acknowledgement will name them, so they stop taking room among the unconfirmed.
   */
  private async forgetMerged(): Promise<void> {
    const now = Date.now();
    for (const [seq, sentAt] of [...this.unconfirmed]) {
      if (now - sentAt < this.o.confirmTimeoutMs || (await this.store.holds(seq))) continue;
      this.unconfirmed.delete(seq);
      this.wake?.();
    }
  }

  private async onCommand(topic: string, payload: Buffer): Promise<void> {
    if (topic !== topicFor(this.o.sensorId, 'commands')) return;
    const decoded = decodeMessage('commands', payload);
    if (!decoded.ok || decoded.message.sensorId !== this.o.sensorId) {
      this.counters.lastError = decoded.ok ? 'command for another sensor' : `bad command: ${decoded.detail}`;
      return;
    }
    await this.onAck(decoded.message);
  }

  /**
   * The hub's clock minus this sensor's, in milliseconds, or null before the hub has answered. Each
   * acknowledgement gives its send time less our receive time, which is the offset less the time on
   * the way; the largest of recent samples is the one that spent least on the way.
   */
  get hubClockOffsetMs(): number | null {
    return this.clockSamples.length === 0 ? null : Math.max(...this.clockSamples);
  }

  private async onAck(ack: AckCommand): Promise<void> {
    this.counters.hubAcks += 1;
    const sentAt = Date.parse(ack.sentAt);
    if (Number.isFinite(sentAt)) {
      this.clockSamples.push(sentAt - Date.now());
      if (this.clockSamples.length > 16) this.clockSamples.shift();
    }
    for (const seq of ack.stored) {
      if (await this.store.acknowledge(seq)) this.counters.confirmed += 1;
      this.unconfirmed.delete(seq);
    }
    for (const { seq, reason, detail } of ack.rejected) {
      if (await this.store.acknowledge(seq)) {
        this.counters.rejected += 1;
        this.o.onRejected?.(seq, reason, detail);
      }
      this.unconfirmed.delete(seq);
    }
    this.lastConfirmAt = Date.now();
    this.wake?.();
  }

  private status(state: Status['state'], seq: number): Status {
    const o = this.o;
    return { v: 1, sensorId: o.sensorId, seq, sentAt: new Date().toISOString(), state, location: o.location, version: o.version };
  }

  private async announce(): Promise<void> {
    const client = this.client;
    if (!client) return;
    const granted = await client.subscribeAsync(topicFor(this.o.sensorId, 'commands'), { qos: 1 });
    // A broker refuses a subscription in its SUBACK (0x80, MQTT 3.1.1 §3.9.3), not with an error.
    if (granted.some((g) => g.qos === 128)) throw new Error(`the broker refused the subscription to ${topicFor(this.o.sensorId, 'commands')}`);
    const { online } = await this.statusSeqs;
    client.publish(topicFor(this.o.sensorId, 'status'), JSON.stringify(this.status('online', online)), { qos: 1, retain: true });
  }

  private async sleep(): Promise<void> {
    await new Promise<void>((resolve) => (this.wake = resolve));
    this.wake = undefined;
  }

  private pump(): Promise<void> {
    if (this.pumping || !this.announced) return this.pumped;
    this.pumping = true;
    this.pumped = this.pumpOutbox();
    return this.pumped;
  }

  /**
   * Publishes what the outbox holds while the link is up. A read that fails (the store closing
   * under a stopping sensor, a disk error) ends this round and is counted; the outbox keeps every
   * entry, and the next connection pumps again.
   */
  private async pumpOutbox(): Promise<void> {
    try {
      while (this.client?.connected && this.announced && !this.closing) {
        const room = this.o.maxUnconfirmed - this.unconfirmed.size;
        const batch = room > 0 ? await this.store.pending(this.cursor, Math.min(room, this.o.maxInflight)) : [];
        if (batch.length === 0) {
          // Closing: its last wake-up may already have come while this read was under way.
          if (this.closing) break;
          await this.sleep();
          continue;
        }
        const generation = this.generation;
        for (const entry of batch) {
          while (this.inflight >= this.o.maxInflight && this.client.connected) await this.sleep();
          if (!this.client.connected || generation !== this.generation) break;
          this.cursor = entry.seq;
          this.inflight += 1;
          this.counters.published += 1;
          this.unconfirmed.set(entry.seq, Date.now());
          this.client.publish(entry.topic, entry.payload, { qos: 1 }, () => {
            this.inflight -= 1;
            this.wake?.();
          });
        }
      }
    } catch (err) {
      if (!this.closing) this.counters.lastError = `reading the outbox failed: ${(err as Error).message}`;
    } finally {
      this.pumping = false;
    }
  }
}
