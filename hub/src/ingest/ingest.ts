/**
 * Ingest: one incoming MQTT message in, one decision out. Validates the topic and the payload
 * against the contract, checks that the payload speaks for the sensor whose topic it came on (the
 * broker ties topics to certificates), applies it at most once, and counts every refusal. It never
 * throws for a bad message: it is counted and ingest goes on. Each observation batch is then
 * acknowledged to its sensor, stored or refused, so the sensor knows what it may drop.
 */
import { decodeMessage, isValidatedKind, parseTopic } from '@wardsight/protocol';
import type { Logger } from 'pino';
import type { IngestRejection } from '../errors.js';
import type { AckSink } from './acks.js';
import type { HubMetrics } from '../metrics.js';
import type { HubStore } from '../store/hub-store.js';

/** The form `toISOString` gives, which most senders use already. */
const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A date-time that matches RFC 3339's pattern but names no real moment (month 19, say). */
class NoSuchTime extends Error {}

/** RFC 3339 date-time (already matched to the pattern) as `YYYY-MM-DDTHH:mm:ss.sssZ`. */
function utcIso(text: string): string {
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new NoSuchTime(`${text.slice(0, 40)} is not a moment in time`);
  return CANONICAL.test(text) ? text : new Date(t).toISOString();
}

/** The message's times, each in one UTC form, in place (the message is the caller's own, just parsed). */
function normalizeTimes(message: { observations?: { firstSeen: string; lastSeen: string }[]; devices?: unknown; intervalStart?: string; intervalEnd?: string }): void {
  for (const o of message.observations ?? []) {
    o.firstSeen = utcIso(o.firstSeen);
    o.lastSeen = utcIso(o.lastSeen);
  }
  if (message.intervalStart !== undefined && message.intervalEnd !== undefined && Array.isArray(message.devices)) {
    message.intervalStart = utcIso(message.intervalStart);
    message.intervalEnd = utcIso(message.intervalEnd);
    for (const d of message.devices as { firstSeen: string; lastSeen: string }[]) {
      d.firstSeen = utcIso(d.firstSeen);
      d.lastSeen = utcIso(d.lastSeen);
    }
  }
}

export type IngestOutcome = 'applied' | 'duplicate' | 'ignored' | IngestRejection;

export class Ingest {
  constructor(
    private readonly store: HubStore,
    private readonly metrics: HubMetrics,
    private readonly log: Logger,
    private readonly acks?: AckSink,
  ) {}

  async handle(topic: string, payload: Uint8Array): Promise<IngestOutcome> {
    const m = this.metrics.ingest;
    m.received += 1;
    const parsed = parseTopic(topic);
    if (!parsed) return this.reject('unknownTopic', topic, 'not a contract topic');
    if (parsed.kind === 'commands' || !isValidatedKind(parsed.kind)) return 'ignored';
    // A retained status or health may be cleared with an empty payload: nothing to apply.
    if (payload.byteLength === 0) return 'ignored';
    // Observations and behaviour come from the sensor's outbox: it keeps them until the hub says it has them.
    const outboxed = parsed.kind === 'observations' || parsed.kind === 'behaviour';
    const decoded = decodeMessage(parsed.kind, payload);
    if (!decoded.ok) {
      const reason = decoded.reason === 'not-json' ? 'notJson' : 'schema';
      if (outboxed && decoded.seq !== undefined) this.acks?.rejected(parsed.sensorId, decoded.seq, reason, decoded.detail);
      return this.reject(reason, topic, decoded.detail);
    }
    const message = decoded.message;
    if (message.sensorId !== parsed.sensorId) {
      const detail = `payload says sensor ${message.sensorId}, topic belongs to ${parsed.sensorId}`;
      if (outboxed) this.acks?.rejected(parsed.sensorId, message.seq, 'identityMismatch', detail);
      return this.reject('identityMismatch', topic, detail);
    }
    // Times are compared as text in the store: bring every offset and precision to one UTC form.
    try {
      normalizeTimes(message as Parameters<typeof normalizeTimes>[0]);
    } catch (err) {
      if (!(err instanceof NoSuchTime)) throw err;
      if (outboxed) this.acks?.rejected(parsed.sensorId, message.seq, 'schema', err.message);
      return this.reject('schema', topic, err.message);
    }
    const receivedAt = new Date().toISOString();
    // A store failure rejects: the caller says so, and the sender keeps what was not acknowledged.
    let fresh: boolean;
    if ('observations' in message) {
      fresh = await this.store.applyObservations(message.sensorId, message.seq, message.observations, receivedAt);
      if (fresh) m.observationsApplied += message.observations.length;
    } else if ('intervalStart' in message) {
      fresh = await this.store.applyBehaviour(message, receivedAt);
    } else if ('state' in message) {
      fresh = await this.store.recordStatus(message, receivedAt);
    } else {
      fresh = await this.store.recordHealth(message, receivedAt);
    }
    if (fresh) m.applied += 1;
    else m.duplicates += 1;
    // A status is acknowledged too: a sensor that has just connected learns that the hub itself (not
    // only the broker) hears it, even when it has nothing new to report.
    if (outboxed || parsed.kind === 'status') this.acks?.stored(message.sensorId, message.seq);
    this.log.debug({ topic, seq: message.seq, outcome: fresh ? 'applied' : 'duplicate' }, 'message ingested');
    return fresh ? 'applied' : 'duplicate';
  }

  private reject(reason: IngestRejection, topic: string, detail: string): IngestRejection {
    this.metrics.ingest.rejected[reason] += 1;
    this.metrics.ingest.lastRejection = { reason, topic, detail: detail.slice(0, 300), at: new Date().toISOString() };
    this.log.warn({ reason, topic, detail }, 'message rejected');
    return reason;
  }
}
