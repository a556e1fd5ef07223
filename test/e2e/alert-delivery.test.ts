/**
 * Alerts from a whole hub to a real SIEM receiver and a webhook. Debian's rsyslogd, run here in the
 * foreground with its own configuration, listens for RFC 5425 syslog over TLS (its OpenSSL stream
 * driver) and demands a client certificate (x509/certvalid); its certificate comes from a SIEM CA
 * made with the project's provisioning, and it trusts the hub's CA for the hub's client certificate.
 * A Node HTTPS server is the webhook. Alerts arrive at both, as CEF and as signed JSON; then rsyslog
 * is stopped and the webhook answers 503 while more alerts are raised, and both are brought back:
 * every event arrives, in order. Last, the hub itself is stopped while the receivers are down and
 * started again: what was queued is delivered.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer as createHttpsServer, request, type Server } from 'node:https';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAdminCredential, startHub, type AlertDeliveryOptions, type AlertFinding, type RunningHub, type SinkStatus } from '@wardsight/hub';
import { createCa, ensureHubClientIdentity, issueCertificate } from '@wardsight/provisioning';
import { apiGet, eventually, quietLogger, tempDir } from '@wardsight/test';

const RSYSLOGD = '/usr/sbin/rsyslogd';
const present = existsSync(RSYSLOGD);
if (!present) console.warn(`test/e2e/alert-delivery.test.ts skipped: ${RSYSLOGD} is not installed (apt-get install rsyslog rsyslog-openssl)`);

const SIEM_NAME = 'siem.hospital.test';
const SECRET = 'shared-with-the-soar-team';
/** Generous: the machine is shared; nothing here measures speed. */
const WAIT_MS = 45_000;

/** What rsyslog wrote for one message: the RFC 5424 fields it parsed, and the MSG. */
interface Received {
  pri: string;
  host: string;
  app: string;
  procid: string;
  msgid: string;
  sd: string;
  time: string;
  msg: string;
}

/** rsyslog's configuration: TLS listener on loopback, each message as one JSON line in `out`. */
function rsyslogConfig(dir: string, port: number, out: string): string {
  return `global(workDirectory="${dir}" maxMessageSize="64k"
  DefaultNetstreamDriver="ossl"
  DefaultNetstreamDriverCAFile="${join(dir, 'trusted.pem')}"
  DefaultNetstreamDriverCertFile="${join(dir, 'server.crt')}"
  DefaultNetstreamDriverKeyFile="${join(dir, 'server.key')}")
module(load="imtcp" StreamDriver.Name="ossl" StreamDriver.Mode="1" StreamDriver.AuthMode="x509/certvalid")
template(name="received" type="list" option.jsonf="on") {
  property(outname="pri" name="pri" format="jsonf")
  property(outname="host" name="hostname" format="jsonf")
  property(outname="app" name="app-name" format="jsonf")
  property(outname="procid" name="procid" format="jsonf")
  property(outname="msgid" name="msgid" format="jsonf")
  property(outname="sd" name="structured-data" format="jsonf")
  property(outname="time" name="timereported" dateFormat="rfc3339" format="jsonf")
  property(outname="msg" name="msg" format="jsonf")
}
ruleset(name="siem") { action(type="omfile" file="${out}" template="received") }
input(type="imtcp" port="${port}" address="127.0.0.1" ruleset="siem")
`;
}

