/**
 * `wardsight sim scenario day`: a simulated day on three floors, written as one capture per floor
 * sensor (`floor1.pcap` … `floor3.pcap`, classic pcap, microseconds, each in time order) and the
 * day's `truth.json`. Frames are made activity by activity in time order and streamed out, so the
 * day never sits in memory whole. One seed always gives the same bytes.
 */
import { lstat, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SimError } from '../errors.js';
import { SeededRandom } from '../prng.js';
import type { DayContext } from './day-context.js';
import { FloorCapture } from './frame-queue.js';
import { CaptureLedger } from './ledger.js';
import { planScenarioDay } from './plan.js';
import type { FloorId } from './site.js';
import { pcapName, scenarioTruth, type ScenarioTruth } from './truth.js';
import { ScenarioWire } from './wire.js';

export interface ScenarioOptions {
  /** Same seed, same bytes; taken as an unsigned 32-bit integer, as the hospital's seed is. */
  seed?: number;
}

export const SCENARIO_DEFAULTS = { seed: 1 } as const;

/** The traffic draws from streams of its own, apart from the plan's (see plan.ts). */
const TRAFFIC_STREAM = 0x5ca1ab1e;

export interface ScenarioDay {
  dir: string;
  pcaps: { sensorId: string; path: string }[];
  truthPath: string;
  truth: ScenarioTruth;
}

function writeFailed(path: string, what: string, cause: unknown): SimError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new SimError('SIM_ERR_WRITE', `${path}: ${what} (${reason}); choose an --out directory you can write to`, { cause });
}

/** Before any work: each file the day will replace must be a file (or not exist yet). */
async function checkTargets(paths: readonly string[]): Promise<void> {
  for (const path of paths) {
    const found = await lstat(path).catch(() => undefined);
    if (found && !found.isFile()) throw new SimError('SIM_ERR_WRITE', `${path} exists and is not a regular file; move it away or choose another --out directory`);
  }
}

/**
 * Writes the day into `dir` (created if missing; other files there are left alone). The files take
 * their names only once all are written: a failed run leaves an earlier day's files as they were.
 */
export async function writeScenarioDay(dir: string, options: ScenarioOptions = {}): Promise<ScenarioDay> {
  const requested = Math.floor(options.seed ?? SCENARIO_DEFAULTS.seed);
  const seed = Number.isFinite(requested) ? requested >>> 0 : SCENARIO_DEFAULTS.seed;
  const plan = planScenarioDay(seed);
  try {
    await mkdir(dir, { recursive: true });
  } catch (cause) {
    throw writeFailed(dir, 'the output directory cannot be created', cause);
  }
  await checkTargets([...plan.floors.map((f) => join(dir, pcapName(f.id))), join(dir, 'truth.json')]);
  const captures = new Map<FloorId, FloorCapture>();
  try {
    for (const f of plan.floors) captures.set(f.id, await FloorCapture.open(join(dir, pcapName(f.id))));
    const ledger = new CaptureLedger();
    const wire = new ScenarioWire(
      plan.floors.map((f) => f.gateway),
      new SeededRandom(seed ^ TRAFFIC_STREAM),
      (floor, ts, frame) => {
        ledger.record(floor, ts, frame);
        captures.get(floor)?.push(ts, frame);
      },
    );
    const ctx: DayContext = { wire, random: new SeededRandom((seed ^ TRAFFIC_STREAM) + 1), learnedHourlyBytes: (mac) => ledger.learnedHourlyBytes(mac) };
    for (const activity of plan.activities) {
      for (const capture of captures.values()) await capture.flushBefore(activity.at);
      activity.run(ctx);
    }
    for (const capture of captures.values()) await capture.close();
    const truth = scenarioTruth(plan, ledger);
    const truthPath = join(dir, 'truth.json');
    try {
      await writeFile(`${truthPath}.partial`, `${JSON.stringify(truth, null, 2)}\n`);
    } catch (cause) {
      throw writeFailed(truthPath, 'the truth file cannot be written', cause);
    }
    // Only now does anything take a final name (replacing an earlier day's files, never a half-written one).
    for (const capture of captures.values()) await capture.commit();
    await rename(`${truthPath}.partial`, truthPath).catch((cause: unknown) => {
      throw writeFailed(truthPath, 'the truth file cannot be put in place', cause);
    });
    return { dir, pcaps: plan.floors.map((f) => ({ sensorId: f.sensorId, path: join(dir, pcapName(f.id)) })), truthPath, truth };
  } catch (error) {
    for (const capture of captures.values()) await capture.discard();
    await rm(join(dir, 'truth.json.partial'), { force: true });
    throw error;
  }
}
/** What a person reads after writing a day: where the files are and what they hold. */
export function scenarioSummary(day: ScenarioDay): string {
  const { truth } = day;
  const lines = day.pcaps.map((p) => `${p.sensorId}: ${p.path} (${truth.packets.perSensor[p.sensorId] ?? 0} packets)`);
  lines.push(`truth: ${day.truthPath}`);
  lines.push(`${truth.devices.length} devices, ${truth.moves.length} moves, ${truth.anomalies.length} anomalies; learning ends ${truth.learningEnd}`);
  return `${lines.join('\n')}\n`;
}
