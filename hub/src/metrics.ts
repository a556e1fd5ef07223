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
  analysis: {
    /** Journal entries analysed (location, baselines, anomalies). */
    entries: number;
    /** Findings handed to the alert book. */
    findings: number;
    /** Entries read and waiting for slower sensors to catch up. */
    held: number;
    /** Journal entries written and not yet analysed (held ones included). */
    backlog: number;
    /** Sightings on one floor inside a stay on another, set aside. */
    contradictedPoints: number;
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
    analysis: { entries: 0, findings: 0, held: 0, backlog: 0, contradictedPoints: 0 },
  };
}
