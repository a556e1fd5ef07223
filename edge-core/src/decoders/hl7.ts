/**
 * HL7 v2 messages framed by MLLP (HL7 v2.x Implementation Guide: Transport Specification, MLLP
 * release 2 §2: start block 0x0B, the message, end block 0x1C 0x0D) from a reassembled TCP
 * stream. Reads the message header's identification fields (who sends, to whom, what), the segment
 * ids, the device fields of PRT segments (v2.7+, HL7 v2.8 §7.4.4) and OBX-18 equipment instance
 * identifiers. Used on the identification path, not per packet: returns a fresh plain object with
 * strings, NEED_MORE until the end block arrives, null when the bytes are not an MLLP-framed HL7
 * message; it never throws.
 */
import { u8 } from './bytes.js';
import { fieldRepetitions, fieldText, firstComponent, readDelimiters, type Hl7Delimiters } from './hl7-text.js';
import { NEED_MORE, type NeedMore } from './need-more.js';

export type { Hl7Delimiters } from './hl7-text.js';

// MLLP release 2 §2.1 block characters.
export const MLLP_START_BLOCK = 0x0b;
export const MLLP_END_BLOCK = 0x1c;
const CARRIAGE_RETURN = 0x0d;
/** HL7 v2.5 §2.5.1: segments end with a carriage return. */
const SEGMENT_TERMINATOR = '\r';
const MSH = 'MSH';

/** The longest message read (between the block characters); a longer one is refused, not buffered. */
export const MAX_HL7_MESSAGE = 1024 * 1024;
/** At most this many segment ids, PRT device entries and OBX-18 identifiers are kept from one message. */
export const MAX_SEGMENT_IDS = 1000;
export const MAX_DEVICES = 32;
export const MAX_EQUIPMENT_IDS = 32;

/** A participating device from a PRT segment (HL7 v2.8 §7.4.4); fields in normal form (./hl7-text.ts). */
export interface Hl7Device {
  /** PRT-4 role of participation (`EQUIP` for a device carrying a UDI). */
  role: string | null;
  /** PRT-10 participation device (EI, repeating): the UDI's human-readable form, or another identifier. */
  devices: string[];
  /** PRT-16 participation device identifier: the UDI's device identifier (DI). */
  deviceIdentifier: string | null;
  /** PRT-17 manufacture date and PRT-18 expiry date (DTM). */
  manufactureDate: string | null;
  expiryDate: string | null;
  /** PRT-19 lot number and PRT-20 serial number. */
  lotNumber: string | null;
  serialNumber: string | null;
  /** PRT-21 donation identification (ISBT 128, for tissue and blood products). */
  donationId: string | null;
  /** PRT-22 device type (CNE). */
  deviceType: string | null;
}

export interface Hl7Message {
  /** Octets of the MLLP frame, start block to end block: what the caller consumes. */
  size: number;
  /** MSH-1 and MSH-2 as sent (`|^~\&` by convention, but any set is allowed). */
  delimiters: string;
  /** MSH-3 sending application and MSH-4 sending facility (HD). */
  sendingApplication: string | null;
  sendingFacility: string | null;
  /** MSH-5 receiving application and MSH-6 receiving facility (HD). */
  receivingApplication: string | null;
  receivingFacility: string | null;
  /** MSH-7 date/time of message (first component). */
  messageTime: string | null;
  /** MSH-9 message type, components joined with `^` (e.g. `ADT^A01^ADT_A01`). */
  messageType: string | null;
  /** MSH-10 message control id. */
  controlId: string | null;
  /** MSH-12 version id (first component, e.g. `2.5.1`). */
  version: string | null;
  /** Segment ids in order (at most MAX_SEGMENT_IDS). */
  segmentIds: string[];
  /** PRT segments carrying any device field (PRT-10, PRT-16 to PRT-22). */
  devices: Hl7Device[];
  /** OBX-18 equipment instance identifiers (EI, repeating), over every OBX. */
  equipmentIds: string[];
}

/** Where the end block's carriage return lies, NEED_MORE before it arrives, null if the frame is broken. */
function frameEnd(buf: Uint8Array, offset: number, limit: number): number | NeedMore | null {
  // MLLP content never holds the block characters, so the first end block ends the message.
  const at = buf.subarray(offset + 1, limit).indexOf(MLLP_END_BLOCK);
  if (at < 0) return limit - offset - 1 > MAX_HL7_MESSAGE ? null : NEED_MORE;
  if (at > MAX_HL7_MESSAGE) return null;
  const end = offset + 1 + at;
  if (end + 1 >= limit) return NEED_MORE;
  return u8(buf, end + 1) === CARRIAGE_RETURN ? end + 1 : null;
}

