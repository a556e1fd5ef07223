/**
 * One simulated sensor, as the hub sees a real one: its own key pair, a certificate obtained through
 * the hub's enrolment (`POST /api/v1/enrol` with its one-time token and a certificate request), one
 * MQTT/TLS connection with that certificate, its commands topic subscribed. It publishes observation
 * batches at QoS 1 with at most `inFlight` awaiting the hub's `ack`, and a batch counts as done only
 * when an `ack` names it as stored — a broker's PUBACK says nothing about the store. A batch with no
 * `ack` after `confirmTimeoutMs` goes again, as the appliance's uplink does: the hub instance that
 * took it may have gone away with it.
 */
import { createCertificateRequest } from '@wardsight/provisioning';
import { decodeMessage, encodeMessage, topicFor, type DeviceKey } from '@wardsight/protocol';
import mqtt, { type MqttClient } from 'mqtt';
import { HubBenchError } from './hub-errors.js';
import type { HubApi } from './hub-https.js';
import type { ObservationSource } from './hub-observations.js';
import type { SendWindow, WindowUser } from './hub-fleet-window.js';

/** What every sensor of one fleet process adds to. */
export interface FleetTally {
  publishedBatches: number;
  ackedBatches: number;
  ackedObservations: number;
  resentBatches: number;
  rejected: Record<string, number>;
  disconnects: number;
  errors: number;
  firstError: string | null;
  ackLatencyMs: number[];
  /** Latencies are kept from the window's start only; false until then. */
  timing: boolean;
}

export const sensorDefaults = {
  connectTimeoutMs: 30_000,
  /** A reconnecting sensor waits this long between attempts, as the appliance does. */
  reconnectPeriodMs: 1000,
  /**
   * How long a refused subscription is tried again. Behind Mosquitto the hub admits a sensor to the
   * broker after its register answers the technician, so a sensor enrolled and connected straight
   * after may find its rights not yet in place.
   */
  admissionWaitMs: 15_000,
  admissionRetryMs: 250,
  /** Latency samples kept per fleet process; enough for percentiles, bounded in memory. */
  maxLatencySamples: 200_000,
};

interface InFlight {
  payload: Buffer;
  /** When it was first sent: acknowledgement latency is counted from here. */
  sentAt: number;
  /** When it was last sent: it goes again `confirmTimeoutMs` after this. */
  lastSentAt: number;
  observations: number;
  devices: DeviceKey[];
}

/** A sensor's private key and the certificate the hub signed for it, PEM. */
export interface SensorIdentity {
  key: string;
  cert: string;
}

export function noteError(tally: FleetTally, message: string): void {
  tally.errors += 1;
  tally.firstError ??= message.slice(0, 300);
}

export class BenchSensor implements WindowUser {
  private client: MqttClient | undefined;
  private readonly pending = new Map<number, InFlight>();
  private publishing = false;
  private connections = 0;
  /** Whether the connection dropped while publishing. */
  dropped = false;
  /** With device reporting on: the devices of its acknowledged batches. */
  readonly acknowledged: Set<DeviceKey> | null;

  constructor(
    readonly id: string,
    private readonly source: ObservationSource,
    private readonly tally: FleetTally,
    private readonly window: SendWindow,
    private readonly o: { batch: number; inFlight: number; confirmTimeoutMs: number; reportDevices: boolean },
  ) {
    this.acknowledged = o.reportDevices ? new Set() : null;
  }

  /** First boot: a key made here, a certificate request with the token, the certificate back. */
  async enrol(api: HubApi, token: string): Promise<SensorIdentity> {
    const { csrPem, keyPem } = await createCertificateRequest(this.id);
    try {
      const answer = await api.call<{ sensorId: string; certificate: string }>('POST', '/api/v1/enrol', 201, { token, csr: csrPem });
      if (answer.sensorId !== this.id) throw new Error(`the hub enrolled ${answer.sensorId} instead`);
      return { key: keyPem, cert: answer.certificate };
    } catch (err) {
      throw new HubBenchError('BENCH_ERR_HUB_ENROL', `sensor ${this.id}: ${(err as Error).message}`, { cause: err });
    }
  }

