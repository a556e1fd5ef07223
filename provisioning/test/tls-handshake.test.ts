/**
 * Real TLS over loopback: the hub's server identity, clients with sensor certificates from the hub's
 * CA, from another CA, and with none. The server reads who connected from the peer certificate.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { connect, createServer } from 'node:tls';
import type { Server, TLSSocket } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureHubServerIdentity, identityFromCertificate, issueSensorIdentity } from '../src/index.js';
import type { IdentityPem, PeerIdentity } from '../src/index.js';
import { useTempDirs } from './temp-dir.js';

interface Hub {
  port: number;
  ca: string;
  /** Identities the server accepted, in order. */
  accepted: (PeerIdentity | null)[];
  /** Handshakes the server refused: OpenSSL's error code, or why Node refused the verified chain. */
  refused: { code: string | undefined; authorizationError: string | undefined }[];
}

type Attempt = { connected: true; greeting: string; serverName: string | undefined } | { connected: false; error: Error | undefined };

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function startHub(server: IdentityPem): Promise<Hub> {
  const hub: Omit<Hub, 'port'> = { ca: server.ca, accepted: [], refused: [] };
  const tlsServer = createServer({ key: server.key, cert: server.cert, ca: server.ca, requestCert: true, rejectUnauthorized: true }, (socket) => {
    hub.accepted.push(identityFromCertificate(socket.getPeerCertificate()));
    socket.end('welcome\n');
  });
  tlsServer.on('tlsClientError', (error: NodeJS.ErrnoException, socket: TLSSocket) => {
    hub.refused.push({ code: error.code, authorizationError: socket.authorizationError?.toString() });
  });
  servers.push(tlsServer);
  tlsServer.listen(0, '127.0.0.1');
  await once(tlsServer, 'listening');
  return { ...hub, port: (tlsServer.address() as AddressInfo).port };
}

/** Connects as a sensor; counts as connected only once the server has spoken, i.e. accepted the client. */
async function attempt(hub: Hub, client: { cert?: string; key?: string }, host = '127.0.0.1'): Promise<Attempt> {
  const socket: TLSSocket = connect({ host, port: hub.port, ca: hub.ca, ...client });
  return new Promise((resolve) => {
    let greeting = '';
    let error: Error | undefined;
    let serverName: string | undefined;
    socket.setEncoding('utf8');
    socket.on('secureConnect', () => (serverName = identityFromCertificate(socket.getPeerCertificate())?.commonName));
    socket.on('data', (chunk: string) => (greeting += chunk));
    socket.on('error', (failure) => (error = failure));
    socket.on('close', () => {
      resolve(greeting ? { connected: true, greeting, serverName } : { connected: false, error });
    });
  });
}

describe('TLS with Wardsight identities', () => {
  const tempDir = useTempDirs();

  it('accepts a sensor from the hub’s CA and knows which sensor it is', async () => {
    const dataDir = await tempDir();
    const hub = await startHub((await ensureHubServerIdentity(dataDir)).pem);
    const sensor = (await issueSensorIdentity(dataDir, 'floor3-east', await tempDir())).pem;

    for (const host of ['127.0.0.1', 'localhost']) {
      const result = await attempt(hub, { cert: sensor.cert, key: sensor.key }, host);
      expect(result, host).toEqual({ connected: true, greeting: 'welcome\n', serverName: 'hub' });
    }
    expect(hub.accepted).toEqual([
      { commonName: 'floor3-east', role: 'sensor' },
      { commonName: 'floor3-east', role: 'sensor' },
    ]);
    expect(hub.refused).toEqual([]);
  });

  it('refuses a sensor whose certificate comes from a different CA', async () => {
    const dataDir = await tempDir();
    const hub = await startHub((await ensureHubServerIdentity(dataDir)).pem);
    const elsewhere = await tempDir();
    await ensureHubServerIdentity(elsewhere);
    const stranger = (await issueSensorIdentity(elsewhere, 'floor3-east', await tempDir())).pem;

    const result = await attempt(hub, { cert: stranger.cert, key: stranger.key });
    expect(result.connected).toBe(false);
    expect(hub.accepted).toEqual([]);
    // OpenSSL completes the handshake; Node then finds the chain unverifiable and drops the connection.
    expect(hub.refused).toMatchObject([{ authorizationError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }]);
  });

  it('refuses a client without a certificate', async () => {
    const dataDir = await tempDir();
    const hub = await startHub((await ensureHubServerIdentity(dataDir)).pem);

    const result = await attempt(hub, {});
    expect(result).toMatchObject({ connected: false, error: { code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED' } });
    expect(hub.accepted).toEqual([]);
    expect(hub.refused).toEqual([{ code: 'ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE', authorizationError: undefined }]);
  });

  it('refuses the hub’s server certificate used as a client certificate', async () => {
    const dataDir = await tempDir();
    const server = (await ensureHubServerIdentity(dataDir)).pem;
    const hub = await startHub(server);

    const result = await attempt(hub, { cert: server.cert, key: server.key });
    expect(result.connected).toBe(false);
    expect(hub.accepted).toEqual([]);
    // Its extended key usage is serverAuth only, which a TLS server does not accept from a client.
    expect(hub.refused).toMatchObject([{ authorizationError: 'INVALID_PURPOSE' }]);
  });

  it('is refused by a sensor when the hub’s certificate comes from a different CA', async () => {
    const dataDir = await tempDir();
    const hub = await startHub((await ensureHubServerIdentity(dataDir)).pem);
    const elsewhere = await tempDir();
    await ensureHubServerIdentity(elsewhere);
    const sensor = (await issueSensorIdentity(dataDir, 'floor3-east', await tempDir())).pem;
    const otherCa = (await ensureHubServerIdentity(elsewhere)).pem.ca;

    const result = await attempt({ ...hub, ca: otherCa }, { cert: sensor.cert, key: sensor.key });
    // The hub sends its CA with its certificate, so the sensor sees a root it does not trust.
    expect(result).toMatchObject({ connected: false, error: { code: 'SELF_SIGNED_CERT_IN_CHAIN' } });
    expect(hub.accepted).toEqual([]);
  });
});
