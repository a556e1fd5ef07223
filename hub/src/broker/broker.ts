/**
 * The embedded MQTT broker: aedes over TLS with client certificates required. It keeps its
 * sessions in memory: nothing depends on the broker remembering, because a sensor keeps every
 * finding in its own outbox until the hub says it has stored it.
 */
import { createServer, type Server, type TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { Aedes, type Client } from 'aedes';
import type { Logger } from 'pino';
import { identityFromCertificate } from '@wardsight/provisioning';
import type { HubMetrics } from '../metrics.js';
import { expectedClientId, mayPublish, maySubscribe, type ClientIdentity } from './acl.js';

export interface BrokerOptions {
  host: string;
  port: number;
  tls: { key: string; cert: string; ca: string };
}

export interface EmbeddedBroker {
  port: number;
  /** Lets sensors in once the hub's own subscriber is in place, so no early message goes unheard. */
  openToSensors(): void;
  close(): Promise<void>;
}

// MQTT 3.1.1 CONNACK return codes (OASIS MQTT 3.1.1 §3.2.2.3).
const NOT_AUTHORIZED = 5;
const SERVER_UNAVAILABLE = 3;

function refusal(message: string, returnCode: number): Error & { returnCode: number } {
  return Object.assign(new Error(message), { returnCode });
}

export async function startBroker(options: BrokerOptions, metrics: HubMetrics, log: Logger): Promise<EmbeddedBroker> {
  const identities = new WeakMap<Client, ClientIdentity>();
  let sensorsAllowed = false;

  const aedes = await Aedes.createBroker({
    authenticate(client, _username, _password, done) {
      const socket = client.conn as TLSSocket;
      const who = typeof socket.getPeerCertificate === 'function' ? identityFromCertificate(socket.getPeerCertificate()) : null;
      const fail = (why: string, code = NOT_AUTHORIZED) => {
        metrics.broker.connectionsRefused += 1;
        log.warn({ clientId: client.id, why }, 'connection refused');
        done(refusal(why, code) as never, false);
      };
      if (!who) return fail('no usable client certificate');
      const wanted = expectedClientId(who);
      if (wanted !== null && client.id !== wanted) return fail(`client id ${client.id} does not match certificate (${wanted})`);
      if (who.role === 'sensor' && !sensorsAllowed) return fail('hub not ready yet', SERVER_UNAVAILABLE);
      identities.set(client, who);
      done(null, true);
    },
    authorizePublish(client, packet, callback) {
      const who = client ? identities.get(client) : undefined;
      if (who && mayPublish(who, packet.topic)) return callback(null);
      metrics.broker.publishesDenied += 1;
      log.warn({ clientId: client?.id, topic: packet.topic }, 'publish denied');
      callback(new Error(`publish to ${packet.topic} not allowed`));
    },
    authorizeSubscribe(client, subscription, callback) {
      const who = identities.get(client);
      if (who && maySubscribe(who, subscription.topic)) return callback(null, subscription);
      metrics.broker.subscriptionsDenied += 1;
      log.warn({ clientId: client.id, topic: subscription.topic }, 'subscription denied');
      callback(new Error(`subscription to ${subscription.topic} not allowed`));
    },
  });
  aedes.on('client', () => (metrics.broker.clientsConnected = aedes.connectedClients));
  aedes.on('clientDisconnect', () => (metrics.broker.clientsConnected = aedes.connectedClients));

  const server: Server = createServer(
    { key: options.tls.key, cert: options.tls.cert, ca: options.tls.ca, requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2' },
    (socket) => aedes.handle(socket),
  );
  server.on('tlsClientError', (err) => {
    metrics.broker.connectionsRefused += 1;
    log.warn({ err: err.message }, 'TLS handshake refused');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    openToSensors: () => (sensorsAllowed = true),
    async close() {
      // aedes first: it disconnects its clients, which lets the TLS server finish closing.
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
