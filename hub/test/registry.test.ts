/**
 * The sensor register and first-boot enrolment through the HTTP application: a real CA, a real
 * LevelDB store, real certificate requests. What a technician and a sensor see at each refusal.
 */
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCertificateRequest, ensureCa, type CertificateAuthority } from '@wardsight/provisioning';
import { buildApp } from '../src/app.js';
import { CredentialVerifier, ensureAdminCredential, readAdminCredential } from '../src/auth/credentials.js';
import { createMetrics } from '../src/metrics.js';
import { SensorRegistry } from '../src/sensors/registry.js';
import { LevelHubStore } from '../src/store/level-store.js';
import { FLOOR2, useTempDirs } from './fixtures.js';

describe('sensor register and enrolment', () => {
  const tempDir = useTempDirs();
  let store: LevelHubStore;
  let ca: CertificateAuthority;
  let registry: SensorRegistry;
  let app: FastifyInstance;
  let authorization: string;
  let dir: string;

  beforeEach(async () => {
    dir = await tempDir();
    store = await LevelHubStore.open(join(dir, 'store'));
    ca = await ensureCa(dir);
    const file = join(dir, 'admin-credential.json');
    await ensureAdminCredential(store, file);
    authorization = `Basic ${Buffer.from(`admin:${(await readAdminCredential(file)).password}`).toString('base64')}`;
    registry = await SensorRegistry.open(store, ca);
    app = await buildApp({ store, metrics: createMetrics(), verifier: new CredentialVerifier(store), registry, version: 'test', embeddedBroker: false, logger: pino({ level: 'silent' }) });
  });
  afterEach(async () => {
    await app.close();
    await store.close();
  });

  const add = (id: string, extra: Record<string, unknown> = {}) =>
    app.inject({ method: 'POST', url: '/api/v1/provisioning/sensors', headers: { authorization }, payload: { id, name: 'North wing closet', location: { ...FLOOR2, zone: 'east' }, ...extra } });
  const enrolWith = async (token: string, csr?: string) =>
    app.inject({ method: 'POST', url: '/api/v1/enrol', payload: { token, csr: csr ?? (await createCertificateRequest('x')).csrPem } });

  it('registers a sensor, and its token enrols it once: a certificate for its own key, CN its id', async () => {
    const added = await add('floor2-east');
    expect(added.statusCode).toBe(201);
    const { token, sensor } = added.json<{ token: string; sensor: { state: string; location: { zone: string } } }>();
    expect(token).toMatch(/^wse1\.floor2-east\.[a-z2-7]{26}$/);
    expect(sensor.state).toBe('awaiting-enrolment');
    expect(sensor.location.zone).toBe('east');
    expect(registry.mayConnect('floor2-east', 'AB').allowed).toBe(false);

    const request = await createCertificateRequest('floor2-east');
    const enrolled = await enrolWith(token, request.csrPem);
    expect(enrolled.statusCode).toBe(201);
    const body = enrolled.json<{ sensorId: string; certificate: string; ca: string; serial: string }>();
    const certificate = new X509Certificate(body.certificate);
    expect(certificate.subject).toBe('O=Wardsight\nOU=sensor\nCN=floor2-east');
    expect(certificate.checkIssued(new X509Certificate(ca.certPem))).toBe(true);
    const { createPrivateKey } = await import('node:crypto');
    expect(certificate.checkPrivateKey(createPrivateKey(request.keyPem))).toBe(true);
    expect(registry.mayConnect('floor2-east', certificate.serialNumber)).toEqual({ allowed: true });

    // The same key again (the answer was lost): the same certificate, nothing new issued.
    const again = await enrolWith(token, request.csrPem);
    expect(again.statusCode).toBe(201);
    expect(again.json<{ serial: string }>().serial).toBe(body.serial);

    // Another key with the spent token: refused, saying when it was used.
    const reused = await enrolWith(token);
    expect(reused.statusCode).toBe(409);
    expect(reused.json()).toMatchObject({ error: 'PROV_ERR_TOKEN_USED', message: expect.stringMatching(/already used on .* to enrol sensor floor2-east; a token works once/) });
  });

  it('refuses a forged, a malformed and an expired token, and a request not signed by its key', async () => {
    const { token } = (await add('floor2-west')).json<{ token: string }>();
    const forged = `${token.slice(0, -4)}${token.endsWith('aaaa') ? 'bbbb' : 'aaaa'}`;
    const refusedForged = await enrolWith(forged);
    expect(refusedForged.statusCode).toBe(403);
    expect(refusedForged.json()).toMatchObject({ error: 'PROV_ERR_TOKEN_UNKNOWN', message: expect.stringContaining('not issued by this hub') });

    const malformed = await enrolWith('hello');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ error: 'PROV_ERR_TOKEN_MALFORMED', message: expect.stringContaining('not a Wardsight enrolment token') });

    const unknownSensor = await enrolWith(token.replace('floor2-west', 'floor9'));
    expect(unknownSensor.statusCode).toBe(403);

    const request = await createCertificateRequest('floor2-west');
    // One bit of the signature's last integer changed: still a well-formed request, no longer signed by its key.
    const der = Buffer.from(request.csrPem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
    der[der.length - 8] = (der[der.length - 8] ?? 0) ^ 1;
    const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE REQUEST-----\n`;
    const badCsr = await enrolWith(token, tampered);
    expect(badCsr.statusCode).toBe(400);
    expect(badCsr.json()).toMatchObject({ error: 'PROV_ERR_BAD_CSR', message: expect.stringContaining('not signed by the key it carries') });
    const notACsr = await enrolWith(token, '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n');
    expect(notACsr.json()).toMatchObject({ error: 'PROV_ERR_BAD_CSR', message: expect.stringContaining('not a PEM PKCS #10') });

    // The token still works after those refusals; it expires with time (here: the record says so).
    await store.changeEnrolment('floor2-west', async (current) => {
      if (!current?.token) throw new Error('no token');
      const next = { ...current, token: { ...current.token, expiresAt: new Date(Date.now() - 1000).toISOString() } };
      return { next, result: undefined };
    });
    const expired = await enrolWith(token);
    expect(expired.statusCode).toBe(410);
    expect(expired.json()).toMatchObject({ error: 'PROV_ERR_TOKEN_EXPIRED', message: expect.stringContaining('wardsight provision sensor replace floor2-west') });
  });

  it('replacing hardware revokes the old certificate at once and keeps id, name and location', async () => {
    const { token } = (await add('floor2-north')).json<{ token: string }>();
    const first = (await enrolWith(token)).json<{ serial: string }>();
    const retired: string[][] = [];
    registry.on('retired', (_id, serials) => retired.push(serials));

    const replaced = await app.inject({ method: 'POST', url: '/api/v1/provisioning/sensors/floor2-north/replace', headers: { authorization }, payload: {} });
    expect(replaced.statusCode).toBe(200);
    const { token: newToken, sensor } = replaced.json<{ token: string; sensor: { name: string; location: unknown; revokedCertificates: { serial: string; why: string }[] } }>();
    expect(sensor.name).toBe('North wing closet');
    expect(replaced.json()).toMatchObject({ sensor: { replacements: 1, replacedBy: 'admin', replacedAt: expect.any(String) } });
    expect(sensor.location).toEqual({ ...FLOOR2, zone: 'east' });
    expect(sensor.revokedCertificates).toEqual([expect.objectContaining({ serial: first.serial, why: 'replaced' })]);
    expect(retired).toEqual([[first.serial]]);
    expect(registry.mayConnect('floor2-north', first.serial)).toEqual({ allowed: false, why: expect.stringContaining('has not enrolled yet') });

    const old = await enrolWith(token);
    expect(old.json()).toMatchObject({ error: 'PROV_ERR_TOKEN_USED' });
    const second = (await enrolWith(newToken)).json<{ serial: string }>();
    expect(registry.mayConnect('floor2-north', second.serial)).toEqual({ allowed: true });
    expect(registry.mayConnect('floor2-north', first.serial).allowed).toBe(false);
  });

  it('a revoked sensor cannot connect or enrol again, and the register survives a restart', async () => {
    const { token } = (await add('floor2-south')).json<{ token: string }>();
    const { serial } = (await enrolWith(token)).json<{ serial: string }>();
    const revoked = await app.inject({ method: 'POST', url: '/api/v1/provisioning/sensors/floor2-south/revoke', headers: { authorization } });
    expect(revoked.json()).toMatchObject({ state: 'revoked', revokedBy: 'admin', certificate: null });
    expect(registry.mayConnect('floor2-south', serial)).toEqual({ allowed: false, why: 'sensor floor2-south is revoked' });
    expect((await enrolWith(token)).json()).toMatchObject({ error: 'PROV_ERR_TOKEN_USED' });
    const replaced = await app.inject({ method: 'POST', url: '/api/v1/provisioning/sensors/floor2-south/replace', headers: { authorization }, payload: {} });
    expect(replaced.statusCode).toBe(200);

    const reopened = await SensorRegistry.open(store, ca);
    expect(reopened.mayConnect('floor2-south', serial).allowed).toBe(false);
    expect((await reopened.revokedSerials()).map((r) => r.serial)).toEqual([serial]);
  });

  it('asks for the analyst credential on the register, never on enrolment, and checks what it is given', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/v1/provisioning/sensors' })).statusCode).toBe(401);
    expect((await add('Bad Id')).json()).toMatchObject({ error: 'HUB_ERR_BAD_SENSOR' });
    expect((await add('ok', { location: { site: 'x' } })).statusCode).toBe(400);
    expect((await add('dup')).statusCode).toBe(201);
    expect((await add('dup')).json()).toMatchObject({ error: 'HUB_ERR_SENSOR_EXISTS' });
    const list = await app.inject({ method: 'GET', url: '/api/v1/provisioning/sensors', headers: { authorization } });
    expect(list.json()).toMatchObject({ count: 1, sensors: [{ id: 'dup', state: 'awaiting-enrolment' }] });
    expect(JSON.stringify(list.json())).not.toMatch(/hash|wse1\./);
    expect((await app.inject({ method: 'POST', url: '/api/v1/provisioning/sensors/nope/revoke', headers: { authorization } })).statusCode).toBe(404);
  });
});
