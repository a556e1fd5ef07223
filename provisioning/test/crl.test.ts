/**
 * The hub's certificate revocation list: what it says, where it is kept, and what TLS does with it —
 * Node's TLS server (OpenSSL underneath, as in Mosquitto) refuses a revoked sensor, lets an
 * unrevoked one in, and refuses everyone once the list is past its nextUpdate.
 */
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { connect, createServer } from 'node:tls';
import type { Server, TLSSocket } from 'node:tls';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import {
  addToCrl,
  caPaths,
  crlDefaults,
  crlPath,
  ensureCa,
  ensureCrl,
  ensureHubServerIdentity,
  identityFromCertificate,
  isRevoked,
  issueCrl,
  issueSensorIdentity,
  normaliseSerial,
  ProvisioningErrorCode,
  publishCrl,
  readCrl,
  writeCrl,
} from '../src/index.js';
import type { IdentityPem } from '../src/index.js';
import { permissionBits, useTempDirs } from './temp-dir.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const OPENSSL = '/usr/bin/openssl';
const execFileAsync = promisify(execFile);

describe('normaliseSerial', () => {
  it('gives upper-case hex of whole octets without leading zero octets', () => {
    expect(normaliseSerial('4a:bc:01')).toBe('4ABC01');
    expect(normaliseSerial('0004abc01')).toBe('4ABC01');
    expect(normaliseSerial('00FF')).toBe('FF');
    expect(normaliseSerial('0')).toBe('00');
  });

  it('refuses what is not a serial (RFC 5280 §4.1.2.2: at most 20 octets)', () => {
    for (const bad of ['', 'xyz', '12 34', '-1', 'ab'.repeat(21)]) {
      expect(() => normaliseSerial(bad), bad).toThrow(expect.objectContaining({ code: ProvisioningErrorCode.BadSerial }) as Error);
    }
  });
});

describe('issueCrl', () => {
  const tempDir = useTempDirs();

  it('lists each serial once, with its earliest revocation, signed by the CA (RFC 5280 §5)', async () => {
    const ca = await ensureCa(await tempDir());
    const now = new Date('2030-01-15T10:00:00.750Z');
    const crl = await issueCrl(
      ca,
      [
        { serial: '7f:00:01', revokedAt: new Date('2030-01-10T00:00:00Z'), reason: 'keyCompromise' },
        { serial: '4ABC01', revokedAt: new Date('2030-01-12T00:00:00Z'), reason: 'unspecified' },
        { serial: '7f0001', revokedAt: new Date('2030-01-11T00:00:00Z') },
      ],
      { number: 41n, now },
    );
    expect(crl.number).toBe(41n);
    expect(crl.thisUpdate.toISOString()).toBe('2030-01-15T10:00:00.000Z');
    expect(crl.nextUpdate.getTime() - crl.thisUpdate.getTime()).toBe(crlDefaults.validDays * DAY_MS);
    expect(crl.revoked).toEqual([
      { serial: '4ABC01', revokedAt: new Date('2030-01-12T00:00:00Z') },
      { serial: '7F0001', revokedAt: new Date('2030-01-10T00:00:00Z'), reason: 'keyCompromise' },
    ]);
    expect(crl.pem).toMatch(/^-----BEGIN X509 CRL-----\n[A-Za-z0-9+/=\n]+-----END X509 CRL-----\n$/);
    expect(isRevoked(crl, '7f:00:01')).toBe(true);
    expect(isRevoked(crl, '7f:00:02')).toBe(false);
  });

  it('refuses a validity outside 1 to 366 days and more entries than allowed', async () => {
    const ca = await ensureCa(await tempDir());
    for (const validDays of [0, 1.5, 367]) {
      await expect(issueCrl(ca, [], { validDays })).rejects.toMatchObject({ code: ProvisioningErrorCode.BadValidity });
    }
    const tooMany = Array.from({ length: crlDefaults.maxEntries + 1 }, (_, i) => ({ serial: (i + 1).toString(16), revokedAt: new Date() }));
    await expect(issueCrl(ca, tooMany)).rejects.toMatchObject({ code: ProvisioningErrorCode.CrlTooLarge });
  });

  it.skipIf(!existsSync(OPENSSL))('is read and verified by OpenSSL', async () => {
    const dataDir = await tempDir();
    await ensureCa(dataDir);
    await publishCrl(dataDir, [{ serial: '4ABC01', revokedAt: new Date(), reason: 'superseded' }]);
    const { stdout, stderr } = await execFileAsync(OPENSSL, ['crl', '-in', crlPath(dataDir), '-CAfile', caPaths(dataDir).certPath, '-noout', '-text']);
    expect(stderr).toMatch(/verify OK/);
    expect(stdout).toMatch(/Version 2 \(0x1\)/);
    expect(stdout).toMatch(/X509v3 CRL Number: \n\s+1\n/);
    expect(stdout).toMatch(/X509v3 Authority Key Identifier/);
    expect(stdout).toMatch(/Serial Number: 4ABC01\n[\s\S]*Superseded/);
  });
});

