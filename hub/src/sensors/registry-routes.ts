/**
 * The technician's API for sensors (analyst credential required): register a sensor and get its
 * enrolment token, list and read the register, replace a sensor's hardware, revoke a sensor.
 * Token hashes never leave the hub; the token itself is in the answer that made it, and nowhere else.
 */
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { LocationSchema } from '@wardsight/protocol';
import { enrolmentTokenDefaults } from '@wardsight/provisioning';
import type { EnrolmentRecord } from './enrolment-record.js';
import type { IssuedToken, SensorRegistry } from './registry.js';

const Certificate = Type.Object({ serial: Type.String(), fingerprint256: Type.String(), notAfter: Type.String(), issuedAt: Type.String() });

export const RegisteredSensorView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  location: LocationSchema,
  captureInterface: Type.String(),
  state: Type.Union([Type.Literal('awaiting-enrolment'), Type.Literal('active'), Type.Literal('revoked')]),
  createdAt: Type.String(),
  createdBy: Type.String(),
  token: Type.Union([Type.Object({ issuedAt: Type.String(), expiresAt: Type.String() }), Type.Null()]),
  certificate: Type.Union([Certificate, Type.Null()]),
  revokedCertificates: Type.Array(Type.Object({ serial: Type.String(), revokedAt: Type.String(), why: Type.String() })),
  replacements: Type.Integer(),
  replacedAt: Type.Union([Type.String(), Type.Null()]),
  replacedBy: Type.Union([Type.String(), Type.Null()]),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
  revokedBy: Type.Union([Type.String(), Type.Null()]),
});
export type RegisteredSensorView = Static<typeof RegisteredSensorView>;

const TokenView = Type.Object({ sensor: RegisteredSensorView, token: Type.String(), expiresAt: Type.String() });
const ErrorView = Type.Object({ error: Type.String(), message: Type.String() });
const Params = Type.Object({ id: Type.String({ minLength: 1, maxLength: 63 }) });
const ValidMinutes = Type.Integer({ minimum: enrolmentTokenDefaults.minValidMinutes, maximum: enrolmentTokenDefaults.maxValidMinutes });
const Printable = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: '^(?=.*\\S)[^\\x00-\\x1f\\x7f]+$' });

const AddBody = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 63 }),
    name: Type.Optional(Printable(128)),
    location: LocationSchema,
    captureInterface: Type.Optional(Type.String({ minLength: 1, maxLength: 15, pattern: '^[A-Za-z0-9_.:-]+$' })),
    validMinutes: Type.Optional(ValidMinutes),
  },
  { additionalProperties: false },
);
const ReplaceBody = Type.Object({ validMinutes: Type.Optional(ValidMinutes) }, { additionalProperties: false });

export function registeredSensorView(r: EnrolmentRecord): RegisteredSensorView {
  return {
    id: r.id,
    name: r.name,
    location: r.location,
    captureInterface: r.captureInterface,
    state: r.state,
    createdAt: r.createdAt,
    createdBy: r.createdBy,
    token: r.token ? { issuedAt: r.token.issuedAt, expiresAt: r.token.expiresAt } : null,
    certificate: r.certificate ? { serial: r.certificate.serial, fingerprint256: r.certificate.fingerprint256, notAfter: r.certificate.notAfter, issuedAt: r.certificate.issuedAt } : null,
    revokedCertificates: r.revokedCertificates.map((c) => ({ serial: c.serial, revokedAt: c.revokedAt, why: c.why })),
    replacements: r.replacements,
    replacedAt: r.replacedAt ?? null,
    replacedBy: r.replacedBy ?? null,
    revokedAt: r.revokedAt,
    revokedBy: r.revokedBy,
  };
}

const tokenView = (issued: IssuedToken) => ({ sensor: registeredSensorView(issued.record), token: issued.token, expiresAt: issued.expiresAt });

export default async function registryRoutes(app: FastifyInstance, opts: { registry: SensorRegistry }): Promise<void> {
  const { registry } = opts;
  const base = '/api/v1/provisioning/sensors';

  app.get(base, { schema: { response: { 200: Type.Object({ sensors: Type.Array(RegisteredSensorView), count: Type.Integer() }) } } }, async () => {
    const sensors = (await registry.list()).map(registeredSensorView);
    return { sensors, count: sensors.length };
  });

  app.get<{ Params: Static<typeof Params> }>(`${base}/:id`, { schema: { params: Params, response: { 200: RegisteredSensorView, 404: ErrorView } } }, async (request, reply) => {
    const record = await registry.get(request.params.id);
    if (!record) return reply.status(404).send({ error: 'HUB_ERR_SENSOR_UNKNOWN', message: `no sensor ${request.params.id} is registered` });
    return registeredSensorView(record);
  });

  app.post<{ Body: Static<typeof AddBody> }>(base, { schema: { body: AddBody, response: { 201: TokenView, 400: ErrorView, 409: ErrorView } } }, async (request, reply) => {
    const b = request.body;
    const issued = await registry.add({ id: b.id, name: b.name, location: b.location, captureInterface: b.captureInterface, validMinutes: b.validMinutes, by: request.analyst });
    request.log.info({ sensorId: b.id, by: request.analyst }, 'sensor registered');
    return reply.status(201).send(tokenView(issued));
  });

  app.post<{ Params: Static<typeof Params>; Body: Static<typeof ReplaceBody> }>(
    `${base}/:id/replace`,
    { schema: { params: Params, body: Type.Optional(ReplaceBody), response: { 200: TokenView, 404: ErrorView } } },
    async (request) => {
      const issued = await registry.replace(request.params.id, request.analyst, request.body?.validMinutes);
      request.log.info({ sensorId: request.params.id, by: request.analyst }, 'sensor hardware replaced: new token issued, old certificate revoked');
      return tokenView(issued);
    },
  );

  app.post<{ Params: Static<typeof Params> }>(`${base}/:id/revoke`, { schema: { params: Params, response: { 200: RegisteredSensorView, 404: ErrorView } } }, async (request) => {
    const record = await registry.revoke(request.params.id, request.analyst);
    request.log.warn({ sensorId: request.params.id, by: request.analyst }, 'sensor revoked');
    return registeredSensorView(record);
  });
}
