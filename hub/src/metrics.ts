/** Counters the hub shows in its health endpoint: what came in, what was applied, what was refused and why. */
import { INGEST_REJECTIONS, type IngestRejection } from './errors.js';

export interface HubMetrics {
  ingest: {
    received: number;
    applied: number;
    duplicates: number;
    observationsApplied: number;
    rejected: Record<IngestRejection, number>;
    lastRejection: { reason: IngestRejection; topic: string; detail: string; at: string } | null;
  };
  broker: {
    connectionsRefused: number;
    publishesDenied: number;
    subscriptionsDenied: number;
    clientsConnected: number;
    /** Connections of sensors dropped because they were revoked or replaced. */
    sensorsCutOff: number;
  };
}

export function createMetrics(): HubMetrics {
  return {
    ingest: {
      received: 0,
      applied: 0,
      duplicates: 0,
      observationsApplied: 0,
      rejected: Object.fromEntries(INGEST_REJECTIONS.map((r) => [r, 0])) as Record<IngestRejection, number>,
      lastRejection: null,
    },
    broker: { connectionsRefused: 0, publishesDenied: 0, subscriptionsDenied: 0, clientsConnected: 0, sensorsCutOff: 0 },
  };
}