describe('the CRL in the data directory', () => {
  const tempDir = useTempDirs();

  it('is written 0644 in one step and read back', async () => {
    const dataDir = await tempDir();
    const ca = await ensureCa(dataDir);
    expect(await readCrl(dataDir)).toBeNull();
    const issued = await issueCrl(
      ca,
      [
        { serial: 'AB', revokedAt: new Date('2030-01-10T00:00:00Z'), reason: 'unspecified' },
        { serial: 'CD', revokedAt: new Date('2030-01-11T00:00:00Z'), reason: 'cessationOfOperation' },
      ],
      { number: 7n },
    );
    const path = await writeCrl(dataDir, issued);

    expect(path).toBe(crlPath(dataDir));
    expect(permissionBits((await stat(path)).mode)).toBe(0o644);
    expect((await readdir(caPaths(dataDir).dir)).sort()).toEqual(['ca.crt', 'ca.key', 'crl.pem']);
    expect(await readCrl(dataDir)).toEqual(issued);
  });

  it('is numbered one past the list before it, and added to without losing entries', async () => {
    const dataDir = await tempDir();
    await ensureCa(dataDir);
    const first = await publishCrl(dataDir, [{ serial: '01', revokedAt: new Date('2030-01-01T00:00:00Z') }]);
    const second = await addToCrl(dataDir, [{ serial: '02', revokedAt: new Date('2030-01-02T00:00:00Z') }]);
    const third = await publishCrl(dataDir, []);

    expect([first.number, second.number, third.number]).toEqual([1n, 2n, 3n]);
    expect(second.revoked.map((entry) => entry.serial)).toEqual(['01', '02']);
    expect((await readCrl(dataDir))?.revoked).toEqual([]);
  });

  it('is created empty when absent and issued again only when near its nextUpdate', async () => {
    const dataDir = await tempDir();
    await ensureCa(dataDir);
    const created = await ensureCrl(dataDir);
    expect(created).toMatchObject({ number: 1n, revoked: [] });
    expect(await ensureCrl(dataDir)).toEqual(created);

    await publishCrl(dataDir, [{ serial: '0A', revokedAt: new Date() }], { validDays: 5 });
    const renewed = await ensureCrl(dataDir);
    expect(renewed.number).toBe(3n);
    expect(renewed.revoked.map((entry) => entry.serial)).toEqual(['0A']);
    expect(renewed.nextUpdate.getTime() - renewed.thisUpdate.getTime()).toBe(crlDefaults.validDays * DAY_MS);
  });

  it('is refused when another CA signed it or it is not a CRL', async () => {
    const dataDir = await tempDir();
    const elsewhere = await tempDir();
    await ensureCa(dataDir);
    await ensureCa(elsewhere);
    await publishCrl(elsewhere, []);
    await writeFile(crlPath(dataDir), await readFile(crlPath(elsewhere), 'utf8'));
    await expect(readCrl(dataDir)).rejects.toMatchObject({ code: ProvisioningErrorCode.CrlInvalid, message: expect.stringContaining('is not signed by the CA') as unknown });

    await writeFile(crlPath(dataDir), '-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n');
    await expect(readCrl(dataDir)).rejects.toMatchObject({ code: ProvisioningErrorCode.CrlInvalid });
    await expect(publishCrl(dataDir, [])).rejects.toMatchObject({ code: ProvisioningErrorCode.CrlInvalid });
  });
});

describe('TLS with the CRL', () => {
  const tempDir = useTempDirs();
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  });

  /** A TLS server like the hub's, checking client certificates against `crl`; it names each client it lets in. */
  async function startServer(identity: IdentityPem, crl: string): Promise<{ port: number; refusals: (string | undefined)[] }> {
    const refusals: (string | undefined)[] = [];
    const server = createServer({ key: identity.key, cert: identity.cert, ca: identity.ca, crl, requestCert: true, rejectUnauthorized: true }, (socket) => {
      socket.end(`welcome ${identityFromCertificate(socket.getPeerCertificate())?.commonName ?? '?'}\n`);
    });
    server.on('tlsClientError', (error: NodeJS.ErrnoException, socket: TLSSocket) => refusals.push(socket.authorizationError?.toString() ?? error.code));
    servers.push(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return { port: (server.address() as AddressInfo).port, refusals };
  }

  /** What the server said before closing; '' when it closed without a word (the client was refused). */
  async function greeting(port: number, client: IdentityPem): Promise<string> {
    const socket = connect({ host: '127.0.0.1', port, ca: client.ca, cert: client.cert, key: client.key, servername: 'localhost' });
    let text = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    socket.on('error', () => undefined);
    await once(socket, 'close');
    return text;
  }

  it('refuses a revoked sensor and accepts one that is not revoked', async () => {
    const dataDir = await tempDir();
    const server = (await ensureHubServerIdentity(dataDir)).pem;
    const revoked = await issueSensorIdentity(dataDir, 'floor3-east', await tempDir());
    const kept = await issueSensorIdentity(dataDir, 'floor4-west', await tempDir());
    const crl = await publishCrl(dataDir, [{ serial: revoked.serial, revokedAt: new Date(), reason: 'keyCompromise' }]);
    const { port, refusals } = await startServer(server, crl.pem);

    expect(await greeting(port, kept.pem)).toBe('welcome floor4-west\n');
    expect(await greeting(port, revoked.pem)).toBe('');
    expect(refusals).toEqual(['CERT_REVOKED']);
  });

  it('refuses every client once the CRL is past its nextUpdate, so it must be issued again in time', async () => {
    const dataDir = await tempDir();
    const ca = await ensureCa(dataDir);
    const server = (await ensureHubServerIdentity(dataDir)).pem;
    const sensor = await issueSensorIdentity(dataDir, 'floor3-east', await tempDir());
    const stale = await issueCrl(ca, [], { now: new Date(Date.now() - 2 * DAY_MS), validDays: 1 });
    const { port, refusals } = await startServer(server, stale.pem);

    expect(await greeting(port, sensor.pem)).toBe('');
    expect(refusals).toEqual(['CRL_HAS_EXPIRED']);
  });
});
