/** Messages and stores for hub tests: small, valid by the contract, each field chosen by the test. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { Health, Location, Observation, ObservationBatch, Status } from '@wardsight/protocol';
import { ensureAdminCredential, readAdminCredential } from '../src/auth/credentials.js';
import type { HubStore } from '../src/store/hub-store.js';

export const INFUSION_PUMP = 'mac:00:09:fb:12:34:56';
export const PATIENT_MONITOR = 'mac:00:1b:63:aa:bb:01';

export const FLOOR2: Location = { site: 'St Mary', building: 'North', floor: '2' };

/** One observation; defaults describe a vendor seen from the OUI of an infusion pump. */
export function observation(change: Partial<Observation> = {}): Observation {
  return {
    device: INFUSION_PUMP,
    attribute: 'vendor',
    value: 'B. Braun',
    signal: 'oui',
    evidence: '00:09:fb',
    confidence: 0.5,
    firstSeen: '2024-05-01T10:00:00.000Z',
    lastSeen: '2024-05-01T10:05:00.000Z',
    ...change,
  };
}

export function batch(sensorId: string, seq: number, observations: Observation[]): ObservationBatch {
  return { v: 1, sensorId, seq, sentAt: '2024-05-01T10:05:01.000Z', observations };
}

export function status(sensorId: string, seq: number, state: Status['state'], location: Location = FLOOR2): Status {
  return { v: 1, sensorId, seq, sentAt: '2024-05-01T10:05:01.000Z', state, location, version: '0.1.0' };
}

export function health(sensorId: string, seq: number, devices = 3): Health {
  return {
    v: 1,
    sensorId,
    seq,
    sentAt: '2024-05-01T10:05:01.000Z',
    version: '0.1.0',
    uptimeS: 60,
    memRssMB: 80,
    peakRssMB: 90,
    cpuPct: 4.5,
    devices,
    outboxDepth: 0,
    capture: { packets: 1000, received: 1000, dropped: 0, ifDropped: 0, malformed: 2, queueDrops: 0, lost: 0, restarts: 0 },
    location: FLOOR2,
  };
}

export const payload = (message: unknown): Buffer => Buffer.from(JSON.stringify(message), 'utf8');

/** Registers cleanup in the calling test file and returns a factory for fresh temporary directories. */
export function useTempDirs(prefix = 'wardsight-hub-'): () => Promise<string> {
  const made: string[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return async () => {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    made.push(dir);
    return dir;
  };
}

/** The hub's first-run credential, made in `dir` as a hub makes it, and the Basic header a client sends with it. */
export async function adminLogin(store: HubStore, dir: string): Promise<{ authorization: string; username: string; password: string }> {
  const file = join(dir, 'admin-credential.json');
  await ensureAdminCredential(store, file);
  const { username, password } = await readAdminCredential(file);
  return { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`, username, password };
}
