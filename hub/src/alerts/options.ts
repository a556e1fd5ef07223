/**
 * Where the hub sends its alerts, as the hub's options and `wardsight hub` flags give it, and the
 * sinks made from that. Nothing is configured by default: the alert book works without destinations.
 */
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { HubError } from '../errors.js';
import type { AlertSink } from './event.js';
import { SINK_ID } from './ledger.js';
import type { RetryTuning } from './sender.js';
import { SYSLOG_FACILITY_LOG_ALERT } from './syslog-message.js';
import { SyslogSink } from './syslog-sink.js';
import { WebhookSink } from './webhook-sink.js';

export interface SyslogDestination {
  /** `tls://host:port`. */
  url: string;
  /** PEM file of the CA(s) the receiver's certificate must chain to; Node's default CAs when absent. */
  caFile?: string;
  /** The name the receiver's certificate must carry; the URL's host when absent. */
  serverName?: string;
}

export interface WebhookDestination {
  /** `https://…`. */
  url: string;
  caFile?: string;
  /** A file holding the shared secret that signs each body (surrounding white space ignored). */
  secretFile?: string;
}

export interface AlertDeliveryOptions {
  syslog: SyslogDestination[];
  webhooks: WebhookDestination[];
  retry?: Partial<RetryTuning>;
  /** Limit for one delivery attempt (connect, send, answer); 100 ms to 2 min, default 10 s. */
  timeoutMs?: number;
  /** RFC 5424 facility of syslog messages, 0–23; default 14 (log alert). */
  facility?: number;
}

export const alertDeliveryDefaults = { timeoutMs: 10_000, timeoutMsMin: 100, timeoutMsMax: 120_000, facility: SYSLOG_FACILITY_LOG_ALERT };

export function noAlertDestinations(): AlertDeliveryOptions {
  return { syslog: [], webhooks: [] };
}

/** What the hub lends its sinks. */
export interface SinkContext {
  productVersion: string;
  /** The hub's client certificate, offered to syslog receivers that ask for one. */
  clientCert?: { cert: string; key: string };
}

function bad(detail: string, cause?: unknown): never {
  throw new HubError('HUB_ERR_ALERT_SINK', detail, { cause });
}

/** `tls://host:port` → host and port; anything else is refused with the form it should take. */
export function parseSyslogUrl(text: string): { host: string; port: number } {
  let url: URL;
  try {
    url = new URL(text);
  } catch (err) {
    bad(`syslog destination ${JSON.stringify(text)} is not a URL; write tls://host:port (e.g. tls://siem.example.org:6514)`, err);
  }
  const port = Number(url.port);
  if (url.protocol !== 'tls:' || url.hostname === '' || !Number.isInteger(port) || port < 1 || port > 65_535 || (url.pathname !== '' && url.pathname !== '/')) {
    bad(`syslog destination ${JSON.stringify(text)} is not tls://host:port (e.g. tls://siem.example.org:6514)`);
  }
  // Host names compare without case (RFC 4343); a non-special URL scheme keeps the case given.
  return { host: url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase(), port };
}

export function parseWebhookUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch (err) {
    bad(`webhook ${JSON.stringify(text)} is not a URL; write https://host[:port]/path`, err);
  }
  if (url.protocol !== 'https:') bad(`webhook ${JSON.stringify(text)} must use https:// (alerts name devices and should not cross the network in clear)`);
  return url;
}

async function readPem(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    bad(`${what} ${file}: ${(err as Error).message}`, err);
  }
}

async function readSecret(file: string): Promise<string> {
  const secret = (await readPem(file, 'webhook secret file')).trim();
  if (secret === '') bad(`webhook secret file ${file} is empty; put the shared secret in it`);
  return secret;
}

/** The sinks of these options, their files read; refuses a destination named twice. */
export async function alertSinks(options: AlertDeliveryOptions, ctx: SinkContext): Promise<AlertSink[]> {
  const raw = options.timeoutMs ?? alertDeliveryDefaults.timeoutMs;
  // Clamped: under 100 ms no TLS handshake finishes; over 2 min a dead receiver holds the queue too long.
  const timeoutMs = Math.min(Math.max(Number.isFinite(raw) ? raw : alertDeliveryDefaults.timeoutMs, alertDeliveryDefaults.timeoutMsMin), alertDeliveryDefaults.timeoutMsMax);
  const facility = options.facility ?? alertDeliveryDefaults.facility;
  if (!Number.isInteger(facility) || facility < 0 || facility > 23) bad(`syslog facility ${facility} is not 0 to 23`);
  const origin = { facility, hostname: hostname(), appName: 'wardsight-hub', procId: String(process.pid) };
  const sinks: AlertSink[] = [];
  for (const d of options.syslog) {
    const { host, port } = parseSyslogUrl(d.url);
    sinks.push(
      new SyslogSink({
        host,
        port,
        ...(d.caFile ? { ca: await readPem(d.caFile, 'syslog CA file') } : {}),
        ...(d.serverName ? { serverName: d.serverName } : {}),
        ...(ctx.clientCert ? { clientCert: ctx.clientCert } : {}),
        timeoutMs,
        origin,
        productVersion: ctx.productVersion,
      }),
    );
  }
  for (const d of options.webhooks) {
    const url = parseWebhookUrl(d.url);
    sinks.push(
      new WebhookSink({
        url,
        ...(d.caFile ? { ca: await readPem(d.caFile, 'webhook CA file') } : {}),
        ...(d.secretFile ? { secret: await readSecret(d.secretFile) } : {}),
        timeoutMs,
        productVersion: ctx.productVersion,
      }),
    );
  }
  const seen = new Set<string>();
  for (const sink of sinks) {
    if (!SINK_ID.test(sink.id)) bad(`destination ${sink.target} cannot be named in the store (${sink.id})`);
    if (seen.has(sink.id)) bad(`destination ${sink.target} is configured twice`);
    seen.add(sink.id);
  }
  return sinks;
}
