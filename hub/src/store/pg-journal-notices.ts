/**
 * Journal notices between hub instances sharing one database: each transaction that writes journal
 * entries sends a NOTIFY (delivered on commit; see pg-inventory-writes.ts) saying which instance
 * wrote and the highest entry id it wrote; every instance LISTENs on one connection of its own and
 * so learns of entries another wrote. A lost listening connection is opened again, and the instance
 * is then told to look at the journal, since notices sent meanwhile were lost.
 */
import type { Client } from 'pg';
import type { Logger } from 'pino';

/** The channel journal notices travel on (one per database, as LISTEN is). */
export const JOURNAL_CHANNEL = 'wardsight_journal';

/** Waits before listening again after the connection was lost: doubling from the first, up to the last. */
const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 10_000;

/** One journal write, as a notice tells it. */
export interface JournalNotice {
  /** The instance that wrote, as `journalWriter` named it. */
  writer: string;
  /** The highest entry id it wrote. */
  lastId: number;
}

/** The text of a notice. */
export const noticePayload = (notice: JournalNotice): string => `${notice.writer}:${notice.lastId}`;

function parseNotice(payload: string | undefined): JournalNotice | undefined {
  const at = payload?.lastIndexOf(':') ?? -1;
  if (payload === undefined || at < 0) return undefined;
  const lastId = Number(payload.slice(at + 1));
  return Number.isSafeInteger(lastId) ? { writer: payload.slice(0, at), lastId } : undefined;
}

export interface JournalNoticeHandlers {
  notice(notice: JournalNotice): void;
  /** Listening again after a lost connection: notices may have been missed. */
  resumed(): void;
}

/** This instance's listening connection, opened again whenever it is lost until closed. */
export class JournalListener {
  private client: Client | undefined;
  private closed = false;
  private retryMs = RETRY_FIRST_MS;
  private retry: NodeJS.Timeout | undefined;
  /** A listening connection being opened again, which close() waits for. */
  private reopening: Promise<void> | undefined;

  private constructor(
    private readonly connect: () => Client,
    private readonly handlers: JournalNoticeHandlers,
    private readonly log: Logger | undefined,
  ) {}

  /** Listens from now on; fails if the first connection cannot be made. */
  static async start(connect: () => Client, handlers: JournalNoticeHandlers, log?: Logger): Promise<JournalListener> {
    const listener = new JournalListener(connect, handlers, log);
    await listener.listen();
    return listener;
  }

  private async listen(): Promise<void> {
    const client = this.connect();
    // A connection's failure is reported through 'error' and then 'end'; 'end' decides what follows.
    client.on('error', (err) => this.log?.warn({ err }, 'the connection listening for journal notices failed'));
    client.on('end', () => this.lost(client));
    client.on('notification', (message) => {
      if (message.channel !== JOURNAL_CHANNEL) return;
      const notice = parseNotice(message.payload);
      if (notice) this.handlers.notice(notice);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${JOURNAL_CHANNEL}`);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    if (this.closed) {
      await client.end();
      return;
    }
    this.client = client;
    this.retryMs = RETRY_FIRST_MS;
  }

  private lost(client: Client): void {
    if (this.closed || this.client !== client) return;
    this.client = undefined;
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.reopening = this.listen().then(
        () => {
          if (!this.closed) this.handlers.resumed();
        },
        (err: unknown) => {
          if (this.closed) return;
          this.log?.warn({ err, retryMs: this.retryMs }, 'could not listen for journal notices again; retrying');
          this.retryMs = Math.min(RETRY_MAX_MS, this.retryMs * 2);
          this.scheduleRetry();
        },
      );
    }, this.retryMs);
    this.retry.unref();
  }

  /** Stops listening; idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    await this.reopening;
    const client = this.client;
    this.client = undefined;
    await client?.end();
  }
}
