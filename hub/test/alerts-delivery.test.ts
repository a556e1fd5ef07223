/**
 * Delivery to real receivers on loopback: a syslog receiver on Node's TLS server (RFC 5425 frames
 * read back from the stream), a webhook on Node's HTTPS server, certificates from a CA made with
 * the project's provisioning. Receivers refuse, go away and come back; the book on a real LevelDB
 * is closed and opened again; every event still arrives, in order.
 */
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createServer as createTlsServer, type Server as TlsServer, type TLSSocket } from 'node:tls';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createCa, issueCertificate, type IssuedCertificate } from '@wardsight/provisioning';
import type { AlertFinding } from '../src/alerts/alert.js';
import { AlertBook } from '../src/alerts/book.js';
import { alertSinks, type AlertDeliveryOptions } from '../src/alerts/options.js';
import { LevelHubStore } from '../src/store/level-store.js';
import { INFUSION_PUMP, useTempDirs } from './fixtures.js';

const log = pino({ level: 'silent' });
const SIEM_NAME = 'siem.hospital.test';
const RETRY = { initialBackoffMs: 20, maxBackoffMs: 200 };
const WAIT_MS = 30_000;

async function until<T>(probe: () => T | undefined | false, what: string): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  while (Date.now() < deadline) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${what} did not happen within ${WAIT_MS} ms`);
}

const finding = (n: number): AlertFinding => ({
  kind: 'new-listening-port',
  severity: n % 2 ? 'high' : 'medium',
  device: INFUSION_PUMP,
  sensorId: 'floor2',
  title: `new listening port ${8000 + n}/tcp`,
  evidence: { port: 8000 + n, transport: 'tcp' },
  at: new Date(Date.UTC(2024, 4, 1, 10, n)).toISOString(),
  dedup: `${8000 + n}/tcp`,
});

/** Reads RFC 5425 octet-counted frames from a TLS server's connections. */
class SyslogReceiver {
  readonly messages: string[] = [];
  /** The common name of each client certificate presented (undefined: none). */
  readonly clients: (string | undefined)[] = [];
  private readonly sockets = new Set<TLSSocket>();
  private server: TlsServer | null = null;
  port = 0;

  constructor(private readonly identity: IssuedCertificate) {}

  async start(): Promise<this> {
    const server = createTlsServer({ key: this.identity.keyPem, cert: this.identity.chainPem, ca: this.identity.caPem, requestCert: true, rejectUnauthorized: false }, (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      this.clients.push((socket.getPeerCertificate() as { subject?: { CN?: string } }).subject?.CN);
      let pending = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        pending = Buffer.concat([pending, chunk]);
        for (;;) {
          const space = pending.indexOf(0x20);
          if (space < 0) break;
          const length = Number(pending.subarray(0, space).toString('ascii'));
          if (pending.length < space + 1 + length) break;
          this.messages.push(pending.subarray(space + 1, space + 1 + length).toString('utf8'));
          pending = pending.subarray(space + 1 + length);
        }
      });
      socket.on('error', () => undefined);
    });
    server.listen(this.port, '127.0.0.1');
    await once(server, 'listening');
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}

/** An HTTPS webhook that answers what the test says, and keeps what it was sent. */
class WebhookReceiver {
  readonly received: { body: string; signature: string | undefined; event: string | undefined }[] = [];
  /** 'hang' never answers. */
  answer: number | 'hang' = 200;
  answered: number[] = [];
  private server: HttpsServer | null = null;
  port = 0;

  constructor(private readonly identity: IssuedCertificate) {}

  async start(): Promise<this> {
    const server = createHttpsServer({ key: this.identity.keyPem, cert: this.identity.chainPem }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (this.answer === 'hang') return;
        const status = this.answer;
        this.answered.push(status);
        if (status >= 200 && status < 300) this.received.push({ body: Buffer.concat(chunks).toString('utf8'), signature: req.headers['x-wardsight-signature'] as string | undefined, event: req.headers['x-wardsight-event'] as string | undefined });
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 503 ? 'down for maintenance' : 'ok');
      });
    });
    server.listen(this.port, '127.0.0.1');
    await once(server, 'listening');
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    server?.closeAllConnections();
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}

describe('alert delivery', () => {
  const tempDir = useTempDirs('wardsight-alert-delivery-');
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function pki(dir: string) {
    const ca = await createCa(join(dir, 'siem-ca'), { commonName: 'Hospital SIEM CA' });
    const server = await issueCertificate(ca, { commonName: SIEM_NAME, role: 'admin', dnsNames: [SIEM_NAME], ipAddresses: ['127.0.0.1'], usage: 'server' });
    const hubClient = await issueCertificate(ca, { commonName: 'hub', role: 'hub', usage: 'client' });
    const caFile = join(dir, 'siem-ca.crt');
    await writeFile(caFile, ca.certPem);
    const other = await createCa(join(dir, 'other-ca'), { commonName: 'Somebody Else CA' });
    const otherCaFile = join(dir, 'other-ca.crt');
    await writeFile(otherCaFile, other.certPem);
    return { server, hubClient, caFile, otherCaFile };
  }

  async function openBook(dir: string, options: AlertDeliveryOptions, clientCert?: { cert: string; key: string }) {
    const store = await LevelHubStore.open(join(dir, 'store'));
    const sinks = await alertSinks({ ...options, timeoutMs: 2_000 }, { productVersion: '0.1.0', ...(clientCert ? { clientCert } : {}) });
    const book = await AlertBook.open(store, { sinks, retry: RETRY, log });
    let closed = false;
    const close = async () => {
      if (closed) return;
      closed = true;
      await book.close();
      await store.close();
    };
    cleanups.push(close);
    return { book, close };
  }

  it('sends each event to a syslog receiver over verified TLS, in order, offering the hub\'s client certificate', async () => {
    const dir = await tempDir();
    const { server, hubClient, caFile } = await pki(dir);
    const receiver = await new SyslogReceiver(server).start();
    cleanups.push(() => receiver.stop());
    const { book } = await openBook(dir, { syslog: [{ url: `tls://127.0.0.1:${receiver.port}`, caFile, serverName: SIEM_NAME }], webhooks: [] }, { cert: hubClient.certPem, key: hubClient.keyPem });

    const ids = [];
    for (let n = 1; n <= 3; n += 1) ids.push((await book.raise(finding(n))).alert.id);
    await book.acknowledge(ids[0]!, 'secops');
    await until(() => receiver.messages.length >= 4, 'four syslog messages');
    expect(receiver.messages).toHaveLength(4);
    expect(receiver.messages.map((m) => /externalId=(\S+)/.exec(m)?.[1])).toEqual([...ids, ids[0]]);
    expect(receiver.messages.map((m) => /sequenceId="(\d+)"/.exec(m)?.[1])).toEqual(['1', '2', '3', '4']);
    expect(receiver.messages[0]).toMatch(/^<115>1 \S+ \S+ wardsight-hub \d+ alert-raised \[meta sequenceId="1"\] CEF:0\|Wardsight\|Wardsight Hub\|0\.1\.0\|new-listening-port\|new listening port 8001\/tcp\|8\|/);
    expect(receiver.messages[3]).toMatch(/alert-acknowledged .* act=acknowledged cat=acknowledged/);
    expect(receiver.clients).toEqual(['hub']);
    expect(book.deliveries()).toEqual([expect.objectContaining({ kind: 'syslog', target: `tls://127.0.0.1:${receiver.port}`, queued: 0, delivered: 4, failures: 0, lastError: null })]);
  });

  it('refuses a receiver whose certificate does not chain to the configured CA or does not carry the configured name', async () => {
    const dir = await tempDir();
    const { server, caFile, otherCaFile } = await pki(dir);
    const first = await new SyslogReceiver(server).start();
    const second = await new SyslogReceiver(server).start();
    cleanups.push(() => first.stop(), () => second.stop());
    const { book } = await openBook(dir, {
      syslog: [
        { url: `tls://127.0.0.1:${first.port}`, caFile: otherCaFile, serverName: SIEM_NAME },
        { url: `tls://127.0.0.1:${second.port}`, caFile, serverName: 'pacs.hospital.test' },
      ],
      webhooks: [],
    });
    await book.raise(finding(1));
    const [wrongCa, wrongName] = await until(() => {
      const s = book.deliveries();
      return s.every((x) => x.failures > 0) && s;
    }, 'both receivers refused');
    expect(wrongCa).toMatchObject({ queued: 1, delivered: 0 });
    expect(wrongCa!.lastError).toMatch(/certificate/i);
    expect(wrongName).toMatchObject({ queued: 1, delivered: 0 });
    expect(wrongName!.lastError).toMatch(/pacs\.hospital\.test/);
    expect([...first.messages, ...second.messages]).toEqual([]);
  });

  it('keeps going while the syslog receiver is down and delivers everything, in order, when it is back', async () => {
    const dir = await tempDir();
    const { server, caFile } = await pki(dir);
    const receiver = await new SyslogReceiver(server).start();
    cleanups.push(() => receiver.stop());
    const { book } = await openBook(dir, { syslog: [{ url: `tls://127.0.0.1:${receiver.port}`, caFile }], webhooks: [] });
    const ids = [(await book.raise(finding(1))).alert.id];
    await until(() => receiver.messages.length === 1, 'the first message');

    await receiver.stop();
    for (let n = 2; n <= 5; n += 1) ids.push((await book.raise(finding(n))).alert.id);
    await until(() => book.deliveries()[0]!.failures >= 2, 'failed attempts while the receiver is down');
    expect(book.deliveries()[0]!.queued).toBeGreaterThan(0);

    await receiver.start();
    await until(() => book.deliveries()[0]!.queued === 0, 'the queue emptied');
    // Syslog has no acknowledgement: the queue empties when the socket took the frames, which the receiver then reads.
    await until(() => receiver.messages.length >= ids.length, 'every message read by the receiver');
    expect(receiver.messages.map((m) => /externalId=(\S+)/.exec(m)?.[1])).toEqual(ids);
  });

  it('POSTs signed events to a webhook, retries a 503 and an answer that never comes, and keeps the order', async () => {
    const dir = await tempDir();
    const { server, caFile } = await pki(dir);
    const secretFile = join(dir, 'webhook.secret');
    await writeFile(secretFile, 'correct horse battery staple\n', { mode: 0o600 });
    const receiver = await new WebhookReceiver(server).start();
    cleanups.push(() => receiver.stop());
    receiver.answer = 503;
    const { book } = await openBook(dir, { syslog: [], webhooks: [{ url: `https://127.0.0.1:${receiver.port}/wardsight/alerts?token=abc`, caFile, secretFile }] });

    const ids = [(await book.raise(finding(1))).alert.id, (await book.raise(finding(2))).alert.id];
    await until(() => receiver.answered.length >= 2, 'two refused attempts');
    expect(book.deliveries()[0]).toMatchObject({ target: `https://127.0.0.1:${receiver.port}/wardsight/alerts`, queued: 2, delivered: 0 });
    expect(book.deliveries()[0]!.lastError).toMatch(/answered 503 \(down for maintenance\)/);

    receiver.answer = 'hang';
    const failuresBefore = book.deliveries()[0]!.failures;
    await until(() => book.deliveries()[0]!.failures > failuresBefore && /no answer within/.test(book.deliveries()[0]!.lastError ?? ''), 'a timed-out attempt');

    receiver.answer = 200;
    await book.resolve(ids[0]!, 'secops');
    await until(() => book.deliveries()[0]!.queued === 0, 'the queue emptied');
    const bodies = receiver.received.map((r) => JSON.parse(r.body) as { seq: number; type: string; alert: { id: string; state: string } });
    expect(bodies.map((b) => [b.seq, b.type, b.alert.id])).toEqual([
      [1, 'raised', ids[0]],
      [2, 'raised', ids[1]],
      [3, 'resolved', ids[0]],
    ]);
    for (const r of receiver.received) {
      expect(r.signature).toBe(`sha256=${createHmac('sha256', 'correct horse battery staple').update(r.body).digest('hex')}`);
      expect(r.event).toBe(String((JSON.parse(r.body) as { seq: number }).seq));
    }
  });

  it('resumes what was queued when the book is opened again after a stop while the receivers were down', async () => {
    const dir = await tempDir();
    const { server, caFile } = await pki(dir);
    const syslog = await new SyslogReceiver(server).start();
    const webhook = await new WebhookReceiver(server).start();
    cleanups.push(() => syslog.stop(), () => webhook.stop());
    await syslog.stop();
    webhook.answer = 503;
    const options: AlertDeliveryOptions = { syslog: [{ url: `tls://127.0.0.1:${syslog.port}`, caFile, serverName: SIEM_NAME }], webhooks: [{ url: `https://127.0.0.1:${webhook.port}/hook`, caFile }] };

    const first = await openBook(dir, options);
    const ids = [];
    for (let n = 1; n <= 4; n += 1) ids.push((await first.book.raise(finding(n))).alert.id);
    await until(() => first.book.deliveries().every((s) => s.failures > 0), 'both destinations failing');
    await first.close();

    await syslog.start();
    webhook.answer = 200;
    const second = await openBook(dir, options);
    // Delivery starts as the book opens: what is queued plus what has gone since is all four.
    expect(second.book.deliveries().map((s) => s.queued + s.delivered)).toEqual([4, 4]);
    await until(() => second.book.deliveries().every((s) => s.queued === 0), 'both queues emptied');
    await until(() => syslog.messages.length >= ids.length, 'every message read by the syslog receiver');
    expect(syslog.messages.map((m) => /externalId=(\S+)/.exec(m)?.[1])).toEqual(ids);
    expect(webhook.received.map((r) => (JSON.parse(r.body) as { alert: { id: string } }).alert.id)).toEqual(ids);
    expect(second.book.deliveries().map((s) => s.delivered)).toEqual([4, 4]);
  });
});
