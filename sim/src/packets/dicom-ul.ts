/** DICOM Upper Layer PDUs (DICOM PS3.8 §9.3): association, data transfer and release. */
import { concatBytes, checkRange, latin1, u16, u32, u8 } from './bytes.js';
import { SimError } from '../errors.js';

export const DICOM_PORT = 104;
export const APPLICATION_CONTEXT_NAME = '1.2.840.10008.3.1.1.1';
export const IMPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2';
export const CT_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.2';
export const VERIFICATION_SOP_CLASS = '1.2.840.10008.1.1';

/** PS3.8 §9.3.1 PDU types. */
export const PDU_TYPE = {
  associateRq: 0x01,
  associateAc: 0x02,
  pDataTf: 0x04,
  releaseRq: 0x05,
  releaseRp: 0x06,
} as const;

export interface PresentationContextProposal {
  /** Odd number 1..255 (PS3.8 §9.3.2.2). */
  id: number;
  abstractSyntax: string;
  transferSyntaxes: readonly string[];
}

export interface PresentationContextResult {
  id: number;
  /** PS3.8 §9.3.3.2: 0 acceptance, 3 abstract syntax not supported, 4 transfer syntaxes not supported. */
  result: number;
  transferSyntax: string;
}

export interface AssociationUserInfo {
  maxPduLength: number;
  implementationClassUid: string;
  /** 1..16 characters (PS3.7 §D.3.3.2.3). */
  implementationVersionName?: string;
}

export interface AssociateRqFields {
  calledAeTitle: string;
  callingAeTitle: string;
  presentationContexts: readonly PresentationContextProposal[];
  userInfo: AssociationUserInfo;
}

export interface AssociateAcFields {
  calledAeTitle: string;
  callingAeTitle: string;
  presentationContexts: readonly PresentationContextResult[];
  userInfo: AssociationUserInfo;
}

/** PS3.8 §9.3.2: A-ASSOCIATE-RQ. */
export function associateRq(fields: AssociateRqFields): Uint8Array {
  const contexts = fields.presentationContexts.map((pc) => {
    // PS3.8 §9.3.2.2: id, three reserved bytes, the abstract syntax and each proposed transfer syntax.
    const syntaxes = [item(0x30, latin1(pc.abstractSyntax)), ...pc.transferSyntaxes.map((ts) => item(0x40, latin1(ts)))];
    return item(0x20, concatBytes([u8(pc.id), u8(0), u8(0), u8(0), ...syntaxes]));
  });
  return associatePdu(PDU_TYPE.associateRq, fields.calledAeTitle, fields.callingAeTitle, contexts, fields.userInfo);
}

/** PS3.8 §9.3.3: A-ASSOCIATE-AC; AE title fields echo the request (§9.3.3.1). */
export function associateAc(fields: AssociateAcFields): Uint8Array {
  const contexts = fields.presentationContexts.map((pc) =>
    // PS3.8 §9.3.3.2: id, reserved, result/reason, reserved, one transfer syntax sub-item.
    item(0x21, concatBytes([u8(pc.id), u8(0), u8(pc.result), u8(0), item(0x40, latin1(pc.transferSyntax))])),
  );
  return associatePdu(PDU_TYPE.associateAc, fields.calledAeTitle, fields.callingAeTitle, contexts, fields.userInfo);
}

/**
 * PS3.8 §9.3.2 Table 9-11: type, reserved, PDU length (4), protocol version (2) = 1, reserved (2),
 * called AE title (16), calling AE title (16), reserved (32), then the variable items.
 */
function associatePdu(type: number, called: string, calling: string, contexts: Uint8Array[], userInfo: AssociationUserInfo): Uint8Array {
  const body = concatBytes([
    u16(0x0001),
    u16(0),
    aeTitle(called),
    aeTitle(calling),
    new Uint8Array(32),
    item(0x10, latin1(APPLICATION_CONTEXT_NAME)), // §9.3.2.1 application context item
    ...contexts,
    userInformation(userInfo),
  ]);
  return pdu(type, body);
}

/** PS3.8 §9.3.2.3 / Annex D: user information item 0x50 with its sub-items. */
function userInformation(info: AssociationUserInfo): Uint8Array {
  const subItems = [item(0x51, u32(info.maxPduLength)), item(0x52, latin1(info.implementationClassUid))];
  if (info.implementationVersionName !== undefined) {
    const name = info.implementationVersionName;
    if (name.length < 1 || name.length > 16) throw new SimError('SIM_ERR_FIELD_RANGE', `implementation version name ${JSON.stringify(name)}`);
    subItems.push(item(0x55, latin1(name)));
  }
  return item(0x50, concatBytes(subItems));
}

/** PS3.8 §9.3.1: an AE title is 16 bytes, padded with spaces; 1..16 significant characters. */
function aeTitle(title: string): Uint8Array {
  if (title.trim().length === 0 || title.length > 16) throw new SimError('SIM_ERR_FIELD_RANGE', `AE title ${JSON.stringify(title)}`);
  return latin1(title.padEnd(16, ' '));
}

/** PS3.8 §9.3.2: an item is type (1), reserved (1), item length (2), value. */
function item(type: number, value: Uint8Array): Uint8Array {
  checkRange(value.length, 0xffff, `DICOM item 0x${type.toString(16)} length`);
  return concatBytes([u8(type), u8(0), u16(value.length), value]);
}

/** PS3.8 §9.3.1: a PDU is type (1), reserved (1), PDU length (4) counting the bytes after it. */
function pdu(type: number, body: Uint8Array): Uint8Array {
  return concatBytes([u8(type), u8(0), u32(body.length), body]);
}

/** PS3.8 §9.3.5.1 / Annex E.2: a presentation data value and its message control header bits. */
export interface PresentationDataValue {
  contextId: number;
  /** Bit 0: 1 = command, 0 = data set. */
  command: boolean;
  /** Bit 1: 1 = last fragment. */
  last: boolean;
  data: Uint8Array;
}

/** PS3.8 §9.3.5: P-DATA-TF with PDV items of item length (4), context id (1), control header (1), data. */
export function pDataTf(values: readonly PresentationDataValue[]): Uint8Array {
  return pdu(
    PDU_TYPE.pDataTf,
    concatBytes(values.map((v) => concatBytes([u32(2 + v.data.length), u8(v.contextId), u8((v.command ? 1 : 0) | (v.last ? 2 : 0)), v.data]))),
  );
}

/**
 * A command or data set split into P-DATA-TF PDUs whose PDU length stays within the peer's
 * maximum (PS3.8 §D.1: the limit covers the PDV items, each with a 6-byte header here).
 */
export function pDataFragments(contextId: number, command: boolean, bytes: Uint8Array, maxPduLength: number): Uint8Array[] {
  const room = Math.max(1, maxPduLength - 6);
  const pdus: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length || pdus.length === 0; offset += room) {
    const data = bytes.subarray(offset, offset + room);
    pdus.push(pDataTf([{ contextId, command, last: offset + room >= bytes.length, data }]));
  }
  return pdus;
}

/** PS3.8 §9.3.6 / §9.3.7: A-RELEASE-RQ and A-RELEASE-RP carry 4 reserved bytes. */
export function releaseRq(): Uint8Array {
  return pdu(PDU_TYPE.releaseRq, new Uint8Array(4));
}

export function releaseRp(): Uint8Array {
  return pdu(PDU_TYPE.releaseRp, new Uint8Array(4));
}
