/**
 * Who talks to whom after the devices have joined: the application sessions of each initiating
 * device, spread over time and run in start order so that ARP and port state build up as on a real wire.
 */
import type { HospitalDevice } from '../devices.js';
import type { HospitalNetwork } from '../network.js';
import type { SeededRandom } from '../prng.js';
import { DICOM_PORT } from '../packets/dicom-ul.js';
import { HL7_MLLP_PORT } from '../packets/hl7.js';
import { HTTPS_PORT } from '../packets/tls.js';
import { dicomStoreMessages } from './dicom-store.js';
import { RAW_PRINT_PORT, printJobMessages } from './print-job.js';
import { tlsSessionMessages } from './tls-session.js';
import { vitalsReportMessages } from './vitals-report.js';
import { HOSPITAL_DOMAIN, WADO_PORT, wadoFetchMessages } from './wado-fetch.js';

export interface PlannedSession {
  start: number;
  client: HospitalDevice;
  run(network: HospitalNetwork, random: SeededRandom, start: number): void;
}

/** Mean spacing of one device's sessions. */
const SESSION_SPACING_MICROS = 90_000_000;

export function planSessions(
  devices: readonly HospitalDevice[],
  random: SeededRandom,
  sessionsPerDevice: number,
  firstMicros: number,
): PlannedSession[] {
  const only = (category: HospitalDevice['category']): HospitalDevice => {
    const device = devices.find((d) => d.category === category);
    if (!device) throw new RangeError(`the hospital has no ${category}`);
    return device;
  };
  const pacs = only('pacs');
  const engine = only('hl7-interface-engine');
  const printerOn = (floor: string): HospitalDevice | undefined => devices.find((d) => d.category === 'printer' && d.floor === floor);

  const sessions: PlannedSession[] = [];
  const plan = (client: HospitalDevice, run: PlannedSession['run']): void => {
    sessions.push({ start: firstMicros + random.int(0, sessionsPerDevice * SESSION_SPACING_MICROS), client, run });
  };
  for (const device of devices) {
    for (let k = 0; k < sessionsPerDevice; k++) {
      switch (device.category) {
        case 'ct':
          plan(device, (net, rnd, at) => net.tcpSession(at, device, pacs, DICOM_PORT, dicomStoreMessages(device, pacs, rnd, rnd.int(2, 4))));
          break;
        case 'patient-monitor':
          plan(device, (net, rnd, at) => net.tcpSession(at, device, engine, HL7_MLLP_PORT, vitalsReportMessages(device, engine, rnd, at, 3)));
          break;
        case 'infusion-pump': {
          const version = device.vendor === 'ICU Medical' ? '1.3' : '1.2';
          const serverName = `${engine.hostname}.${HOSPITAL_DOMAIN}`;
          plan(device, (net, rnd, at) => {
            const tls = tlsSessionMessages({ serverName, version, requestSizes: [rnd.int(300, 900), rnd.int(300, 900)] }, rnd);
            net.tcpSession(at, device, engine, HTTPS_PORT, tls);
          });
          break;
        }
        case 'workstation':
          planWorkstation(k, device, pacs, printerOn(device.floor), plan);
          break;
        default:
          break; // servers, printers and routers answer; they do not start sessions here
      }
    }
  }
  return sessions.sort((a, b) => a.start - b.start);
}

/** A workstation cycles through viewing over HTTP, viewing over HTTPS and printing. */
function planWorkstation(
  k: number,
  workstation: HospitalDevice,
  pacs: HospitalDevice,
  printer: HospitalDevice | undefined,
  plan: (client: HospitalDevice, run: PlannedSession['run']) => void,
): void {
  const kind = k % 3;
  if (kind === 0) {
    plan(workstation, (net, rnd, at) => net.tcpSession(at, workstation, pacs, WADO_PORT, wadoFetchMessages(pacs, rnd)));
  } else if (kind === 1 || !printer) {
    const serverName = `${pacs.hostname}.${HOSPITAL_DOMAIN}`;
    plan(workstation, (net, rnd, at) => {
      const tls = tlsSessionMessages({ serverName, version: '1.3', alpn: ['h2', 'http/1.1'], requestSizes: [rnd.int(400, 1200)] }, rnd);
      net.tcpSession(at, workstation, pacs, HTTPS_PORT, tls);
    });
  } else {
    plan(workstation, (net, rnd, at) => net.tcpSession(at, workstation, printer, RAW_PRINT_PORT, printJobMessages(printer, rnd)));
  }
}
