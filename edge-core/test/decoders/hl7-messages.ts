/**
 * Hand-written HL7 v2 messages in MLLP frames (start block 0x0B, message, end block 0x1C 0x0D),
 * segment by segment: an infusion pump gateway reporting a rate with the pump's UDI in PRT and its
 * id in OBX-18, and a monitor gateway whose sender chose its own delimiters.
 */
import { hex, text } from './hex.js';

const START_BLOCK = '0b';
const END_BLOCK = '1c0d';
const CR = '0d';

/** An MLLP frame around `segments`, each ended by a carriage return. */
export function mllp(...segments: string[]): Uint8Array {
  return hex(START_BLOCK, ...segments.map((segment) => text(segment) + CR), END_BLOCK);
}

export const PUMP_ORU = mllp(
  // MSH-1 `|`, MSH-2 `^~\&`, MSH-3 sending application (HD with an ISO OID), MSH-4 sending facility
  // (an escaped `&` inside), MSH-5/6 receiver, MSH-7 time, MSH-8 security (empty), MSH-9 type,
  // MSH-10 control id, MSH-11 processing id, MSH-12 version
  'MSH|^~\\&|PUMP_GW^1.2.3.4.5^ISO|ICU\\T\\EAST|EMR|GENERAL|20240311083000+0100||ORU^R01^ORU_R01|MSG00042|P|2.8',
  'PID|1||MRN123^^^HOSP^MR||DOE^JANE',
  'OBR|1|||INFUSION',
  // OBX-1 set id … OBX-11 status F, OBX-18 equipment instance identifier: two repetitions, the
  // second with a hex escape (\X2D\ is "-")
  'OBX|1|NM|RATE^Infusion rate||12.5|mL/h|||||F|||||||PUMP-0042~BAY3\\X2D\\BED2',
  // PRT-2 action UC, PRT-4 role EQUIP, PRT-10 the UDI as printed, PRT-16 device identifier,
  // PRT-17 manufactured, PRT-18 expires, PRT-19 lot, PRT-20 serial, PRT-21 (empty), PRT-22 type
  'PRT||UC||EQUIP^Equipment^HL70912||||||(01)00812345678903(21)SN4711||||||00812345678903|20230115|20280115|LOT77|SN4711||INFPUMP^Infusion pump^L',
  // A PRT naming a person only: no device
  'PRT||UC||RO^Responsible observer^HL70912|1234^NURSE^NANCY',
);

/**
 * MSH-1 `#`, MSH-2 `$*@%`: component `$`, repetition `*`, escape `@`, subcomponent `%`. Segments end
 * with CR LF (as some senders do); MSH-4 carries an escaped field separator and MSH-7 a component.
 */
export const MONITOR_ADT = hex(
  START_BLOCK,
  text('MSH#$*@%#MONITOR_GW#WARD@F@5#ADT_IN##20240311090000$S#""#ADT$A01#ctl-7#P#2.5.1$DEU') + CR + '0a',
  text('EVN##20240311090000') + CR + '0a',
  END_BLOCK,
);

/** A framed acknowledgement: MSH and MSA only. */
export const ACK = mllp('MSH|^~\\&|EMR|GENERAL|PUMP_GW|ICU|20240311083001||ACK^R01|ACK00042|P|2.8', 'MSA|AA|MSG00042');
