/**
 * Alerts API (analyst credential required): list and read alerts, acknowledge and resolve them as
 * the authenticated user, and see how delivery to each SIEM and webhook is doing.
 */
import type { FastifyInstance } from 'fastify';
import { Type, type TSchema } from '@sinclair/typebox';
import { DeviceKeySchema } from '@wardsight/protocol';
import { HubError } from '../errors.js';
import { ALERT_STATES, ANOMALY_KINDS, SEVERITIES, type AlertState, type AnomalyKind } from './alert.js';
import { ALERT_ID_PATTERN, bookDefaults, type AlertBook } from './book.js';
import { ALERT_SINK_KINDS } from './event.js';

const oneOf = <T extends readonly string[]>(values: T): TSchema => Type.Union(values.map((v) => Type.Literal(v)));
const Time = Type.String({ format: 'date-time' });
const NullableString = Type.Union([Type.String(), Type.Null()]);
const Count = Type.Integer({ minimum: 0 });

export const AlertView = Type.Object({
  id: Type.String(),
  kind: oneOf(ANOMALY_KINDS),
  severity: oneOf(SEVERITIES),
  device: Type.String(),
  sensorId: NullableString,
  title: Type.String(),
  evidence: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()])),
  dedupKey: Type.String(),
  firstAt: Time,
  lastAt: Time,
  count: Count,
  state: oneOf(ALERT_STATES),
  stateBy: NullableString,
  stateAt: Type.Union([Time, Type.Null()]),
  raisedAt: Time,
});

export const SinkStatusView = Type.Object({
  id: Type.String(),
  kind: oneOf(ALERT_SINK_KINDS),
  target: Type.String(),
  queued: Count,
  delivered: Count,
  failures: Count,
  lastError: NullableString,
  lastErrorAt: Type.Union([Time, Type.Null()]),
  lastDeliveredAt: Type.Union([Time, Type.Null()]),
});

const ErrorView = Type.Object({ error: Type.String(), message: Type.String() });
const IdParams = Type.Object({ id: Type.String({ pattern: ALERT_ID_PATTERN, maxLength: 40 }) });
const ListQuery = Type.Object(
  {
    state: Type.Optional(oneOf(ALERT_STATES)),
    device: Type.Optional(DeviceKeySchema),
    kind: Type.Optional(oneOf(ANOMALY_KINDS)),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: bookDefaults.listLimitMax, default: bookDefaults.listLimit })),
  },
  { additionalProperties: false },
);

interface ListQuery {
  state?: AlertState;
  device?: string;
  kind?: AnomalyKind;
  limit?: number;
}

export default async function alertRoutes(app: FastifyInstance, opts: { book: AlertBook }): Promise<void> {
  const { book } = opts;

  app.get<{ Querystring: ListQuery }>(
    '/api/v1/alerts',
    { schema: { querystring: ListQuery, response: { 200: Type.Object({ alerts: Type.Array(AlertView), count: Count }), 400: ErrorView } } },
    async (request) => {
      const alerts = await book.list(request.query);
      return { alerts, count: alerts.length };
    },
  );

  app.get('/api/v1/alerts/deliveries', { schema: { response: { 200: Type.Object({ sinks: Type.Array(SinkStatusView) }) } } }, async () => ({ sinks: book.deliveries() }));

  app.get<{ Params: { id: string } }>(
    '/api/v1/alerts/:id',
    { schema: { params: IdParams, response: { 200: AlertView, 404: ErrorView } } },
    async (request) => {
      const alert = await book.get(request.params.id);
      if (!alert) throw new HubError('HUB_ERR_ALERT_UNKNOWN', `${request.params.id}; list alerts with GET /api/v1/alerts`);
      return alert;
    },
  );

  const moves = [
    ['acknowledge', (id: string, by: string) => book.acknowledge(id, by)],
    ['resolve', (id: string, by: string) => book.resolve(id, by)],
  ] as const;
  for (const [action, move] of moves) {
    app.post<{ Params: { id: string } }>(
      `/api/v1/alerts/:id/${action}`,
      { schema: { params: IdParams, response: { 200: AlertView, 404: ErrorView, 409: ErrorView } } },
      async (request) => move(request.params.id, request.analyst),
    );
  }
}
