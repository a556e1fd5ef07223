/**
 * The body of a DICOM A-ASSOCIATE-RQ or -AC PDU (PS3.8 §9.3.2, §9.3.3): the fixed fields after the
 * PDU header and the variable items — application context, presentation contexts and user
 * information, whose implementation class UID and version name name the maker's software.
 * Items of types not read here are skipped (PS3.8 §9.3.1: unrecognised items are ignored); an item
 * or sub-item running past its container makes the whole PDU malformed.
 */
import { u16, u32, u8 } from './bytes.js';

export interface DicomPresentationContext {
  /** Presentation-context-ID, an odd number 1–255. */
  id: number;
  /** A-ASSOCIATE-AC only: 0 acceptance, 1 user-rejection, 2 no-reason, 3 abstract syntax not supported, 4 transfer syntaxes not supported. */
  result: number | null;
  /** A-ASSOCIATE-RQ only: the SOP class (what the device does, e.g. CT Image Storage). */
  abstractSyntax: string | null;
  /** Proposed transfer syntaxes (RQ) or the one accepted (AC). */
  transferSyntaxes: string[];
}

export interface DicomRoleSelection {
  sopClassUid: string;
  /** 1 if the association requester may act (RQ) or acts (AC) as SCU of the SOP class. */
  scuRole: number;
  scpRole: number;
}

export interface DicomAssociation {
  /** Protocol-version bit field (bit 0: version 1). */
  protocolVersion: number;
  /** Called and calling AE titles, leading and trailing spaces removed (not significant, PS3.8 §9.3.2). */
  calledAeTitle: string;
  callingAeTitle: string;
  /** Application context name (1.2.840.10008.3.1.1.1 for DICOM). */
  applicationContext: string | null;
  presentationContexts: DicomPresentationContext[];
  /** Maximum length of a P-DATA-TF PDU the sender receives (0: no limit), PS3.8 §D.1. */
  maxPduLength: number | null;
  /** Implementation class UID: the sender's software, often under its maker's root (PS3.7 §D.3.3.2). */
  implementationClassUid: string | null;
  /** Asynchronous operations window (PS3.7 §D.3.3.3): operations invoked and performed at most. */
  asyncOperations: { invoked: number; performed: number } | null;
  /** SCP/SCU role selections (PS3.7 §D.3.3.4), in the order sent. */
  roleSelections: DicomRoleSelection[];
  /** Implementation version name, often the product and version (PS3.7 §D.3.3.2). */
  implementationVersionName: string | null;
}

// PS3.8 §9.3.2 item types (and §9.3.3 for the AC's presentation context).
const APPLICATION_CONTEXT = 0x10;
const PRESENTATION_CONTEXT_RQ = 0x20;
const PRESENTATION_CONTEXT_AC = 0x21;
const ABSTRACT_SYNTAX = 0x30;
const TRANSFER_SYNTAX = 0x40;
const USER_INFORMATION = 0x50;
// User information sub-items: PS3.8 §D.1 and PS3.7 §D.3.3.
const MAXIMUM_LENGTH = 0x51;
const IMPLEMENTATION_CLASS_UID = 0x52;
const ASYNC_OPERATIONS_WINDOW = 0x53;
const ROLE_SELECTION = 0x54;
const IMPLEMENTATION_VERSION_NAME = 0x55;

/** Item header: item-type 1, reserved 1, item-length 2 (PS3.8 §9.3.2.1). */
const ITEM_HEADER = 4;
/** Fixed fields after the PDU header: protocol-version 2, reserved 2, called AE 16, calling AE 16, reserved 32. */
export const ASSOCIATION_FIXED_LENGTH = 68;
const AE_TITLE_LENGTH = 16;
const SPACE = 0x20;

function octets(buf: Uint8Array, start: number, end: number): Buffer {
  return Buffer.from(buf.buffer, buf.byteOffset + start, Math.max(0, end - start));
}

/** A UID (PS3.5 §9.1): trailing NUL padding stripped. */
function uid(buf: Uint8Array, start: number, end: number): string {
  let stop = end;
  while (stop > start && u8(buf, stop - 1) === 0) stop--;
  return octets(buf, start, stop).toString('latin1');
}

/** Text with leading and trailing spaces (and NUL padding some senders use) removed. */
function trimmed(buf: Uint8Array, start: number, end: number): string {
  let from = start;
  let stop = end;
  while (stop > from && (u8(buf, stop - 1) === SPACE || u8(buf, stop - 1) === 0)) stop--;
  while (from < stop && (u8(buf, from) === SPACE || u8(buf, from) === 0)) from++;
  return octets(buf, from, stop).toString('latin1');
}

/**
 * Calls `visit(type, valueStart, valueEnd)` for each item in `buf[start, end)`. False if an item
 * header or value runs past `end`. Each item advances at least 4 octets, so the walk is bounded.
 */
