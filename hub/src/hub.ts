/**
 * A running hub: store, certificate authority, sensor register, broker (embedded, or a Mosquitto it
 * runs), ingest and the HTTPS API, started in that order and closed in reverse. What it listens on
 * is written to `hub.json` for the command line.
 */
import { mkdir, writeFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { caPaths, ensureCa, ensureHubServerIdentity, ensureHubClientIdentity, hubClientCommonName } from '@wardsight/provisioning';
import { AlertBook } from './alerts/book.js';
import { alertSinks } from './alerts/options.js';
import { Analysis } from './analysis/analysis.js';
import { buildApp } from './app.js';
import { openRisk, type RiskParts } from './risk/open.js';
import type { HubStore } from './store/hub-store.js';
import { PgHubStore } from './store/pg-store.js';
import { Classifier } from './inventory/classification.js';
import { AnalystLabels } from './inventory/label-fingerprints.js';
import { CredentialVerifier, ensureAdminCredential } from './auth/credentials.js';
import { startHubBroker } from './broker/hub-broker.js';
import { hubDefaults, hubPaths, localAddress, type HubEndpoint, type HubOptions } from './config.js';
import { HubError } from './errors.js';
import { connectIngest } from './ingest/client.js';
import { createMetrics, type HubMetrics } from './metrics.js';
import { LevelHubStore } from './store/level-store.js';
import { SensorRegistry } from './sensors/registry.js';

export const HUB_VERSION = '0.1.0';

export const hubRuntimeDefaults = {
  /** A standing-by instance asks this often whether it may take over the analysis. */
  leadRetryMs: 5_000,
  /** The shared-subscription group of the hub's instances (`$share/wardsight-hub/…`). */
  shareGroup: 'wardsight-hub',
};

export interface RunningHub {
  apiUrl: string;
  mqttUrl: string;
  dataDir: string;
  caFile: string;
  credentialFile: string;
  /** True when this start made the admin credential (first run). */
  credentialCreated: boolean;
  metrics: HubMetrics;
  /** The register of sensors: add, replace, revoke, and the enrolment they go through. */
  registry: SensorRegistry;
  /** The alert book: raise findings, acknowledge and resolve alerts, see delivery to each destination. */
  alerts: AlertBook;
  /** Location, baselines and anomalies, fed by the store's journal. */
  analysis: Analysis;
  /** The vulnerability library, analyst decisions, exposure and risk. */
  risk: RiskParts;
  close(): Promise<void>;
}

export async function startHub(options: Partial<HubOptions>, log: Logger): Promise<RunningHub> {
  const o: HubOptions = { ...hubDefaults(), ...options };
  const paths = hubPaths(o.dataDir);
  try {
    await mkdir(o.dataDir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new HubError('HUB_ERR_DATA_DIR', `${o.dataDir}: ${(err as Error).message}`, { cause: err });
  }
  const closers: (() => Promise<unknown>)[] = [];
  // Once, in reverse order of starting, however many callers ask (a signal and a `finally` may both).
  let closing: Promise<void> | undefined;
  const closeAll = (): Promise<void> =>
    (closing ??= (async () => {
      for (const close of [...closers].reverse()) await close().catch((err: unknown) => log.error({ err }, 'error while closing'));
    })());
  try {
    const store: HubStore = o.store.kind === 'postgres' ? await PgHubStore.open(o.store.url, { log: log.child({ module: 'store' }) }) : await LevelHubStore.open(paths.store);
    closers.push(() => store.close());
    const ca = await ensureCa(o.dataDir);
    const server = await ensureHubServerIdentity(o.dataDir, { hostnames: o.publicNames.filter((n) => !/^[\d.:]+$/.test(n)), ips: o.publicNames.filter((n) => /^[\d.:]+$/.test(n)) });
    const ingestIdentity = await ensureHubClientIdentity(o.dataDir, o.instance ? { instance: o.instance } : {});
    const { created } = await ensureAdminCredential(store, paths.adminCredential);
    const metrics = createMetrics();
    const registry = await SensorRegistry.open(store, ca);
    // The hub's client identity is offered to syslog receivers that ask who is sending.
    const sinks = await alertSinks(o.alerts, { productVersion: HUB_VERSION, clientCert: { cert: ingestIdentity.pem.cert, key: ingestIdentity.pem.key } });
    const alerts = await AlertBook.open(store, { sinks, retry: o.alerts.retry, log: log.child({ module: 'alerts' }) });
    closers.push(() => alerts.close());
    // One classifier for the API, the page and the analysis: the labels the API changes are the ones the analysis reads.
    const labels = await AnalystLabels.load(store);
    const classifier = new Classifier({}, labels);
    const sensorDirectory = {
      locate: async (sensorId: string) => (await registry.get(sensorId))?.location,
      active: async () => (await registry.list()).filter((r) => r.state !== 'revoked').map((r) => r.id),
    };
    // One instance analyses the journal; on a shared store the others stand by to take over.
    const leads = await store.tryLead('analysis');
    const analysis = await Analysis.open(store, classifier, alerts, { ...o.analysis, standby: !leads }, log.child({ module: 'analysis' }), sensorDirectory, metrics.analysis);
    closers.push(() => analysis.close());
    if (!leads) {
      log.info('another hub instance analyses the journal; this one stands by');
      const standby = setInterval(() => {
        store
          .tryLead('analysis')
          .then(async (held) => {
            if (!held) return;
            clearInterval(standby);
            await analysis.lead();
          })
          .catch((err: unknown) => log.error({ err }, 'could not ask whether this instance may analyse the journal'));
      }, hubRuntimeDefaults.leadRetryMs);
      standby.unref();
      closers.push(async () => clearInterval(standby));
    }
    const risk = await openRisk({ store, classifier, analysis, segments: o.segments, log: log.child({ module: 'risk' }) });

    const broker = await startHubBroker(o.broker, {
      dataDir: o.dataDir,
      host: o.host,
      port: o.mqttPort,
      tls: { key: server.pem.key, cert: server.pem.cert, ca: ca.certPem },
      registry,
      metrics,
      log: log.child({ module: 'broker', broker: o.broker.kind }),
    });
    closers.push(() => broker.close());
    if (broker.whenAdmitted) registry.awaitAdmission(broker.whenAdmitted);
    const local = localAddress(o.host);
    const mqttUrl = o.broker.kind === 'join' ? o.broker.url : `mqtts://${local}:${broker.port}`;
    // Behind Mosquitto the hub's instances share the sensors' reports out among themselves.
    const shareGroup = o.broker.kind === 'embedded' ? undefined : hubRuntimeDefaults.shareGroup;
    const ingest = await connectIngest(
      store,
      metrics,
      { url: mqttUrl, ca: ca.certPem, cert: ingestIdentity.pem.cert, key: ingestIdentity.pem.key, clientId: `wardsight-${hubClientCommonName(o.instance)}-ingest`, ...(shareGroup ? { shareGroup } : {}) },
      log.child({ module: 'ingest' }),
    );
    closers.push(() => ingest.close());
    broker.openToSensors();

    const app = await buildApp({
      store,
      metrics,
      verifier: new CredentialVerifier(store),
      registry,
      alerts,
      analysis,
      risk,
      labels,
      classifier,
      version: HUB_VERSION,
      embeddedBroker: broker.kind === 'embedded',
      logger: log.child({ module: 'api' }),
      https: { key: server.pem.key, cert: server.pem.cert },
    });
    try {
      await app.listen({ host: o.host, port: o.apiPort });
    } catch (err) {
      throw new HubError('HUB_ERR_LISTEN', `HTTPS on ${o.host}:${o.apiPort}: ${(err as Error).message}`, { cause: err });
    }
    closers.push(() => app.close());
    const apiUrl = `https://${local}:${(app.server.address() as AddressInfo).port}`;
    const caFile = caPaths(o.dataDir).certPath;
    const endpoint: HubEndpoint = { apiUrl, mqttUrl, caFile, pid: process.pid, startedAt: new Date().toISOString() };
    await writeFile(paths.endpoint, `${JSON.stringify(endpoint, null, 2)}\n`, { mode: 0o644 });
    closers.push(() => rm(paths.endpoint, { force: true }));
    log.info({ apiUrl, mqttUrl, broker: broker.kind, dataDir: o.dataDir }, 'hub started');
    return { apiUrl, mqttUrl, dataDir: o.dataDir, caFile, credentialFile: paths.adminCredential, credentialCreated: created, metrics, registry, alerts, analysis, risk, close: closeAll };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