/** Reads a CEF extension into key → value, undoing its escapes. */
function cefFields(cef: string): Record<string, string> {
  let pipes = 0;
  let i = 0;
  for (; i < cef.length && pipes < 7; i += 1) {
    if (cef[i] === '\\') i += 1;
    else if (cef[i] === '|') pipes += 1;
  }
  const out: Record<string, string> = {};
  for (const m of cef.slice(i).matchAll(/([A-Za-z0-9]+)=((?:\\.|[^\\=])*?)(?= [A-Za-z0-9]+=|$)/g)) out[m[1]!] = m[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c));
  return out;
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const finding = (n: number, change: Partial<AlertFinding> = {}): AlertFinding => ({
  kind: 'new-external-destination',
  severity: n % 3 === 0 ? 'critical' : 'high',
  device: `mac:00:09:fb:12:34:${n.toString(16).padStart(2, '0')}`,
  sensorId: 'floor2-east',
  title: `new internet destination 198.51.100.${n}:443/tcp`,
  evidence: { peer: `198.51.100.${n}`, port: 443, transport: 'tcp', bytes: 1200 * n },
  at: new Date(Date.UTC(2024, 4, 1, 10, n)).toISOString(),
  dedup: `198.51.100.${n}:443/tcp`,
  ...change,
});

