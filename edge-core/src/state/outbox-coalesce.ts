/**
 * Coalescing of state updates waiting in the outbox: every update observation of one fact (device,
 * attribute, value) folds into one, as the hub would fold them (hub/src/inventory/profile.ts
 * `applyObservation`): earliest first-seen, latest last-seen, highest confidence with its signal and
 * evidence (a later one wins a tie, as at the hub).
 *
 * Why the merged observations go out under new sequence numbers, and why the entries they replace
 * may be removed even if they were already sent:
 * - The hub applies a message at most once per `(sensorId, seq)`. A merged message under the number
 *   of one it replaces would be dropped as a repeat if that one had reached the hub, with the later
 *   sightings in it. New numbers, above every number used, make it a message of its own.
 * - An entry in the outbox is one the hub has not confirmed; an entry it has confirmed is already
 *   gone (`acknowledge`). An entry replaced while in flight may still reach the hub: the merged
 *   observation holds everything it held, and folding an observation twice changes nothing, so
 *   the hub ends where it would have. Its confirmation then finds nothing to remove.
 * - Every waiting update of a fact is folded at once, and the merged entry takes a number above all
 *   of them, so nothing queued after it can hold an older state of that fact; and since the hub's
 *   fold does not depend on order, first sightings queued before or after stay as they are.
 */
import type { OutboxEntry } from './outbox-layout.js';

/** An observation as the wire carries it (the contract's Observation). */
interface WireObservation {
  device: string;
  attribute: string;
  value: string;
  signal: string;
  evidence: string;
  confidence: number;
  firstSeen: string;
  lastSeen: string;
}

function isWireObservation(o: unknown): o is WireObservation {
  if (typeof o !== 'object' || o === null) return false;
  const r = o as Record<string, unknown>;
  return (
    typeof r.device === 'string' &&
    typeof r.attribute === 'string' &&
    typeof r.value === 'string' &&
    typeof r.signal === 'string' &&
    typeof r.evidence === 'string' &&
    typeof r.confidence === 'number' &&
    typeof r.firstSeen === 'string' &&
    typeof r.lastSeen === 'string'
  );
}

/** The observations of an ObservationBatch payload; null when it is not one. */
function observationsOf(payload: string): { sensorId: string; observations: WireObservation[] } | null {
  let message: unknown;
  try {
    message = JSON.parse(payload);
  } catch {
    return null;
  }
  const m = message as { sensorId?: unknown; observations?: unknown };
  if (typeof m !== 'object' || m === null || typeof m.sensorId !== 'string' || !Array.isArray(m.observations)) return null;
  return m.observations.every(isWireObservation) ? { sensorId: m.sensorId, observations: m.observations } : null;
}

/**
 * Folds `later` into `into`. Times are the contract's ISO 8601 UTC with milliseconds, all written by
 * one sensor the same way, so they order as strings.
 */
function fold(into: WireObservation, later: WireObservation): void {
  if (later.firstSeen < into.firstSeen) into.firstSeen = later.firstSeen;
  if (later.lastSeen > into.lastSeen) into.lastSeen = later.lastSeen;
  if (later.confidence >= into.confidence) {
    into.confidence = later.confidence;
    into.signal = later.signal;
    into.evidence = later.evidence;
  }
}

/** Merged observations of one message stream (topic and sender). */
export interface CoalescedStream {
  topic: string;
  sensorId: string;
  /** Each merged observation in its wire JSON, in the order its fact first appeared. */
  observations: string[];
}

/** Collects update entries, oldest first, and folds their observations per fact. */
export class UpdateCoalescer {
  private readonly streams = new Map<string, { topic: string; sensorId: string; facts: Map<string, WireObservation> }>();
  /** Entries taken in (to be replaced), with their sizes. */
  readonly taken: { seq: number; bytes: number }[] = [];
  observationsIn = 0;

  /** Takes an entry in; false (and the entry is left alone) when it is not an observation batch. */
  add(entry: OutboxEntry, bytes: number): boolean {
    const parsed = observationsOf(entry.payload);
    if (!parsed) return false;
    const streamKey = `${entry.topic}\n${parsed.sensorId}`;
    let stream = this.streams.get(streamKey);
    if (!stream) {
      stream = { topic: entry.topic, sensorId: parsed.sensorId, facts: new Map() };
      this.streams.set(streamKey, stream);
    }
    for (const o of parsed.observations) {
      // Device keys and attribute names hold no NUL, so the key is unambiguous whatever the value holds.
      const factKey = `${o.device}\u0000${o.attribute}\u0000${o.value}`;
      const known = stream.facts.get(factKey);
      if (known) fold(known, o);
      else stream.facts.set(factKey, { ...o });
    }
    this.observationsIn += parsed.observations.length;
    this.taken.push({ seq: entry.seq, bytes });
    return true;
  }

  get observationsOut(): number {
    let n = 0;
    for (const s of this.streams.values()) n += s.facts.size;
    return n;
  }

  /** The merged observations, per stream, as wire JSON (keys in the contract's order). */
  *merged(): IterableIterator<CoalescedStream> {
    for (const s of this.streams.values()) {
      const observations: string[] = [];
      for (const o of s.facts.values()) {
        const { device, attribute, value, signal, evidence, confidence, firstSeen, lastSeen } = o;
        observations.push(JSON.stringify({ device, attribute, value, signal, evidence, confidence, firstSeen, lastSeen }));
      }
      yield { topic: s.topic, sensorId: s.sensorId, observations };
    }
  }
}
