/**
 * The plan of the day, from a seed alone: the floors, the devices, where each is when (its stays),
 * the moves, the injected anomalies, and every activity in the order its first frame is seen. The
 * plan draws from its own random stream, so it is the same whether or not the frames are made.
 */
import { SeededRandom } from '../prng.js';
import { LeasePool } from './addresses.js';
import { anomalyDevices, planAnomalies, type PlannedAnomaly } from './anomaly-plan.js';
import { anomalyActivity, type AnomalyFrames } from './anomaly-traffic.js';
import { stayHost, type Activity, type Stay } from './day-context.js';
import { Fleet, buildFleet, type ScenarioDevice } from './fleet.js';
import { moveDevice, planMoves, wholeMillis, type PlannedMove } from './moves.js';
import { deviceRhythm, stayActivities } from './routine.js';
import { JOIN_WINDOW_MICROS, SCENARIO_END_MICROS, SCENARIO_START_MICROS, SECOND_MICROS, buildFloors, type ScenarioFloor } from './site.js';
import type { LocalHost } from './wire.js';

export interface DayPlan {
  seed: number;
  floors: ScenarioFloor[];
  /** Every device of the day, the newcomers last. */
  devices: ScenarioDevice[];
  stays: Stay[];
  /** Normal moves and arrivals on an unexpected floor, in time order. */
  moves: PlannedMove[];
  anomalies: PlannedAnomaly[];
  /** Filled in as the anomalies' frames are made. */
  anomalyFrames: Map<PlannedAnomaly, AnomalyFrames>;
  /** In the order their first frames are seen (ties in the order planned). */
  activities: Activity[];
}

export function planScenarioDay(seed: number): DayPlan {
  const random = new SeededRandom(seed);
  const usedMacs = new Set<string>();
  const floors = buildFloors(random, usedMacs);
  const fleet = new Fleet(random, usedMacs);
  const present = buildFleet(fleet);
  const pool = new LeasePool(random);
  const stays: Stay[] = present.map((device) => ({
    device,
    floor: device.homeFloor,
    ip: pool.lease(device.homeFloor),
    from: wholeMillis(SCENARIO_START_MICROS + random.int(SECOND_MICROS, JOIN_WINDOW_MICROS)),
    to: SCENARIO_END_MICROS,
    arrival: 'start',
  }));

  const anomalies = planAnomalies(random, fleet);
  const involved = anomalyDevices(anomalies);
  const moves = planMoves(
    random,
    present.filter((d) => !involved.has(d)),
  );
  for (const anomaly of anomalies) {
    if (anomaly.move) moves.push(anomaly.move);
    if (anomaly.joins) stays.push({ device: anomaly.device, floor: anomaly.joins, ip: pool.lease(anomaly.joins), from: anomaly.at, to: SCENARIO_END_MICROS, arrival: 'newcomer' });
  }
  moves.sort((a, b) => a.at - b.at);
  for (const move of moves) moveDevice(stays, pool, move);

  const homes = new Map(stays.filter((s) => s.arrival === 'start').map((s) => [s.device, s.ip]));
  const addressOf = (device: ScenarioDevice): string => {
    const ip = homes.get(device);
    if (ip === undefined) throw new RangeError(`${device.hostname} has no address`);
    return ip;
  };
  const rhythms = new Map(fleet.devices.map((d) => [d, deviceRhythm(d, random)]));
  const activities: Activity[] = [];
  for (const stay of stays) activities.push(...stayActivities(stay, rhythms.get(stay.device) ?? [], addressOf));

  const hostAt = (device: ScenarioDevice, at: number): LocalHost => {
    const stay = stays.find((s) => s.device === device && s.from <= at && s.to > at);
    if (!stay) throw new RangeError(`${device.hostname} is on no floor at ${new Date(at / 1000).toISOString()}`);
    return stayHost(stay);
  };
  const anomalyFrames = new Map<PlannedAnomaly, AnomalyFrames>();
  for (const anomaly of anomalies) {
    if (anomaly.move || anomaly.joins) continue;
    activities.push(anomalyActivity(anomaly, hostAt, (frames) => anomalyFrames.set(anomaly, frames)));
  }
  activities.sort((a, b) => a.at - b.at);
  return { seed, floors, devices: [...fleet.devices], stays, moves, anomalies, anomalyFrames, activities };
}
