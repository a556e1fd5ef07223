/**
 * A webhook: each alert event POSTed as JSON over HTTPS. With a shared secret the request carries
 * `X-Wardsight-Signature: sha256=<hex HMAC-SHA256 of the body>`, so the receiver can tell the hub's
 * events from anyone else's. A 2xx answer is delivery; any other answer, a connection error or no
 * answer in time is a failure and the event is sent again (with the same `X-Wardsight-Event`).
 */
import { createHash, createHmac } from 'node:crypto';
import { request } from 'node:https';
import { HubError } from '../errors.js';
import type { AlertEvent, AlertSink } from './event.js';

export interface WebhookSinkOptions {
  url: URL;
  /** PEM of the CA(s) the receiver's certificate must chain to; Node's default CAs when absent. */
  ca?: string;
  secret?: string;
  /** Limit for the whole exchange: connect, send, answer. */
  timeoutMs: number;
  productVersion: string;
}

/** The JSON a webhook receives. */
export function webhookBody(event: AlertEvent, productVersion: string): string {
  return JSON.stringify({ product: 'Wardsight Hub', version: productVersion, seq: event.seq, type: event.type, at: event.at, alert: event.alert });
}

export function webhookSignature(secret: string, body: Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** How much of a refusal's body goes into the error: enough to say why, not a whole page. */
const ANSWER_EXCERPT = 200;

export class WebhookSink implements AlertSink {
  readonly kind = 'webhook' as const;
  readonly id: string;
  readonly target: string;
  private readonly inFlight = new Set<{ destroy(err: Error): void }>();

  constructor(private readonly opts: WebhookSinkOptions) {
    // The target shown never carries credentials or a query (either may hold a token).
    this.target = `${opts.url.protocol}//${opts.url.host}${opts.url.pathname}`;
    const digest = createHash('sha256').update(opts.url.href).digest('hex').slice(0, 10);
    this.id = `webhook-${opts.url.hostname.toLowerCase().replace(/[^a-z0-9.-]/g, '')}-${digest}`;
  }

  deliver(event: AlertEvent): Promise<void> {
    const body = Buffer.from(webhookBody(event, this.opts.productVersion), 'utf8');
    const headers: Record<string, string | number> = {
      'content-type': 'application/json',
      'content-length': body.length,
      'user-agent': `Wardsight-Hub/${this.opts.productVersion}`,
      'x-wardsight-event': String(event.seq),
    };
    if (this.opts.secret !== undefined) headers['x-wardsight-signature'] = webhookSignature(this.opts.secret, body);
    return new Promise((resolve, reject) => {
      const fail = (why: string, cause?: unknown) => reject(new HubError('HUB_ERR_ALERT_DELIVERY', `${this.target}: ${why}`, { cause }));
      // agent: false, a fresh connection per event: no pooled socket the receiver closed while it was down.
      const req = request(this.opts.url, { method: 'POST', headers, agent: false, ...(this.opts.ca ? { ca: this.opts.ca } : {}) }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size < ANSWER_EXCERPT) chunks.push(c);
          size += c.length;
        });
        res.on('end', () => {
          finish();
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) return resolve();
          const text = Buffer.concat(chunks).toString('utf8').slice(0, ANSWER_EXCERPT).replace(/\s+/g, ' ').trim();
          fail(`answered ${status}${text ? ` (${text})` : ''}`);
        });
        res.on('error', (err) => {
          finish();
          fail(`the answer broke off: ${err.message}`, err);
        });
      });
      const timer = setTimeout(() => req.destroy(new Error(`no answer within ${this.opts.timeoutMs} ms`)), this.opts.timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.inFlight.delete(req);
      };
      this.inFlight.add(req);
      req.on('error', (err) => {
        finish();
        fail(err.message, err);
      });
      req.end(body);
    });
  }

  async close(): Promise<void> {
    for (const req of this.inFlight) req.destroy(new Error('the hub is stopping'));
    this.inFlight.clear();
  }
}
