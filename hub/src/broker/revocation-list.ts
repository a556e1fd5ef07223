/**
 * The hub's certificate revocation list (provisioning/src/crl.ts) kept in step with the sensor
 * register: every certificate the register has revoked or replaced is listed, and the list is
 * issued again before its nextUpdate (OpenSSL refuses every client certificate once the list it
 * checks against has expired). Each list issued is announced ('issued'), so that the embedded
 * broker's TLS server loads it for new handshakes.
 *
 * One writer at a time: each list is numbered from the one before it, so issuing is serialised here
 * and nothing else in the hub writes the list while this runs (the Mosquitto broker has its own
 * writer, mosquitto-access.ts, and does not use this).
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { addToCrl, crlDefaults, ensureCrl, isRevoked, type CertificateRevocationList } from '@wardsight/provisioning';
import { HubError } from '../errors.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export const revocationListDefaults = {
  /** How often the list's nextUpdate is looked at. */
  renewCheckMs: DAY_MS,
  minRenewCheckMs: 60_000,
  /** More often than the renewal margin, or a list could expire between two looks. */
  maxRenewCheckMs: crlDefaults.renewBeforeMs / 2,
} as const;

/** Where the revoked serials come from: the sensor register. */
export interface RevokedSerials {
  revokedSerials(): Promise<{ serial: string; revokedAt: string }[]>;
}

export interface RevocationListOptions {
  dataDir: string;
  register: RevokedSerials;
  renewCheckMs?: number;
  log?: Logger;
}

export class RevocationList extends EventEmitter<{ issued: [crl: CertificateRevocationList] }> {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly timer: ReturnType<typeof setInterval>;

  private constructor(
    private readonly opts: RevocationListOptions,
    private list: CertificateRevocationList,
  ) {
    super();
    const every = Math.min(Math.max(opts.renewCheckMs ?? revocationListDefaults.renewCheckMs, revocationListDefaults.minRenewCheckMs), revocationListDefaults.maxRenewCheckMs);
    this.timer = setInterval(() => void this.renew().catch((err: unknown) => this.opts.log?.error({ err }, 'the certificate revocation list was not renewed; it is tried again later')), every);
    this.timer.unref();
  }

  /** The list of `dataDir`, brought up to date with the register and fit to load now. */
  static async open(opts: RevocationListOptions): Promise<RevocationList> {
    const list = new RevocationList(opts, await failsAs('reading or issuing the list', () => ensureCrl(opts.dataDir)));
    try {
      await list.sync();
    } catch (error) {
      await list.close();
      throw error;
    }
    return list;
  }

  /** The list in force: what a TLS server should load now. */
  get current(): CertificateRevocationList {
    return this.list;
  }

  /** Lists every serial the register has revoked that the list lacks, issuing a new list if any did. */
  sync(): Promise<CertificateRevocationList> {
    return this.serially('adding the revoked certificates', async () => {
      const revoked = await this.opts.register.revokedSerials();
      const missing = revoked.filter((entry) => !isRevoked(this.list, entry.serial));
      if (missing.length === 0) return this.list;
      const list = await addToCrl(this.opts.dataDir, missing.map((entry) => ({ serial: entry.serial, revokedAt: new Date(entry.revokedAt) })));
      this.opts.log?.info({ added: missing.map((entry) => entry.serial), crlNumber: list.number.toString() }, 'certificate revocation list issued');
      return this.issued(list);
    });
  }

  /** Issues the list again, with the same entries, once it nears its nextUpdate. */
  renew(): Promise<CertificateRevocationList> {
    return this.serially('renewing the list', async () => {
      const list = await ensureCrl(this.opts.dataDir);
      if (list.number === this.list.number) return this.list;
      this.opts.log?.info({ crlNumber: list.number.toString(), nextUpdate: list.nextUpdate.toISOString() }, 'certificate revocation list renewed');
      return this.issued(list);
    });
  }

  /** Stops renewing; waits for an update in progress. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.queue.catch(() => undefined);
  }

  private issued(list: CertificateRevocationList): CertificateRevocationList {
    this.list = list;
    this.emit('issued', list);
    return list;
  }

  private serially<T>(what: string, work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(() => failsAs(what, work));
    this.queue = run.catch(() => undefined);
    return run;
  }
}

async function failsAs<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof HubError) throw error;
    throw new HubError('HUB_ERR_CRL', `${what}: ${(error as Error).message}`, { cause: error });
  }
}
