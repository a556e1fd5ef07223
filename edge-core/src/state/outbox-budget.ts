/**
 * The two things the outbox does to stay within its budget (outbox-policy.ts states when): shed
 * the oldest behaviour summaries, and coalesce the waiting state updates of each fact into one.
 * Both run inside the outbox's one-change-at-a-time order (called from `Outbox.enqueue`).
 */
import { MAX_OBSERVATIONS_PER_BATCH } from '@wardsight/protocol';
import { UpdateCoalescer } from './outbox-coalesce.js';
import { observationBatchJson } from './outbox-findings.js';
import { classRange, entryFromStored, parseIndexKey, seqKey, type OutboxEntry } from './outbox-layout.js';
import type { Outbox } from './outbox.js';

/** Update entries read per request while coalescing. */
const READ_CHUNK = 256;

/** Removes the oldest behaviour summaries until `needBytes` are freed or none is left; returns the bytes freed. */
export async function shedOldestBehaviour(outbox: Outbox, needBytes: number): Promise<number> {
  let freed = 0;
  while (freed < needBytes && outbox.classTotals('behaviour').entries > 0) {
    const remove: { seq: number; cls: 'behaviour'; bytes: number }[] = [];
    let chunkBytes = 0;
    for await (const [key, value] of outbox.parts.index.iterator({ ...classRange('behaviour'), limit: outbox.options.shedChunk })) {
      const row = parseIndexKey(key);
      if (!row) continue;
      const bytes = Number(value) || 0;
      remove.push({ seq: row.seq, cls: 'behaviour', bytes });
      chunkBytes += bytes;
      if (freed + chunkBytes >= needBytes) break;
    }
    if (remove.length === 0) break;
    await outbox.apply({ remove, counters: { shedBehaviourMessages: remove.length, shedBehaviourBytes: chunkBytes } });
    freed += chunkBytes;
  }
  if (freed > 0) outbox.log.info({ freedBytes: freed, outbox: outbox.stats() }, 'outbox over budget: oldest behaviour summaries shed');
  return freed;
}

/**
 * Folds every waiting state update of each fact into one observation (outbox-coalesce.ts says why
 * this loses nothing the hub would show, and why the merged messages take new sequence numbers),
 * replacing the update entries in one atomic write. Returns the observations merged away.
 */
export async function coalesceUpdates(outbox: Outbox): Promise<number> {
  const rows: { seq: number; bytes: number }[] = [];
  for await (const [key, value] of outbox.parts.index.iterator(classRange('update'))) {
    const row = parseIndexKey(key);
    if (row) rows.push({ seq: row.seq, bytes: Number(value) || 0 });
  }
  const coalescer = new UpdateCoalescer();
  for (let i = 0; i < rows.length; i += READ_CHUNK) {
    const chunk = rows.slice(i, i + READ_CHUNK);
    const values = await outbox.parts.entries.getMany(chunk.map((r) => seqKey(r.seq)));
    chunk.forEach((row, j) => {
      const value = values[j];
      if (value === undefined) return;
      let entry: OutboxEntry;
      try {
        entry = entryFromStored(value);
      } catch {
        return; // damaged: left where it is, still counted against the budget
      }
      coalescer.add(entry, row.bytes);
    });
  }
  const merged = coalescer.observationsIn - coalescer.observationsOut;
  if (merged <= 0) {
    await outbox.apply({ counters: { coalesceRuns: 1 } });
    outbox.compactedUpdateBytes = outbox.classTotals('update').bytes;
    return 0;
  }
  const sentAt = new Date();
  const add: OutboxEntry[] = [];
  for (const stream of coalescer.merged()) {
    for (let i = 0; i < stream.observations.length; i += MAX_OBSERVATIONS_PER_BATCH) {
      const chunk = stream.observations.slice(i, i + MAX_OBSERVATIONS_PER_BATCH).join(',');
      const seq = outbox.takeSeqs(1);
      add.push({ seq, topic: stream.topic, payload: observationBatchJson(stream.sensorId, seq, chunk, sentAt), class: 'update' });
    }
  }
  const before = outbox.bytes;
  await outbox.apply({
    remove: coalescer.taken.map((t) => ({ seq: t.seq, cls: 'update' as const, bytes: t.bytes })),
    add,
    counters: { coalesceRuns: 1, coalescedObservations: merged, entriesRewritten: coalescer.taken.length, entriesWritten: add.length },
  });
  outbox.compactedUpdateBytes = outbox.classTotals('update').bytes;
  outbox.log.info({ observationsMerged: merged, entriesRewritten: coalescer.taken.length, entriesWritten: add.length, freedBytes: before - outbox.bytes, outbox: outbox.stats() }, 'outbox over budget: state updates coalesced');
  return merged;
}
