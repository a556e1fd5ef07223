/**
 * The devices of the three floors: about forty each — infusion pumps and patient monitors (a fifth
 * of the floor, pumps and monitors only, move between floors), workstations, printers, desk phones
 * and one imaging modality — and the devices that turn up later in the day.
 */
import type { SeededRandom } from '../prng.js';
import { randomMac } from './addresses.js';
import { IMAGING, MONITORS, PHONE, PRINTERS, PUMPS, WORKSTATIONS, type DeviceModel } from './models.js';
import { FLOOR_IDS, type FloorId } from './site.js';

export interface ScenarioDevice {
  /** Lower-case `aa:bb:cc:dd:ee:ff`: the device's key. */
  mac: string;
  hostname: string;
  model: DeviceModel;
  /** Where it is when the day starts (or, for a newcomer, where it first joins). */
  homeFloor: FloorId;
  /** Pumps and monitors on wheels; the rest stay put. */
  mobile: boolean;
  /** A device first seen after the learning window. */
  newcomer: boolean;
  /** The printer on its floor this workstation prints to, if it prints. */
  printsTo?: ScenarioDevice;
  /** A phone's extension. */
  extension?: string;
}

/** Per floor: [model index, mobile] of each pump and monitor — 5 of 10 pumps and 3 of 8 monitors move. */
const PUMP_LAYOUT: readonly (readonly [number, boolean])[] = [
  [0, true], [0, true], [0, false], [0, false], [1, true], [1, true], [1, false], [2, true], [2, false], [2, false],
];
const MONITOR_LAYOUT: readonly (readonly [number, boolean])[] = [
  [0, true], [0, false], [0, false], [1, true], [1, false], [1, false], [2, true], [2, false],
];
const WORKSTATIONS_PER_FLOOR = 12;
/** The first half of a floor's workstations print, each to one of the floor's printers in turn. */
const PRINTING_WORKSTATIONS = 6;
/** Two label printers, then two laser printers. */
const PRINTER_LAYOUT = [0, 0, 1, 1] as const;
const PHONES_PER_FLOOR = 5;

export class Fleet {
  readonly devices: ScenarioDevice[] = [];
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly random: SeededRandom,
    private readonly usedMacs: Set<string>,
  ) {}

  /** A new device of `model` on `floor`, named in turn after its kind and floor. */
  add(model: DeviceModel, floor: FloorId, mobile: boolean, newcomer = false): ScenarioDevice {
    const key = `${model.prefix}-${floor}`;
    const n = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, n);
    const device: ScenarioDevice = {
      mac: randomMac(this.random, model.oui, this.usedMacs),
      hostname: `${model.prefix}-n${floor}-${String(n).padStart(2, '0')}`,
      model,
      homeFloor: floor,
      mobile,
      newcomer,
    };
    if (model.kind === 'phone') device.extension = `4${floor}${String(n).padStart(2, '0')}`;
    this.devices.push(device);
    return device;
  }
}

/** The devices present when the day starts, floor by floor. */
export function buildFleet(fleet: Fleet): ScenarioDevice[] {
  for (const floor of FLOOR_IDS) {
    for (const [model, mobile] of PUMP_LAYOUT) fleet.add(modelAt(PUMPS, model), floor, mobile);
    for (const [model, mobile] of MONITOR_LAYOUT) fleet.add(modelAt(MONITORS, model), floor, mobile);
    const printers = PRINTER_LAYOUT.map((model) => fleet.add(modelAt(PRINTERS, model), floor, false));
    for (let i = 0; i < WORKSTATIONS_PER_FLOOR; i++) {
      const workstation = fleet.add(WORKSTATIONS[floor], floor, false);
      if (i < PRINTING_WORKSTATIONS) workstation.printsTo = printers[i % printers.length];
    }
    for (let i = 0; i < PHONES_PER_FLOOR; i++) fleet.add(PHONE, floor, false);
    fleet.add(IMAGING[floor], floor, false);
  }
  return [...fleet.devices];
}

function modelAt(models: readonly DeviceModel[], index: number): DeviceModel {
  const model = models[index];
  if (!model) throw new RangeError(`no model ${index}`);
  return model;
}
