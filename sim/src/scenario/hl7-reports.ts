/**
 * HL7 v2.5 reports the bedside devices send the interface engine over MLLP: a monitor's vital
 * signs and a pump's infusion status (ORU^R01, IHE PCD-01 style with MDC codes), each acknowledged.
 */
import type { SeededRandom } from '../prng.js';
import { hl7Ack, mllpFrame, oruR01, type MessageHeader, type VitalSign } from '../packets/hl7.js';
import type { TcpMessage } from '../packets/tcp-connection.js';
import { hl7Timestamp } from '../traffic/vitals-report.js';

export interface Hl7Sender {
  /** MSH-3 sending application. */
  application: string;
  /** Bed or unit the device serves, PV1-3. */
  bed: string;
  floor: string;
}

function vitals(random: SeededRandom): VitalSign[] {
  return [
    { code: '8867-4^Heart rate^LN', value: String(random.int(58, 112)), units: '/min' },
    { code: '59408-5^Oxygen saturation^LN', value: String(random.int(91, 100)), units: '%' },
    { code: '9279-1^Respiratory rate^LN', value: String(random.int(11, 24)), units: '/min' },
    { code: '8480-6^Systolic blood pressure^LN', value: String(random.int(100, 150)), units: 'mm[Hg]' },
    { code: '8462-4^Diastolic blood pressure^LN', value: String(random.int(60, 95)), units: 'mm[Hg]' },
  ];
}

/** ISO/IEEE 11073-10101 (MDC) terms a pump reports: rate, volume delivered, volume to be infused. */
function infusion(random: SeededRandom): VitalSign[] {
  return [
    { code: '157784^MDC_FLOW_FLUID_PUMP^MDC', value: (random.int(10, 250) / 2).toFixed(1), units: 'mL/h' },
    { code: '157872^MDC_VOL_FLUID_DELIV^MDC', value: (random.int(10, 990) / 2).toFixed(1), units: 'mL' },
    { code: '157864^MDC_VOL_FLUID_TBI^MDC', value: (random.int(100, 1000) / 2).toFixed(1), units: 'mL' },
    { code: '184504^MDC_PUMP_STAT^MDC', value: String(random.int(1, 3)), units: '' },
  ];
}

/** Event-log entries a pump uploads in bulk: one status line per past minute. */
function eventLog(random: SeededRandom, entries: number): VitalSign[] {
  return Array.from({ length: entries }, (_, i) => ({
    code: `184330^MDC_EVT_PUMP_LOG_${String(i + 1).padStart(5, '0')}^MDC`,
    value: `${random.int(0, 9999)}`,
    units: 'mL/h',
  }));
}

function reportAndAck(sender: Hl7Sender, receiver: string, random: SeededRandom, atMicros: number, observations: VitalSign[]): TcpMessage[] {
  const timestamp = hl7Timestamp(atMicros);
  const header: Omit<MessageHeader, 'messageType'> = {
    sendingApplication: sender.application,
    sendingFacility: `NORTH${sender.floor}`,
    receivingApplication: receiver,
    receivingFacility: 'STMARY',
    timestamp,
    controlId: String(random.uint32()),
  };
  const report = oruR01({ header, patientId: String(random.int(100_000, 999_999)), bed: sender.bed, vitals: observations });
  const ack = hl7Ack({ ...header, messageType: 'ORU^R01^ORU_R01' }, { timestamp, controlId: `ACK${random.uint32()}` });
  return [
    { from: 'client', payload: mllpFrame(report) },
    { from: 'server', payload: mllpFrame(ack) },
  ];
}

export function vitalsReport(sender: Hl7Sender, receiver: string, random: SeededRandom, atMicros: number): TcpMessage[] {
  return reportAndAck(sender, receiver, random, atMicros, vitals(random));
}

export function infusionReport(sender: Hl7Sender, receiver: string, random: SeededRandom, atMicros: number): TcpMessage[] {
  return reportAndAck(sender, receiver, random, atMicros, infusion(random));
}

/** Roughly `bytes` of event log in one report: each OBX line is about 70 octets. */
export function eventLogReport(sender: Hl7Sender, receiver: string, random: SeededRandom, atMicros: number, bytes: number): TcpMessage[] {
  return reportAndAck(sender, receiver, random, atMicros, eventLog(random, Math.max(1, Math.round(bytes / 70))));
}
