/**
 * Hub instances sharing one store and one broker, as an operator deploys them: a private PostgreSQL
 * server; instance `a` (`--broker mosquitto --join-instance b`), which runs Mosquitto; and, for two,
 * instance `b` (`--broker join --instance b`), whose data directory first gets a copy of a's CA and
 * admin credential. Each is a `wardsight hub` process of its own; the sensors connect to a's broker.
 */
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hubPaths } from '@wardsight/hub/config';
import { startHubChild, type HubChild } from './hub-child.js';
import { HubBenchError } from './hub-errors.js';
import { postgresAvailable, startPostgres, type PostgresServer } from './postgres-server.js';

/** The Mosquitto instance `a` runs (the hub's default `--mosquitto-binary`). */
export const MOSQUITTO_BINARY = '/usr/sbin/mosquitto';
/** The instances, in the order they start: `a` runs the broker, `b` joins it. */
export const HUB_INSTANCE_NAMES = ['a', 'b'] as const;
export type HubInstanceName = (typeof HUB_INSTANCE_NAMES)[number];

export interface HubInstancesOptions {
  /** The repository root: each instance runs as `<repo>/bin/wardsight.js hub`. */
  repo: string;
  /** 1 (instance a alone on the shared store) or 2 (a and b). */
  instances: number;
  startMs: number;
  stopMs: number;
  /** Runs instance a under `--cpu-prof`, writing its profile here. */
  cpuProfileDir?: string;
}

export interface HubInstance {
  name: HubInstanceName;
  dataDir: string;
  hub: HubChild;
}

export interface HubInstances {
  /** The PostgreSQL server the instances share; its `url` is their `--store`. */
  store: PostgresServer;
  /** a first, then b. */
  instances: HubInstance[];
  /** Stops every instance still running (b first), then PostgreSQL, and removes the data directories. */
  stop(): Promise<void>;
}

/** True when instances can run here: PostgreSQL server binaries and Mosquitto are installed. */
export function hubInstancesAvailable(): boolean {
  return postgresAvailable() && existsSync(MOSQUITTO_BINARY);
}

/** Starts PostgreSQL and the instances; on any failure stops what it started and throws. */
export async function startHubInstances(o: HubInstancesOptions): Promise<HubInstances> {
  if (!Number.isInteger(o.instances) || o.instances < 1 || o.instances > HUB_INSTANCE_NAMES.length) {
    throw new HubBenchError('BENCH_ERR_HUB_OPTIONS', `instances ${o.instances} is not a whole number from 1 to ${HUB_INSTANCE_NAMES.length}`);
  }
  if (!hubInstancesAvailable()) throw new HubBenchError('BENCH_ERR_HUB_INSTANCES', `PostgreSQL server binaries under /usr/lib/postgresql or ${MOSQUITTO_BINARY} are missing`);
  const dirs: string[] = [];
  const instances: HubInstance[] = [];
  let store: PostgresServer | undefined;
  const stop = async (): Promise<void> => {
    // b first: a runs the broker b's ingest is connected to.
    for (const instance of [...instances].reverse()) await instance.hub.stop().catch(() => undefined);
    await store?.stop();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  };
  try {
    store = await startPostgres();
    const url = store.url;
    const common = { repo: o.repo, startMs: o.startMs, stopMs: o.stopMs };
    // Mosquitto runs as its own account: a's directory is a fresh one of /tmp itself, not nested in another private one.
    const a = await mkdtemp(join(tmpdir(), 'wardsight-bench-hub-a-'));
    dirs.push(a);
    const joining = o.instances > 1 ? ['--join-instance', 'b'] : [];
    const first = await startHubChild({ ...common, dataDir: a, ...(o.cpuProfileDir ? { cpuProfileDir: o.cpuProfileDir } : {}), flags: ['--broker', 'mosquitto', '--store', url, ...joining] });
    instances.push({ name: 'a', dataDir: a, hub: first });
    if (o.instances > 1) {
      const b = await mkdtemp(join(tmpdir(), 'wardsight-bench-hub-b-'));
      dirs.push(b);
      // Instances of one hub share its CA (sensors trust it, b's ingest certificate comes from it) and its admin credential.
      await cp(join(a, 'ca'), join(b, 'ca'), { recursive: true });
      await cp(hubPaths(a).adminCredential, hubPaths(b).adminCredential);
      const second = await startHubChild({ ...common, dataDir: b, flags: ['--broker', 'join', '--mqtt-url', first.endpoint.mqttUrl, '--instance', 'b', '--store', url] });
      instances.push({ name: 'b', dataDir: b, hub: second });
    }
    return { store, instances, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
