/**
 * Sensor access on an external Mosquitto 2.0: admitting a sensor, cutting a revoked one off for
 * good, and retiring the certificate of replaced hardware while the sensor keeps its rights.
 * Revocation takes three steps, in this order, each for a reason measured on 2.0.11 (see
 * mosquitto.ts):
 *
 *   1. the certificate's serial goes into the hub's CRL, which is copied into the broker directory;
 *   2. SIGHUP, and wait for the log to say the configuration was read again: from then on the TLS
 *      handshake of that certificate fails ("certificate revoked"), so it cannot reconnect;
 *   3. `deleteClient` through the dynamic-security plugin: Mosquitto disconnects the live session at
 *      once ("disconnected by administrative action") and the sensor's rights are gone.
 *
 * Kicking first would let the sensor's automatic reconnect slip in before the CRL is read, and a
 * session opened then survives the reload.
 */
import type { Logger } from 'pino';
import { addToCrl, ensureCrl, normaliseSerial, type CertificateRevocationList } from '@wardsight/provisioning';
import { sensorRole, sensorRoleName, sensorUsername } from './mosquitto-acl.js';
import { installCrl } from './mosquitto-config.js';
import { DynsecControl } from './mosquitto-control.js';
import { ensureBrokerControlIdentity } from './mosquitto-identity.js';
import { mosquittoLayout, type MosquittoLayout } from './mosquitto-layout.js';

/** What the hub asks of a broker, embedded or external, about one sensor. */
export interface SensorAccessControl {
  /** Gives `sensorId` the rights of a sensor; admitting an admitted sensor changes nothing. */
  admit(sensorId: string): Promise<void>;
  /**
   * Ends the live session of `sensorId` within seconds and refuses the certificate `serialHex` from
   * then on; resolves once both hold. Revoking twice is harmless.
   */
  revoke(sensorId: string, serialHex: string): Promise<void>;
  /** As revoke, but `sensorId` keeps its rights for the certificate its new hardware gets. */
  retire(sensorId: string, serialHex: string): Promise<void>;
  close(): Promise<void>;
}

export interface MosquittoAccessControlOptions {
  /** The hub's data directory: its CA, CRL and broker control identity. */
  hubDataDir: string;
  /** The broker directory written by writeMosquittoConfig. */
  configDir: string;
  /** `mqtts://host:port` of the broker, as the hub reaches it. */
  url: string;
  /**
   * Makes Mosquitto read its CRL again and resolves once it has: `MosquittoProcess.reload` for a
   * broker the hub started; for one run by the system, a command that waits for the reload.
   */
  reload: () => Promise<void>;
  log?: Logger;
}

export class MosquittoAccessControl implements SensorAccessControl {
  /** Revocations and admissions one after the other: each CRL is numbered from the one before. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly opts: MosquittoAccessControlOptions,
    private readonly layout: MosquittoLayout,
    private readonly control: DynsecControl,
  ) {}

  /** Connects to the plugin with the hub's broker control identity from `hubDataDir` (issued if missing). */
  static async open(opts: MosquittoAccessControlOptions): Promise<MosquittoAccessControl> {
    const identity = await ensureBrokerControlIdentity(opts.hubDataDir);
    const control = await DynsecControl.connect({ url: opts.url, ca: identity.ca, cert: identity.cert, key: identity.key, log: opts.log });
    return new MosquittoAccessControl(opts, mosquittoLayout(opts.configDir), control);
  }

  admit(sensorId: string): Promise<void> {
    return this.serially(async () => {
      const role = sensorRole(sensorId);
      await this.control.expect({ command: 'createRole', rolename: role.rolename, acls: role.acls }, ['Role already exists']);
      await this.control.expect({ command: 'createClient', username: sensorUsername(sensorId), roles: [{ rolename: role.rolename }] }, ['Client already exists']);
      this.opts.log?.info({ sensorId }, 'sensor admitted to the broker');
    });
  }

  revoke(sensorId: string, serialHex: string): Promise<void> {
    const username = sensorUsername(sensorId);
    const serial = normaliseSerial(serialHex);
    return this.serially(async () => {
      const crl = await this.refuseCertificate(serial);
      const deleted = await this.control.expect({ command: 'deleteClient', username }, ['Client not found']);
      if (deleted.error) {
        // Never admitted, or deleted before: a client of that name may still be connected (with no
        // rights). Mosquitto disconnects by username only when it deletes a client it knows.
        await this.control.expect({ command: 'createClient', username, roles: [] }, ['Client already exists']);
        await this.control.expect({ command: 'deleteClient', username });
      }
      await this.control.expect({ command: 'deleteRole', rolename: sensorRoleName(sensorId) }, ['Role not found']);
      this.opts.log?.warn({ sensorId, serial, crlNumber: crl.number.toString() }, 'sensor revoked and disconnected');
    });
  }

  /**
   * Refuses the certificate `serialHex` of a sensor that stays registered (new hardware takes its
   * place) and ends the sessions under its name, keeping its rights for the certificate to come:
   * CRL and reload first, then `disableClient`, which disconnects at once, and `enableClient`. The
   * old and the new certificate have one subject, hence one username: new hardware already
   * connected is disconnected too, and comes straight back, since its certificate is not listed.
   */
  retire(sensorId: string, serialHex: string): Promise<void> {
    const username = sensorUsername(sensorId);
    const serial = normaliseSerial(serialHex);
    return this.serially(async () => {
      const crl = await this.refuseCertificate(serial);
      const disabled = await this.control.expect({ command: 'disableClient', username }, ['Client not found']);
      if (!disabled.error) await this.control.expect({ command: 'enableClient', username });
      this.opts.log?.warn({ sensorId, serial, crlNumber: crl.number.toString() }, 'sensor certificate retired and its sessions ended');
    });
  }

  /**
   * Takes the rights of `sensorId` away and ends its sessions, without listing a certificate: for a
   * sensor revoked before it ever enrolled. Dismissing one that has no rights is harmless.
   */
  dismiss(sensorId: string): Promise<void> {
    return this.serially(async () => {
      await this.control.expect({ command: 'deleteClient', username: sensorUsername(sensorId) }, ['Client not found']);
      await this.control.expect({ command: 'deleteRole', rolename: sensorRoleName(sensorId) }, ['Role not found']);
      this.opts.log?.info({ sensorId }, 'sensor dismissed from the broker');
    });
  }

  /** Issues the CRL again if it nears its nextUpdate and has the broker load it; call it daily. */
  renewCrl(): Promise<void> {
    return this.serially(async () => {
      await ensureCrl(this.opts.hubDataDir);
      await installCrl(this.opts.hubDataDir, this.layout);
      await this.opts.reload();
    });
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    await this.control.close();
  }

  /** Lists `serial` in the hub's CRL and has Mosquitto read it: from then on its handshakes fail. */
  private async refuseCertificate(serial: string): Promise<CertificateRevocationList> {
    const crl = await addToCrl(this.opts.hubDataDir, [{ serial, revokedAt: new Date() }]);
    await installCrl(this.opts.hubDataDir, this.layout);
    await this.opts.reload();
    return crl;
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
