import { X509Certificate } from 'node:crypto';
import { readdir, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ensureCa,
  ensureHubClientIdentity,
  ensureHubServerIdentity,
  HUB_TLS_DIR,
  issueCertificate,
  issueHubClientIdentity,
  issueSensorIdentity,
  ProvisioningErrorCode,
  readIdentity,
  writeIdentity,
} from '../src/index.js';
import { permissionBits, useTempDirs } from './temp-dir.js';

const modesApply = process.platform !== 'win32';

describe('writeIdentity and readIdentity', () => {
  const tempDir = useTempDirs();

  it('writes the certificate, key and CA certificate and reads them back', async () => {
    const ca = await ensureCa(await tempDir());
    const issued = await issueCertificate(ca, { commonName: 'floor2', role: 'sensor', usage: 'client' });
    const dir = join(await tempDir(), 'bundle', 'identity');
    const paths = await writeIdentity(dir, 'floor2', issued);

    expect(paths).toEqual({ certPath: join(dir, 'floor2.crt'), keyPath: join(dir, 'floor2.key'), caPath: join(dir, 'ca.crt') });
    expect((await readdir(dir)).sort()).toEqual(['ca.crt', 'floor2.crt', 'floor2.key']);
    expect(await readIdentity(dir, 'floor2')).toEqual({ cert: issued.certPem, key: issued.keyPem, ca: ca.certPem });
    if (modesApply) {
      expect(permissionBits((await stat(dir)).mode)).toBe(0o700);
      expect(permissionBits((await stat(paths.keyPath)).mode)).toBe(0o600);
      expect(permissionBits((await stat(paths.certPath)).mode)).toBe(0o644);
      expect(permissionBits((await stat(paths.caPath)).mode)).toBe(0o644);
    }
  });

  it('names the missing file', async () => {
    const ca = await ensureCa(await tempDir());
    const dir = await tempDir();
    await writeIdentity(dir, 'floor2', await issueCertificate(ca, { commonName: 'floor2', role: 'sensor', usage: 'client' }));
    await rm(join(dir, 'floor2.key'));
    await expect(readIdentity(dir, 'floor2')).rejects.toMatchObject({
      code: ProvisioningErrorCode.IdentityMissing,
      message: expect.stringContaining(join(dir, 'floor2.key')) as unknown,
    });
    await expect(readIdentity(dir, 'floor9')).rejects.toMatchObject({ code: ProvisioningErrorCode.IdentityMissing });
  });

  it('refuses identity names that are paths or would overwrite the CA certificate', async () => {
    const dir = await tempDir();
    for (const name of ['ca', '../escape', 'a/b', '.hidden', '']) {
      await expect(readIdentity(dir, name), name).rejects.toMatchObject({ code: ProvisioningErrorCode.BadName });
    }
  });
});

describe('hub and sensor identities', () => {
  const tempDir = useTempDirs();

  it('issues the hub server identity once and keeps it while it covers what is asked', async () => {
    const dataDir = await tempDir();
    const first = await ensureHubServerIdentity(dataDir, { hostnames: ['hub.ward.example'], ips: ['10.20.0.5'] });
    expect(first.issued).toBe(true);
    expect(first.certPath).toBe(join(dataDir, HUB_TLS_DIR, 'hub-server.crt'));

    const certificate = new X509Certificate(first.pem.cert);
    expect(certificate.subject).toBe('O=Wardsight\nOU=hub\nCN=hub');
    expect(certificate.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    for (const host of ['localhost', 'hub.ward.example']) expect(certificate.checkHost(host)).toBe(host);
    for (const ip of ['127.0.0.1', '::1', '10.20.0.5']) expect(certificate.checkIP(ip)).toBe(ip);
    const machine = hostname().toLowerCase();
    if (/^[a-z0-9.-]+$/.test(machine)) expect(certificate.checkHost(machine)).toBe(machine);

    const again = await ensureHubServerIdentity(dataDir, { hostnames: ['HUB.ward.example'] });
    expect(again.issued).toBe(false);
    expect(again.fingerprint256).toBe(first.fingerprint256);
    expect(again.serial).toBe(first.serial);
    expect(again.notAfter.getTime()).toBe(first.notAfter.getTime());
    expect(again.pem).toEqual(first.pem);

    const wider = await ensureHubServerIdentity(dataDir, { hostnames: ['hub2.ward.example'], ips: ['10.20.0.6'] });
    expect(wider.issued).toBe(true);
    expect(wider.serial).not.toBe(first.serial);
    expect(await readIdentity(join(dataDir, HUB_TLS_DIR), 'hub-server')).toEqual(wider.pem);
  });

  it('issues the hub server identity again when it is close to expiry or the CA changed', async () => {
    const dataDir = await tempDir();
    const short = await ensureHubServerIdentity(dataDir, { validDays: 10 });
    const renewed = await ensureHubServerIdentity(dataDir);
    expect(renewed.issued).toBe(true);
    expect(renewed.serial).not.toBe(short.serial);

    await rm(join(dataDir, 'ca'), { recursive: true });
    const newCa = await ensureHubServerIdentity(dataDir);
    expect(newCa.issued).toBe(true);
    expect(newCa.pem.ca).not.toBe(renewed.pem.ca);
  });

  it('issues the hub ingest client identity', async () => {
    const dataDir = await tempDir();
    const issued = await issueHubClientIdentity(dataDir);
    expect(issued.keyPath).toBe(join(dataDir, HUB_TLS_DIR, 'hub-client.key'));
    const certificate = new X509Certificate(issued.pem.cert);
    expect(certificate.subject).toBe('O=Wardsight\nOU=hub\nCN=hub');
    expect(certificate.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);

    expect((await issueHubClientIdentity(dataDir)).serial).not.toBe(issued.serial);
    const kept = await ensureHubClientIdentity(dataDir);
    expect(kept.issued).toBe(false);
    expect(await ensureHubClientIdentity(dataDir)).toMatchObject({ issued: false, serial: kept.serial });
  });

  it('issues a sensor identity from the CA of the data directory', async () => {
    const dataDir = await tempDir();
    const ca = await ensureCa(dataDir);
    const outDir = join(await tempDir(), 'floor3-east');
    const sensor = await issueSensorIdentity(dataDir, 'floor3-east', outDir);

    expect((await readdir(outDir)).sort()).toEqual(['ca.crt', 'sensor.crt', 'sensor.key']);
    const certificate = new X509Certificate(sensor.pem.cert);
    expect(certificate.subject).toBe('O=Wardsight\nOU=sensor\nCN=floor3-east');
    expect(certificate.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(certificate.checkIssued(new X509Certificate(ca.certPem))).toBe(true);
    expect(sensor.pem.ca).toBe(ca.certPem);
  });

  it('refuses a sensor identity without a CA, or with a bad sensor id', async () => {
    const dataDir = await tempDir();
    const outDir = join(await tempDir(), 'out');
    await expect(issueSensorIdentity(dataDir, 'floor3', outDir)).rejects.toMatchObject({ code: ProvisioningErrorCode.CaMissing });
    await ensureCa(dataDir);
    await expect(issueSensorIdentity(dataDir, 'Floor 3', outDir)).rejects.toMatchObject({ code: ProvisioningErrorCode.BadName });
  });
});
