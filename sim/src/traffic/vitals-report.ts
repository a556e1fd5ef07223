/** A patient monitor reporting vital signs to the HL7 interface engine: ORU^R01 over MLLP, each acknowledged. */
import type { HospitalDevice } from '../devices.js';
import type { SeededRandom } from '../prng.js';
import { hl7Ack, mllpFrame, oruR01, type MessageHeader, type VitalSign } from '../packets/hl7.js';
import type { TcpMessage } from '../packets/tcp-connection.js';

/** HL7 v2.5 TS data type to the second: `YYYYMMDDHHMMSS` (UTC here). */
export function hl7Timestamp(micros: number): string {
  return new Date(Math.floor(micros / 1000)).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

function vitals(random: SeededRandom): VitalSign[] {
  return [
    { code: '8867-4^Heart rate^LN', value: String(random.int(58, 112)), units: '/min' },
    { code: '59408-5^Oxygen saturation^LN', value: String(random.int(91, 100)), units: '%' },
    { code: '9279-1^Respiratory rate^LN', value: String(random.int(11, 24)), units: '/min' },
    { code: '8480-6^Systolic blood pressure^LN', value: String(random.int(98, 150)), units: 'mm[Hg]' },
    { code: '8462-4^Diastolic blood pressure^LN', value: String(random.int(55, 95)), units: 'mm[Hg]' },
  ];
}

export function vitalsReportMessages(
  monitor: HospitalDevice,
  engine: HospitalDevice,
  random: SeededRandom,
  atMicros: number,
  reports: number,
): TcpMessage[] {
  const sendingApplication = (monitor.model ?? monitor.hostname).toUpperCase().replace(/\s+/g, '_');
  const bed = monitor.hostname.replace(/^mon-/, '').toUpperCase();
  const patientId = String(random.int(100_000, 999_999));
  const messages: TcpMessage[] = [];
  for (let i = 0; i < reports; i++) {
    const timestamp = hl7Timestamp(atMicros + i * 1_000_000);
    const header: Omit<MessageHeader, 'messageType'> = {
      sendingApplication,
      sendingFacility: `WARD${monitor.floor}`,
      receivingApplication: engine.hostname.toUpperCase().replace(/-/g, ''),
      receivingFacility: 'HOSPITAL',
      timestamp,
      controlId: `${random.uint32()}`,
    };
    messages.push({ from: 'client', payload: mllpFrame(oruR01({ header, patientId, bed, vitals: vitals(random) })) });
    const ack = hl7Ack({ ...header, messageType: 'ORU^R01^ORU_R01' }, { timestamp, controlId: `ACK${random.uint32()}` });
    messages.push({ from: 'server', payload: mllpFrame(ack) });
  }
  return messages;
}
