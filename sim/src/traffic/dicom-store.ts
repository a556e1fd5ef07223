/**
 * A modality storing images on the PACS: association (DICOM PS3.8 §7.1), C-STORE of each image
 * (PS3.7 §9.1.1) and release (PS3.8 §7.2).
 */
import type { HospitalDevice } from '../devices.js';
import type { SeededRandom } from '../prng.js';
import { concatBytes } from '../packets/bytes.js';
import { cStoreRq, cStoreRsp, imageDataSet } from '../packets/dicom-message.js';
import {
  CT_IMAGE_STORAGE,
  IMPLICIT_VR_LITTLE_ENDIAN,
  VERIFICATION_SOP_CLASS,
  associateAc,
  associateRq,
  pDataFragments,
  releaseRp,
  releaseRq,
} from '../packets/dicom-ul.js';
import type { TcpMessage } from '../packets/tcp-connection.js';

const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
/** GE Healthcare's UID root (1.2.840.113619) for the scanner's implementation class and its images. */
const GE_ROOT = '1.2.840.113619';
/** The PACS software's implementation class UID and version (dcm4che). */
const PACS_IMPLEMENTATION = { implementationClassUid: '1.2.40.0.13.1.3', implementationVersionName: 'dcm4che-5.31.0' };
const MODALITY_MAX_PDU = 32_768;
const PACS_MAX_PDU = 16_384;
const CT_CONTEXT = 1;

export function aeTitleOf(device: HospitalDevice): string {
  return device.hostname.toUpperCase().replace(/-/g, '_').slice(0, 16);
}

export function dicomStoreMessages(modality: HospitalDevice, pacs: HospitalDevice, random: SeededRandom, images: number): TcpMessage[] {
  const called = aeTitleOf(pacs);
  const calling = aeTitleOf(modality);
  const messages: TcpMessage[] = [];
  messages.push({
    from: 'client',
    payload: associateRq({
      calledAeTitle: called,
      callingAeTitle: calling,
      presentationContexts: [
        { id: CT_CONTEXT, abstractSyntax: CT_IMAGE_STORAGE, transferSyntaxes: [EXPLICIT_VR_LITTLE_ENDIAN, IMPLICIT_VR_LITTLE_ENDIAN] },
        { id: 3, abstractSyntax: VERIFICATION_SOP_CLASS, transferSyntaxes: [IMPLICIT_VR_LITTLE_ENDIAN] },
      ],
      userInfo: { maxPduLength: MODALITY_MAX_PDU, implementationClassUid: `${GE_ROOT}.6.336`, implementationVersionName: 'REVO_CT_22.10' },
    }),
  });
  messages.push({
    from: 'server',
    payload: associateAc({
      calledAeTitle: called,
      callingAeTitle: calling,
      presentationContexts: [
        { id: CT_CONTEXT, result: 0, transferSyntax: IMPLICIT_VR_LITTLE_ENDIAN },
        { id: 3, result: 0, transferSyntax: IMPLICIT_VR_LITTLE_ENDIAN },
      ],
      userInfo: { maxPduLength: PACS_MAX_PDU, ...PACS_IMPLEMENTATION },
    }),
  });
  const study = `${GE_ROOT}.2.55.3.${random.uint32()}.${random.int(100, 999)}`;
  for (let i = 1; i <= images; i++) {
    const instance = `${study}.${i}`;
    const dataSet = imageDataSet(
      {
        sopClassUid: CT_IMAGE_STORAGE,
        sopInstanceUid: instance,
        manufacturer: 'GE MEDICAL SYSTEMS',
        modelName: modality.model ?? 'CT',
        softwareVersions: modality.softwareVersion,
      },
      random.bytes(random.int(8_000, 24_000)),
    );
    const command = pDataFragments(CT_CONTEXT, true, cStoreRq(i, CT_IMAGE_STORAGE, instance), PACS_MAX_PDU);
    const data = pDataFragments(CT_CONTEXT, false, dataSet, PACS_MAX_PDU);
    messages.push({ from: 'client', payload: concatBytes([...command, ...data]) });
    const response = pDataFragments(CT_CONTEXT, true, cStoreRsp(i, CT_IMAGE_STORAGE, instance), MODALITY_MAX_PDU);
    messages.push({ from: 'server', payload: concatBytes(response) });
  }
  messages.push({ from: 'client', payload: releaseRq() });
  messages.push({ from: 'server', payload: releaseRp() });
  return messages;
}
