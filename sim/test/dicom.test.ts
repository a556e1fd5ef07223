import { describe, it, expect } from 'vitest';
import {
  APPLICATION_CONTEXT_NAME,
  CT_IMAGE_STORAGE,
  IMPLICIT_VR_LITTLE_ENDIAN,
  associateAc,
  associateRq,
  pDataFragments,
  releaseRp,
  releaseRq,
} from '../src/packets/dicom-ul.js';
import { cStoreRq } from '../src/packets/dicom-message.js';
import { text, view } from './wire.js';

const userInfo = { maxPduLength: 16_384, implementationClassUid: '1.2.840.113619.6.336', implementationVersionName: 'REVO_CT_22.10' };

interface Item {
  type: number;
  value: Uint8Array;
}

/** Walks type (1), reserved (1), length (2), value items; fails if a length overruns. */
function items(bytes: Uint8Array): Item[] {
  const out: Item[] = [];
  for (let i = 0; i < bytes.length; ) {
    const length = view(bytes).getUint16(i + 2);
    expect(i + 4 + length).toBeLessThanOrEqual(bytes.length);
    out.push({ type: bytes[i] ?? 0, value: bytes.subarray(i + 4, i + 4 + length) });
    i += 4 + length;
  }
  return out;
}

describe('A-ASSOCIATE-RQ (DICOM PS3.8 §9.3.2)', () => {
  const pdu = associateRq({
    calledAeTitle: 'PACS_01',
    callingAeTitle: 'CT_01',
    presentationContexts: [{ id: 1, abstractSyntax: CT_IMAGE_STORAGE, transferSyntaxes: [IMPLICIT_VR_LITTLE_ENDIAN] }],
    userInfo,
  });

  it('has a PDU length that counts every byte after the 6-byte header', () => {
    expect(pdu[0]).toBe(0x01);
    expect(view(pdu).getUint32(2)).toBe(pdu.length - 6);
    expect(view(pdu).getUint16(6)).toBe(1); // protocol version
  });

  it('pads AE titles with spaces to 16 bytes and reserves 32 bytes', () => {
    expect(text(pdu.subarray(10, 26))).toBe('PACS_01         ');
    expect(text(pdu.subarray(26, 42))).toBe('CT_01           ');
    expect(pdu.subarray(42, 74).every((b) => b === 0)).toBe(true);
  });

  it('carries the application context, the presentation context and user information with consistent item lengths', () => {
    const variable = items(pdu.subarray(74));
    expect(variable.map((i) => i.type)).toEqual([0x10, 0x20, 0x50]);
    expect(text(variable[0]?.value)).toBe(APPLICATION_CONTEXT_NAME);
    const context = variable[1]?.value ?? new Uint8Array(0);
    expect(context[0]).toBe(1);
    const sub = items(context.subarray(4));
    expect(sub.map((i) => [i.type, text(i.value)])).toEqual([[0x30, CT_IMAGE_STORAGE], [0x40, IMPLICIT_VR_LITTLE_ENDIAN]]);
    const user = items(variable[2]?.value ?? new Uint8Array(0));
    expect(user.map((i) => i.type)).toEqual([0x51, 0x52, 0x55]);
    expect(view(user[0]?.value ?? new Uint8Array(4)).getUint32(0)).toBe(16_384);
    expect(text(user[1]?.value)).toBe('1.2.840.113619.6.336');
    expect(text(user[2]?.value)).toBe('REVO_CT_22.10');
  });

  it('refuses an AE title longer than 16 characters', () => {
    expect(() => associateRq({ calledAeTitle: 'A'.repeat(17), callingAeTitle: 'B', presentationContexts: [], userInfo })).toThrow(/AE title/);
  });
});

describe('A-ASSOCIATE-AC (PS3.8 §9.3.3)', () => {
  it('answers each context with a result and one transfer syntax', () => {
    const pdu = associateAc({ calledAeTitle: 'PACS_01', callingAeTitle: 'CT_01', presentationContexts: [{ id: 1, result: 0, transferSyntax: IMPLICIT_VR_LITTLE_ENDIAN }], userInfo });
    expect(pdu[0]).toBe(0x02);
    expect(view(pdu).getUint32(2)).toBe(pdu.length - 6);
    const context = items(pdu.subarray(74))[1];
    expect(context?.type).toBe(0x21);
    expect(context?.value[2]).toBe(0);
    expect(items(context?.value.subarray(4) ?? new Uint8Array(0)).map((i) => text(i.value))).toEqual([IMPLICIT_VR_LITTLE_ENDIAN]);
  });
});

describe('P-DATA-TF (PS3.8 §9.3.5) and release', () => {
  it('fragments within the maximum PDU length, marking the last fragment', () => {
    const data = Uint8Array.from({ length: 40_000 }, (_, i) => i & 0xff);
    const pdus = pDataFragments(1, false, data, 16_384);
    expect(pdus.length).toBe(3);
    let carried = 0;
    pdus.forEach((pdu, n) => {
      const length = view(pdu).getUint32(2);
      expect(pdu[0]).toBe(0x04);
      expect(length).toBe(pdu.length - 6);
      expect(length).toBeLessThanOrEqual(16_384);
      const pdvLength = view(pdu).getUint32(6);
      expect(pdvLength).toBe(length - 4);
      expect(pdu[10]).toBe(1); // presentation context id
      expect(pdu[11]).toBe(n === pdus.length - 1 ? 0x02 : 0x00); // data set, last fragment bit
      carried += pdvLength - 2;
    });
    expect(carried).toBe(data.length);
  });

  it('marks a command fragment and keeps the command group length right', () => {
    const command = cStoreRq(1, CT_IMAGE_STORAGE, '1.2.3.4');
    const [pdu] = pDataFragments(1, true, command, 16_384);
    expect(pdu?.[11]).toBe(0x03);
    // (0000,0000) UL: tag 4, length 4, value = bytes after this element
    expect(new DataView(command.buffer).getUint32(8, true)).toBe(command.length - 12);
  });

  it('release PDUs are 10 bytes with length 4', () => {
    for (const [pdu, type] of [[releaseRq(), 5], [releaseRp(), 6]] as const) {
      expect(pdu.length).toBe(10);
      expect(pdu[0]).toBe(type);
      expect(view(pdu).getUint32(2)).toBe(4);
    }
  });
});
