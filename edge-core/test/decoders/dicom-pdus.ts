/**
 * Hand-written DICOM upper layer PDUs (PS3.8 §9.3), field by field: a CT scanner "CT01" asks the
 * archive "PACS_ARCHIVE" to store CT images, the archive accepts, and the other PDU types.
 */
import { hex, text, zeros } from './hex.js';

/** `ascii` space-padded to an AE title's 16 octets (PS3.8 §9.3.2), as hex. */
export function aeTitle(ascii: string): string {
  return text(ascii.padEnd(16, ' '));
}

export const ASSOCIATE_RQ = hex(
  '01', // PDU-type A-ASSOCIATE-RQ
  '00', // reserved
  '0000010c', // PDU-length 268 = 68 fixed + 25 + 82 + 93 of items
  '0001', // protocol-version: bit 0, version 1
  '0000', // reserved
  aeTitle('PACS_ARCHIVE'), // called AE title
  aeTitle(' CT01'), // calling AE title, a leading space too (not significant)
  zeros(32), // reserved
  // Application context item (§9.3.2.1)
  '10 00 0015', // item-type 10H, reserved, item-length 21
  text('1.2.840.10008.3.1.1.1'), // DICOM application context name
  // Presentation context item (§9.3.2.2)
  '20 00 004e', // item-type 20H, reserved, item-length 78 = 4 + 29 + 21 + 24
  '01', // presentation-context-ID 1
  '00 00 00', // reserved ×3
  '30 00 0019', // abstract syntax sub-item, length 25
  text('1.2.840.10008.5.1.4.1.1.2'), // CT Image Storage
  '40 00 0011', // transfer syntax sub-item, length 17
  text('1.2.840.10008.1.2'), // Implicit VR Little Endian
  '40 00 0014', // transfer syntax sub-item, length 20
  text('1.2.840.10008.1.2.1') + '00', // Explicit VR Little Endian, NUL-padded to even length
  // User information item (§9.3.2.3)
  '50 00 0059', // item-type 50H, reserved, item-length 89 = 8 + 24 + 8 + 33 + 16
  '51 00 0004', // maximum length sub-item (PS3.8 §D.1), length 4
  '00004000', // maximum-length-received 16384
  '52 00 0014', // implementation class UID sub-item (PS3.7 §D.3.3.2), length 20
  text('1.3.12.2.1107.5.1.4') + '00', // a maker's UID root, NUL-padded
  '53 00 0004', // asynchronous operations window sub-item (PS3.7 §D.3.3.3), length 4
  '0005', // maximum-number-operations-invoked 5
  '0001', // maximum-number-operations-performed 1
  '54 00 001d', // SCP/SCU role selection sub-item (PS3.7 §D.3.3.4), length 29
  '0019', // UID-length 25
  text('1.2.840.10008.5.1.4.1.1.2'), // SOP class UID: CT Image Storage
  '01', // SCU-role: supported
  '00', // SCP-role: not supported
  '55 00 000c', // implementation version name sub-item (PS3.7 §D.3.3.2), length 12
  text('CT_SCAN_V4.2'),
);

export const ASSOCIATE_AC = hex(
  '02', // PDU-type A-ASSOCIATE-AC
  '00', // reserved
  '000000b6', // PDU-length 182 = 68 fixed + 25 + 31 + 8 + 50 of items
  '0001', // protocol-version 1
  '0000', // reserved
  aeTitle('PACS_ARCHIVE'), // called AE title, as received (§9.3.3)
  aeTitle('CT01'), // calling AE title, as received
  zeros(32), // reserved
  '10 00 0015', // application context item, length 21
  text('1.2.840.10008.3.1.1.1'),
  // Presentation context items, AC form (§9.3.3.2)
  '21 00 001b', // item-type 21H, reserved, item-length 27 = 4 + 23
  '01', // presentation-context-ID 1
  '00', // reserved
  '00', // result/reason: 0 acceptance
  '00', // reserved
  '40 00 0013', // transfer syntax sub-item, length 19
  text('1.2.840.10008.1.2.1'), // Explicit VR Little Endian
  '21 00 0004', // item-type 21H, item-length 4: a context with no sub-item
  '03', // presentation-context-ID 3
  '00', // reserved
  '03', // result/reason: 3 abstract-syntax-not-supported
  '00', // reserved
  // User information item
  '50 00 002e', // item-type 50H, item-length 46 = 8 + 20 + 18
  '51 00 0004', // maximum length sub-item
  '00010000', // maximum-length-received 65536
  '52 00 0010', // implementation class UID sub-item, length 16
  text('1.2.40.0.13.1.3') + '00', // a toolkit's UID root, NUL-padded
  '55 00 000e', // implementation version name sub-item, length 14
  text('dcm4che-5.31.0'),
);

export const ASSOCIATE_RJ = hex(
  '03', // PDU-type A-ASSOCIATE-RJ
  '00', // reserved
  '00000004', // PDU-length 4
  '00', // reserved
  '01', // result: 1 rejected-permanent
  '01', // source: 1 DICOM UL service-user
  '07', // reason/diag: 7 called-AE-title-not-recognized
);

export const P_DATA = hex(
  '04', // PDU-type P-DATA-TF
  '00', // reserved
  '0000000c', // PDU-length 12
  '00000008', // PDV item-length 8 (§9.3.5.1)
  '01', // presentation-context-ID 1
  '03', // message control header: command, last fragment
  '0000 0000 0400', // start of a command set (not read)
);

export const RELEASE_RQ = hex(
  '05', // PDU-type A-RELEASE-RQ
  '00', // reserved
  '00000004', // PDU-length 4
  '00000000', // reserved
);

export const ABORT = hex(
  '07', // PDU-type A-ABORT
  '00', // reserved
  '00000004', // PDU-length 4
  '00 00', // reserved ×2
  '02', // source: 2 DICOM UL service-provider
  '06', // reason/diag: 6 invalid-PDU-parameter-value
);
