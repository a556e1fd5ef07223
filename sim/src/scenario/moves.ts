/**
 * Devices changing floors. A move ends the device's stay on one floor (it goes silent there) and,
 * a few minutes later, starts a stay on another with a DHCP exchange for an address in that floor's
 * subnet. Mobile pumps and monitors move as part of a normal day, a few during the learning window
 * and most after it, always to a floor where their model already has units.
 */
import type { SeededRandom } from '../prng.js';
import type { LeasePool } from './addresses.js';
import type { Stay } from './day-context.js';
import type { ScenarioDevice } from './fleet.js';
import { FLOOR_IDS, HOUR_MICROS, LEARNING_END_MICROS, MINUTE_MICROS, SCENARIO_END_MICROS, SCENARIO_START_MICROS, type FloorId } from './site.js';

export interface PlannedMove {
  device: ScenarioDevice;
  from: FloorId;
  to: FloorId;
  /** When its stay on `from` ends. */
  leave: number;
  /** Its DHCPDISCOVER on `to`: the first frame there. */
  at: number;
  /** A fixed device turning up where its model never was: injected, not part of a normal day. */
  unexpected: boolean;
}

export const MOVE_DEFAULTS = {
  /** Normal moves in a day, drawn from this range. */
  minMoves: 10,
  maxMoves: 13,
  /** Of which this many fall in the learning window. */
  learningMoves: 3,
  /** Minutes between going silent on one floor and arriving on the next. */
  minTransitMinutes: 3,
  maxTransitMinutes: 8,
} as const;

/** Whole milliseconds, so that a time written in ISO 8601 names its frame exactly. */
export function wholeMillis(micros: number): number {
  return Math.round(micros / 1000) * 1000;
}

/** The device's stays in time order: ends the current one at `leave` and starts one on `to` at `at`. */
export function moveDevice(stays: Stay[], pool: LeasePool, move: PlannedMove): Stay {
  const current = stays.find((s) => s.device === move.device && s.from < move.leave && s.to > move.leave);
  if (!current || current.floor !== move.from) throw new RangeError(`${move.device.hostname} is not on floor ${move.from} at the time of its move`);
  current.to = move.leave;
  const next: Stay = { device: move.device, floor: move.to, ip: pool.lease(move.to), from: move.at, to: SCENARIO_END_MICROS, arrival: 'move' };
  stays.push(next);
  return next;
}

/** A move of `device` arriving at `at` on a floor other than its own. */
export function moveAt(random: SeededRandom, device: ScenarioDevice, at: number, to?: FloorId): PlannedMove {
  const others = FLOOR_IDS.filter((f) => f !== device.homeFloor);
  const transit = random.int(MOVE_DEFAULTS.minTransitMinutes * MINUTE_MICROS, MOVE_DEFAULTS.maxTransitMinutes * MINUTE_MICROS);
  return { device, from: device.homeFloor, to: to ?? random.pick(others), leave: wholeMillis(at - transit), at: wholeMillis(at), unexpected: false };
}

/** The normal moves of the day, each of a different mobile device among `candidates`. */
export function planMoves(random: SeededRandom, candidates: readonly ScenarioDevice[]): PlannedMove[] {
  const pool = candidates.filter((d) => d.mobile && !d.newcomer);
  const count = random.int(MOVE_DEFAULTS.minMoves, MOVE_DEFAULTS.maxMoves);
  const chosen = random.distinct(Math.min(count, pool.length), 0, pool.length - 1).map((i) => pool[i] as ScenarioDevice);
  return chosen.map((device, i) => {
    // Learning-window moves between its second and last-but-one hour; the rest until an hour before the end.
    const during = i < MOVE_DEFAULTS.learningMoves;
    const earliest = during ? SCENARIO_START_MICROS + HOUR_MICROS : LEARNING_END_MICROS + 15 * MINUTE_MICROS;
    const latest = during ? LEARNING_END_MICROS - HOUR_MICROS : SCENARIO_END_MICROS - HOUR_MICROS;
    return moveAt(random, device, random.int(earliest, latest));
  });
}
