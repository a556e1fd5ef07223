/**
 * The embedded MQTT broker: aedes over TLS with client certificates required, checked against the
 * hub's CA and its certificate revocation list. It keeps its sessions in memory: nothing depends on
 * the broker remembering, because a sensor keeps every finding in its own outbox until the hub says
 * it has stored it.
 */
import { createServer, type SecureContextOptions, type Server, type TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { Aedes, type Client } from 'aedes';
import type { Logger } from 'pino';
import { identityFromCertificate } from '@wardsight/provisioning';
import type { HubMetrics } from '../metrics.js';
import { expectedClientId, mayPublish, maySubscribe, type ClientIdentity } from './acl.js';

export interface BrokerOptions {
  host: string;
  port: number;
  /**
   * The server identity, the CA client certificates must come from and, optionally, the CA's
   * revocation list (PEM): a listed certificate is refused right after the handshake.
   */
  tls: { key: string; cert: string; ca: string; crl?: string };
  /**
   * Whether a sensor presenting a certificate with this serial may connect now (the hub's sensor
   * register): a certificate the CA signed is not enough once it was revoked or replaced.
   */
  sensorAccess: (sensorId: string, serial: string) => { allowed: true } | { allowed: false; why: string };
}

export interface EmbeddedBroker {
  port: number;
  /** Lets sensors in once the hub's own subscriber is in place, so no early message goes unheard. */
  openToSensors(): void;
  /** Drops the connection of this sensor, if it has one (it was revoked or replaced). */
  cutOff(sensorId: string, why: string): void;
  /** Checks new handshakes against this revocation list (PEM) from now on; open connections stay. */
  loadCrl(pem: string): void;
  close(): Promise<void>;
}

export const brokerDefaults = {
  /** A refused connection is closed politely; if the client does not close its side by then, it is cut. */
  refusedLingerMs: 2_000,
} as const;

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
      const peer = typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate() : null;
      const who = identityFromCertificate(peer);
      const fail = (why: string, code = NOT_AUTHORIZED) => {
        metrics.broker.connectionsRefused += 1;
        log.warn({ clientId: client.id, why }, 'connection refused');
        done(refusal(why, code) as never, false);
      };
      if (socket.authorized !== true || !who) return fail('no usable client certificate');
      const wanted = expectedClientId(who);
      if (wanted !== null && client.id !== wanted) return fail(`client id ${client.id} does not match certificate (${wanted})`);
      if (who.role === 'sensor') {
        if (!sensorsAllowed) return fail('hub not ready yet', SERVER_UNAVAILABLE);
        const access = options.sensorAccess(who.commonName, peer?.serialNumber ?? '');
        if (!access.allowed) return fail(access.why);
      }
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
  /** Connected sensors by id, so that a revoked one can be found and dropped. */
  const sensors = new Map<string, Client>();
  aedes.on('client', (client) => {
    metrics.broker.clientsConnected = aedes.connectedClients;
    const who = identities.get(client);
    if (who?.role === 'sensor') sensors.set(who.commonName, client);
  });
  aedes.on('clientDisconnect', (client) => {
    metrics.broker.clientsConnected = aedes.connectedClients;
    const who = identities.get(client);
    if (who?.role === 'sensor' && sensors.get(who.commonName) === client) sensors.delete(who.commonName);
  });

  const context = (crl: string | undefined): SecureContextOptions => ({ key: options.tls.key, cert: options.tls.cert, ca: options.tls.ca, minVersion: 'TLSv1.2', ...(crl ? { crl } : {}) });
  /**
   * A certificate that failed verification (unknown CA, expired, revoked, none at all) is refused
   * here rather than by `rejectUnauthorized`, which closes the socket without a word: Node always
   * completes the handshake and checks the verdict after it, so either way the client sees the
   * connection closed, never a TLS alert. Here the refusal is counted and logged with OpenSSL's
   * reason (`CERT_REVOKED`, ...), and no byte the client sent is read as MQTT.
   */
  const refuse = (socket: TLSSocket) => {
    metrics.broker.connectionsRefused += 1;
    const peer = socket.getPeerCertificate();
    // Only named in the log: the certificate was not verified, so it proves nothing.
    const claimed = identityFromCertificate(peer);
    const registered = claimed?.role === 'sensor' ? options.sensorAccess(claimed.commonName, peer.serialNumber) : null;
    const why = registered && !registered.allowed ? registered.why : claimed ? `certificate of ${claimed.role} ${claimed.commonName} not accepted` : 'no usable client certificate';
    log.warn({ why, tlsError: socket.authorizationError, serial: peer.serialNumber, remote: socket.remoteAddress }, 'connection refused');
    // Close politely, reading and discarding what the client sent, so it sees the close rather than a reset.
    socket.on('error', (err) => log.debug({ err: err.message }, 'refused connection ended with an error'));
    socket.resume();
    socket.end();
    setTimeout(() => socket.destroy(), brokerDefaults.refusedLingerMs).unref();
  };
  const server: Server = createServer({ ...context(options.tls.crl), requestCert: true, rejectUnauthorized: false }, (socket) => {
    if (socket.authorized) aedes.handle(socket);
    else refuse(socket);
  });
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
    cutOff(sensorId, why) {
      const client = sensors.get(sensorId);
      if (!client) return;
      sensors.delete(sensorId);
      metrics.broker.sensorsCutOff += 1;
      log.warn({ sensorId, why }, 'sensor cut off');
      client.close();
    },
    loadCrl(pem) {
      server.setSecureContext(context(pem));
    },
    async close() {
      // aedes first: it disconnects its clients, which lets the TLS server finish closing.
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
