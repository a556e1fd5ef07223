import { describe, expect, it } from 'vitest';
import { identityFromCertificate } from '../src/index.js';

describe('identityFromCertificate', () => {
  it('reads the common name and role of a certificate the CA issued', () => {
    expect(identityFromCertificate({ subject: { O: 'Wardsight', OU: 'sensor', CN: 'floor3-east' } })).toEqual({
      commonName: 'floor3-east',
      role: 'sensor',
    });
    expect(identityFromCertificate({ subject: { O: ['Wardsight'], OU: ['hub'], CN: ['hub'] } })).toEqual({ commonName: 'hub', role: 'hub' });
  });

  it('answers null for no certificate, as getPeerCertificate gives it', () => {
    expect(identityFromCertificate(undefined)).toBeNull();
    expect(identityFromCertificate(null)).toBeNull();
    expect(identityFromCertificate({})).toBeNull();
    expect(identityFromCertificate({ subject: {} })).toBeNull();
  });

  it('answers null for subjects the CA does not write', () => {
    const subjects = [
      { O: 'Wardsight', OU: 'sensor' },
      { O: 'Wardsight', OU: 'sensor', CN: '' },
      { O: 'Wardsight', CN: 'floor3' },
      { O: 'Wardsight', OU: 'root', CN: 'floor3' },
      { O: 'Elsewhere', OU: 'sensor', CN: 'floor3' },
      { OU: 'sensor', CN: 'floor3' },
      { O: 'Wardsight', OU: 'sensor', CN: ['floor3', 'floor4'] },
      { O: 'Wardsight', OU: ['sensor', 'admin'], CN: 'floor3' },
      { O: 'Wardsight', OU: 'sensor', CN: 'floor3/#' },
      { O: 'Wardsight', OU: 'sensor', CN: 'Floor3' },
    ];
    for (const subject of subjects) expect(identityFromCertificate({ subject }), JSON.stringify(subject)).toBeNull();
  });
});
