/**
 * First boot of a sensor: `POST /api/v1/enrol` with its one-time token and a certificate request.
 * No analyst credential is asked for: the token is the credential. Each refusal says why, in words
 * the technician at the sensor can act on, with a stable code.
 */
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { LocationSchema } from '@wardsight/protocol';
import { isProvisioningError, ProvisioningErrorCode } from '@wardsight/provisioning';
import type { SensorRegistry } from './registry.js';

export const ENROL_PATH = '/api/v1/enrol';

const EnrolBody = Type.Object(
  {
    token: Type.String({ minLength: 1, maxLength: 256 }),
    csr: Type.String({ minLength: 1, maxLength: 8192 }),
  },
  { additionalProperties: false },
);

export const EnrolledView = Type.Object({
  sensorId: Type.String(),
  /** The sensor's certificate, PEM. */
  certificate: Type.String(),
  /** The hub CA's certificate, PEM: what the sensor trusts from now on. */
  ca: Type.String(),
  location: LocationSchema,
  serial: Type.String(),
});

const ErrorView = Type.Object({ error: Type.String(), message: Type.String() });

/** The HTTP status of each enrolment refusal. */
const STATUS: Partial<Record<string, number>> = {
  [ProvisioningErrorCode.TokenMalformed]: 400,
  [ProvisioningErrorCode.BadCertificateRequest]: 400,
  [ProvisioningErrorCode.TokenUnknown]: 403,
  [ProvisioningErrorCode.TokenUsed]: 409,
  [ProvisioningErrorCode.TokenExpired]: 410,
};

export default async function enrolmentRoutes(app: FastifyInstance, opts: { registry: SensorRegistry }): Promise<void> {
  app.post<{ Body: Static<typeof EnrolBody> }>(
    ENROL_PATH,
    { schema: { body: EnrolBody, response: { 201: EnrolledView, 400: ErrorView, 403: ErrorView, 409: ErrorView, 410: ErrorView } } },
    async (request, reply) => {
      try {
        const enrolled = await opts.registry.enrol(request.body.token, request.body.csr);
        request.log.info({ sensorId: enrolled.sensorId, serial: enrolled.serial }, 'sensor enrolled');
        return reply.status(201).send({ sensorId: enrolled.sensorId, certificate: enrolled.certificatePem, ca: enrolled.caPem, location: enrolled.location, serial: enrolled.serial });
      } catch (err) {
        const status = isProvisioningError(err) ? STATUS[err.code] : undefined;
        if (status === undefined || !isProvisioningError(err)) throw err;
        // The token is secret: log who it named, never the token.
        request.log.warn({ code: err.code, from: request.ip }, 'enrolment refused');
        return reply.status(status).send({ error: err.code, message: err.message });
      }
    },
  );
}
