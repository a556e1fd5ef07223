/** Sums of what the fleet processes and the hub itself counted during a hub benchmark run. */
import type { FleetResult } from './hub-fleet-messages.js';

export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  samples: number;
}

/** The hub's counters from its health endpoint, as the hub itself saw the run. */
export interface HubCounters {
  received: number;
  applied: number;
  duplicates: number;
  observationsApplied: number;
  rejected: Record<string, number>;
  connectionsRefused: number | null;
  memRssMB: number;
  /** Journal entries the hub's analysis had done, and those still waiting, when the window closed. */
  analysed: number;
  analysisBacklog: number;
}

export function sumResults(results: FleetResult[]): FleetResult {
  const total: FleetResult = {
    sensors: 0,
    connectedThroughout: 0,
    publishedBatches: 0,
    ackedBatches: 0,
    ackedObservations: 0,
    resentBatches: 0,
    rejected: {},
    disconnects: 0,
    errors: 0,
    firstError: null,
    ackLatencyMs: [],
  };
  for (const r of results) {
    total.sensors += r.sensors;
    total.connectedThroughout += r.connectedThroughout;
    total.publishedBatches += r.publishedBatches;
    total.ackedBatches += r.ackedBatches;
    total.ackedObservations += r.ackedObservations;
    total.resentBatches += r.resentBatches;
    total.disconnects += r.disconnects;
    total.errors += r.errors;
    total.firstError ??= r.firstError;
    for (const [reason, n] of Object.entries(r.rejected)) total.rejected[reason] = (total.rejected[reason] ?? 0) + n;
    for (const ms of r.ackLatencyMs) total.ackLatencyMs.push(ms);
    if (r.acknowledgedDevices) total.acknowledgedDevices = { ...total.acknowledgedDevices, ...r.acknowledgedDevices };
    if (r.lastSeqs) total.lastSeqs = { ...total.lastSeqs, ...r.lastSeqs };
  }
  return total;
}

/** Nearest-rank percentiles, in whole milliseconds; null when nothing was acknowledged in the window. */
export function latencySummary(samples: number[]): LatencySummary | null {
  if (samples.length === 0) return null;
  const sorted = Float64Array.from(samples).sort();
  const at = (p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0);
  return { p50: at(50), p90: at(90), p99: at(99), max: Math.round(sorted[sorted.length - 1] ?? 0), samples: sorted.length };
}

interface HealthAnswer {
  memRssMB: number;
  ingest: { received: number; applied: number; duplicates: number; observationsApplied: number; rejected: Record<string, number> };
  broker: { connectionsRefused: number } | null;
  analysis?: { entries: number; backlog: number };
}

export function hubCountersOf(health: unknown): HubCounters {
  const h = health as HealthAnswer;
  return {
    received: h.ingest.received,
    applied: h.ingest.applied,
    duplicates: h.ingest.duplicates,
    observationsApplied: h.ingest.observationsApplied,
    rejected: h.ingest.rejected,
    connectionsRefused: h.broker?.connectionsRefused ?? null,
    memRssMB: h.memRssMB,
    analysed: h.analysis?.entries ?? 0,
    analysisBacklog: h.analysis?.backlog ?? 0,
  };
}
