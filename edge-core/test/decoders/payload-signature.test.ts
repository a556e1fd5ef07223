/** Stream protocols recognised by how a segment starts, on TCP ports the registry does not list. */
import { describe, expect, it } from 'vitest';
import { appOfTcpPayload, APP_DICOM, APP_HL7, APP_HTTP, APP_NAMES, APP_NONE, APP_SSH, APP_TLS } from '../../src/decoders/registry.js';
import { createDissection, dissect } from '../../src/dissect.js';
import { TCP_HL7_PUSH } from './frames.js';
import { hex, patch, text } from './hex.js';

const at = (bytes: Uint8Array): number => appOfTcpPayload(bytes, 0, bytes.length);

describe('payload signatures', () => {
  it('knows HL7 over MLLP, TLS hellos, DICOM association requests, HTTP heads and SSH by their first octets', () => {
    expect(at(hex('0b', text('MSH|^~\\&|'), '0d1c0d'))).toBe(APP_HL7);
    expect(at(hex('16 0301 0200 01 0001fc 0303'))).toBe(APP_TLS); // handshake record, TLS 1.0 record version, ClientHello
    expect(at(hex('16 0303 0059 02 000055 0303'))).toBe(APP_TLS); // ServerHello
    expect(at(hex('01 00 000000cd 0001 0000'))).toBe(APP_DICOM); // A-ASSOCIATE-RQ, length 205, protocol version 1
    expect(at(hex(text('GET / HTTP/1.1\r\n')))).toBe(APP_HTTP);
    expect(at(hex(text('HTTP/1.1 200 OK\r\n')))).toBe(APP_HTTP);
    expect(at(hex(text('SSH-2.0-OpenSSH_9.2p1\r\n')))).toBe(APP_SSH);
  });

  it('passes over what only starts like them', () => {
    expect(at(hex('0b', text('MSA|AA|1'), '0d'))).toBe(APP_NONE); // a start block without MSH
    expect(at(hex('16 0303 0010 0b 000010 0000'))).toBe(APP_NONE); // a Certificate, not a hello
    expect(at(hex('17 0303 0010 00000000'))).toBe(APP_NONE); // TLS application data
    expect(at(hex('04 00 00001000 0000'))).toBe(APP_NONE); // DICOM P-DATA
    expect(at(hex('01 00 000000cd 0002 0000'))).toBe(APP_NONE); // protocol version 2
    expect(at(hex(text('GETTING STARTED')))).toBe(APP_NONE);
    expect(at(hex(text('SSH')))).toBe(APP_NONE); // too short to tell
  });

  it('marks a segment on an unlisted port by its payload, and a listed port by the port', () => {
    const d = createDissection();
    // TCP_HL7_PUSH goes to 2575 (listed); to 5000 (unlisted) it is still HL7, by its MLLP start.
    const unlisted = patch(TCP_HL7_PUSH, 36, '1388');
    expect(dissect(unlisted, d)).toBe(true);
    expect([d.dstPort, APP_NAMES[d.app]]).toEqual([5000, 'hl7']);
    expect(dissect(TCP_HL7_PUSH, d)).toBe(true);
    expect(APP_NAMES[d.app]).toBe('hl7');
  });
});