describe.skipIf(!present)('alert delivery to rsyslog over TLS and to a webhook', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let hubDir: string;
  let rsyslogDir: string;
  let receivedFile: string;
  let rsyslog: ChildProcess | null = null;
  let rsyslogPort: number;
  let rsyslogStderr = '';
  let hub: RunningHub;
  let hubOptions: AlertDeliveryOptions;
  let webhook: Server;
  let webhookAnswer = 200;
  const webhookBodies: { body: string; signature: string | undefined }[] = [];
  let siem: { ca: string; cert: string; key: string; caFile: string };
  /** Every event the hub made, in the order it made them: [type, alert id]. */
  const made: [string, string][] = [];

  async function startRsyslog(): Promise<void> {
    const child = spawn(RSYSLOGD, ['-n', '-f', join(rsyslogDir, 'rsyslog.conf'), '-i', join(rsyslogDir, 'rsyslogd.pid')], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (c: Buffer) => (rsyslogStderr += c.toString()));
    child.stderr.on('data', (c: Buffer) => (rsyslogStderr += c.toString()));
    rsyslog = child;
    // Ready when a TLS handshake with the hub's client certificate completes.
    const client = await ensureHubClientIdentity(hubDir);
    await eventually(
      () =>
        new Promise<true | undefined>((resolve) => {
          if (child.exitCode !== null) throw new Error(`rsyslogd exited with ${child.exitCode}: ${rsyslogStderr}`);
          const socket = connect({ host: '127.0.0.1', port: rsyslogPort, ca: siem.ca, servername: SIEM_NAME, cert: client.pem.cert, key: client.pem.key });
          socket.once('secureConnect', () => {
            socket.end();
            resolve(true);
          });
          socket.once('error', () => resolve(undefined));
        }),
      WAIT_MS,
      'rsyslogd listening',
    );
  }

  async function stopRsyslog(): Promise<void> {
    const child = rsyslog;
    rsyslog = null;
    if (!child || child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }

  async function received(): Promise<Received[]> {
    const text = await readFile(receivedFile, 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Received);
  }

  const deliveries = async () => (await apiGet<{ sinks: SinkStatus[] }>(hub, '/api/v1/alerts/deliveries')).body.sinks;

  async function raise(n: number): Promise<string> {
    const { alert, created } = await hub.alerts.raise(finding(n));
    expect(created).toBe(true);
    made.push(['raised', alert.id]);
    return alert.id;
  }

  /** POST over verified HTTPS as the hub's admin: the state change names that user. */
  async function apiPost(path: string): Promise<{ status: number; body: { state?: string; stateBy?: string } }> {
    const { username, password } = await readAdminCredential(hub.credentialFile);
    const ca = await readFile(hub.caFile, 'utf8');
    return new Promise((resolve, reject) => {
      const req = request(new URL(path, hub.apiUrl), { method: 'POST', ca, headers: { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as { state?: string } }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  /** Waits until both receivers hold every event made so far, then checks they hold exactly those, in order. */
  async function expectEverythingInOrder(): Promise<void> {
    await eventually(async () => ((await received()).length >= made.length && webhookBodies.length >= made.length ? true : undefined), WAIT_MS, `${made.length} events at both receivers`);
    const syslogEvents = (await received()).map((r) => {
      const f = cefFields(r.msg);
      return [f.cat, f.externalId];
    });
    const webhookEvents = webhookBodies.map((b) => {
      const body = JSON.parse(b.body) as { type: string; alert: { id: string } };
      return [body.type, body.alert.id];
    });
    expect(syslogEvents).toEqual(made);
    expect(webhookEvents).toEqual(made);
    expect((await received()).map((r) => Number(/sequenceId="(\d+)"/.exec(r.sd)?.[1]))).toEqual(made.map((_, i) => i + 1));
  }

  beforeAll(async () => {
    dir = await tempDir('wardsight-alert-e2e-');
    hubDir = join(dir.path, 'hub');
    rsyslogDir = join(dir.path, 'rsyslog');
    receivedFile = join(rsyslogDir, 'received.jsonl');
    await mkdir(rsyslogDir, { recursive: true, mode: 0o700 });

    // The SIEM's own CA and certificate, made with the project's provisioning.
    const siemCa = await createCa(join(dir.path, 'siem-ca'), { commonName: 'Hospital SIEM CA' });
    const server = await issueCertificate(siemCa, { commonName: SIEM_NAME, role: 'admin', dnsNames: [SIEM_NAME], ipAddresses: ['127.0.0.1'], usage: 'server' });
    siem = { ca: siemCa.certPem, cert: server.certPem, key: server.keyPem, caFile: join(dir.path, 'siem-ca.crt') };
    await writeFile(siem.caFile, siemCa.certPem);
    await writeFile(join(rsyslogDir, 'server.crt'), server.chainPem);
    await writeFile(join(rsyslogDir, 'server.key'), server.keyPem, { mode: 0o600 });
    const secretFile = join(dir.path, 'webhook.secret');
    await writeFile(secretFile, `${SECRET}\n`, { mode: 0o600 });

    webhook = createHttpsServer({ key: server.keyPem, cert: server.chainPem }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const status = webhookAnswer;
        if (status === 200) webhookBodies.push({ body: Buffer.concat(chunks).toString('utf8'), signature: req.headers['x-wardsight-signature'] as string | undefined });
        res.writeHead(status).end();
      });
    });
    webhook.listen(0, '127.0.0.1');
    await once(webhook, 'listening');

    rsyslogPort = await freePort();
    hubOptions = {
      syslog: [{ url: `tls://127.0.0.1:${rsyslogPort}`, caFile: siem.caFile, serverName: SIEM_NAME }],
      webhooks: [{ url: `https://127.0.0.1:${(webhook.address() as AddressInfo).port}/wardsight/alerts`, caFile: siem.caFile, secretFile }],
      retry: { initialBackoffMs: 50, maxBackoffMs: 500 },
    };
    hub = await startHub({ dataDir: hubDir, host: '127.0.0.1', mqttPort: 0, apiPort: 0, alerts: hubOptions }, quietLogger());

    // rsyslog trusts the SIEM CA (its own chain) and the hub's CA (the hub's client certificate).
    await writeFile(join(rsyslogDir, 'trusted.pem'), siemCa.certPem + (await readFile(hub.caFile, 'utf8')));
    await writeFile(join(rsyslogDir, 'rsyslog.conf'), rsyslogConfig(rsyslogDir, rsyslogPort, receivedFile));
    await startRsyslog();
  });

  afterAll(async () => {
    await hub?.close();
    await stopRsyslog();
    if (webhook) await new Promise((resolve) => webhook.close(resolve));
    await dir?.remove();
  });

  it('delivers new alerts and state changes to rsyslog as CEF and to the webhook as signed JSON', async () => {
    const first = await raise(1);
    await raise(2);
    const acknowledged = await apiPost(`/api/v1/alerts/${first}/acknowledge`);
    expect(acknowledged).toMatchObject({ status: 200, body: { state: 'acknowledged', stateBy: 'admin' } });
    made.push(['acknowledged', first]);
    await expectEverythingInOrder();

    const [raised, , ack] = await received();
    expect(raised).toMatchObject({ pri: '115', app: 'wardsight-hub', procid: String(process.pid), msgid: 'alert-raised', sd: '[meta sequenceId="1"]' });
    expect(raised!.msg.startsWith('CEF:0|Wardsight|Wardsight Hub|0.1.0|new-external-destination|new internet destination 198.51.100.1:443/tcp|8|')).toBe(true);
    expect(cefFields(raised!.msg)).toMatchObject({
      externalId: first,
      act: 'new',
      dvcmac: '00:09:fb:12:34:01',
      cs1Label: 'Device Key',
      cs1: 'mac:00:09:fb:12:34:01',
      cs2: 'floor2-east',
      cnt: '1',
      start: String(Date.parse('2024-05-01T10:01:00.000Z')),
      msg: 'peer: 198.51.100.1, port: 443, transport: tcp, bytes: 1200',
    });
    expect(ack).toMatchObject({ pri: String(14 * 8 + 6), msgid: 'alert-acknowledged' });
    expect(cefFields(ack!.msg)).toMatchObject({ externalId: first, act: 'acknowledged', cs3: 'admin' });

    const hook = JSON.parse(webhookBodies[0]!.body) as { product: string; seq: number; type: string; alert: Record<string, unknown> };
    expect(hook).toMatchObject({ product: 'Wardsight Hub', seq: 1, type: 'raised', alert: { id: first, kind: 'new-external-destination', severity: 'high', device: 'mac:00:09:fb:12:34:01', state: 'new', count: 1 } });
    for (const b of webhookBodies) expect(b.signature).toBe(`sha256=${createHmac('sha256', SECRET).update(b.body).digest('hex')}`);

    await eventually(async () => ((await deliveries()).every((s) => s.delivered === 3 && s.queued === 0) ? true : undefined), WAIT_MS, 'delivery status caught up');
  });

  it('loses nothing while rsyslog is stopped and the webhook answers 503: every event arrives, in order, once they are back', async () => {
    await stopRsyslog();
    webhookAnswer = 503;
    const before = await deliveries();
    const ids = [];
    for (let n = 3; n <= 7; n += 1) ids.push(await raise(n));
    await hub.alerts.resolve(ids[1]!, 'secops');
    made.push(['resolved', ids[1]!]);
    await eventually(
      async () => {
        const now = await deliveries();
        return now.every((s, i) => s.failures > before[i]!.failures && s.queued === 6) ? now : undefined;
      },
      WAIT_MS,
      'both destinations failing with six events queued',
    );
    expect((await deliveries()).map((s) => s.lastError)).toEqual([expect.stringMatching(/ECONNREFUSED|connection/), expect.stringMatching(/answered 503/)]);

    await startRsyslog();
    webhookAnswer = 200;
    await expectEverythingInOrder();
  });

  it('delivers what was queued when the hub is stopped while the receivers are down and started again', async () => {
    await stopRsyslog();
    webhookAnswer = 503;
    for (let n = 8; n <= 10; n += 1) await raise(n);
    await eventually(async () => ((await deliveries()).every((s) => s.queued === 3 && s.lastErrorAt !== null) ? true : undefined), WAIT_MS, 'three events queued at each destination');
    await hub.close();

    hub = await startHub({ dataDir: hubDir, host: '127.0.0.1', mqttPort: 0, apiPort: 0, alerts: hubOptions }, quietLogger());
    expect((await deliveries()).map((s) => s.queued)).toEqual([3, 3]);
    await startRsyslog();
    webhookAnswer = 200;
    await expectEverythingInOrder();
    await eventually(async () => ((await deliveries()).every((s) => s.queued === 0 && s.delivered === made.length) ? true : undefined), WAIT_MS, 'delivery status caught up after the restart');
  });
});
