/**
 * A workstation printing on its floor's printer over raw TCP port 9100 (JetDirect "AppSocket"):
 * a patient wristband in ZPL II for a label printer, a short PJL/PCL page for a laser printer.
 */
import type { SeededRandom } from '../prng.js';
import { latin1 } from '../packets/bytes.js';
import type { TcpMessage } from '../packets/tcp-connection.js';

export const RAW_PRINT_PORT = 9100;

/** Universal Exit Language that brackets a PJL job. */
const UEL = '\x1b%-12345X';
/** Lines on a ward summary page: one page, the same length every time. */
const PAGE_LINES = 36;

function wristband(random: SeededRandom): string {
  const mrn = String(random.int(100_000, 999_999));
  return `^XA^CI28^FO40,40^A0N,30,30^FDBed ${random.int(10, 30)}^FS^FO40,90^BCN,80,Y,N,N^FD${mrn}^FS^XZ\r\n`;
}

function wardSummary(random: SeededRandom): string {
  const lines = Array.from({ length: PAGE_LINES }, (_, i) => `Line ${String(i + 1).padStart(2, '0')}: observation chart entry ${random.int(1000, 9999)}\r\n`);
  return [
    `${UEL}@PJL JOB NAME="Ward summary ${random.int(100, 999)}"\r\n`,
    '@PJL SET DUPLEX=OFF\r\n',
    '@PJL ENTER LANGUAGE=PCL\r\n',
    '\x1bE\x1b&l26A\x1b&l0O',
    ...lines,
    '\x1bE',
    `${UEL}@PJL EOJ\r\n${UEL}`,
  ].join('');
}

export function printJob(labelPrinter: boolean, random: SeededRandom): TcpMessage[] {
  return [{ from: 'client', payload: latin1(labelPrinter ? wristband(random) : wardSummary(random)) }];
}
