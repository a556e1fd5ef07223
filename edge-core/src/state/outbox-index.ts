/**
 * The outbox's index by class (outbox-layout.ts) at open: built for an outbox written before the
 * index existed, checked against the entries, rebuilt when they disagree, and summed per class.
 *
 * They disagree after an earlier version ran on the same store in between (an update rolled back to
 * the other slot): it queues and removes entries without index rows. The check reads only keys: an
 * earlier version counted the entries at every open the same way.
 */
import type { Logger } from 'pino';
import { entryFromStored, entrySize, indexKey, INDEX_READY_KEY, OUTBOX_CLASSES, parseIndexKey, type OutboxClass, type OutboxParts } from './outbox-layout.js';
import type { ClassTotals } from './outbox-policy.js';

/** Index rows written per atomic write while indexing. */
const INDEX_BUILD_CHUNK = 1000;

/** The index made to match the entries; returns the entries and bytes of each class. */
export async function openIndex(parts: OutboxParts, log: Logger): Promise<Map<OutboxClass, ClassTotals>> {
  const ready = (await parts.meta.get(INDEX_READY_KEY)) !== undefined;
  if (!ready || !(await indexMatchesEntries(parts))) {
    if (ready) log.warn('outbox index did not match its entries (an earlier version ran on this store): indexing again');
    await parts.index.clear();
    await buildIndex(parts, log);
  }
  const totals = new Map<OutboxClass, ClassTotals>(OUTBOX_CLASSES.map((c) => [c, { entries: 0, bytes: 0 }]));
  for await (const [key, value] of parts.index.iterator()) {
    const row = parseIndexKey(key);
    const t = row && totals.get(row.cls);
    if (!t) continue;
    t.entries += 1;
    t.bytes += Number(value) || 0;
  }
  return totals;
}

/** True when every entry has exactly one index row and every row an entry. */
async function indexMatchesEntries(parts: OutboxParts): Promise<boolean> {
  const indexed = new Set<number>();
  for await (const key of parts.index.keys()) {
    const row = parseIndexKey(key);
    if (!row || indexed.has(row.seq)) return false;
    indexed.add(row.seq);
  }
  let entries = 0;
  for await (const key of parts.entries.keys()) {
    if (!indexed.has(Number(key))) return false;
    entries += 1;
  }
  return entries === indexed.size;
}

/** Indexes every entry (their class as stated, or from their topic), then marks the index ready. */
async function buildIndex(parts: OutboxParts, log: Logger): Promise<void> {
  let write = parts.db.batch();
  let rows = 0;
  let indexed = 0;
  for await (const [key, value] of parts.entries.iterator()) {
    let cls: OutboxClass = 'other';
    try {
      cls = entryFromStored(value).class;
    } catch {
      // A damaged entry still counts against the budget, as other.
    }
    write.put(indexKey(cls, Number(key)), String(entrySize(key, value)), { sublevel: parts.index });
    indexed += 1;
    if (++rows >= INDEX_BUILD_CHUNK) {
      await write.write();
      write = parts.db.batch();
      rows = 0;
    }
  }
  write.put(INDEX_READY_KEY, '1', { sublevel: parts.meta });
  await write.write();
  if (indexed > 0) log.info({ entries: indexed }, 'outbox entries indexed by class');
}