  /** Connects with its certificate and subscribes to its commands; resolves once both are done. */
  async connect(url: string, ca: string, identity: SensorIdentity): Promise<void> {
    const client = mqtt.connect(url, {
      clientId: `sensor-${this.id}`,
      protocolVersion: 4,
      clean: true,
      ca,
      cert: identity.cert,
      key: identity.key,
      reconnectPeriod: sensorDefaults.reconnectPeriodMs,
      connectTimeout: sensorDefaults.connectTimeoutMs,
    });
    this.client = client;
    client.on('message', (_topic, payload) => this.onCommand(payload));
    client.on('error', (err) => noteError(this.tally, `sensor ${this.id}: ${err.message}`));
    client.on('close', () => {
      if (!this.publishing) return;
      if (!this.dropped) this.tally.disconnects += 1;
      this.dropped = true;
    });
    client.on('connect', () => {
      this.connections += 1;
      // Back after a drop: acknowledgements sent meanwhile are lost with the old session, so every
      // batch still waiting goes again; the hub applies each (sensor, seq) once and acknowledges it again.
      if (this.connections > 1) for (const [, p] of this.pending) this.sendAgain(p, performance.now());
    });
    const first = await Promise.race([
      new Promise<true>((resolve) => client.once('connect', () => resolve(true))),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), sensorDefaults.connectTimeoutMs).unref()),
    ]);
    if (!first) {
      client.end(true);
      throw new HubBenchError('BENCH_ERR_HUB_CONNECT', `sensor ${this.id} not connected to ${url} after ${sensorDefaults.connectTimeoutMs} ms (${this.tally.firstError ?? 'no error reported'})`);
    }
    await this.subscribeCommands(client);
  }

  private async subscribeCommands(client: MqttClient): Promise<void> {
    const deadline = performance.now() + sensorDefaults.admissionWaitMs;
    for (;;) {
      try {
        await client.subscribeAsync(topicFor(this.id, 'commands'), { qos: 1 });
        return;
      } catch (err) {
        if (performance.now() >= deadline) throw new HubBenchError('BENCH_ERR_HUB_CONNECT', `sensor ${this.id} could not subscribe to its commands within ${sensorDefaults.admissionWaitMs} ms: ${(err as Error).message}`, { cause: err });
      }
      await new Promise((r) => setTimeout(r, sensorDefaults.admissionRetryMs));
    }
  }

  start(): void {
    this.publishing = true;
    this.topUp();
  }

  stop(): void {
    this.publishing = false;
  }

  resume(): void {
    this.topUp();
  }

  /** Batches sent and not yet acknowledged or refused. */
  get waiting(): number {
    return this.pending.size;
  }

  /** Sequence numbers 1 to this have been published. */
  get lastSeq(): number {
    return this.source.lastSeq;
  }

  /** Sends again, on the connection it has, each batch unacknowledged `confirmTimeoutMs` after it was last sent. */
  resendOverdue(now: number): void {
    if (!this.client?.connected) return;
    for (const [, p] of this.pending) if (now - p.lastSentAt >= this.o.confirmTimeoutMs) this.sendAgain(p, now);
  }

  async close(): Promise<void> {
    this.publishing = false;
    const client = this.client;
    if (!client) return;
    await Promise.race([client.endAsync(), new Promise((r) => setTimeout(r, 5000).unref())]);
    client.end(true);
  }

  private topUp(): void {
    while (this.publishing && this.pending.size < this.o.inFlight && this.window.take(this)) {
      const { batch, devices } = this.source.next(this.o.batch);
      const payload = encodeMessage(batch);
      const now = performance.now();
      this.pending.set(batch.seq, { payload, sentAt: now, lastSentAt: now, observations: batch.observations.length, devices });
      this.send(payload, false);
    }
  }

  private sendAgain(p: InFlight, now: number): void {
    p.lastSentAt = now;
    this.send(p.payload, true);
  }

  private send(payload: Buffer, again: boolean): void {
    if (again) this.tally.resentBatches += 1;
    else this.tally.publishedBatches += 1;
    this.client?.publish(topicFor(this.id, 'observations'), payload, { qos: 1 }, (err) => {
      if (err) noteError(this.tally, `sensor ${this.id} publish: ${err.message}`);
    });
  }

  private onCommand(payload: Buffer): void {
    const decoded = decodeMessage('commands', payload);
    if (!decoded.ok || decoded.message.sensorId !== this.id) {
      noteError(this.tally, `sensor ${this.id}: a command that is not this sensor's ack (${decoded.ok ? decoded.message.sensorId : decoded.detail})`);
      return;
    }
    const t = this.tally;
    const now = performance.now();
    for (const seq of decoded.message.stored) {
      const p = this.pending.get(seq);
      // Acknowledged before (a resend's second ack): counted once.
      if (!p) continue;
      this.pending.delete(seq);
      this.window.give();
      t.ackedBatches += 1;
      t.ackedObservations += p.observations;
      if (t.timing && t.ackLatencyMs.length < sensorDefaults.maxLatencySamples) t.ackLatencyMs.push(now - p.sentAt);
      if (this.acknowledged) for (const d of p.devices) this.acknowledged.add(d);
    }
    for (const r of decoded.message.rejected) {
      if (!this.pending.delete(r.seq)) continue;
      this.window.give();
      t.rejected[r.reason] = (t.rejected[r.reason] ?? 0) + 1;
      t.firstError ??= `sensor ${this.id} batch ${r.seq} refused: ${r.reason} ${r.detail}`.slice(0, 300);
    }
    this.topUp();
  }
}
