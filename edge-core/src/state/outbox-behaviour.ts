/**
 * Behaviour summaries as outbox messages: one interval's devices as the contract's BehaviourBatch
 * (protocol/src/schemas.ts), at most MAX_BEHAVIOUR_DEVICES per message, in the `behaviour` class —
 * the first the outbox sheds when it runs out of room, oldest first.
 */
import { CONTRACT_VERSION, MAX_BEHAVIOUR_DEVICES, topicFor, type BehaviourBatch } from '@wardsight/protocol';
import type { IntervalBehaviour } from './behaviour.js';
import type { OutboxItem } from './outbox-findings.js';

export function behaviourItems(sensorId: string, summary: IntervalBehaviour): OutboxItem[] {
  const topic = topicFor(sensorId, 'behaviour');
  const intervalStart = new Date(summary.intervalStart).toISOString();
  const intervalEnd = new Date(summary.intervalEnd).toISOString();
  const items: OutboxItem[] = [];
  for (let i = 0; i < summary.devices.length; i += MAX_BEHAVIOUR_DEVICES) {
    const devices = summary.devices.slice(i, i + MAX_BEHAVIOUR_DEVICES);
    items.push({
      topic,
      class: 'behaviour',
      build: (seq) => JSON.stringify({ v: CONTRACT_VERSION, sensorId, seq, sentAt: new Date().toISOString(), intervalStart, intervalEnd, devices } satisfies BehaviourBatch),
    });
  }
  return items;
}
