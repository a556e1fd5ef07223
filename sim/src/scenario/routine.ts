/**
 * What each kind of device does on a normal day, and when: a fixed rhythm per device (the same
 * periods, peers and ports all day, so the learning window is representative), laid over each of
 * its stays on a floor, with name lookups filling any silence longer than four minutes so that
 * the device is heard at least every five.
 */
import type { SeededRandom } from '../prng.js';
import { DICOM_PORT } from '../packets/dicom-ul.js';
import { HL7_MLLP_PORT } from '../packets/hl7.js';
import type { Activity, DayContext, Stay } from './day-context.js';
import { stayHost } from './day-context.js';
import { dicomBurst } from './dicom-burst.js';
import { noise } from './addresses.js';
import type { ScenarioDevice } from './fleet.js';
import { infusionReport, vitalsReport } from './hl7-reports.js';
import { RENEW_MICROS, joinFloor, renewLease } from './lease.js';
import type { DeviceKind } from './models.js';
import { RAW_PRINT_PORT, printJob } from './print-job.js';
import { httpsCheck, lookup, registerPhone, syncClock } from './services.js';
import { JOIN_WINDOW_MICROS, SCENARIO_END_MICROS, SCENARIO_START_MICROS, SECOND_MICROS, SERVERS, fqdn, type Server } from './site.js';
import { SMB_PORT, smbReads } from './smb2-message.js';

type Task = 'infusion' | 'vitals' | 'files' | 'updates' | 'print' | 'register' | 'images' | 'hourly';

interface Cadence {
  task: Task;
  periodS: number;
}

/** The times of one task over the whole day, by grid index (a task's k-th run is at index k). */
interface TaskTimes {
  task: Task;
  periodS: number;
  times: number[];
}

export type Rhythm = TaskTimes[];

/** A workstation opens a document: two reads (octets) from the file server. */
const DOCUMENT_READS = [2048, 3072];

/** A device is heard at least this often (the presence the hub expects is every five minutes). */
const MAX_SILENCE_MICROS = 240 * SECOND_MICROS;
/** Activities start this long after the device's DHCP exchange, and end this long before it leaves. */
const SETTLE_MICROS = 15 * SECOND_MICROS;
const LEAVE_MARGIN_MICROS = 90 * SECOND_MICROS;
/** When the capture ends rather than the device leaving: only room for the last exchange to finish. */
const END_MARGIN_MICROS = 5 * SECOND_MICROS;
/** Each run lands within this of its slot on the grid. */
const JITTER_MICROS = 8 * SECOND_MICROS;

/** Periods dividing an hour, so every whole hour holds the same number of runs. */
function cadences(device: ScenarioDevice, random: SeededRandom): Cadence[] {
  const byKind: Record<DeviceKind, Cadence[]> = {
    'infusion-pump': [{ task: 'infusion', periodS: random.pick([600, 720, 900]) }],
    'patient-monitor': [{ task: 'vitals', periodS: random.pick([240, 300]) }],
    workstation: [{ task: 'files', periodS: 1200 }, { task: 'updates', periodS: 3600 }, ...(device.printsTo ? [{ task: 'print' as const, periodS: 3600 }] : [])],
    printer: [],
    phone: [{ task: 'register', periodS: 180 }, { task: 'updates', periodS: 3600 }],
    imaging: [{ task: 'images', periodS: 1200 }],
  };
  return [...byKind[device.model.kind], { task: 'hourly', periodS: 3600 }];
}

/** The device's rhythm for the whole day: each task on its own grid, phase and a little jitter. */
export function deviceRhythm(device: ScenarioDevice, random: SeededRandom): Rhythm {
  return cadences(device, random).map(({ task, periodS }) => {
    const period = periodS * SECOND_MICROS;
    // Away from the hour's edges, so that jitter never moves a run into the next hour.
    const phase = random.int(30 * SECOND_MICROS, period - 30 * SECOND_MICROS);
    const times: number[] = [];
    for (let t = SCENARIO_START_MICROS + phase; t < SCENARIO_END_MICROS; t += period) times.push(t + random.int(-JITTER_MICROS, JITTER_MICROS));
    return { task, periodS, times };
  });
}

/** The servers a device looks up, in the order it does. */
function serversOf(device: ScenarioDevice): Server[] {
  switch (device.model.kind) {
    case 'infusion-pump':
    case 'patient-monitor':
      return [SERVERS.hl7, SERVERS.ntp];
    case 'workstation':
      return [SERVERS.files, SERVERS.updates, SERVERS.ntp];
    case 'printer':
      return [SERVERS.ntp, SERVERS.updates];
    case 'phone':
      return [SERVERS.sip, SERVERS.updates, SERVERS.ntp];
    case 'imaging':
      return [SERVERS.pacs, SERVERS.ntp];
  }
}

/** Where a device's fixed peers on its floor are (the printer a workstation prints to). */
export type AddressOf = (device: ScenarioDevice) => string;

