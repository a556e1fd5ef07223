/**
 * An imaging modality storing a series on a PACS: association (DICOM PS3.8 §7.1), one C-STORE per
 * image (PS3.7 §9.1.1) and release (PS3.8 §7.2), in the modality's own identity.
 */
import type { SeededRandom } from '../prng.js';
import { concatBytes } from '../packets/bytes.js';
import { cStoreRq, cStoreRsp, dicomElement } from '../packets/dicom-message.js';
import { IMPLICIT_VR_LITTLE_ENDIAN, VERIFICATION_SOP_CLASS, associateAc, associateRq, pDataFragments, releaseRp, releaseRq } from '../packets/dicom-ul.js';
import type { TcpMessage } from '../packets/tcp-connection.js';
import { noise } from './addresses.js';
import type { DicomIdentity } from './models.js';

const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
/** dcm4che, the PACS software, answers with its own implementation class and version. */
const PACS_IMPLEMENTATION = { implementationClassUid: '1.2.40.0.13.1.3', implementationVersionName: 'dcm4che-5.31.0' };
const MODALITY_MAX_PDU = 32_768;
const PACS_MAX_PDU = 16_384;
const IMAGE_CONTEXT = 1;

export interface DicomSeries {
  identity: DicomIdentity;
  callingAe: string;
  calledAe: string;
  modelName: string;
  softwareVersion: string;
}

/** PS3.3 C.12.1 SOP Common and C.7.5.1 General Equipment, then the pixel data (PS3.5 §7.1.3, implicit VR). */
function imageDataSet(series: DicomSeries, sopInstanceUid: string, pixels: Uint8Array): Uint8Array {
  const { identity } = series;
  return concatBytes([
    dicomElement(0x0008, 0x0016, { uid: identity.sopClassUid }), // SOP Class UID
    dicomElement(0x0008, 0x0018, { uid: sopInstanceUid }), // SOP Instance UID
    dicomElement(0x0008, 0x0060, { text: identity.modality }), // Modality
    dicomElement(0x0008, 0x0070, { text: identity.manufacturer }), // Manufacturer
    dicomElement(0x0008, 0x1090, { text: series.modelName }), // Manufacturer's Model Name
    dicomElement(0x0018, 0x1020, { text: series.softwareVersion }), // Software Versions
    dicomElement(0x7fe0, 0x0010, { bytes: pixels }), // Pixel Data
  ]);
}

/** `images` images of about `imageBytes` each (±5 %, as compressed images vary). */
export function dicomBurst(series: DicomSeries, random: SeededRandom, images: number, imageBytes: number): TcpMessage[] {
  const { identity } = series;
  const userInfo = { maxPduLength: MODALITY_MAX_PDU, implementationClassUid: identity.implementationClassUid, implementationVersionName: identity.implementationVersionName };
  const messages: TcpMessage[] = [
    {
      from: 'client',
      payload: associateRq({
        calledAeTitle: series.calledAe,
        callingAeTitle: series.callingAe,
        presentationContexts: [
          { id: IMAGE_CONTEXT, abstractSyntax: identity.sopClassUid, transferSyntaxes: [EXPLICIT_VR_LITTLE_ENDIAN, IMPLICIT_VR_LITTLE_ENDIAN] },
          { id: 3, abstractSyntax: VERIFICATION_SOP_CLASS, transferSyntaxes: [IMPLICIT_VR_LITTLE_ENDIAN] },
        ],
        userInfo,
      }),
    },
    {
      from: 'server',
      payload: associateAc({
        calledAeTitle: series.calledAe,
        callingAeTitle: series.callingAe,
        presentationContexts: [
          { id: IMAGE_CONTEXT, result: 0, transferSyntax: IMPLICIT_VR_LITTLE_ENDIAN },
          { id: 3, result: 0, transferSyntax: IMPLICIT_VR_LITTLE_ENDIAN },
        ],
        userInfo: { maxPduLength: PACS_MAX_PDU, ...PACS_IMPLEMENTATION },
      }),
    },
  ];
  const study = `${identity.implementationClassUid}.2.${random.uint32()}.${random.int(100, 999)}`;
  for (let i = 1; i <= images; i++) {
    const instance = `${study}.${i}`;
    const size = Math.round(imageBytes * (0.95 + random.fraction() * 0.1));
    const dataSet = imageDataSet(series, instance, noise(random, size));
    const command = pDataFragments(IMAGE_CONTEXT, true, cStoreRq(i, identity.sopClassUid, instance), PACS_MAX_PDU);
    const data = pDataFragments(IMAGE_CONTEXT, false, dataSet, PACS_MAX_PDU);
    messages.push({ from: 'client', payload: concatBytes([...command, ...data]) });
    const response = pDataFragments(IMAGE_CONTEXT, true, cStoreRsp(i, identity.sopClassUid, instance), MODALITY_MAX_PDU);
    messages.push({ from: 'server', payload: concatBytes(response) });
  }
  messages.push({ from: 'client', payload: releaseRq() }, { from: 'server', payload: releaseRp() });
  return messages;
}
