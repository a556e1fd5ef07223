/** What the hub keeps, behind one interface so that other stores can be added and held to one contract. */
import type { BehaviourBatch, DeviceBehaviour, DeviceKey, Health, Location, Observation, Status } from '@wardsight/protocol';
import type { DeviceRecord } from '../inventory/profile.js';
import type { Sighting } from './resolution.js';
import type { EnrolmentRecord } from '../sensors/enrolment-record.js';

export interface SensorRecord {
  id: string;
  location: Location | null;
  state: 'online' | 'offline' | 'unknown';
  stateChangedAt: string | null;
  /** When the hub last heard anything from the sensor. */
  lastMessageAt: string;
  version: string | null;
  health: Health | null;
  /** When the latest health report arrived (the hub's clock); absent from records kept before it was. */
  healthAt?: string | null;
  lastStatusSeq: number;
  lastHealthSeq: number;
}

/**
 * An analyst's statement of one attribute of one device (its model, say). It names that device and,
 * through its learned fingerprint, the device's look-alikes; `by` and `at` say who made it and when.
 */
export interface LabelRecord {
  deviceKey: DeviceKey;
  /** A classify attribute other than the host name (the routes check which). */
  attribute: string;
  value: string;
  /** The authenticated username that made the label. */
  by: string;
  /** ISO 8601 time the label was made or last changed. */
  at: string;
}

/** One change of a collection batch. */
export type CollectionOp = { type: 'put'; key: string; value: string } | { type: 'del'; key: string };

/** A key range of a collection; keys compare as strings. */
export interface CollectionRange {
  gte?: string;
  gt?: string;
  lte?: string;
  lt?: string;
  reverse?: boolean;
  limit?: number;
}

/**
 * A named, ordered key-value collection in the hub's store: what a part of the hub keeps of its own
 * (movements, baselines, alerts, asset records, delivery queues) without widening this interface
 * for each. Values are text (JSON by convention); a batch is atomic.
 */
export interface Collection {
  get(key: string): Promise<string | undefined>;
  put(key: string, value: string): Promise<void>;
  del(key: string): Promise<void>;
  batch(ops: CollectionOp[]): Promise<void>;
  /** Entries in key order (or reverse), within the range. */
  entries(range?: CollectionRange): AsyncIterable<[string, string]>;
}

/** Names a collection may take: lower-case words joined by dashes. */
export const COLLECTION_NAME = /^[a-z][a-z0-9-]{0,40}$/;

/**
 * Work for the hub's analysis (location, behaviour, anomalies), written in the same atomic batch as
 * the message it came from, so a message applied is never a message forgotten by the analysis: the
 * journal keeps each entry until the analysis says it is done with it.
 */
export type JournalEntry =
  | { id: string; kind: 'observations'; sensorId: string; seq: number; receivedAt: string; sightings: Sighting[] }
  | {
      id: string;
      kind: 'behaviour';
      sensorId: string;
      seq: number;
      receivedAt: string;
      intervalStart: string;
      intervalEnd: string;
      /** Each device under the id it is known by at the hub (aliases resolved). */
      devices: DeviceBehaviour[];
    };

export interface HubStore {
  /**
   * The collection of that name, made on first use. Names used by the store itself (`devices`,
   * `applied`, `sensors`, `labels`, `enrolments`, `settings`) are refused.
   */
  collection(name: string): Collection;
  /**
   * Applies one observation batch atomically, at most once per `(sensorId, seq)`.
   * Returns false when that batch was applied before (a resend), changing nothing.
   */
  applyObservations(sensorId: string, seq: number, observations: Observation[], receivedAt: string): Promise<boolean>;
  /** Journals a behaviour batch for the analysis, at most once per `(sensorId, seq)`; false for a resend. */
  applyBehaviour(batch: BehaviourBatch, receivedAt: string): Promise<boolean>;
  /** The oldest journal entries not yet done, at most `limit`, after the entry `after` when given. */
  readJournal(limit: number, after?: string): Promise<JournalEntry[]>;
  /** Removes journal entries the analysis is done with. */
  completeJournal(ids: string[]): Promise<void>;
  /** The number of the latest journal entry written (entry ids are this number, zero-padded). */
  readonly journalWritten: number;
  /** Calls `listener` after each journal write (one listener; a second replaces the first). */
  onJournal(listener: () => void): void;
  /** Records a sensor's online/offline status; returns false for a message already seen. */
  recordStatus(status: Status, receivedAt: string): Promise<boolean>;
  recordHealth(health: Health, receivedAt: string): Promise<boolean>;
  listDevices(): Promise<DeviceRecord[]>;
  /**
   * The device a key names: its own record, the record a MAC was merged into, or for an `ip:` key
   * without a record of its own, the device that holds that address now.
   */
  getDevice(key: DeviceKey): Promise<DeviceRecord | undefined>;
  listSensors(): Promise<SensorRecord[]>;
  getSensor(id: string): Promise<SensorRecord | undefined>;
  /** Sets the one label of this device's attribute, replacing any earlier one. */
  putLabel(deviceKey: DeviceKey, attribute: string, value: string, by: string, at: string): Promise<LabelRecord>;
  listLabels(): Promise<LabelRecord[]>;
  /** Removes the label; returns false when there was none. */
  deleteLabel(deviceKey: DeviceKey, attribute: string): Promise<boolean>;
  getSetting(name: string): Promise<string | undefined>;
  getEnrolment(sensorId: string): Promise<EnrolmentRecord | undefined>;
  listEnrolments(): Promise<EnrolmentRecord[]>;
  /**
   * Reads one sensor's enrolment record, lets `change` decide (it may throw to change nothing) and
   * writes what it returns, all as one step of the store's writer: two enrolments with one token
   * cannot both succeed.
   */
  changeEnrolment<T>(sensorId: string, change: (current: EnrolmentRecord | undefined) => Promise<{ next: EnrolmentRecord; result: T }>): Promise<T>;
  putSetting(name: string, value: string): Promise<void>;
  /**
   * Takes the named role (`analysis`: the one instance that analyses the journal) for as long as
   * this process runs, unless another hub instance on the same store holds it; true when this
   * instance holds it. A store only one process can open holds every role.
   */
  tryLead(role: string): Promise<boolean>;
  close(): Promise<void>;
}
