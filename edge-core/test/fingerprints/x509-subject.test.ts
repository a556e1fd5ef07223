import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { certificateSubject, splitAltNames } from '../../src/fingerprints/x509-subject.js';
import { seededRandom } from '../decoders/hex.js';
import { PUMP_CERTIFICATE, SELF_SIGNED_CA } from './x509-fixtures.js';

describe('certificate subject', () => {
  it("reads a server certificate's names, alternative names and validity", () => {
    expect(certificateSubject(PUMP_CERTIFICATE)).toEqual({
      subject: [
        { type: 'C', value: 'DE' },
        { type: 'O', value: 'Müller Medizintechnik' },
        { type: 'OU', value: 'Pumps' },
        { type: 'OU', value: 'Space' },
        { type: 'CN', value: 'pump-17.icu.example' },
      ],
      subjectText: 'C=DE, O=Müller Medizintechnik, OU=Pumps, OU=Space, CN=pump-17.icu.example',
      issuer: [
        { type: 'C', value: 'DE' },
        { type: 'O', value: 'Wardsight Test CA' },
        { type: 'CN', value: 'Pump CA' },
      ],
      issuerText: 'C=DE, O=Wardsight Test CA, CN=Pump CA',
      commonName: 'pump-17.icu.example',
      subjectAltNames: ['DNS:pump-17.icu.example', 'DNS:*.icu.example', 'IP Address:10.20.0.55'],
      dnsNames: ['pump-17.icu.example', '*.icu.example'],
      ipAddresses: ['10.20.0.55'],
      validFrom: '2024-01-01T00:00:00.000Z',
      validTo: '2050-01-01T00:00:00.000Z',
      serialNumber: '0a1b2c',
      fingerprint256: createHash('sha256').update(PUMP_CERTIFICATE).digest('hex'),
      selfIssued: false,
      ca: false,
    });
  });

  it('reads a self-issued CA and an alternative name holding a comma', () => {
    expect(certificateSubject(SELF_SIGNED_CA)).toMatchObject({
      selfIssued: true,
      ca: true,
      dnsNames: ['a, b', 'ca.icu.example'],
    });
  });

  it('reads DER inside a larger buffer', () => {
    const framed = new Uint8Array(PUMP_CERTIFICATE.length + 10);
    framed.set(PUMP_CERTIFICATE, 7);
    expect(certificateSubject(framed.subarray(7, 7 + PUMP_CERTIFICATE.length))?.commonName).toBe('pump-17.icu.example');
  });

  it('returns null, never throws, for what is not a certificate', () => {
    expect(certificateSubject(new Uint8Array(0))).toBeNull();
    expect(certificateSubject(Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01))).toBeNull(); // SEQUENCE { INTEGER 1 }
    expect(certificateSubject(Buffer.from('-----BEGIN CERTIFICATE-----\n'))).toBeNull(); // PEM is not read
    for (let length = 0; length < PUMP_CERTIFICATE.length; length++) {
      expect(certificateSubject(PUMP_CERTIFICATE.subarray(0, length))).toBeNull();
    }
    const random = seededRandom(0x5eed_0509);
    let read = 0;
    for (let n = 0; n < 2000; n++) {
      const mutated = PUMP_CERTIFICATE.slice();
      mutated[Math.floor(random() * mutated.length)] = random() * 256;
      if (certificateSubject(mutated) !== null) read++; // a throw fails the test
    }
    expect(read).toBeGreaterThan(0);
  });

  it('splits alternative names, quoted ones whole', () => {
    expect(splitAltNames('')).toEqual([]);
    expect(splitAltNames('DNS:"a, b", DNS:c, IP Address:10.0.0.1')).toEqual(['DNS:a, b', 'DNS:c', 'IP Address:10.0.0.1']);
    expect(splitAltNames('DNS:"a \\"q\\"", URI:urn:x:y')).toEqual(['DNS:a "q"', 'URI:urn:x:y']);
  });
});
