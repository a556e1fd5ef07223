/**
 * Where devices are and were, and what normal looks like: "where is this device now", its moves,
 * "what moved" over a time range, devices not seen for a while ("missing"), a device's learnt
 * baseline and a model's expected behaviour (learnt from its deployed units).
 */
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { HubError } from '../errors.js';
import { bestValue, type DeviceRecord } from '../inventory/profile.js';
import { movesOf } from '../location/presence.js';
import type { HubStore } from '../store/hub-store.js';
import type { Analysis } from './analysis.js';

const SpanView = Type.Object({ floor: Type.String(), sensorId: Type.String(), start: Type.String(), end: Type.String() });
const MoveView = Type.Object({ device: Type.String(), from: Type.String(), to: Type.String(), fromSensor: Type.String(), toSensor: Type.String(), at: Type.String() });
const DeviceParams = Type.Object({ id: Type.String({ minLength: 3, maxLength: 64 }) });
const Time = Type.String({ format: 'date-time' });
const ModelView = Type.Object({
  model: Type.String(),
  units: Type.Integer(),
  protocols: Type.Array(Type.String()),
  served: Type.Array(Type.String()),
  clinicalPeers: Type.Record(Type.String(), Type.Array(Type.String())),
  floors: Type.Array(Type.String()),
  meanBytesPerHour: Type.Number(),
});

async function deviceOr404(store: HubStore, id: string): Promise<DeviceRecord> {
  const device = await store.getDevice(id);
  if (!device) throw new HubError('HUB_ERR_NOT_FOUND', `device ${id}`);
  return device;
}

export default async function analysisRoutes(app: FastifyInstance, opts: { store: HubStore; analysis: Analysis }): Promise<void> {
  const { store, analysis } = opts;

  app.get<{ Params: { id: string } }>(
    '/api/v1/devices/:id/location',
    {
      schema: {
        params: DeviceParams,
        response: { 200: Type.Object({ device: Type.String(), now: Type.Union([SpanView, Type.Null()]), spans: Type.Array(SpanView), moves: Type.Array(MoveView) }) },
      },
    },
    async (request) => {
      const device = await deviceOr404(store, request.params.id);
      const spans = analysis.spans(device.key);
      return { device: device.key, now: spans.at(-1) ?? null, spans: [...spans], moves: movesOf(spans).map((m) => ({ device: device.key, ...m })) };
    },
  );

  app.get<{ Querystring: { since?: string; until?: string } }>(
    '/api/v1/movements',
    {
      schema: {
        querystring: Type.Object({ since: Type.Optional(Time), until: Type.Optional(Time) }),
        response: { 200: Type.Object({ since: Type.String(), until: Type.String(), moves: Type.Array(MoveView) }) },
      },
    },
    async (request) => {
      const until = request.query.until ? new Date(request.query.until).toISOString() : new Date().toISOString();
      // "What moved today": by default the day up to `until`.
      const since = request.query.since ? new Date(request.query.since).toISOString() : new Date(Date.parse(until) - 24 * 3600_000).toISOString();
      const moves = [];
      for (const [device, spans] of analysis.allSpans()) for (const m of movesOf(spans)) if (m.at >= since && m.at <= until) moves.push({ device, ...m });
      moves.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
      return { since, until, moves };
    },
  );

  app.get<{ Querystring: { minutes?: number; now?: string } }>(
    '/api/v1/devices/missing',
    {
      schema: {
        querystring: Type.Object({ minutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 525_600, default: 60 })), now: Type.Optional(Time) }),
        response: {
          200: Type.Object({
            cutoff: Type.String(),
            devices: Type.Array(Type.Object({ id: Type.String(), lastSeen: Type.String(), hostname: Type.Union([Type.String(), Type.Null()]), lastPlace: Type.Union([SpanView, Type.Null()]) })),
          }),
        },
      },
    },
    async (request) => {
      const now = request.query.now ? Date.parse(request.query.now) : Date.now();
      const cutoff = new Date(now - (request.query.minutes ?? 60) * 60_000).toISOString();
      const devices = (await store.listDevices())
        .filter((d) => d.lastSeen < cutoff && !d.key.startsWith('ip:'))
        .map((d) => ({ id: d.key, lastSeen: d.lastSeen, hostname: bestValue(d, 'hostname')?.value ?? null, lastPlace: analysis.spans(d.key).at(-1) ?? null }))
        .sort((a, b) => (a.lastSeen < b.lastSeen ? -1 : 1));
      return { cutoff, devices };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/devices/:id/baseline',
    {
      schema: {
        params: DeviceParams,
        response: {
          200: Type.Object({
            device: Type.String(),
            learnFrom: Type.String(),
            learnUntil: Type.String(),
            model: Type.Union([Type.String(), Type.Null()]),
            peers: Type.Array(Type.String()),
            clinicalPeers: Type.Record(Type.String(), Type.Array(Type.String())),
            served: Type.Array(Type.String()),
            protocols: Type.Array(Type.String()),
            hourly: Type.Record(Type.String(), Type.Number()),
          }),
        },
      },
    },
    async (request) => {
      const device = await deviceOr404(store, request.params.id);
      const base = analysis.baseline(device.key);
      if (!base) throw new HubError('HUB_ERR_NOT_FOUND', `no behaviour has been reported for device ${device.key} yet`);
      return base;
    },
  );

  app.get('/api/v1/models', { schema: { response: { 200: Type.Object({ models: Type.Array(ModelView) }) } } }, () => ({ models: analysis.models().map((m) => analysis.modelOf(m)) }));

  app.get<{ Params: { vendor: string; model: string } }>(
    '/api/v1/models/:vendor/:model/behaviour',
    { schema: { params: Type.Object({ vendor: Type.String({ minLength: 1, maxLength: 128 }), model: Type.String({ minLength: 1, maxLength: 128 }) }), response: { 200: ModelView } } },
    async (request) => {
      const key = `${request.params.vendor} / ${request.params.model}`;
      if (!analysis.models().includes(key)) throw new HubError('HUB_ERR_NOT_FOUND', `no deployed unit of ${key} has a baseline`);
      return analysis.modelOf(key);
    },
  );
}
