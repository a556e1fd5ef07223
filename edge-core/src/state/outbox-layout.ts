/**
 * How the outbox lies in the sensor's LevelDB store: the entries, an index of them by class, and the
 * keys of the meta part it uses. Every change to the outbox writes the entries, their index rows and
 * the meta values they move in one atomic batch, so the three never disagree after a power loss.
 *
 * - `outbox`: `seqKey(seq)` → `{"seq","topic","payload","class"}` (JSON). Entries written before
 *   classes existed have no `class`; theirs is inferred from the topic (`classOfTopic`).
 * - `outboxindex`: `<class code><seqKey(seq)>` → the entry's size in bytes. Ordered by class, then
 *   by sequence, so "the oldest behaviour summaries" or "every state update" is one range read, and
 *   the totals at open are a scan of small rows rather than of every message.
 * - `meta`: `seq` (the sequence counter), `outbox-index` (set once the index covers every entry),
 *   `outbox-counters` (what the budget policy has shed and coalesced, as JSON).
 */
import type { ClassicLevel } from 'classic-level';
import { parseTopic } from '@wardsight/protocol';

export type Db = ClassicLevel<string, string>;

/** The parts of the store the outbox writes, made once: a sublevel has its own open state. */
export function outboxParts(db: Db) {
  const part = (name: string) => db.sublevel<string, string>(name, { valueEncoding: 'utf8' });
  return { db, entries: part('outbox'), index: part('outboxindex'), meta: part('meta') };
}
export type OutboxParts = ReturnType<typeof outboxParts>;

/**
 * What an entry carries, for the budget policy (outbox-policy.ts):
 * - `first-sighting`: the first report of a fact; never dropped.
 * - `update`: a state update of a fact already reported (a refresh or a confidence rise); may be
 *   coalesced with other updates of the same fact, never dropped outright.
 * - `behaviour`: a per-device communication summary for an interval; shed oldest first.
 * - `other`: anything else (and entries from before classes existed); never dropped or rewritten.
 */
export type OutboxClass = 'first-sighting' | 'update' | 'behaviour' | 'other';
export const OUTBOX_CLASSES: readonly OutboxClass[] = ['first-sighting', 'update', 'behaviour', 'other'];

/** One character per class, the first of its index keys. */
export const CLASS_CODE: Readonly<Record<OutboxClass, string>> = { 'first-sighting': 'f', update: 'u', behaviour: 'b', other: 'o' };
const CLASS_OF_CODE: Readonly<Record<string, OutboxClass>> = { f: 'first-sighting', u: 'update', b: 'behaviour', o: 'other' };

export const SEQ_KEY = 'seq';
export const INDEX_READY_KEY = 'outbox-index';
export const COUNTERS_KEY = 'outbox-counters';

/** A sequence number as a key that sorts as the number does (16 digits: microseconds until 2286). */
export const seqKey = (seq: number): string => seq.toString().padStart(16, '0');

export const indexKey = (cls: OutboxClass, seq: number): string => CLASS_CODE[cls] + seqKey(seq);

/** An index key back as class and sequence; null for a row this version does not know. */
export function parseIndexKey(key: string): { cls: OutboxClass; seq: number } | null {
  const cls = CLASS_OF_CODE[key.charAt(0)];
  const seq = Number(key.slice(1));
  return cls && Number.isSafeInteger(seq) ? { cls, seq } : null;
}

/** The range of index keys of one class, oldest first. */
export function classRange(cls: OutboxClass): { gte: string; lt: string } {
  const code = CLASS_CODE[cls];
  return { gte: code, lt: String.fromCharCode(code.charCodeAt(0) + 1) };
}

/** The class of an entry that does not say: summaries on the behaviour topic, everything else `other`. */
export function classOfTopic(topic: string): OutboxClass {
  return parseTopic(topic)?.kind === 'behaviour' ? 'behaviour' : 'other';
}

/** An entry as stored. */
export interface StoredEntry {
  seq: number;
  topic: string;
  payload: string;
  class?: OutboxClass;
}

/** An entry as the outbox hands it out, with its class (stated or inferred). */
export interface OutboxEntry {
  seq: number;
  topic: string;
  payload: string;
  class: OutboxClass;
}

export function entryFromStored(value: string): OutboxEntry {
  const stored = JSON.parse(value) as StoredEntry;
  const cls = stored.class !== undefined && OUTBOX_CLASSES.includes(stored.class) ? stored.class : classOfTopic(stored.topic);
  return { seq: stored.seq, topic: stored.topic, payload: stored.payload, class: cls };
}

/**
 * An entry's size as the budget counts it: the UTF-8 bytes of its key and stored value. LevelDB's
 * own overhead (write-ahead log, levels awaiting compaction) comes on top, and its block compression
 * takes some off; the index rows (about 30 bytes an entry) are not counted.
 */
export function entrySize(key: string, value: string): number {
  return Buffer.byteLength(key) + Buffer.byteLength(value);
}
