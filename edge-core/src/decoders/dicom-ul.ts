/**
 * DICOM upper layer PDUs (PS3.8 §9.3) from a reassembled TCP stream: the association PDUs in full
 * (A-ASSOCIATE-RQ/AC via ./dicom-association.ts, -RJ, A-RELEASE, A-ABORT) and the P-DATA-TF by its
 * header only, so the caller can skip its data without buffering it. Used on the identification
 * path, not per packet: returns a fresh plain object with strings, NEED_MORE while a PDU is
 * incomplete, null when the bytes cannot be a PDU; it never throws.
 */
import { u32, u8 } from './bytes.js';
import { ASSOCIATION_FIXED_LENGTH, readAssociation, type DicomAssociation } from './dicom-association.js';
import { NEED_MORE, type NeedMore } from './need-more.js';

export type { DicomAssociation, DicomPresentationContext, DicomRoleSelection } from './dicom-association.js';

// PS3.8 §9.3.1 PDU types.
export const A_ASSOCIATE_RQ = 0x01;
export const A_ASSOCIATE_AC = 0x02;
export const A_ASSOCIATE_RJ = 0x03;
export const P_DATA_TF = 0x04;
export const A_RELEASE_RQ = 0x05;
export const A_RELEASE_RP = 0x06;
export const A_ABORT = 0x07;

/** PDU header: PDU-type 1, reserved 1, PDU-length 4 (big-endian), PS3.8 §9.3.1. */
export const PDU_HEADER_LENGTH = 6;
/**
 * The longest association PDU accepted (header included). PS3.8 sets no limit, but a request with
 * every storage SOP class and several transfer syntaxes each stays well under this; anything longer
 * is taken to be something else and refused rather than buffered.
 */
export const MAX_ASSOCIATION_PDU = 64 * 1024;
/** A-ASSOCIATE-RJ, A-RELEASE-RQ/RP and A-ABORT carry 4 octets after the header (§9.3.4, §9.3.6-8). */
const SHORT_PDU_LENGTH = 4;
/** A P-DATA-TF holds at least one PDV item: item-length 4, context id 1, message control header 1 (§9.3.5.1). */
const MIN_P_DATA_LENGTH = 6;

export interface DicomPdu {
  /** PDU-type: A_ASSOCIATE_RQ … A_ABORT. */
  type: number;
  /** PDU-length: the octets after the 6-octet header. */
  length: number;
  /** Octets the whole PDU takes (header + length): what the caller consumes to reach the next PDU. */
  size: number;
  /** A-ASSOCIATE-RQ and -AC. */
  association: DicomAssociation | null;
  /** A-ASSOCIATE-RJ (§9.3.4): result 1 permanent / 2 transient, source 1–3, reason/diag. */
  reject: { result: number; source: number; reason: number } | null;
  /** A-ABORT (§9.3.8): source 0 service user / 2 service provider, reason/diag. */
  abort: { source: number; reason: number } | null;
}

/** False when the PDU-length cannot be right for the PDU-type. */
function plausibleLength(type: number, length: number): boolean {
  switch (type) {
    case A_ASSOCIATE_RQ:
    case A_ASSOCIATE_AC:
      return length >= ASSOCIATION_FIXED_LENGTH && length <= MAX_ASSOCIATION_PDU - PDU_HEADER_LENGTH;
    case P_DATA_TF:
      return length >= MIN_P_DATA_LENGTH;
    default:
      return length === SHORT_PDU_LENGTH;
  }
}

/**
 * Decodes the PDU starting at `buf[offset]`, reading nothing at or past `end`. Returns NEED_MORE
 * while the bytes so far begin a valid PDU (for a P-DATA-TF, until its header is complete; for any
 * other, until all of it is), and null when they cannot: an unknown PDU-type, a PDU-length that
 * does not fit the type (association PDUs longer than MAX_ASSOCIATION_PDU included) or an item
 * running past the PDU.
 */
export function decode(buf: Uint8Array, offset: number, end = buf.length): DicomPdu | NeedMore | null {
  const limit = Math.min(end, buf.length);
  if (!Number.isInteger(offset) || offset < 0) return null;
  const available = limit - offset;
  if (available <= 0) return NEED_MORE;
  const type = u8(buf, offset);
  if (type < A_ASSOCIATE_RQ || type > A_ABORT) return null;
  if (available < PDU_HEADER_LENGTH) return NEED_MORE;
  // Octet 2 is reserved: sent as 00H, not tested on receipt (§9.3.1).
  const length = u32(buf, offset + 2);
  if (!plausibleLength(type, length)) return null;
  const size = PDU_HEADER_LENGTH + length;
  const pdu: DicomPdu = { type, length, size, association: null, reject: null, abort: null };
  if (type === P_DATA_TF) return pdu;
  if (available < size) return NEED_MORE;
  const body = offset + PDU_HEADER_LENGTH;
  switch (type) {
    case A_ASSOCIATE_RQ:
    case A_ASSOCIATE_AC:
      pdu.association = readAssociation(buf, body, body + length, type === A_ASSOCIATE_AC);
      return pdu.association === null ? null : pdu;
    case A_ASSOCIATE_RJ: // §9.3.4: reserved 1, result 1, source 1, reason/diag 1
      pdu.reject = { result: u8(buf, body + 1), source: u8(buf, body + 2), reason: u8(buf, body + 3) };
      return pdu;
    case A_ABORT: // §9.3.8: reserved 2, source 1, reason/diag 1
      pdu.abort = { source: u8(buf, body + 2), reason: u8(buf, body + 3) };
      return pdu;
    default: // A-RELEASE-RQ/RP (§9.3.6, §9.3.7): 4 reserved octets
      return pdu;
  }
}
