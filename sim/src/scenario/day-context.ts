/** What the day's activities share while they put their frames on the wire, and where a device is when. */
import type { SeededRandom } from '../prng.js';
import type { ScenarioDevice } from './fleet.js';
import type { FloorId } from './site.js';
import type { LocalHost, ScenarioWire } from './wire.js';

export interface DayContext {
  wire: ScenarioWire;
  /** Draws for the content and timing of the traffic (the plan has its own). */
  random: SeededRandom;
  /** Mean bytes an hour the device sent during the learning window (0 if it was not there). */
  learnedHourlyBytes(mac: string): number;
}

/** Something a device (or a pair of them) does, starting at `at`: its first frame is seen then. */
export interface Activity {
  at: number;
  run(ctx: DayContext): void;
}

/** A device on one floor with one address, from its arrival (its DHCPDISCOVER) until it leaves. */
export interface Stay {
  device: ScenarioDevice;
  floor: FloorId;
  ip: string;
  from: number;
  to: number;
  arrival: 'start' | 'move' | 'newcomer';
}

export function stayHost(stay: Stay): LocalHost {
  return { ip: stay.ip, mac: stay.device.mac, floor: stay.floor, ...stay.device.model.stack };
}
