/**
 * The hub's register of sensors: a technician adds one (it gets a one-time enrolment token), the
 * sensor enrols with that token and a certificate request, and from then on the broker lets it in
 * only with the certificate it enrolled with. Revoking, or replacing the hardware, retires that
 * certificate at once: listeners (the broker) are told, and cut the sensor off.
 *
 * The register is kept in the hub store; a copy of who may connect is held in memory, because the
 * broker asks on every connection and must not wait for the disk.
 */
import { createHash, webcrypto } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Location } from '@wardsight/protocol';
import {
  enrolmentTokenHash,
  isValidSensorId,
  newEnrolmentToken,
  parseEnrolmentToken,
  ProvisioningError,
  ProvisioningErrorCode,
  readCertificateRequest,
  sameTokenHash,
  signCertificate,
  type CertificateAuthority,
} from '@wardsight/provisioning';
import { HubError } from '../errors.js';
import type { HubStore } from '../store/hub-store.js';
import { RETIRED_TOKENS_KEPT, type EnrolmentRecord, type RevokedCertificate, type RetiredToken } from './enrolment-record.js';

export interface NewSensor {
  id: string;
  name?: string;
  location: Location;
  captureInterface?: string;
  /** Minutes the enrolment token stays usable. */
  validMinutes?: number;
  by: string;
}

export interface IssuedToken {
  record: EnrolmentRecord;
  /** The token itself: shown once, never stored. */
  token: string;
  expiresAt: string;
}

export interface Enrolled {
  sensorId: string;
  certificatePem: string;
  caPem: string;
  location: Location;
  serial: string;
}

export type ConnectDecision = { allowed: true } | { allowed: false; why: string };

interface RegistryEvents {
  /** A sensor's certificates stopped being valid: drop its connections. */
  retired: [sensorId: string, serials: string[]];
  changed: [record: EnrolmentRecord];
}

export const registryDefaults = {
  captureInterface: 'eth0',
  /** Days a sensor certificate is valid (renewal comes before that). */
  certificateDays: 825,
};

export class SensorRegistry extends EventEmitter<RegistryEvents> {
  /** sensorId → serial of the certificate it may connect with, for active sensors only. */
  private readonly admitted = new Map<string, string>();
  private readonly known = new Map<string, EnrolmentRecord['state']>();
  /** Waits until the broker lets the sensor in (set by a hub whose broker admits sensors apart). */
  private admission: ((sensorId: string) => Promise<void>) | undefined;

  private constructor(
    private readonly store: HubStore,
    private readonly ca: CertificateAuthority,
  ) {
    super();
  }

  static async open(store: HubStore, ca: CertificateAuthority): Promise<SensorRegistry> {
    const registry = new SensorRegistry(store, ca);
    for (const record of await store.listEnrolments()) registry.remember(record);
    return registry;
  }

  /** Whether a sensor presenting a certificate with this serial may connect, and why not. */
  mayConnect(sensorId: string, serial: string): ConnectDecision {
    const state = this.known.get(sensorId);
    if (state === undefined) return { allowed: false, why: `sensor ${sensorId} is not registered at this hub` };
    if (state === 'revoked') return { allowed: false, why: `sensor ${sensorId} is revoked` };
    const current = this.admitted.get(sensorId);
    if (current === undefined) return { allowed: false, why: `sensor ${sensorId} has not enrolled yet` };
    if (current !== serial.toUpperCase()) return { allowed: false, why: `certificate ${serial} is not sensor ${sensorId}'s current certificate (it was replaced or revoked)` };
    return { allowed: true };
  }

  list(): Promise<EnrolmentRecord[]> {
    return this.store.listEnrolments();
  }

  get(sensorId: string): Promise<EnrolmentRecord | undefined> {
    return this.store.getEnrolment(sensorId);
  }

