/**
 * Replays a scenario day through real sensors into a fresh hub and scores what the hub made of it:
 * a hub on loopback with its embedded broker and store (its learning window the scenario's), one
 * enrolled sensor process per floor reading that floor's capture as fast as it goes, then the hub's
 * moves and alerts against the scenario's truth (scenario-score.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { Location } from '@wardsight/protocol';
import { scoreScenario, type ScenarioScore, type ScenarioTruth, type SeenAlert, type SeenMove } from './scenario-score.js';

/**
 * The sensors replay their floors side by side as fast as each goes, so one may be hours of capture
 * time ahead of another: the analysis waits for the slowest (as long as this) to see them in order.
 */
const REPLAY_HOLD_MS = 30 * 60_000;

interface TruthFloor {
  sensorId: string;
  location: Location;
  pcap: string;
}

/** Runs one sensor until its capture is read and the hub has acknowledged everything it found. */
function runSensor(cli: string, configFile: string, sensorId: string, children: ChildProcess[]): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [cli, 'sensor', '--config', configFile, '--exit-when-done'], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, WARDSIGHT_LOG: process.env.WARDSIGHT_LOG ?? 'warn' },
    });
    children.push(child);
    child.once('error', fail);
    child.once('exit', (code, signal) => (code === 0 ? done() : fail(new Error(`sensor ${sensorId} ended with ${signal ?? `code ${code ?? '?'}`}`))));
  });
}

/** Stops the sensors still running (one failed, or the evaluation was interrupted): none is left behind. */
function stopAll(children: readonly ChildProcess[]): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
}

/**
 * `keep`: leave the hub's data directory (its store, alerts and logs) there for a look afterwards.
 * `cli`: the `wardsight` program the sensors run as (this one by default).
 */
export async function evaluateScenario(dir: string, log: Logger, options: { keep?: string; cli?: string } = {}): Promise<ScenarioScore> {
  const cli = options.cli ?? process.argv[1] ?? 'wardsight';
  const [{ startHub }, { writeConfigBundle }] = await Promise.all([import('@wardsight/hub'), import('@wardsight/provisioning')]);
  const truthFile = join(dir, 'truth.json');
  let truth: ScenarioTruth & { floors: TruthFloor[] };
  try {
    truth = JSON.parse(await readFile(truthFile, 'utf8')) as typeof truth;
  } catch (err) {
    throw new Error(`${truthFile}: not a scenario's truth (${(err as Error).message}); write one with \`wardsight sim scenario day --out ${dir}\``, { cause: err });
  }
  const work = options.keep ? resolve(options.keep) : await mkdtemp(join(tmpdir(), 'wardsight-scenario-'));
  const learningWindowMs = Date.parse(truth.learningEnd) - Date.parse(truth.start);
  const hub = await startHub({ dataDir: join(work, 'hub'), host: '127.0.0.1', mqttPort: 0, apiPort: 0, analysis: { learningWindowMs, maxHoldMs: REPLAY_HOLD_MS } }, log);
  const children: ChildProcess[] = [];
  // Interrupted (Ctrl-C): the sensors go too, then this process, with the usual status for the signal.
  const interrupted = (signal: NodeJS.Signals) => {
    stopAll(children);
    process.exitCode = signal === 'SIGINT' ? 130 : 143;
    void hub.close().finally(() => process.exit());
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const caPem = await readFile(hub.caFile, 'utf8');
    const sensors: Promise<void>[] = [];
    for (const floor of truth.floors) {
      const issued = await hub.registry.add({ id: floor.sensorId, name: `floor ${floor.location.floor}`, location: floor.location, by: 'scenario' });
      const bundle = await writeConfigBundle({
        outDir: join(work, 'sensors', floor.sensorId),
        sensorId: floor.sensorId,
        sensorName: issued.record.name,
        token: issued.token,
        expiresAt: issued.expiresAt,
        caPem,
        mqttUrl: hub.mqttUrl,
        apiUrl: hub.apiUrl,
        location: issued.record.location,
        capture: { file: resolve(dir, floor.pcap) },
      });
      sensors.push(runSensor(cli, bundle.configFile, floor.sensorId, children));
    }
    await Promise.all(sensors);
    // Every message the sensors sent is stored and journalled (they exit only once acknowledged): analyse it all.
    await hub.analysis.idle({ release: true });

    const { floorKey, movesOf } = await import('@wardsight/hub');
    const floorName = new Map(truth.floors.map((f) => [floorKey(f.location), f.location.floor]));
    const moves: SeenMove[] = [];
    for (const [device, spans] of hub.analysis.allSpans()) {
      for (const m of movesOf(spans)) moves.push({ device, fromFloor: floorName.get(m.from) ?? m.from, toFloor: floorName.get(m.to) ?? m.to, at: m.at });
    }
    const alerts: SeenAlert[] = (await hub.alerts.list({ limit: 100_000 })).map((a) => ({ device: a.device, kind: a.kind, at: a.firstAt, title: a.title }));
    return scoreScenario(truth, moves, alerts);
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    stopAll(children);
    await hub.close();
    if (!options.keep) await rm(work, { recursive: true, force: true });
  }
}
