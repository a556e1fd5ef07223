/** A workstation printing over raw TCP port 9100 (the JetDirect "AppSocket" convention). */
import type { HospitalDevice } from '../devices.js';
import type { SeededRandom } from '../prng.js';
import { latin1 } from '../packets/bytes.js';
import type { TcpMessage } from '../packets/tcp-connection.js';

export const RAW_PRINT_PORT = 9100;

/** Universal Exit Language that brackets a PJL job. */
const UEL = '\x1b%-12345X';

export function printJobMessages(printer: HospitalDevice, random: SeededRandom): TcpMessage[] {
  const job = printer.vendor === 'Zebra Technologies' ? wristbandLabel(random) : pjlJob(random);
  return [{ from: 'client', payload: latin1(job) }];
}

/** ZPL II: a patient wristband with name field and a Code 128 barcode of the record number. */
function wristbandLabel(random: SeededRandom): string {
  const mrn = String(random.int(100_000, 999_999));
  return `^XA^CI28^FO40,40^A0N,30,30^FDBed ${random.int(1, 30)}^FS^FO40,90^BCN,80,Y,N,N^FD${mrn}^FS^XZ\r\n`;
}

/** PJL header selecting PCL, a short PCL page, and the closing UEL. */
function pjlJob(random: SeededRandom): string {
  const lines = Array.from({ length: random.int(20, 60) }, (_, i) => `Line ${i + 1}: observation chart entry ${random.int(1000, 9999)}\r\n`);
  return [
    `${UEL}@PJL JOB NAME="Discharge summary ${random.int(100, 999)}"\r\n`,
    '@PJL SET DUPLEX=OFF\r\n',
    '@PJL ENTER LANGUAGE=PCL\r\n',
    '\x1bE\x1b&l26A\x1b&l0O',
    ...lines,
    '\x1bE',
    `${UEL}@PJL EOJ\r\n${UEL}`,
  ].join('');
}
