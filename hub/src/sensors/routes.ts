/** Sensors API: every sensor the hub has heard from, where it is, whether it is up, its last health report. */
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { HealthSchema, LocationSchema } from '@wardsight/protocol';
import type { HubStore } from '../store/hub-store.js';

export const SensorView = Type.Object({
  id: Type.String(),
  state: Type.Union([Type.Literal('online'), Type.Literal('offline'), Type.Literal('unknown')]),
  stateChangedAt: Type.Union([Type.String(), Type.Null()]),
  lastMessageAt: Type.String(),
  location: Type.Union([LocationSchema, Type.Null()]),
  version: Type.Union([Type.String(), Type.Null()]),
  health: Type.Union([HealthSchema, Type.Null()]),
});

export default async function sensorRoutes(app: FastifyInstance, opts: { store: HubStore }): Promise<void> {
  app.get(
    '/api/v1/sensors',
    {
      schema: {
        response: { 200: Type.Object({ sensors: Type.Array(SensorView), count: Type.Integer() }) },
      },
    },
    async () => {
      const sensors = (await opts.store.listSensors()).map(({ lastStatusSeq: _s, lastHealthSeq: _h, ...view }) => view);
      return { sensors, count: sensors.length };
    },
  );
}
