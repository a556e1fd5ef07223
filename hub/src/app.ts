/** The hub's HTTP application, separate from `listen()` so that tests can use `app.inject()`. */
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Logger } from 'pino';
import type { AlertBook } from './alerts/book.js';
import alertRoutes from './alerts/routes.js';
import assetRoutes from './assets/routes.js';
import type { Analysis } from './analysis/analysis.js';
import analysisRoutes from './analysis/routes.js';
import authPlugin from './auth/plugin.js';
import type { CredentialVerifier } from './auth/credentials.js';
import { HubError } from './errors.js';
import healthRoutes from './health.js';
import { Classifier } from './inventory/classification.js';
import { AnalystLabels } from './inventory/label-fingerprints.js';
import labelRoutes from './inventory/labels.js';
import inventoryRoutes from './inventory/routes.js';
import type { HubMetrics } from './metrics.js';
import enrolmentRoutes from './sensors/enrolment-routes.js';
import type { SensorRegistry } from './sensors/registry.js';
import registryRoutes from './sensors/registry-routes.js';
import sensorRoutes from './sensors/routes.js';
import type { HubStore } from './store/hub-store.js';
import type { RiskParts } from './risk/open.js';
import riskRoutes from './risk/routes.js';
import pageRoutes from './web/page.js';
import feedRoutes from './vulns/feed-routes.js';

export interface AppOptions {
  store: HubStore;
  metrics: HubMetrics;
  verifier: CredentialVerifier;
  /** The sensor register; without it the enrolment and provisioning routes are not offered. */
  registry?: SensorRegistry;
  /** The alert book; without it the alerts routes are not offered. */
  alerts?: AlertBook;
  /** Location and behaviour; without it their routes are not offered. */
  analysis?: Analysis;
  /** Vulnerability feeds and risk; without them their routes are not offered. */
  risk?: RiskParts;
  /** The analyst labels and the classifier over them, when the caller shares them with the analysis. */
  labels?: AnalystLabels;
  classifier?: Classifier;
  version: string;
  embeddedBroker: boolean;
  logger: Logger;
  https?: { key: string; cert: string };
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const serverOptions: FastifyServerOptions & { https?: { key: string; cert: string } } = {
    loggerInstance: opts.logger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
  };
  if (opts.https) serverOptions.https = opts.https;
  const app = Fastify(serverOptions) as unknown as FastifyInstance;

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string; validation?: unknown }, request, reply) => {
    if (err instanceof HubError) return reply.status(err.statusCode).send({ error: err.code, message: err.message });
    if (err.validation) return reply.status(400).send({ error: 'HUB_ERR_BAD_REQUEST', message: err.message });
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) request.log.error({ err }, 'request failed');
    return reply.status(status).send({ error: err.code ?? 'HUB_ERR_INTERNAL', message: status === 500 ? 'Internal error; see the hub log' : err.message });
  });
  app.setNotFoundHandler((request, reply) => reply.status(404).send({ error: 'HUB_ERR_NOT_FOUND', message: `No route ${request.method} ${request.url.split('?')[0]}` }));

  await app.register(authPlugin, { verifier: opts.verifier });
  await app.register(healthRoutes, { metrics: opts.metrics, version: opts.version, embeddedBroker: opts.embeddedBroker });
  // One classifier for the API and the page, so a device is classified once while its facts and
  // the analyst labels stand; the labels routes change the same labels the classifier reads.
  const labels = opts.labels ?? (await AnalystLabels.load(opts.store));
  const classifier = opts.classifier ?? new Classifier({}, labels);
  await app.register(inventoryRoutes, { store: opts.store, classifier });
  await app.register(labelRoutes, { store: opts.store, labels });
  await app.register(sensorRoutes, { store: opts.store });
  await app.register(assetRoutes, { store: opts.store, classifier });
  if (opts.registry) {
    await app.register(enrolmentRoutes, { registry: opts.registry });
    await app.register(registryRoutes, { registry: opts.registry });
  }
  if (opts.alerts) await app.register(alertRoutes, { book: opts.alerts });
  if (opts.analysis) await app.register(analysisRoutes, { store: opts.store, analysis: opts.analysis });
  if (opts.risk) {
    await app.register(feedRoutes, { library: opts.risk.library });
    await app.register(riskRoutes, { store: opts.store, ...opts.risk });
  }
  await app.register(pageRoutes, { store: opts.store, classifier });
  return app;
}
