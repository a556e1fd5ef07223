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
import type { StreamMessages } from './stream-messages.js';

/** A device naming itself in its own protocol. */
const SELF_STATED = 0.95;

/** DICOM PS3.8 §9.3.2: an association PDU starts type 1 (RQ) or 2 (AC), then a reserved zero octet. */
function startsAssociation(buf: Uint8Array, at: number, end: number): boolean {
  const type = buf[at];
  return end - at >= 6 && (type === A_ASSOCIATE_RQ || type === A_ASSOCIATE_AC) && buf[at + 1] === 0;
}

/** MLLP: a message starts with the start block (0x0B), then `MSH`. */
function startsMllp(buf: Uint8Array, at: number, end: number): boolean {
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

export function hl7Handler(streams: StreamMessages) {
  return (buf: Uint8Array, d: Dissection, ts: number, facts: SenderFacts): void =>
    streams.read(buf, d, ts, startsMllp, decodeHl7, (message) => reportHl7(message, facts));
}
