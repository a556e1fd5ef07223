/**
 * The hub's connection to Mosquitto's dynamic-security plugin: one JSON command at a time on
 * `$CONTROL/dynamic-security/v1`, each answered on `…/response` and matched by its correlationData
 * (dynamic-security plugin documentation, "Control topic"). Several hubs may share the response
 * topic; each only takes the answers to its own commands.
 */
import { randomUUID } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { DYNSEC_RESPONSE_TOPIC, DYNSEC_TOPIC } from './mosquitto-acl.js';
import { MosquittoError } from './mosquitto-errors.js';

export const dynsecControlDefaults = {
  connectTimeoutMs: 10_000,
  /** A command not answered by then is reported as failed; the plugin answers in milliseconds. */
  commandTimeoutMs: 5_000,
  reconnectPeriodMs: 1_000,
} as const;

export interface DynsecControlOptions {
  /** `mqtts://host:port` of the broker. */
  url: string;
  /** The hub's broker control identity (CN broker-control, OU hub; mosquitto-identity.ts) and the CA that signed the broker's certificate. */
  ca: string;
  cert: string;
  key: string;
  /** Mosquitto replaces it with the certificate subject (`use_username_as_clientid`); other brokers keep it. */
  clientId?: string;
  log?: Logger;
}

export interface DynsecCommand {
  command: string;
  [field: string]: unknown;
}

export interface DynsecResponse {
  command: string;
  /** The plugin's own words when it refused, e.g. "Client not found". */
  error?: string;
  data?: unknown;
}

interface Pending {
  resolve(response: DynsecResponse): void;
  timer: ReturnType<typeof setTimeout>;
}

export class DynsecControl {
  private readonly pending = new Map<string, Pending>();

  private constructor(
    private readonly client: MqttClient,
    private readonly log: Logger | undefined,
  ) {
    client.on('message', (topic, payload) => {
      if (topic === DYNSEC_RESPONSE_TOPIC) this.answer(payload);
    });
  }

  static async connect(opts: DynsecControlOptions): Promise<DynsecControl> {
    const client = mqtt.connect(opts.url, {
      clientId: opts.clientId ?? `wardsight-hub-control-${randomUUID()}`,
      protocolVersion: 4,
      clean: true,
      ca: opts.ca,
      cert: opts.cert,
      key: opts.key,
      rejectUnauthorized: true,
      reconnectPeriod: dynsecControlDefaults.reconnectPeriodMs,
      connectTimeout: dynsecControlDefaults.connectTimeoutMs,
    });
    client.on('error', (error) => opts.log?.warn({ err: error.message }, 'dynamic-security control connection error'));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no connection within ${dynsecControlDefaults.connectTimeoutMs} ms`)), dynsecControlDefaults.connectTimeoutMs);
        client.once('connect', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      const granted = await client.subscribeAsync(DYNSEC_RESPONSE_TOPIC, { qos: 1 });
      if (granted.some((grant) => grant.qos > 2)) throw new Error(`subscription to ${DYNSEC_RESPONSE_TOPIC} refused: is this the hub's identity?`);
    } catch (error) {
      client.end(true);
      throw new MosquittoError('HUB_ERR_MOSQUITTO_CONTROL', `${opts.url}: ${(error as Error).message}`, { cause: error });
    }
    return new DynsecControl(client, opts.log);
  }

  /** Sends one command; resolves with the plugin's answer, which may carry an `error`. */
  async send(command: DynsecCommand): Promise<DynsecResponse> {
    const correlationData = randomUUID();
    const answered = new Promise<DynsecResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(correlationData);
        reject(new MosquittoError('HUB_ERR_MOSQUITTO_CONTROL', `${command.command}: no answer within ${dynsecControlDefaults.commandTimeoutMs} ms`));
      }, dynsecControlDefaults.commandTimeoutMs);
      this.pending.set(correlationData, { resolve, timer });
    });
    const published = this.client.publishAsync(DYNSEC_TOPIC, JSON.stringify({ commands: [{ ...command, correlationData }] }), { qos: 1 }).catch((error: unknown) => {
      const pending = this.pending.get(correlationData);
      if (pending) clearTimeout(pending.timer);
      this.pending.delete(correlationData);
      throw new MosquittoError('HUB_ERR_MOSQUITTO_CONTROL', `${command.command}: not sent (${(error as Error).message})`, { cause: error });
    });
    // Both at once, so that whichever fails first is the one reported and neither goes unheard.
    const [response] = await Promise.all([answered, published]);
    return response;
  }

  /** Sends one command and throws unless the plugin carried it out or refused with one of `harmless`. */
  async expect(command: DynsecCommand, harmless: readonly string[] = []): Promise<DynsecResponse> {
    const response = await this.send(command);
    if (response.error && !harmless.includes(response.error)) {
      throw new MosquittoError('HUB_ERR_MOSQUITTO_CONTROL', `${command.command}: ${response.error}`);
    }
    return response;
  }

  async close(): Promise<void> {
    for (const { timer } of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
    await this.client.endAsync();
  }

  private answer(payload: Buffer): void {
    let responses: unknown;
    try {
      responses = (JSON.parse(payload.toString('utf8')) as { responses?: unknown }).responses;
    } catch {
      this.log?.warn('unreadable dynamic-security response');
      return;
    }
    if (!Array.isArray(responses)) return;
    for (const response of responses as (DynsecResponse & { correlationData?: unknown })[]) {
      const pending = typeof response.correlationData === 'string' ? this.pending.get(response.correlationData) : undefined;
      if (!pending) continue;
      this.pending.delete(response.correlationData as string);
      clearTimeout(pending.timer);
      pending.resolve({ command: response.command, ...(response.error ? { error: response.error } : {}), ...(response.data === undefined ? {} : { data: response.data }) });
    }
  }
}
