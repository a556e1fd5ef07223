/**
 * DICOM upper layer and HL7 over MLLP, field by field against tshark: on every shared capture of
 * medical protocols and device identification, and on our hand-made fixtures written as a capture.
 * Values tshark shows in another text form are normalised (./medical.fields.ts); what still differs
 * is listed below with the reason.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decode as decodeHl7 } from '../../src/decoders/hl7.js';
import { createDissection, dissectLink } from '../../src/dissect.js';
import { ABORT, ASSOCIATE_AC, ASSOCIATE_RJ, ASSOCIATE_RQ, P_DATA, RELEASE_RQ } from '../decoders/dicom-pdus.js';
import { ACK, MONITOR_ADT, PUMP_ORU } from '../decoders/hl7-messages.js';
import { writePcap } from '../decoders/pcap-file.js';
import { HAVE_TSHARK, readFrames, SHARED_DATA, sharedCaptures, sharedName, skipNotice, unexplained, type Exception } from './harness.js';
import { connectionFrames } from './medical-frames.js';
import { compareMedical, medicalExtractor } from './medical.fields.js';

const CAPTURES = [...sharedCaptures('medical-protocols'), ...sharedCaptures('devid')];

/**
 * Fields compared per capture (a field of a frame, with all its values, counts once; `normalised`
 * of them agree once tshark's text form is normalised); 0 where a capture has no DICOM or HL7.
 */
const COMPARED: Record<string, { compared: number; normalised: number }> = {
  'medical-protocols/HL7-ADT-UDI-OBX.pcap': { compared: 5, normalised: 2 },
  'medical-protocols/HL7-ADT.pcap': { compared: 5, normalised: 2 },
  'medical-protocols/HL7-ORU.pcap': { compared: 5, normalised: 2 },
  'medical-protocols/dicom_arq_1_find_testclient.pcap': { compared: 12, normalised: 5 },
  'medical-protocols/dicom_arq_2_get_testclient.pcap': { compared: 12, normalised: 5 },
  'medical-protocols/dicom_arq_3_find_bogus_local.pcap': { compared: 12, normalised: 5 },
  'medical-protocols/mpa_unencrypted_hl7.pcap': { compared: 0, normalised: 0 },
  'medical-protocols/synthetic_philips_demo.pcap': { compared: 30, normalised: 9 },
};

/** Where we knowingly differ from tshark on the shared captures. */
const EXCEPTIONS: Exception[] = [];

describe('DICOM and HL7 agree with tshark on the shared captures', () => {
  if (!HAVE_TSHARK || CAPTURES.length === 0) {
    skipNotice('tshark medical comparison: tshark or ../shared/data is absent');
    it.skip('needs tshark and ../shared/data', () => undefined);
    return;
  }

  it.each(CAPTURES.map((path) => [sharedName(path), path] as const))('%s', async (name, path) => {
    const result = await compareMedical(path);
    const { open, stale } = unexplained(result.disagreements, EXCEPTIONS.filter((e) => e.file === name));
    expect(open).toEqual([]);
    expect(stale).toEqual([]);
    expect({ compared: result.compared, normalised: result.normalised }).toEqual(COMPARED[name] ?? { compared: 0, normalised: 0 });
  });

  it('finds the infusion pump that the UDI capture names in OBX-18', async () => {
    const path = join(SHARED_DATA, 'medical-protocols/HL7-ADT-UDI-OBX.pcap');
    const extractor = medicalExtractor();
    const d = createDissection();
    const segments = (await readFrames(path)).flatMap((frame) => extractor.frame(frame, d, dissectLink(frame.bytes, d, frame.linkType))?.['hl7.segment'] ?? []);
    expect(segments).toContain('OBX-18 Hospira Plum A+');
  });

  it('leaves the HL7 sample without MLLP framing alone, as tshark does', async () => {
    const path = join(SHARED_DATA, 'medical-protocols/mpa_unencrypted_hl7.pcap');
    const [frame] = await readFrames(path);
    const d = createDissection();
    expect(frame !== undefined && dissectLink(frame.bytes, d, frame.linkType)).toBe(true);
    const payload = frame!.bytes.subarray(d.payloadOffset, d.payloadOffset + d.payloadLength);
    expect(Buffer.from(payload.subarray(0, 4)).toString('latin1')).toBe('MSH|'); // HL7 text, but no start block
    expect(decodeHl7(payload, 0)).toBeNull();
  });
});

describe('DICOM and HL7 fixtures agree with tshark', () => {
  if (!HAVE_TSHARK) {
    skipNotice('tshark medical fixture comparison: tshark is absent');
    it.skip('needs tshark', () => undefined);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'wardsight-medical-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('DICOM: an association split over two segments, its answer, data, release, reject and abort', async () => {
    const path = join(dir, 'dicom.pcap');
    writePcap(
      path,
      connectionFrames(104, [
        { fromClient: true, payload: ASSOCIATE_RQ.subarray(0, 100) },
        { fromClient: true, payload: ASSOCIATE_RQ.subarray(100) },
        { fromClient: false, payload: ASSOCIATE_AC },
        { fromClient: true, payload: P_DATA },
        { fromClient: true, payload: RELEASE_RQ },
        { fromClient: false, payload: ASSOCIATE_RJ },
        { fromClient: false, payload: ABORT },
      ]),
    );
    const result = await compareMedical(path);
    expect(result.disagreements).toEqual([]);
    expect({ compared: result.compared, normalised: result.normalised }).toEqual({ compared: 42, normalised: 10 });
  });

  it('HL7: escapes, PRT, OBX-18 and a sender’s own delimiters', async () => {
    const path = join(dir, 'hl7.pcap');
    writePcap(
      path,
      connectionFrames(2575, [
        { fromClient: true, payload: PUMP_ORU },
        { fromClient: false, payload: ACK },
        { fromClient: true, payload: MONITOR_ADT },
      ]),
    );
    const file = sharedName(path);
    const exceptions: Exception[] = [
      { file, frame: 1, field: 'hl7.segment', reason: 'tshark shows MSH-4 as sent (ICU\\T\\EAST); we resolve the escape (ICU&EAST)' },
      { file, frame: 3, field: 'hl7.segment', reason: 'tshark shows MSH-4 as sent (WARD@F@5) and MSH-6 as ""; we resolve the escape and read "" as null' },
    ];
    const result = await compareMedical(path);
    const { open, stale } = unexplained(result.disagreements, exceptions);
    expect(open).toEqual([]);
    expect(stale).toEqual([]);
  });
});
