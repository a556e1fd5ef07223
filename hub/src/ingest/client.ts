/**
 * The hub's MQTT subscriber. It connects like any client (embedded broker or an external one),
 * with a persistent session so that QoS 1 messages wait for it while it is away. It takes up to
 * `maxInFlight` messages at once (so the store writes them as one group); what a sensor sends stays
 * in the sensor's outbox until the hub's own acknowledgement says it is stored, so a hub killed
 * mid-way loses nothing: the sensor sends it again.
 *
 * Its certificate (CN hub, OU hub) is what gives it the hub's rights: on Mosquitto the username
 * `CN=hub,OU=hub,O=Wardsight` (broker/mosquitto-acl.ts), which is also its client id there
 * (`use_username_as_clientid`), so its session is found again whatever `clientId` says, and no
 * other connection may use the same certificate at the same time.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { subscriptionFor, type MessageKind } from '@wardsight/protocol';
import type { Logger } from 'pino';
import { Ingest } from './ingest.js';
import { AckPublisher } from './acks.js';
import type { HubMetrics } from '../metrics.js';
import type { HubStore } from '../store/hub-store.js';

export interface IngestClientOptions {
  url: string;
  ca: string;
  cert: string;
  key: string;
  clientId: string;
  /** Shared-subscription group, for several hubs behind one external broker. */
  shareGroup?: string;
  connectTimeoutMs?: number;
  /** Messages taken from the broker and not yet stored, at most. */
  maxInFlight?: number;
}

export const ingestClientDefaults = { maxInFlight: 256 };

const INGESTED_KINDS: MessageKind[] = ['observations', 'behaviour', 'status', 'health'];
const SHARED_KINDS: MessageKind[] = ['observations', 'behaviour'];

export interface IngestConnection {
  client: MqttClient;
  close(): Promise<void>;
}

export async function connectIngest(store: HubStore, metrics: HubMetrics, options: IngestClientOptions, log: Logger): Promise<IngestConnection> {
  const client = mqtt.connect(options.url, {
    clientId: options.clientId,
    protocolVersion: 4,
    // Alone, the hub keeps its session so that reports queued while it restarts wait for it. Sharing
    // reports with other instances, it must not: a broker goes on routing a share to a persistent
    // session whose instance is dead, and those reports would wait there for nobody (the sensors
    // resend what is not acknowledged, and the live instances take it).
    clean: options.shareGroup !== undefined,
    ca: options.ca,
    cert: options.cert,
    key: options.key,
    rejectUnauthorized: true,
    reconnectPeriod: 1000,
    connectTimeout: options.connectTimeoutMs ?? 10_000,
  });
  const acks = new AckPublisher((topic, payload) => {
    client.publish(topic, payload, { qos: 1 });
  });
  const ingest = new Ingest(store, metrics, log, acks);
  // The broker's acknowledgement goes as soon as a message is taken, so that the store can write many
  // at once: a sensor keeps each message in its outbox until the hub's own `ack` says it is stored,
  // and sends it again otherwise. At most `maxInFlight` are taken and not yet stored.
  const maxInFlight = options.maxInFlight ?? ingestClientDefaults.maxInFlight;
  const inFlight = new Set<Promise<void>>();
  const waiting: (() => void)[] = [];
  client.handleMessage = (packet, done) => {
    const handling: Promise<void> = ingest
      .handle(packet.topic, packet.payload as Buffer)
      .then(
        () => undefined,
        (err: unknown) => log.error({ err, topic: packet.topic }, 'message not stored; its sender will send it again'),
      )
      .finally(() => {
        inFlight.delete(handling);
        waiting.shift()?.();
      });
    inFlight.add(handling);
    if (inFlight.size < maxInFlight) done();
    else waiting.push(() => done());
  };
  let closing = false;
  // While closing, acknowledgements still due find the connection going: the sensor sends those messages again.
  client.on('error', (err) => (closing ? log.debug({ err: err.message }, 'ingest connection closing') : log.warn({ err: err.message }, 'ingest connection error')));
  client.on('offline', () => log.warn('ingest disconnected from the broker'));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      client.end(true);
      reject(new Error(`no connection to the broker at ${options.url}`));
    }, options.connectTimeoutMs ?? 10_000);
    client.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  // Reports are shared out among hub instances; status and health (retained, and applied by
  // sequence number wherever they land) go to every instance, which a shared subscription would not.
  const topics = Object.fromEntries(INGESTED_KINDS.map((k) => [subscriptionFor(k, SHARED_KINDS.includes(k) ? options.shareGroup : undefined), { qos: 1 as const }]));
  try {
    await client.subscribeAsync(topics);
  } catch (err) {
    client.end(true);
    throw new Error(`the broker at ${options.url} refused the hub's subscriptions (${(err as Error).message}): it does not give this certificate the hub's rights (an instance that joins another's broker is let in by that instance's --join-instance)`, { cause: err });
  }
  log.info({ topics: Object.keys(topics) }, 'ingest subscribed');
  return {
    client,
    async close() {
      // What was taken is stored before the store closes, and acknowledged while the connection is up.
      await Promise.allSettled([...inFlight]);
      acks.flush();
      closing = true;
      await client.endAsync();
      await Promise.allSettled([...inFlight]);
    },
  };
}
