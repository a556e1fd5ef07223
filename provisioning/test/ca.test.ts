import { X509Certificate } from 'node:crypto';
import { chmod, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { caPaths, createCa, ensureCa, loadCa, ProvisioningErrorCode } from '../src/index.js';
import { permissionBits, useTempDirs } from './temp-dir.js';

const modesApply = process.platform !== 'win32';

describe('ensureCa', () => {
  const tempDir = useTempDirs();

  it('creates the CA on the first call and loads the same one afterwards', async () => {
    const dataDir = await tempDir();
    const first = await ensureCa(dataDir, { commonName: 'Ward 7 CA' });
    const second = await ensureCa(dataDir, { commonName: 'ignored once the CA exists' });

    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.fingerprint256).toBe(first.fingerprint256);
    expect(second.certPem).toBe(first.certPem);
    expect(second.keyIdentifier).toBe(first.keyIdentifier);
    expect(await readFile(caPaths(dataDir).certPath, 'utf8')).toBe(first.certPem);

    const certificate = new X509Certificate(first.certPem);
    expect(certificate.ca).toBe(true);
    expect(certificate.subject).toBe('O=Wardsight\nCN=Ward 7 CA');
    expect(certificate.checkIssued(certificate)).toBe(true);
    expect(certificate.verify(certificate.publicKey)).toBe(true);
    expect(certificate.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
  });

  it('makes a positive 16-byte serial and ten years of validity by default', async () => {
    const ca = await ensureCa(await tempDir());
    const certificate = new X509Certificate(ca.certPem);
    expect(certificate.serialNumber).toMatch(/^[4-7][0-9A-F]{31}$/);
    const years = (Date.parse(certificate.validTo) - Date.now()) / (365.25 * 24 * 3600 * 1000);
    expect(years).toBeGreaterThan(9.9);
    expect(years).toBeLessThan(10.1);
  });

  it.skipIf(!modesApply)('writes the key 0600 and the certificate 0644 in a 0700 directory', async () => {
    const dataDir = await tempDir();
    await ensureCa(dataDir);
    const { dir, certPath, keyPath } = caPaths(dataDir);
    expect(permissionBits((await stat(dir)).mode)).toBe(0o700);
    expect(permissionBits((await stat(keyPath)).mode)).toBe(0o600);
    expect(permissionBits((await stat(certPath)).mode)).toBe(0o644);
    expect(await readFile(keyPath, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
  });

  it.skipIf(!modesApply)('refuses a CA key that other users can read', async () => {
    const dataDir = await tempDir();
    await ensureCa(dataDir);
    const { keyPath } = caPaths(dataDir);
    await chmod(keyPath, 0o644);
    await expect(ensureCa(dataDir)).rejects.toMatchObject({ code: ProvisioningErrorCode.FileMode, message: expect.stringContaining(`chmod 600 ${keyPath}`) as unknown });
    await chmod(keyPath, 0o640);
    await expect(loadCa(dataDir)).rejects.toMatchObject({ code: ProvisioningErrorCode.FileMode });
    await chmod(keyPath, 0o600);
    await expect(loadCa(dataDir)).resolves.toMatchObject({ created: false });
  });

  it('loadCa refuses when there is no CA, and createCa when there is one', async () => {
    const dataDir = await tempDir();
    await expect(loadCa(dataDir)).rejects.toMatchObject({ code: ProvisioningErrorCode.CaMissing });
    await createCa(dataDir);
    await expect(createCa(dataDir)).rejects.toMatchObject({ code: ProvisioningErrorCode.CaExists });
  });

  it('refuses a CA with only one of its two files', async () => {
    const dataDir = await tempDir();
    await ensureCa(dataDir);
    await rm(caPaths(dataDir).keyPath);
    await expect(ensureCa(dataDir)).rejects.toMatchObject({
      code: ProvisioningErrorCode.CaIncomplete,
      message: expect.stringContaining(caPaths(dataDir).keyPath) as unknown,
    });
  });

  it('refuses a CA key that belongs to another certificate', async () => {
    const [one, other] = [await tempDir(), await tempDir()];
    await ensureCa(one);
    await ensureCa(other);
    await writeFile(caPaths(one).keyPath, await readFile(caPaths(other).keyPath));
    await expect(loadCa(one)).rejects.toMatchObject({ code: ProvisioningErrorCode.CaKeyMismatch });
  });

  it('refuses a certificate file that is not a certificate', async () => {
    const dataDir = await tempDir();
    await ensureCa(dataDir);
    await writeFile(caPaths(dataDir).certPath, 'not a certificate\n');
    await expect(loadCa(dataDir)).rejects.toMatchObject({ code: ProvisioningErrorCode.CaInvalid });
  });

  it('refuses validity periods that are not whole positive days', async () => {
    for (const validDays of [0, -1, 1.5, Number.NaN, 100_000]) {
      await expect(createCa(await tempDir(), { validDays })).rejects.toMatchObject({ code: ProvisioningErrorCode.BadValidity });
    }
  });
});
