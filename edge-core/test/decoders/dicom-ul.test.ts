import { describe, expect, it } from 'vitest';
import { decode, MAX_ASSOCIATION_PDU, type DicomPdu } from '../../src/decoders/dicom-ul.js';
import { NEED_MORE, needsMore } from '../../src/decoders/need-more.js';
import { deliveries, parseStream } from '../state/stream-splits.js';
import { decoderContract } from './contract.js';
import { ABORT, aeTitle, ASSOCIATE_AC, ASSOCIATE_RJ, ASSOCIATE_RQ, P_DATA, RELEASE_RQ } from './dicom-pdus.js';
import { hex, patch, text, zeros } from './hex.js';

/** An A-ASSOCIATE-RQ whose variable items are `items` (hex), the PDU-length worked out. */
function request(...items: string[]): Uint8Array {
  const body = hex('0001 0000', aeTitle('SCP'), aeTitle('SCU'), zeros(32), ...items);
  return hex('01 00', body.length.toString(16).padStart(8, '0'), Buffer.from(body).toString('hex'));
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((p) => [...p]));
}

describe('dicom upper layer decoder', () => {
  it('decodes an A-ASSOCIATE-RQ: AE titles, application and presentation contexts, user information', () => {
    expect(decode(ASSOCIATE_RQ, 0)).toEqual({
      type: 1,
      length: 268,
      size: 274,
      association: {
        protocolVersion: 1,
        calledAeTitle: 'PACS_ARCHIVE',
        callingAeTitle: 'CT01', // leading and trailing spaces are not significant
        applicationContext: '1.2.840.10008.3.1.1.1',
        presentationContexts: [
          { id: 1, result: null, abstractSyntax: '1.2.840.10008.5.1.4.1.1.2', transferSyntaxes: ['1.2.840.10008.1.2', '1.2.840.10008.1.2.1'] },
        ],
        maxPduLength: 16384,
        implementationClassUid: '1.3.12.2.1107.5.1.4', // NUL padding stripped
        asyncOperations: { invoked: 5, performed: 1 },
        roleSelections: [{ sopClassUid: '1.2.840.10008.5.1.4.1.1.2', scuRole: 1, scpRole: 0 }],
        implementationVersionName: 'CT_SCAN_V4.2',
      },
      reject: null,
      abort: null,
    });
  });

  it('decodes an A-ASSOCIATE-AC with each context result', () => {
    expect(decode(ASSOCIATE_AC, 0)).toEqual({
      type: 2,
      length: 182,
      size: 188,
      association: {
        protocolVersion: 1,
        calledAeTitle: 'PACS_ARCHIVE',
        callingAeTitle: 'CT01',
        applicationContext: '1.2.840.10008.3.1.1.1',
        presentationContexts: [
          { id: 1, result: 0, abstractSyntax: null, transferSyntaxes: ['1.2.840.10008.1.2.1'] },
          { id: 3, result: 3, abstractSyntax: null, transferSyntaxes: [] },
        ],
        maxPduLength: 65536,
        implementationClassUid: '1.2.40.0.13.1.3',
        asyncOperations: null,
        roleSelections: [],
        implementationVersionName: 'dcm4che-5.31.0',
      },
      reject: null,
      abort: null,
    });
  });

  it('decodes the short PDUs: reject, release, abort', () => {
    const none = { association: null, reject: null, abort: null };
    expect(decode(ASSOCIATE_RJ, 0)).toEqual({ type: 3, length: 4, size: 10, ...none, reject: { result: 1, source: 1, reason: 7 } });
    expect(decode(RELEASE_RQ, 0)).toEqual({ type: 5, length: 4, size: 10, ...none });
    expect(decode(hex('06 00 00000004 00000000'), 0)).toEqual({ type: 6, length: 4, size: 10, ...none });
    expect(decode(ABORT, 0)).toEqual({ type: 7, length: 4, size: 10, ...none, abort: { source: 2, reason: 6 } });
  });

  it('types a P-DATA-TF from its header alone, so the caller can skip its data unbuffered', () => {
    const header = P_DATA.subarray(0, 6);
    expect(decode(header, 0)).toEqual({ type: 4, length: 12, size: 18, association: null, reject: null, abort: null });
    expect(decode(header.subarray(0, 5), 0)).toBe(NEED_MORE);
  });

  it('needs more until an association PDU is complete, and reads only up to `end`', () => {
    for (let n = 0; n < ASSOCIATE_RQ.length; n++) expect(decode(ASSOCIATE_RQ, 0, n), `${n} octets`).toBe(NEED_MORE);
    const two = concat(ASSOCIATE_RQ, RELEASE_RQ);
    expect(decode(two, 0)).toMatchObject({ type: 1, size: 274 });
    expect(decode(two, 274)).toMatchObject({ type: 5, size: 10 });
  });

  it('refuses what cannot be a PDU as soon as it shows', () => {
    expect(decode(hex('16 03 01'), 0)).toBeNull(); // a TLS record, not a PDU type
    expect(decode(hex('00'), 0)).toBeNull();
    expect(decode(hex('08'), 0)).toBeNull();
    expect(decode(hex('05 00 00000005'), 0)).toBeNull(); // release with the wrong length
    expect(decode(hex('01 00 00000043'), 0)).toBeNull(); // 67: shorter than the fixed fields
    expect(decode(hex('04 00 00000005'), 0)).toBeNull(); // P-DATA too short for a PDV item
    const tooLong = (MAX_ASSOCIATION_PDU - 5).toString(16).padStart(8, '0');
    expect(decode(hex('01 00', tooLong), 0)).toBeNull(); // refused before it is buffered
    expect(decode(hex('01 00', (MAX_ASSOCIATION_PDU - 6).toString(16).padStart(8, '0')), 0)).toBe(NEED_MORE);
  });

  it('refuses an item or sub-item that runs past its container', () => {
    expect(decode(request('10 00 0016', text('1.2.840.10008.3.1.1.1')), 0)).toBeNull(); // item past the PDU
    expect(decode(request('10 00'), 0)).toBeNull(); // item header cut short
    expect(decode(request('20 00 0008', '01 000000', '30 00 0005', text('1.2')), 0)).toBeNull(); // sub-item past the context
    expect(decode(request('50 00 0006', '51 00 0004 0000'), 0)).toBeNull(); // user sub-item past the item
    expect(decode(request('20 00 0003', '01 0000'), 0)).toBeNull(); // context shorter than its fixed fields
  });

  it('skips unknown items, AC-form contexts in a request and sub-items of the wrong length', () => {
    const pdu = request(
      '99 00 0002 abcd', // unknown item type
      '21 00 0004 01 00 00 00', // an AC presentation context inside an RQ
      '50 00 0024', // user information, length 36 = 6 + 6 + 9 + 15
      '51 00 0002 4000', // maximum length, 2 octets instead of 4
      '53 00 0002 0001', // asynchronous operations window, 2 octets instead of 4
      '54 00 0005 0009 01 00 00', // role selection whose UID-length disagrees with the item
      '58 00 000b 01 00 0007' + text('someone'), // user identity negotiation (not read)
    );
    expect(decode(pdu, 0)).toMatchObject({
      association: { presentationContexts: [], maxPduLength: null, asyncOperations: null, roleSelections: [], applicationContext: null },
    });
  });

  it('keeps the first of a repeated item and trims AE titles and version names', () => {
    const pdu = request(
      '10 00 0003', text('1.2'),
      '10 00 0003', text('9.9'),
      '50 00 0018', // user information, length 24 = 9 + 15
      '55 00 0005', text('V1.0 '), // trailing space
      '52 00 000b', text('1.2.3.4.5.6'),
    );
    expect(decode(pdu, 0)).toMatchObject({
      association: { applicationContext: '1.2', implementationVersionName: 'V1.0', implementationClassUid: '1.2.3.4.5.6', calledAeTitle: 'SCP' },
    });
    expect(decode(patch(ASSOCIATE_RQ, 10, '00'.repeat(16)), 0)).toMatchObject({ association: { calledAeTitle: '' } });
  });

  it('gives the same PDUs for every way a stream of them is split', () => {
    const stream = concat(ASSOCIATE_RQ, P_DATA, ASSOCIATE_AC, RELEASE_RQ, ABORT);
    const whole = parseStream<DicomPdu>(decode, [{ at: 0, bytes: stream }]);
    expect(whole.messages.map((pdu) => pdu.type)).toEqual([1, 4, 2, 5, 7]);
    expect(whole.malformed).toBe(false);
    for (const [name, pieces] of deliveries(stream, 300)) {
      expect(parseStream<DicomPdu>(decode, pieces), name).toEqual(whole);
    }
  });

  it('refuses an offset that is not an index, and needs more at the end of the bytes', () => {
    expect(decode(ASSOCIATE_RQ, -1)).toBeNull();
    expect(decode(ASSOCIATE_RQ, 1.5)).toBeNull();
    expect(needsMore(decode(ASSOCIATE_RQ, ASSOCIATE_RQ.length))).toBe(true);
  });
});

let lastPdu: DicomPdu | null = null;
decoderContract({
  name: 'dicom-ul',
  accepts: (buf, offset, end) => {
    const result = decode(buf, offset, end);
    lastPdu = needsMore(result) ? null : result;
    return lastPdu !== null;
  },
  result: () => lastPdu,
  cases: [
    { name: 'A-ASSOCIATE-RQ', bytes: ASSOCIATE_RQ, offset: 0 },
    { name: 'A-ASSOCIATE-AC', bytes: ASSOCIATE_AC, offset: 0 },
    { name: 'A-ASSOCIATE-RJ', bytes: ASSOCIATE_RJ, offset: 0 },
    { name: 'P-DATA-TF', bytes: P_DATA, offset: 0, declaredLength: 6 },
    { name: 'A-ABORT', bytes: ABORT, offset: 0 },
  ],
});
