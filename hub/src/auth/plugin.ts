/** Authentication for every route but the liveness probe: HTTP Basic with the hub's credential. */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { HubError } from '../errors.js';
import type { CredentialVerifier } from './credentials.js';

/** The liveness probe, and first-boot enrolment (where the one-time token is the credential). */
export const PUBLIC_PATHS = new Set(['/healthz', '/api/v1/enrol']);

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the request was authenticated as ('' on the public paths). */
    analyst: string;
  }
}

function parseBasic(header: string | undefined): { username: string; password: string } | null {
  if (!header?.startsWith('Basic ')) return null;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) return null;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export default fp<{ verifier: CredentialVerifier }>(
  async (app: FastifyInstance, opts) => {
    app.decorateRequest('analyst', '');
    app.addHook('onRequest', async (request, reply) => {
      const path = request.url.split('?', 1)[0] ?? '';
      if (PUBLIC_PATHS.has(path)) return;
      const given = parseBasic(request.headers.authorization);
      if (given && (await opts.verifier.verify(given.username, given.password))) {
        request.analyst = given.username;
        return;
      }
      reply.header('WWW-Authenticate', 'Basic realm="Wardsight", charset="UTF-8"');
      throw new HubError('HUB_ERR_UNAUTHENTICATED', given ? 'wrong username or password' : 'send HTTP Basic credentials (see admin-credential.json in the hub data directory)');
    });
  },
  { name: 'wardsight-auth' },
);
