/** Shared pieces of the HubStore conformance suite: the store under test, fixtures and waits. */
import { afterEach } from 'vitest';
import type { BehaviourBatch, DeviceKey, Observation } from '@wardsight/protocol';
import type { CollectionRange, HubStore } from '../src/store/hub-store.js';
import type { EnrolmentRecord } from '../src/sensors/enrolment-record.js';
import { FLOOR2, observation } from './fixtures.js';

/** One fresh, empty store for one test, and the way back to its data. */
export interface StoreUnderTest {
  store: HubStore;
  /** A new store over the same data; the suite has closed the one before it. */
  reopen(): Promise<HubStore>;
  /** Removes the data; the suite has closed every store it was handed. */
  cleanup(): Promise<void>;
}

/** Makes a fresh, empty store per test. */
export interface StoreFactory {
  open(): Promise<StoreUnderTest>;
}

export const RECEIVED = '2024-05-01T10:06:00.000Z';
export const LATER = '2024-05-01T10:07:00.000Z';
export const A = 'mac:00:09:fb:00:00:0a';
export const B = 'mac:00:1b:63:00:00:0b';
export const ADDRESS = '10.10.1.50';
export const CLIENT_ID = 'ff:00:00:00:01:00:01:2c:11:22:33';

export const macOf = (i: number): DeviceKey => `mac:02:00:00:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`;
export const at = (hhmm: string): string => `2024-05-01T${hhmm}:00.000Z`;
export const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** An observation of `device` over one moment. */
export function seen(device: DeviceKey, attribute: string, value: string, signal: string, when: string): Observation {
  return observation({ device, attribute, value, signal, evidence: `${signal} ${value}`, confidence: 0.9, firstSeen: when, lastSeen: when });
}

/** A behaviour batch of one device talking HL7 for five minutes. */
export function behaviour(sensorId: string, seq: number, device: DeviceKey): BehaviourBatch {
  const peer = { address: '10.20.0.10', port: 2575, transport: 'tcp' as const, role: 'client' as const, app: 'hl7', packets: 10, bytes: 2000 };
  const summary = { device, addresses: [ADDRESS], firstSeen: at('10:00'), lastSeen: at('10:04'), packets: 10, bytes: 2000, peers: [peer], peersOmitted: 0 };
  return { v: 1, sensorId, seq, sentAt: at('10:05'), intervalStart: at('10:00'), intervalEnd: at('10:05'), devices: [summary] };
}

/** An enrolment record awaiting its sensor, with one unused token. */
export function enrolment(id: string): EnrolmentRecord {
  return {
    id,
    name: '2nd floor closet',
    location: FLOOR2,
    captureInterface: 'eth1',
    state: 'awaiting-enrolment',
    createdAt: RECEIVED,
    createdBy: 'admin',
    token: { hash: 'ab'.repeat(32), issuedAt: RECEIVED, expiresAt: LATER },
    retiredTokens: [],
    certificate: null,
    revokedCertificates: [],
    replacements: 0,
    revokedAt: null,
    revokedBy: null,
  };
}

/** Waits until `condition` holds, failing after a few seconds. */
export async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(5);
  }
}

/** The keys of a collection, in the order its entries come. */
export async function keysOf(store: HubStore, name: string, range?: CollectionRange): Promise<string[]> {
  const keys: string[] = [];
  for await (const [key] of store.collection(name).entries(range)) keys.push(key);
  return keys;
}

/** The store of the running test: opened fresh, reopened on demand, closed and removed after it. */
export function useStore(factory: StoreFactory): { open(): Promise<HubStore>; reopen(): Promise<HubStore> } {
  let underTest: StoreUnderTest | undefined;
  let current: HubStore | undefined;
  afterEach(async () => {
    const [made, open] = [underTest, current];
    underTest = current = undefined;
    try {
      await open?.close();
    } finally {
      await made?.cleanup();
    }
  });
  return {
    async open() {
      underTest = await factory.open();
      current = underTest.store;
      return current;
    },
    async reopen() {
      if (!underTest) throw new Error('reopen before open');
      const before = current;
      current = undefined;
      await before?.close();
      current = await underTest.reopen();
      return current;
    },
  };
}

/** The store of the running test, as the suite's parts use it. */
export type StoreSubject = ReturnType<typeof useStore>;
