/**
 * Sensors API: every sensor the hub has heard from, where it is, whether it is up (its retained
 * status and last will), its latest health report, when that arrived and whether it is stale.
 */
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { HealthSchema, LocationSchema } from '@wardsight/protocol';
import type { HubStore, SensorRecord } from '../store/hub-store.js';

export const sensorViewDefaults = {
  /** A health report older than this many of the sensor's intervals is stale. */
  staleAfterIntervals: 3,
  /** The interval assumed for sensors whose reports do not say theirs (the sensor's own default). */
  assumedHealthIntervalS: 30,
};

export const SensorView = Type.Object({
  id: Type.String(),
  state: Type.Union([Type.Literal('online'), Type.Literal('offline'), Type.Literal('unknown')]),
  stateChangedAt: Type.Union([Type.String(), Type.Null()]),
  lastMessageAt: Type.String(),
  location: Type.Union([LocationSchema, Type.Null()]),
  version: Type.Union([Type.String(), Type.Null()]),
  health: Type.Union([HealthSchema, Type.Null()]),
  /** When the latest health report arrived, by the hub's clock. */
  healthAt: Type.Union([Type.String(), Type.Null()]),
  /** True when no health report arrived for more than three of the sensor's intervals. */
  stale: Type.Boolean(),
});
export type SensorView = Static<typeof SensorView>;

/** How long the hub waits for the next health report of this sensor before calling its health stale. */
export function staleAfterMs(health: SensorRecord['health']): number {
  const intervalS = health?.healthIntervalS ?? sensorViewDefaults.assumedHealthIntervalS;
  return sensorViewDefaults.staleAfterIntervals * intervalS * 1000;
}

/** The API's view of a sensor at `now` (ms since the epoch), without the store's bookkeeping. */
export function sensorView(record: SensorRecord, now: number): SensorView {
  const { lastStatusSeq: _s, lastHealthSeq: _h, healthAt, ...rest } = record;
  const at = healthAt ?? null;
  const stale = record.health !== null && at !== null && now - Date.parse(at) > staleAfterMs(record.health);
  return { ...rest, healthAt: at, stale };
}

/** Every sensor, ordered by id, as of now. */
export async function listSensorViews(store: HubStore, now = Date.now()): Promise<SensorView[]> {
  const sensors = (await store.listSensors()).map((s) => sensorView(s, now));
  return sensors.sort((a, b) => a.id.localeCompare(b.id));
}

export default async function sensorRoutes(app: FastifyInstance, opts: { store: HubStore }): Promise<void> {
  app.get(
    '/api/v1/sensors',
    {
      schema: {
        response: { 200: Type.Object({ sensors: Type.Array(SensorView), count: Type.Integer() }) },
      },
    },
    async () => {
      const sensors = await listSensorViews(opts.store);
      return { sensors, count: sensors.length };
    },
  );
}
