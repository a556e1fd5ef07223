/** HL7 v2.5 messages (segments separated by carriage returns) framed with MLLP. */
import { concatBytes, latin1 } from './bytes.js';

export const HL7_MLLP_PORT = 2575;

/** HL7 v2.5 Appendix C.4.3 (MLLP release 1): start block 0x0B, end block 0x1C, carriage return 0x0D. */
const START_BLOCK = 0x0b;
const END_BLOCK = 0x1c;
const CARRIAGE_RETURN = 0x0d;

/** HL7 v2.5 §2.5.5: segments end with a carriage return. */
export function hl7Message(segments: readonly string[]): string {
  return segments.map((s) => `${s}\r`).join('');
}

/** Wraps one message in the MLLP block. */
export function mllpFrame(message: string): Uint8Array {
  return concatBytes([Uint8Array.of(START_BLOCK), latin1(message), Uint8Array.of(END_BLOCK, CARRIAGE_RETURN)]);
}

export interface MessageHeader {
  /** MSH-3 sending application and MSH-4 sending facility. */
  sendingApplication: string;
  sendingFacility: string;
  /** MSH-5 receiving application and MSH-6 receiving facility. */
  receivingApplication: string;
  receivingFacility: string;
  /** MSH-7 date/time of message, `YYYYMMDDHHMMSS`. */
  timestamp: string;
  /** MSH-9 message type, e.g. `ORU^R01^ORU_R01`. */
  messageType: string;
  /** MSH-10 message control id. */
  controlId: string;
}

/**
 * HL7 v2.5 §2.14.9: MSH-1 field separator `|`, MSH-2 encoding characters `^~\&`, MSH-11 processing
 * id `P`, MSH-12 version id `2.5`.
 */
export function mshSegment(h: MessageHeader): string {
  const fields = ['MSH', '^~\\&', h.sendingApplication, h.sendingFacility, h.receivingApplication, h.receivingFacility];
  return [...fields, h.timestamp, '', h.messageType, h.controlId, 'P', '2.5'].join('|');
}

export interface VitalSign {
  /** OBX-3 observation identifier, e.g. `8867-4^Heart rate^LN`. */
  code: string;
  value: string;
  units: string;
}

export interface ObservationReport {
  header: Omit<MessageHeader, 'messageType'>;
  patientId: string;
  bed: string;
  vitals: readonly VitalSign[];
}

/** HL7 v2.5 §7.3.1: ORU^R01 unsolicited observation with MSH, PID, PV1, OBR and one OBX per value. */
export function oruR01(report: ObservationReport): string {
  const { header } = report;
  const obx = report.vitals.map((v, i) => `OBX|${i + 1}|NM|${v.code}||${v.value}|${v.units}|||||F|||${header.timestamp}`);
  return hl7Message([
    mshSegment({ ...header, messageType: 'ORU^R01^ORU_R01' }),
    `PID|1||${report.patientId}^^^HOSP^MR`,
    `PV1|1|I|${report.bed}`,
    `OBR|1|||VITALS^Vital signs|||${header.timestamp}`,
    ...obx,
  ]);
}

/** HL7 v2.5 §2.9.2 / §2.15.8: the original-mode ACK answers with MSA-1 `AA` and MSA-2 the control id. */
export function hl7Ack(original: MessageHeader, ackHeader: Pick<MessageHeader, 'timestamp' | 'controlId'>): string {
  const trigger = original.messageType.split('^')[1] ?? '';
  return hl7Message([
    mshSegment({
      sendingApplication: original.receivingApplication,
      sendingFacility: original.receivingFacility,
      receivingApplication: original.sendingApplication,
      receivingFacility: original.sendingFacility,
      timestamp: ackHeader.timestamp,
      messageType: `ACK^${trigger}^ACK`,
      controlId: ackHeader.controlId,
    }),
    `MSA|AA|${original.controlId}`,
  ]);
}
