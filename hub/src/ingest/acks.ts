/**
 * Tells each sensor which of its messages the hub has stored or refused for good, on the sensor's
 * commands topic. Acknowledgements are gathered for a moment and sent one message per sensor.
 */
import { encodeMessage, topicFor, type AckCommand } from '@wardsight/protocol';

export interface AckSink {
  stored(sensorId: string, seq: number): void;
  rejected(sensorId: string, seq: number, reason: string, detail: string): void;
}

export type PublishFn = (topic: string, payload: Buffer) => void;

export const ackDefaults = {
  /** How long acknowledgements are gathered before they go out. */
  flushMs: 100,
  /** A sensor's acknowledgements go out at once past this many. */
  maxPerMessage: 1000,
};

export class AckPublisher implements AckSink {
  private readonly pending = new Map<string, Pick<AckCommand, 'stored' | 'rejected'>>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly publish: PublishFn,
    private readonly options = ackDefaults,
  ) {}

  stored(sensorId: string, seq: number): void {
    this.entry(sensorId).stored.push(seq);
    this.schedule(sensorId);
  }

  rejected(sensorId: string, seq: number, reason: string, detail: string): void {
    this.entry(sensorId).rejected.push({ seq, reason: reason.slice(0, 64), detail: detail.slice(0, 300) });
    this.schedule(sensorId);
  }

  /** Sends everything gathered so far. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const sensorId of [...this.pending.keys()]) this.send(sensorId);
  }

  private entry(sensorId: string): Pick<AckCommand, 'stored' | 'rejected'> {
    let e = this.pending.get(sensorId);
    if (!e) {
      e = { stored: [], rejected: [] };
      this.pending.set(sensorId, e);
    }
    return e;
  }

  private schedule(sensorId: string): void {
    const e = this.pending.get(sensorId);
    if (e && e.stored.length + e.rejected.length >= this.options.maxPerMessage) this.send(sensorId);
    else this.timer ??= setTimeout(() => this.flush(), this.options.flushMs);
  }

  private send(sensorId: string): void {
    const e = this.pending.get(sensorId);
    this.pending.delete(sensorId);
    if (!e || e.stored.length + e.rejected.length === 0) return;
    const ack: AckCommand = { v: 1, command: 'ack', sensorId, sentAt: new Date().toISOString(), stored: e.stored, rejected: e.rejected };
    this.publish(topicFor(sensorId, 'commands'), encodeMessage(ack));
  }
}