  /** Registers a new sensor and issues its enrolment token. */
  async add(request: NewSensor): Promise<IssuedToken> {
    if (!isValidSensorId(request.id)) {
      throw new HubError('HUB_ERR_BAD_SENSOR', `sensor id ${JSON.stringify(request.id)}: use 1 to 63 lower-case letters, digits and hyphens (for example "floor3-east")`);
    }
    const issued = newEnrolmentToken(request.id, request.validMinutes);
    const now = new Date().toISOString();
    const token = { hash: issued.hash, issuedAt: now, expiresAt: issued.expiresAt.toISOString() };
    const record = await this.store.changeEnrolment(request.id, async (current) => {
      if (current) {
        throw new HubError('HUB_ERR_SENSOR_EXISTS', `sensor ${request.id} is already registered (${current.state}); use \`wardsight provision sensor replace ${request.id}\` for new hardware`);
      }
      const next: EnrolmentRecord = {
        id: request.id,
        name: request.name ?? request.id,
        location: request.location,
        captureInterface: request.captureInterface ?? registryDefaults.captureInterface,
        state: 'awaiting-enrolment',
        createdAt: now,
        createdBy: request.by,
        token,
        retiredTokens: [],
        certificate: null,
        revokedCertificates: [],
        replacements: 0,
        revokedAt: null,
        revokedBy: null,
      };
      return { next, result: next };
    });
    this.remember(record);
    return { record, token: issued.token, expiresAt: token.expiresAt };
  }

  /**
   * New hardware takes the sensor's place (or a token expired before it was used): a new token is
   * issued and the certificate in use, if any, is revoked at once. The id, name, location and
   * everything the hub learnt through the sensor stay.
   */
  async replace(sensorId: string, by: string, validMinutes?: number): Promise<IssuedToken> {
    const issued = newEnrolmentToken(sensorId, validMinutes);
    const now = new Date().toISOString();
    const { record, retired } = await this.store.changeEnrolment(sensorId, async (current) => {
      const r = this.existing(sensorId, current);
      const retiredSerials = r.certificate ? [r.certificate.serial] : [];
      const next: EnrolmentRecord = {
        ...r,
        state: 'awaiting-enrolment',
        token: { hash: issued.hash, issuedAt: now, expiresAt: issued.expiresAt.toISOString() },
        retiredTokens: retire(r, now, 'replaced'),
        certificate: null,
        revokedCertificates: r.certificate ? [...r.revokedCertificates, { ...r.certificate, revokedAt: now, why: 'replaced' }] : r.revokedCertificates,
        replacements: r.replacements + (r.certificate ? 1 : 0),
        replacedAt: now,
        replacedBy: by,
        revokedAt: null,
        revokedBy: null,
      };
      return { next, result: { record: next, retired: retiredSerials } };
    });
    this.remember(record);
    if (retired.length > 0) this.emit('retired', sensorId, retired);
    return { record, token: issued.token, expiresAt: issued.expiresAt.toISOString() };
  }

  /** Revokes a sensor: its certificate and any unused token stop working now, and it cannot enrol again. */
  async revoke(sensorId: string, by: string): Promise<EnrolmentRecord> {
    const now = new Date().toISOString();
    const { record, retired } = await this.store.changeEnrolment(sensorId, async (current) => {
      const r = this.existing(sensorId, current);
      const revokedCertificates: RevokedCertificate[] = r.certificate ? [...r.revokedCertificates, { ...r.certificate, revokedAt: now, why: 'revoked' }] : r.revokedCertificates;
      if (r.state === 'revoked') return { next: r, result: { record: r, retired: [] } };
      const next: EnrolmentRecord = { ...r, state: 'revoked', token: null, retiredTokens: retire(r, now, 'revoked'), certificate: null, revokedCertificates, revokedAt: now, revokedBy: by };
      return { next, result: { record: next, retired: r.certificate ? [r.certificate.serial] : [] } };
    });
    this.remember(record);
    this.emit('retired', sensorId, retired);
    return record;
  }

  /** Every certificate serial revoked so far, for certificate revocation lists. */
  async revokedSerials(): Promise<{ serial: string; revokedAt: string }[]> {
    return (await this.store.listEnrolments()).flatMap((r) => r.revokedCertificates.map((c) => ({ serial: c.serial, revokedAt: c.revokedAt })));
  }

  /**
   * First boot: a sensor sends its token and a certificate request; it gets its certificate. The
   * token works once, before it expires, for the sensor it names, and never for a revoked sensor.
   */
  /** Enrolments answer only once `wait` says the broker has let the sensor in. */
  awaitAdmission(wait: (sensorId: string) => Promise<void>): void {
    this.admission = wait;
  }