/** Everything a device does during one stay, including its arrival. */
export function stayActivities(stay: Stay, rhythm: Rhythm, addressOf: AddressOf): Activity[] {
  const { device } = stay;
  const host = stayHost(stay);
  const holder = { host, hostname: device.hostname, dhcp: device.model.dhcp };
  const activities: Activity[] = [{ at: stay.from, run: (ctx) => void joinFloor(ctx.wire, ctx.random, holder, stay.from) }];
  /** When the device itself sends something. */
  const heard = [stay.from];
  // At the start of the day nobody talks before everyone has joined (a workstation's printer included).
  const first = stay.arrival === 'start' ? Math.max(stay.from, SCENARIO_START_MICROS + JOIN_WINDOW_MICROS) + SETTLE_MICROS : stay.from + SETTLE_MICROS;
  const last = stay.to - (stay.to >= SCENARIO_END_MICROS ? END_MARGIN_MICROS : LEAVE_MARGIN_MICROS);
  for (let t = stay.from + RENEW_MICROS; t < last; t += RENEW_MICROS) {
    activities.push({ at: t, run: (ctx) => void renewLease(ctx.wire, ctx.random, holder, t) });
    heard.push(t);
  }
  for (const { task, periodS, times } of rhythm) {
    const runs = times.map((t, k) => ({ t, k })).filter(({ t }) => t >= first && t < last);
    heard.push(...runs.map(({ t }) => t));
    if (task === 'vitals') {
      activities.push(...vitalsConnections(stay, runs, periodS));
      continue;
    }
    for (const { t, k } of runs) activities.push({ at: t, run: (ctx) => runTask(ctx, stay, task, t, k, addressOf) });
  }
  const lookups = serversOf(device);
  let next = 0;
  for (const t of silences(stay, heard)) {
    const server = lookups[next++ % lookups.length] ?? SERVERS.ntp;
    activities.push({ at: t, run: (ctx) => void lookup(ctx, host, t, server) });
  }
  return activities;
}

/** Where lookups go so that no two frames of the device are more than MAX_SILENCE apart, to the end of the stay. */
function silences(stay: Stay, heard: readonly number[]): number[] {
  const points = [...heard].sort((a, b) => a - b);
  points.push(stay.to - SECOND_MICROS);
  const fills: number[] = [];
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1] ?? stay.from;
    const b = points[i] ?? stay.to;
    const needed = Math.ceil((b - a) / MAX_SILENCE_MICROS) - 1;
    for (let j = 1; j <= needed; j++) fills.push(Math.round(a + ((b - a) * j) / (needed + 1)));
  }
  return fills;
}

/** A monitor keeps one MLLP connection an hour to the engine and sends an ORU on it every few minutes. */
function vitalsConnections(stay: Stay, runs: { t: number; k: number }[], periodS: number): Activity[] {
  const host = stayHost(stay);
  const sender = { application: stay.device.model.hl7Application ?? 'MONITOR', bed: stay.device.hostname.toUpperCase(), floor: stay.floor };
  const byHour = new Map<number, number[]>();
  for (const { t, k } of runs) {
    const hour = Math.floor((k * periodS) / 3600);
    byHour.set(hour, [...(byHour.get(hour) ?? []), t]);
  }
  return [...byHour.values()].map((times) => ({
    at: times[0] ?? stay.from,
    run: (ctx: DayContext) => {
      const messages = times.flatMap((t) => vitalsReport(sender, 'HL7ENGINE', ctx.random, t));
      // Each report starts at its time; the engine's ACK follows it by its own processing time.
      ctx.wire.tcp(times[0] ?? stay.from, host, SERVERS.hl7, HL7_MLLP_PORT, messages, {
        messageTimes: times.flatMap((t) => [t, undefined]),
        closeAt: (times[times.length - 1] ?? stay.from) + ctx.random.int(1, 3) * SECOND_MICROS,
      });
    },
  }));
}

function runTask(ctx: DayContext, stay: Stay, task: Task, t: number, k: number, addressOf: AddressOf): void {
  const { device } = stay;
  const host = stayHost(stay);
  switch (task) {
    case 'infusion': {
      const sender = { application: device.model.hl7Application ?? 'PUMP', bed: device.hostname.toUpperCase(), floor: stay.floor };
      ctx.wire.tcp(t, host, SERVERS.hl7, HL7_MLLP_PORT, infusionReport(sender, 'HL7ENGINE', ctx.random, t));
      return;
    }
    case 'files': {
      const context = { sessionId: BigInt(`0x${device.mac.replace(/:/g, '')}`), treeId: 5, fileId: ctx.random.bytes(16) };
      ctx.wire.tcp(t, host, SERVERS.files, SMB_PORT, smbReads(context, DOCUMENT_READS, (n) => noise(ctx.random, n)));
      return;
    }
    case 'updates':
      if (device.model.kind === 'phone') httpsCheck(ctx, host, t, SERVERS.updates, fqdn(SERVERS.updates), '1.2', 400);
      else httpsCheck(ctx, host, t, SERVERS.updates, fqdn(SERVERS.updates), '1.3', 600);
      return;
    case 'print': {
      const printer = device.printsTo;
      if (!printer) return;
      const printerHost = { ip: addressOf(printer), mac: printer.mac, floor: stay.floor, ...printer.model.stack };
      ctx.wire.tcp(t, host, printerHost, RAW_PRINT_PORT, printJob(printer.model.vendor === 'Zebra Technologies', ctx.random));
      return;
    }
    case 'register':
      registerPhone(ctx, host, t, device.extension ?? '4000', device.model.userAgent ?? 'SIP phone', k + 1);
      return;
    case 'images': {
      const identity = device.model.dicom;
      if (!identity) return;
      const series = { identity, callingAe: device.hostname.toUpperCase().replace(/-/g, '_'), calledAe: 'PACS_01', modelName: device.model.model, softwareVersion: device.model.softwareVersion };
      ctx.wire.tcp(t, host, SERVERS.pacs, DICOM_PORT, dicomBurst(series, ctx.random, identity.imagesPerBurst, identity.imageBytes));
      return;
    }
    case 'hourly': {
      const [main] = serversOf(device);
      const answered = lookup(ctx, host, t, main ?? SERVERS.ntp);
      syncClock(ctx, host, answered + ctx.random.int(1, 3) * SECOND_MICROS);
      return;
    }
    case 'vitals':
      return;
  }
}