function walkItems(buf: Uint8Array, start: number, end: number, visit: (type: number, from: number, to: number) => boolean): boolean {
  let at = start;
  while (at < end) {
    if (at + ITEM_HEADER > end) return false;
    const valueEnd = at + ITEM_HEADER + u16(buf, at + 2);
    if (valueEnd > end) return false;
    if (!visit(u8(buf, at), at + ITEM_HEADER, valueEnd)) return false;
    at = valueEnd;
  }
  return true;
}

/** PS3.8 §9.3.2.2 (RQ) and §9.3.3.2 (AC): id 1, reserved 1, result/reason 1, reserved 1, sub-items. */
function readPresentationContext(buf: Uint8Array, start: number, end: number, accept: boolean): DicomPresentationContext | null {
  if (end - start < 4) return null;
  const context: DicomPresentationContext = {
    id: u8(buf, start),
    result: accept ? u8(buf, start + 2) : null,
    abstractSyntax: null,
    transferSyntaxes: [],
  };
  const ok = walkItems(buf, start + 4, end, (type, from, to) => {
    if (type === ABSTRACT_SYNTAX && !accept) context.abstractSyntax ??= uid(buf, from, to); // §9.3.2.2.1
    else if (type === TRANSFER_SYNTAX) context.transferSyntaxes.push(uid(buf, from, to)); // §9.3.2.2.2
    return true;
  });
  return ok ? context : null;
}

/** PS3.8 §9.3.2.3: the user information item's sub-items; values of the wrong length are skipped. */
function readUserInformation(buf: Uint8Array, start: number, end: number, association: DicomAssociation): boolean {
  return walkItems(buf, start, end, (type, from, to) => {
    const length = to - from;
    switch (type) {
      case MAXIMUM_LENGTH: // PS3.8 §D.1: maximum-length-received, 4 octets
        if (length === 4) association.maxPduLength ??= u32(buf, from);
        break;
      case IMPLEMENTATION_CLASS_UID: // PS3.7 §D.3.3.2.1
        if (length > 0) association.implementationClassUid ??= uid(buf, from, to);
        break;
      case ASYNC_OPERATIONS_WINDOW: // PS3.7 §D.3.3.3.1: invoked 2, performed 2
        if (length === 4) association.asyncOperations ??= { invoked: u16(buf, from), performed: u16(buf, from + 2) };
        break;
      case ROLE_SELECTION: {
        // PS3.7 §D.3.3.4.1: UID-length 2, SOP class UID, SCU-role 1, SCP-role 1
        const uidEnd = from + 2 + (length >= 2 ? u16(buf, from) : 0);
        if (length >= 4 && uidEnd + 2 === to) {
          association.roleSelections.push({ sopClassUid: uid(buf, from + 2, uidEnd), scuRole: u8(buf, uidEnd), scpRole: u8(buf, uidEnd + 1) });
        }
        break;
      }
      case IMPLEMENTATION_VERSION_NAME: // PS3.7 §D.3.3.2.3: 1 to 16 characters
        if (length > 0) association.implementationVersionName ??= trimmed(buf, from, to);
        break;
    }
    return true;
  });
}

/**
 * Reads the A-ASSOCIATE-RQ (`accept` false) or -AC body in `buf[start, end)` — everything after the
 * 6-octet PDU header. Null if it is shorter than its fixed fields or an item overruns.
 */
export function readAssociation(buf: Uint8Array, start: number, end: number, accept: boolean): DicomAssociation | null {
  if (end - start < ASSOCIATION_FIXED_LENGTH) return null;
  // PS3.8 §9.3.2 octets 7-8 protocol-version, 9-10 reserved, 11-26 called AE, 27-42 calling AE, 43-74 reserved.
  const association: DicomAssociation = {
    protocolVersion: u16(buf, start),
    calledAeTitle: trimmed(buf, start + 4, start + 4 + AE_TITLE_LENGTH),
    callingAeTitle: trimmed(buf, start + 4 + AE_TITLE_LENGTH, start + 4 + 2 * AE_TITLE_LENGTH),
    applicationContext: null,
    presentationContexts: [],
    maxPduLength: null,
    implementationClassUid: null,
    asyncOperations: null,
    roleSelections: [],
    implementationVersionName: null,
  };
  const contextType = accept ? PRESENTATION_CONTEXT_AC : PRESENTATION_CONTEXT_RQ;
  const ok = walkItems(buf, start + ASSOCIATION_FIXED_LENGTH, end, (type, from, to) => {
    if (type === APPLICATION_CONTEXT) {
      association.applicationContext ??= uid(buf, from, to); // §9.3.2.1
    } else if (type === contextType) {
      const context = readPresentationContext(buf, from, to, accept);
      if (context === null) return false;
      association.presentationContexts.push(context);
    } else if (type === USER_INFORMATION) {
      return readUserInformation(buf, from, to, association);
    }
    return true;
  });
  return ok ? association : null;
}
