/**
 * What medical devices say of themselves in their own protocols: a DICOM association names the
 * application entity and its software (implementation class UID and version name) and, in a
 * request, what it wants to do (abstract syntaxes); an HL7 v2 header names the sending
 * application and facility, and device segments carry UDIs and equipment identifiers.
 */
import { A_ASSOCIATE_AC, A_ASSOCIATE_RQ, decode as decodeDicom, type DicomPdu } from '../decoders/dicom-ul.js';
import { decode as decodeHl7, MLLP_START_BLOCK, type Hl7Message } from '../decoders/hl7.js';
import type { Dissection } from '../dissect.js';
import type { SenderFacts } from './app-facts.js';
import { SeenFacts } from './seen-facts.js';
import type { StreamMessages } from './stream-messages.js';

/** A device naming itself in its own protocol. */
const SELF_STATED = 0.95;

/** DICOM PS3.8 §9.3.2: an association PDU starts type 1 (RQ) or 2 (AC), then a reserved zero octet. */
export function startsAssociation(buf: Uint8Array, at: number, end: number): boolean {
  const type = buf[at];
  return end - at >= 6 && (type === A_ASSOCIATE_RQ || type === A_ASSOCIATE_AC) && buf[at + 1] === 0;
}

/** MLLP: a message starts with the start block (0x0B), then `MSH`. */
export function startsMllp(buf: Uint8Array, at: number, end: number): boolean {
  return end - at >= 4 && buf[at] === MLLP_START_BLOCK && buf[at + 1] === 0x4d && buf[at + 2] === 0x53 && buf[at + 3] === 0x48;
}

function reportAssociation(pdu: DicomPdu, facts: SenderFacts): void {
  const a = pdu.association;
  if (a === null) return;
  const request = pdu.type === A_ASSOCIATE_RQ;
  const implementation = `implementation ${a.implementationClassUid ?? '-'} ${a.implementationVersionName ?? '-'}`;
  const evidence = `${request ? 'A-ASSOCIATE-RQ' : 'A-ASSOCIATE-AC'} calling ${a.callingAeTitle} called ${a.calledAeTitle}, ${implementation}`;
  // The requester is the calling AE; the acceptor answers as the called AE (PS3.8 §9.3.3.1 echoes it).
  if (request) facts.found('dicom.callingAe', a.callingAeTitle, 'dicom.callingAe', evidence, SELF_STATED);
  else facts.found('dicom.calledAe', a.calledAeTitle, 'dicom.calledAe', evidence, SELF_STATED);
  if (a.implementationClassUid) facts.found('dicom.implementationClassUid', a.implementationClassUid, 'dicom.implementationClassUid', evidence, SELF_STATED);
  if (a.implementationVersionName) facts.found('dicom.implementationVersion', a.implementationVersionName, 'dicom.implementationVersion', evidence, SELF_STATED);
  if (!request) return;
  // What the requester proposes to do: each SOP class once (an AC names contexts by id only).
  const proposed = new Set<string>();
  for (const context of a.presentationContexts) if (context.abstractSyntax) proposed.add(context.abstractSyntax);
  for (const sopClass of proposed) facts.found('dicom.abstractSyntax', sopClass, 'dicom.abstractSyntax', `A-ASSOCIATE-RQ ${a.callingAeTitle} → ${a.calledAeTitle} proposes ${sopClass}`, SELF_STATED);
}

function reportHl7(m: Hl7Message, facts: SenderFacts): void {
  const header = `MSH ${m.sendingApplication ?? ''}|${m.sendingFacility ?? ''} → ${m.receivingApplication ?? ''}|${m.receivingFacility ?? ''} ${m.messageType ?? ''} v${m.version ?? ''}`;
  if (m.sendingApplication) facts.found('hl7.sendingApplication', m.sendingApplication, 'hl7.sendingApplication', header, SELF_STATED);
  if (m.sendingFacility) facts.found('hl7.sendingFacility', m.sendingFacility, 'hl7.sendingFacility', header, SELF_STATED);
  if (m.messageType) facts.found('hl7.messageType', m.messageType, 'hl7.messageType', header, SELF_STATED);
  if (m.version) facts.found('hl7.version', m.version, 'hl7.version', header, SELF_STATED);
  for (const device of m.devices) {
    const udi = device.deviceIdentifier ?? device.devices[0];
    if (udi) facts.found('hl7.deviceUdi', udi, 'hl7.deviceUdi', `PRT-16 ${device.deviceIdentifier ?? '-'} PRT-10 ${device.devices.join('~')} in ${m.messageType ?? 'a message'}`, SELF_STATED);
  }
  for (const id of m.equipmentIds) facts.found('hl7.equipmentId', id, 'hl7.equipmentId', `OBX-18 ${id} in ${m.messageType ?? 'a message'}`, SELF_STATED);
}

export function dicomHandler(streams: StreamMessages) {
  return (buf: Uint8Array, d: Dissection, ts: number, facts: SenderFacts): void =>
    streams.read(buf, d, ts, startsAssociation, decodeDicom, (pdu) => reportAssociation(pdu, facts));
}

const CARRIAGE_RETURN = 0x0d;
/** How much of a message header is looked at to tell one sender's messages apart. */
const HEADER_SCAN = 512;
const HL7_HEADER = 1;

/**
 * A hash of the message header (the MSH segment) without MSH-7 (time) and MSH-10 (control id),
 * which change with every message, nor MSH-5 and MSH-6 (the receiver: an engine acknowledging many
 * senders names each): equal for a sender's messages that would report the same facts.
 * 0 when the message does not start whole in this segment (it is then read in full).
 */
function headerHash(buf: Uint8Array, at: number, end: number): number {
  const limit = Math.min(end, at + HEADER_SCAN);
  const separator = buf[at + 4];
  let field = 1; // HL7 v2.5 §2.14.9: the separator itself is MSH-1
  let hash = 0x811c9dc5; // FNV-1a
  for (let i = at + 4; i < limit; i++) {
    const octet = buf[i] ?? 0;
    if (octet === CARRIAGE_RETURN) return hash >>> 0 || 1;
    if (octet === separator) field += 1;
    else if (field === 5 || field === 6 || field === 7 || field === 10) continue;
    hash = Math.imul(hash ^ octet, 0x01000193);
  }
  return 0;
}

/**
 * HL7 messages repeat: a monitor sends the same header every few seconds. A message whose header
 * was read from the same sender within `refreshMs` is not decoded again (what it would report is
 * already known); a message with a new header, or the first after the interval, is read in full.
 */
export function hl7Handler(streams: StreamMessages, refreshMs: number) {
  const read = new SeenFacts(1 << 14);
  return (buf: Uint8Array, d: Dissection, ts: number, facts: SenderFacts): void => {
    const start = d.payloadOffset;
    const end = start + d.payloadLength;
    // A segment that starts a message (never a continuation: MLLP content holds no start block).
    if (startsMllp(buf, start, end)) {
      const hash = headerHash(buf, start, end);
      const hi = Math.floor(d.srcMac / 2 ** 32);
      const lo = d.srcMac >>> 0;
      if (hash !== 0) {
        if (read.fresh(hi, lo, HL7_HEADER, hash, ts, refreshMs)) return;
        read.mark(hi, lo, HL7_HEADER, hash, ts);
      }
    }
    streams.read(buf, d, ts, startsMllp, decodeHl7, (message) => reportHl7(message, facts));
  };
}
