/**
 * DIMSE command sets (DICOM PS3.7 §9.3.1, Annex E) and a small image data set, both encoded in the
 * Implicit VR Little Endian transfer syntax (PS3.5 §7.1.3, Annex A.1): tag (4), length (4), value.
 */
import { concatBytes, latin1, u16le, u32le } from './bytes.js';

/** PS3.7 §E.1 command field values. */
export const C_STORE_RQ = 0x0001;
export const C_STORE_RSP = 0x8001;
/** PS3.7 §E.1: CommandDataSetType 0x0101 means no data set follows. */
const NO_DATA_SET = 0x0101;
const DATA_SET_PRESENT = 0x0000;

type ElementValue = { us: number } | { ul: number } | { text: string } | { uid: string } | { bytes: Uint8Array };

/** PS3.5 §7.1.3: one data element; values are padded to an even length (§7.1.1). */
export function dicomElement(group: number, element: number, value: ElementValue): Uint8Array {
  let bytes: Uint8Array;
  if ('us' in value) bytes = u16le(value.us);
  else if ('ul' in value) bytes = u32le(value.ul);
  // PS3.5 §6.2: UI values are padded with a NULL, text values with a space.
  else if ('uid' in value) bytes = evenLength(latin1(value.uid), 0x00);
  else if ('text' in value) bytes = evenLength(latin1(value.text), 0x20);
  else bytes = evenLength(value.bytes, 0x00);
  return concatBytes([u16le(group), u16le(element), u32le(bytes.length), bytes]);
}

/** PS3.7 §9.3.1.1 Table 9.3-1: C-STORE-RQ. */
export function cStoreRq(messageId: number, sopClassUid: string, sopInstanceUid: string): Uint8Array {
  return commandSet([
    dicomElement(0x0000, 0x0002, { uid: sopClassUid }), // Affected SOP Class UID
    dicomElement(0x0000, 0x0100, { us: C_STORE_RQ }), // Command Field
    dicomElement(0x0000, 0x0110, { us: messageId }), // Message ID
    dicomElement(0x0000, 0x0700, { us: 0 }), // Priority: medium
    dicomElement(0x0000, 0x0800, { us: DATA_SET_PRESENT }), // Command Data Set Type
    dicomElement(0x0000, 0x1000, { uid: sopInstanceUid }), // Affected SOP Instance UID
  ]);
}

/** PS3.7 §9.3.1.2 Table 9.3-2: C-STORE-RSP with status 0x0000 (success). */
export function cStoreRsp(messageId: number, sopClassUid: string, sopInstanceUid: string): Uint8Array {
  return commandSet([
    dicomElement(0x0000, 0x0002, { uid: sopClassUid }),
    dicomElement(0x0000, 0x0100, { us: C_STORE_RSP }),
    dicomElement(0x0000, 0x0120, { us: messageId }), // Message ID Being Responded To
    dicomElement(0x0000, 0x0800, { us: NO_DATA_SET }),
    dicomElement(0x0000, 0x0900, { us: 0x0000 }), // Status
    dicomElement(0x0000, 0x1000, { uid: sopInstanceUid }),
  ]);
}

/** PS3.7 §E.1: a command set starts with Command Group Length (0000,0000), the length of what follows. */
function commandSet(elements: Uint8Array[]): Uint8Array {
  const rest = concatBytes(elements);
  return concatBytes([dicomElement(0x0000, 0x0000, { ul: rest.length }), rest]);
}

export interface ImageIdentity {
  sopClassUid: string;
  sopInstanceUid: string;
  manufacturer: string;
  modelName: string;
  softwareVersions: string;
}

/** A minimal image data set (PS3.3 C.12.1 SOP Common, C.7.5.1 General Equipment) with pixel data. */
export function imageDataSet(identity: ImageIdentity, pixelData: Uint8Array): Uint8Array {
  return concatBytes([
    dicomElement(0x0008, 0x0016, { uid: identity.sopClassUid }), // SOP Class UID
    dicomElement(0x0008, 0x0018, { uid: identity.sopInstanceUid }), // SOP Instance UID
    dicomElement(0x0008, 0x0060, { text: 'CT' }), // Modality
    dicomElement(0x0008, 0x0070, { text: identity.manufacturer }), // Manufacturer
    dicomElement(0x0008, 0x1090, { text: identity.modelName }), // Manufacturer's Model Name
    dicomElement(0x0018, 0x1020, { text: identity.softwareVersions }), // Software Versions
    dicomElement(0x7fe0, 0x0010, { bytes: pixelData }), // Pixel Data
  ]);
}

function evenLength(bytes: Uint8Array, pad: number): Uint8Array {
  if (bytes.length % 2 === 0) return bytes;
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  out[bytes.length] = pad;
  return out;
}
