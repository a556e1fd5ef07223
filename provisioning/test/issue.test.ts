import { execFileSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureCa, issueCertificate, ProvisioningErrorCode } from '../src/index.js';
import type { IssueRequest } from '../src/index.js';
import { useTempDirs } from './temp-dir.js';

const OPENSSL = '/usr/bin/openssl';
const DAY_MS = 24 * 3600 * 1000;

const sensorRequest: IssueRequest = { commonName: 'floor3-east', role: 'sensor', usage: 'client' };

describe('issueCertificate', () => {
  const tempDir = useTempDirs();

  it('issues a certificate for the role, signed by the CA, with its own key', async () => {
    const ca = await ensureCa(await tempDir());
    const issued = await issueCertificate(ca, sensorRequest);
    const certificate = new X509Certificate(issued.certPem);
    const caCertificate = new X509Certificate(ca.certPem);

    expect(certificate.subject).toBe('O=Wardsight\nOU=sensor\nCN=floor3-east');
    expect(certificate.issuer).toBe(caCertificate.subject);
    expect(certificate.ca).toBe(false);
    expect(certificate.checkIssued(caCertificate)).toBe(true);
    expect(certificate.verify(caCertificate.publicKey)).toBe(true);
    expect(certificate.checkPrivateKey(createPrivateKey(issued.keyPem))).toBe(true);
    expect(certificate.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(certificate.subjectAltName).toBeUndefined();

    expect(issued.serial).toBe(certificate.serialNumber);
    expect(issued.serial).toMatch(/^[0-9A-F]{32}$/);
    expect(issued.fingerprint256).toBe(certificate.fingerprint256);
    expect(issued.notAfter.getTime()).toBe(Date.parse(certificate.validTo));
    expect(issued.caPem).toBe(ca.certPem);
    expect(issued.chainPem).toBe(issued.certPem + ca.certPem);
    expect(issued.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
  });

  it('gives every certificate a new serial and a new key', async () => {
    const ca = await ensureCa(await tempDir());
    const [one, two] = await Promise.all([issueCertificate(ca, sensorRequest), issueCertificate(ca, sensorRequest)]);
    expect(one.serial).not.toBe(two.serial);
    expect(one.keyPem).not.toBe(two.keyPem);
  });

  it('puts DNS names and IP addresses in the subject alternative name', async () => {
    const ca = await ensureCa(await tempDir());
    const issued = await issueCertificate(ca, {
      commonName: 'hub',
      role: 'hub',
      usage: 'both',
      dnsNames: ['Hub.Hospital.example.', 'localhost', 'localhost'],
      ipAddresses: ['10.20.0.5', '::1', 'FD00::5'],
    });
    const certificate = new X509Certificate(issued.certPem);
    expect(certificate.subjectAltName).toBe(
      'DNS:hub.hospital.example, DNS:localhost, IP Address:10.20.0.5, IP Address:0:0:0:0:0:0:0:1, IP Address:FD00:0:0:0:0:0:0:5',
    );
    expect(certificate.checkHost('hub.hospital.example')).toBe('hub.hospital.example');
    expect(certificate.checkIP('fd00::5')).toBe('fd00::5');
    expect(certificate.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
  });

  it('keeps the validity within the CA’s own', async () => {
    const ca = await ensureCa(await tempDir(), { validDays: 30 });
    const defaultDays = await issueCertificate(ca, sensorRequest);
    expect(defaultDays.notAfter.getTime()).toBe(ca.notAfter.getTime());

    const shortDays = await issueCertificate(ca, { ...sensorRequest, validDays: 2 });
    expect(Math.round((shortDays.notAfter.getTime() - Date.now()) / DAY_MS)).toBe(2);
  });

  it('refuses sensor names that are not lower-case letters, digits and hyphens', async () => {
    const ca = await ensureCa(await tempDir());
    const badNames = ['', 'Floor3', '-floor3', 'floor 3', 'floor3/east', 'floor3+', '#', 'floor.3', 'x'.repeat(64), 'étage3'];
    for (const commonName of badNames) {
      await expect(issueCertificate(ca, { ...sensorRequest, commonName }), commonName).rejects.toMatchObject({
        name: 'ProvisioningError',
        code: ProvisioningErrorCode.BadName,
      });
    }
    await expect(issueCertificate(ca, { ...sensorRequest, commonName: 'x'.repeat(63) })).resolves.toBeDefined();
  });

  it('refuses bad common names, DNS names, addresses, roles, usages and validity', async () => {
    const ca = await ensureCa(await tempDir());
    const admin: IssueRequest = { commonName: 'Alice Martin', role: 'admin', usage: 'client' };
    await expect(issueCertificate(ca, admin)).resolves.toBeDefined();
    const refusals: [Partial<IssueRequest>, string][] = [
      [{ commonName: ' padded' }, ProvisioningErrorCode.BadName],
      [{ commonName: 'bell\u0007' }, ProvisioningErrorCode.BadName],
      [{ commonName: 'y'.repeat(65) }, ProvisioningErrorCode.BadName],
      [{ dnsNames: ['*.hospital.example'] }, ProvisioningErrorCode.BadName],
      [{ dnsNames: ['under_score.example'] }, ProvisioningErrorCode.BadName],
      [{ ipAddresses: ['10.0.0.256'] }, ProvisioningErrorCode.BadAddress],
      [{ ipAddresses: ['10.0.0.0/8'] }, ProvisioningErrorCode.BadAddress],
      [{ role: 'root' as IssueRequest['role'] }, ProvisioningErrorCode.BadRole],
      [{ usage: 'email' as IssueRequest['usage'] }, ProvisioningErrorCode.BadUsage],
      [{ validDays: 0 }, ProvisioningErrorCode.BadValidity],
    ];
    for (const [change, code] of refusals) {
      await expect(issueCertificate(ca, { ...admin, ...change }), JSON.stringify(change)).rejects.toMatchObject({ code });
    }
  });

  it.skipIf(!existsSync(OPENSSL))('shows the expected extensions to openssl, and openssl verifies the chain', async () => {
    const dir = await tempDir();
    const ca = await ensureCa(dir);
    const issued = await issueCertificate(ca, {
      commonName: 'hub',
      role: 'hub',
      usage: 'both',
      dnsNames: ['localhost'],
      ipAddresses: ['127.0.0.1', '::1'],
    });
    const text = execFileSync(OPENSSL, ['x509', '-noout', '-text'], { input: issued.certPem, encoding: 'utf8' });
    for (const line of [
      'Signature Algorithm: ecdsa-with-SHA256',
      'Subject: O = Wardsight, OU = hub, CN = hub',
      'ASN1 OID: prime256v1',
      'X509v3 Basic Constraints: critical',
      'CA:FALSE',
      'X509v3 Key Usage: critical',
      'Digital Signature',
      'X509v3 Extended Key Usage',
      'TLS Web Server Authentication, TLS Web Client Authentication',
      'X509v3 Subject Key Identifier',
      'X509v3 Authority Key Identifier',
      'X509v3 Subject Alternative Name',
      'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1',
    ]) {
      expect(text).toContain(line);
    }
    const aki = /X509v3 Authority Key Identifier:\s*\n\s*(?:keyid:)?([0-9A-F:]+)/.exec(text)?.[1];
    expect(aki?.replaceAll(':', '').toLowerCase()).toBe(ca.keyIdentifier);

    const caText = execFileSync(OPENSSL, ['x509', '-noout', '-text'], { input: ca.certPem, encoding: 'utf8' });
    for (const line of ['X509v3 Basic Constraints: critical', 'CA:TRUE', 'X509v3 Key Usage: critical', 'Certificate Sign, CRL Sign', 'X509v3 Subject Key Identifier']) {
      expect(caText).toContain(line);
    }

    const certPath = join(dir, 'hub.crt');
    await writeFile(certPath, issued.certPem);
    const verdict = execFileSync(OPENSSL, ['verify', '-CAfile', ca.certPath, '-purpose', 'sslserver', certPath], { encoding: 'utf8' });
    expect(verdict.trim()).toBe(`${certPath}: OK`);
  });
});
