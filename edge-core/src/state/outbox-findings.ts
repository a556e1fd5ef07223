/**
 * Findings as outbox messages: the shards' batches written as the contract's ObservationBatch
 * (protocol/src/schemas.ts), first sightings and state updates in separate messages of at most
 * MAX_OBSERVATIONS_PER_BATCH observations, so that the budget policy can coalesce the updates
 * without touching a first sighting.
 */
import { CONTRACT_VERSION, MAX_OBSERVATIONS_PER_BATCH, topicFor } from '@wardsight/protocol';
import { encodeFindings, type FoundBatch } from './device-table.js';
import type { OutboxClass } from './outbox-layout.js';

/** A message to queue: its topic, its class, and its payload made once its sequence number is known. */
export interface OutboxItem {
  topic: string;
  build: (seq: number) => string;
  /** Inferred from the topic when absent: `behaviour` on the behaviour topic, else `other`. */
  class?: OutboxClass;
}

/**
 * An ObservationBatch around observations already in JSON. The envelope's values are a sensor id
 * (checked against the contract's pattern by the broker and the hub), a number and an ISO time.
 */
export function observationBatchJson(sensorId: string, seq: number, observationsJson: string, sentAt = new Date()): string {
  return `{"v":${CONTRACT_VERSION},"sensorId":${JSON.stringify(sensorId)},"seq":${seq},"sentAt":"${sentAt.toISOString()}","observations":[${observationsJson}]}`;
}

/** Observations (JSON each) as messages of at most MAX_OBSERVATIONS_PER_BATCH, all of one class. */
export function observationItems(sensorId: string, observations: readonly string[], cls: OutboxClass): OutboxItem[] {
  const topic = topicFor(sensorId, 'observations');
  const items: OutboxItem[] = [];
  for (let i = 0; i < observations.length; i += MAX_OBSERVATIONS_PER_BATCH) {
    const chunk = observations.slice(i, i + MAX_OBSERVATIONS_PER_BATCH).join(',');
    items.push({ topic, class: cls, build: (seq) => observationBatchJson(sensorId, seq, chunk) });
  }
  return items;
}

/**
 * The shards' batches as messages: first sightings first, then state updates. An observation whose
 * batch carries no `firstSightings` flag counts as a first sighting (it is then never dropped).
 */
export function findingItems(sensorId: string, batches: readonly FoundBatch[]): OutboxItem[] {
  const firsts: string[] = [];
  const updates: string[] = [];
  for (const batch of batches) {
    const flags = batch.firstSightings;
    const { observations } = encodeFindings(batch);
    for (let i = 0; i < observations.length; i++) {
      const json = observations[i] ?? '';
      if (flags === undefined || flags[i] !== 0) firsts.push(json);
      else updates.push(json);
    }
  }
  return [...observationItems(sensorId, firsts, 'first-sighting'), ...observationItems(sensorId, updates, 'update')];
}