/** PRT (HL7 v2.8 §7.4.4): null when the segment names no device. */
function readDevice(fields: readonly string[], d: Hl7Delimiters): Hl7Device | null {
  const device: Hl7Device = {
    role: fieldText(fields[4], d), // PRT-4 role of participation (CWE)
    devices: fieldRepetitions(fields[10], d), // PRT-10 participation device (EI, repeating)
    deviceIdentifier: fieldText(fields[16], d), // PRT-16 participation device identifier (EI)
    manufactureDate: fieldText(fields[17], d), // PRT-17 manufacture date (DTM)
    expiryDate: fieldText(fields[18], d), // PRT-18 expiry date (DTM)
    lotNumber: fieldText(fields[19], d), // PRT-19 lot number (ST)
    serialNumber: fieldText(fields[20], d), // PRT-20 serial number (ST)
    donationId: fieldText(fields[21], d), // PRT-21 donation identification (EI)
    deviceType: fieldText(fields[22], d), // PRT-22 device type (CNE)
  };
  const { role: _role, devices, ...udiParts } = device;
  return devices.length > 0 || Object.values(udiParts).some((v) => v !== null) ? device : null;
}

/** The message header (HL7 v2.5 §2.14.9): MSH-n is `fields[n - 1]`, MSH-1 being the separator itself. */
function readHeader(fields: readonly string[], d: Hl7Delimiters, size: number): Hl7Message {
  return {
    size,
    delimiters: d.field + (fields[1] ?? ''),
    sendingApplication: fieldText(fields[2], d), // MSH-3 (HD)
    sendingFacility: fieldText(fields[3], d), // MSH-4 (HD)
    receivingApplication: fieldText(fields[4], d), // MSH-5 (HD)
    receivingFacility: fieldText(fields[5], d), // MSH-6 (HD)
    messageTime: firstComponent(fields[6], d), // MSH-7 (TS/DTM)
    messageType: fieldText(fields[8], d), // MSH-9 (MSG: type^event^structure)
    controlId: fieldText(fields[9], d), // MSH-10 (ST)
    version: firstComponent(fields[11], d), // MSH-12 (VID)
    segmentIds: [],
    devices: [],
    equipmentIds: [],
  };
}

/**
 * Decodes the MLLP frame starting at `buf[offset]` (its start block), reading nothing at or past
 * `end`. NEED_MORE while the bytes so far begin a frame whose end block has not arrived; null when
 * the first octet is not a start block, the message does not begin with a valid MSH segment, the
 * end block is not followed by a carriage return, or the message exceeds MAX_HL7_MESSAGE.
 */
export function decode(buf: Uint8Array, offset: number, end = buf.length): Hl7Message | NeedMore | null {
  const limit = Math.min(end, buf.length);
  if (!Number.isInteger(offset) || offset < 0) return null;
  if (limit - offset <= 0) return NEED_MORE;
  if (u8(buf, offset) !== MLLP_START_BLOCK) return null;
  // The message starts with "MSH": refuse anything else as soon as it shows.
  for (let i = 0; i < MSH.length && offset + 1 + i < limit; i++) {
    if (u8(buf, offset + 1 + i) !== MSH.charCodeAt(i)) return null;
  }
  const frame = frameEnd(buf, offset, limit);
  if (frame === null || frame === NEED_MORE) return frame;
  // Text as latin1: one octet, one character, whatever MSH-18 declares.
  const text = Buffer.from(buf.buffer, buf.byteOffset + offset + 1, frame - 1 - offset - 1).toString('latin1');
  const segments = text.split(SEGMENT_TERMINATOR);
  const d = readDelimiters(segments[0] ?? '');
  if (d === null) return null;
  const message = readHeader((segments[0] ?? '').split(d.field), d, frame + 1 - offset);
  for (const raw of segments) {
    // Some senders end segments with CR LF; an empty segment is the terminator of the last one.
    const segment = raw.startsWith('\n') ? raw.slice(1) : raw;
    if (segment === '') continue;
    const fields = segment.split(d.field);
    const id = fields[0] ?? '';
    if (message.segmentIds.length < MAX_SEGMENT_IDS) message.segmentIds.push(id);
    if (id === 'PRT' && message.devices.length < MAX_DEVICES) {
      const device = readDevice(fields, d);
      if (device !== null) message.devices.push(device);
    } else if (id === 'OBX') {
      // OBX-18 equipment instance identifier (EI, repeating; HL7 v2.5 §7.4.2.18)
      for (const equipment of fieldRepetitions(fields[18], d)) {
        if (message.equipmentIds.length < MAX_EQUIPMENT_IDS) message.equipmentIds.push(equipment);
      }
    }
  }
  return message;
}