  async enrol(tokenText: string, csrPem: string): Promise<Enrolled> {
    const { token, sensorId } = parseEnrolmentToken(tokenText);
    const { publicKey } = await readCertificateRequest(csrPem);
    const keyHash = createHash('sha256').update(Buffer.from(await webcrypto.subtle.exportKey('spki', publicKey))).digest('hex');
    const hash = enrolmentTokenHash(token);
    const now = new Date();
    const enrolled = await this.store.changeEnrolment(sensorId, async (current) => {
      if (!current) throw unknownToken();
      if (!current.token || !sameTokenHash(current.token.hash, hash)) {
        const old = current.retiredTokens.find((t) => sameTokenHash(t.hash, hash));
        if (!old) throw unknownToken();
        // The same sensor asking again with the same key (its answer was lost on the way): the same certificate.
        const mine = current.certificate;
        if (old.why === 'used' && current.state === 'active' && mine?.publicKeySha256 === keyHash) {
          return { next: current, result: { next: current, signed: { certPem: mine.pem, caPem: this.ca.certPem, serial: mine.serial } } };
        }
        throw retiredTokenError(sensorId, old);
      }
      if (current.state === 'revoked') throw new ProvisioningError(ProvisioningErrorCode.TokenUsed, `sensor ${sensorId} is revoked; it cannot enrol again`);
      if (Date.parse(current.token.expiresAt) <= now.getTime()) {
        throw new ProvisioningError(
          ProvisioningErrorCode.TokenExpired,
          `this enrolment token for sensor ${sensorId} expired at ${current.token.expiresAt}; issue a new one with \`wardsight provision sensor replace ${sensorId}\``,
        );
      }
      const signed = await signCertificate(this.ca, { commonName: sensorId, role: 'sensor', usage: 'client', validDays: registryDefaults.certificateDays }, publicKey);
      const at = now.toISOString();
      const next: EnrolmentRecord = {
        ...current,
        state: 'active',
        token: null,
        retiredTokens: retire(current, at, 'used'),
        certificate: {
          serial: signed.serial.toUpperCase(),
          fingerprint256: signed.fingerprint256,
          notAfter: signed.notAfter.toISOString(),
          issuedAt: at,
          publicKeySha256: keyHash,
          pem: signed.certPem,
        },
      };
      return { next, result: { next, signed: { certPem: signed.certPem, caPem: signed.caPem, serial: signed.serial } } };
    });
    this.remember(enrolled.next);
    // A sensor connects as soon as it has its certificate: its rights at the broker come first.
    await this.admission?.(sensorId);
    return { sensorId, certificatePem: enrolled.signed.certPem, caPem: enrolled.signed.caPem, location: enrolled.next.location, serial: enrolled.signed.serial.toUpperCase() };
  }

  private existing(sensorId: string, current: EnrolmentRecord | undefined): EnrolmentRecord {
    if (!current) throw new HubError('HUB_ERR_SENSOR_UNKNOWN', `no sensor ${sensorId} is registered; add it with \`wardsight provision sensor add ${sensorId}\``);
    return current;
  }

  private remember(record: EnrolmentRecord): void {
    this.known.set(record.id, record.state);
    if (record.state === 'active' && record.certificate) this.admitted.set(record.id, record.certificate.serial.toUpperCase());
    else this.admitted.delete(record.id);
    this.emit('changed', record);
  }
}

function retire(record: EnrolmentRecord, at: string, why: RetiredToken['why']): RetiredToken[] {
  const retired = record.token ? [...record.retiredTokens, { ...record.token, retiredAt: at, why }] : record.retiredTokens;
  return retired.slice(-RETIRED_TOKENS_KEPT);
}

function unknownToken(): ProvisioningError {
  return new ProvisioningError(ProvisioningErrorCode.TokenUnknown, 'this enrolment token was not issued by this hub (or was forged); check the hub address, or ask for a new token');
}

function retiredTokenError(sensorId: string, old: RetiredToken): ProvisioningError {
  const again = `issue a new one with \`wardsight provision sensor replace ${sensorId}\``;
  if (old.why === 'used') return new ProvisioningError(ProvisioningErrorCode.TokenUsed, `this enrolment token was already used on ${old.retiredAt} to enrol sensor ${sensorId}; a token works once: ${again}`);
  if (old.why === 'replaced') return new ProvisioningError(ProvisioningErrorCode.TokenUsed, `this enrolment token for sensor ${sensorId} was replaced by a newer one on ${old.retiredAt}; use the newest bundle`);
  return new ProvisioningError(ProvisioningErrorCode.TokenUsed, `sensor ${sensorId} was revoked on ${old.retiredAt}; its tokens no longer work`);
}
