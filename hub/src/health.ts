/** Liveness for probes (no credential) and the hub's health with its counters (credential required). */
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { HubMetrics } from './metrics.js';

const Count = Type.Integer({ minimum: 0 });

const HealthView = Type.Object({
  status: Type.Literal('ok'),
  version: Type.String(),
  uptimeS: Type.Number(),
  memRssMB: Type.Number(),
  ingest: Type.Object({
    received: Count,
    applied: Count,
    duplicates: Count,
    observationsApplied: Count,
    rejected: Type.Object({ notJson: Count, schema: Count, identityMismatch: Count, unknownTopic: Count }),
    lastRejection: Type.Union([
      Type.Object({ reason: Type.String(), topic: Type.String(), detail: Type.String(), at: Type.String() }),
      Type.Null(),
    ]),
  }),
  broker: Type.Union([
    Type.Object({ connectionsRefused: Count, publishesDenied: Count, subscriptionsDenied: Count, clientsConnected: Count }),
    Type.Null(),
  ]),
  analysis: Type.Object({ entries: Count, findings: Count, held: Count, backlog: Count, contradictedPoints: Count }),
});

export default async function healthRoutes(app: FastifyInstance, opts: { metrics: HubMetrics; version: string; embeddedBroker: boolean }): Promise<void> {
  app.get('/healthz', { schema: { response: { 200: Type.Object({ status: Type.Literal('ok') }) } } }, async () => ({ status: 'ok' as const }));

  app.get('/api/v1/health', { schema: { response: { 200: HealthView } } }, async () => ({
    status: 'ok' as const,
    version: opts.version,
    uptimeS: Math.round(process.uptime()),
    memRssMB: Math.round(process.memoryUsage.rss() / 1e5) / 10,
    ingest: opts.metrics.ingest,
    broker: opts.embeddedBroker ? opts.metrics.broker : null,
    analysis: opts.metrics.analysis,
  }));
}
