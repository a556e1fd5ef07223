/**
 * Asset register API (analyst credential required, through the auth plugin): import a CMMS export,
 * list the assets with the devices they link to, list the conflicts, read and set a device's asset.
 */
import { isIP } from 'node:net';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { HubError } from '../errors.js';
import type { Classifier } from '../inventory/classification.js';
import type { HubStore } from '../store/hub-store.js';
import { AssetFileError } from './file-error.js';
import { mappingDefaults } from './mapping.js';
import { AssetRegister } from './register.js';
import { registerFileDefaults } from './register-file.js';
import { AssetErrorView, AssetView, ConflictView, ImportOutcomeView, TechnicianValuesBody, assetView } from './views.js';

const ImportBody = Type.Object(
  {
    csv: Type.String({ maxLength: registerFileDefaults.maxBytes }),
    mapping: Type.String({ minLength: 1, maxLength: mappingDefaults.maxBytes }),
    /** The export's file name; values it brings are kept with the source `cmms:<file name>`. */
    source: Type.String({ minLength: 1, maxLength: 128, pattern: '^[^\\x00-\\x1f\\x7f/\\\\]+$' }),
  },
  { additionalProperties: false },
);
const DeviceParams = Type.Object({ id: Type.String({ minLength: 3, maxLength: 64 }) });

/** A whole export plus JSON quoting; the app's default body limit is for small requests. */
const IMPORT_BODY_LIMIT = registerFileDefaults.maxBytes * 2 + mappingDefaults.maxBytes;

/** Refusals keep their code, and a file's fault also its row and column. */
function refuse(reply: FastifyReply, err: unknown): FastifyReply {
  if (err instanceof AssetFileError) return reply.status(err.statusCode).send({ error: err.code, message: err.message, row: err.row, column: err.column });
  throw err;
}

export default async function assetRoutes(app: FastifyInstance, opts: { store: HubStore; classifier: Classifier; now?: () => Date }): Promise<void> {
  const register = new AssetRegister(opts.store, opts.classifier, app.log.child({ module: 'assets' }), opts.now);

  app.post<{ Body: Static<typeof ImportBody> }>(
    '/api/v1/assets/import',
    { bodyLimit: IMPORT_BODY_LIMIT, schema: { body: ImportBody, response: { 200: ImportOutcomeView, 400: AssetErrorView, 413: AssetErrorView } } },
    async (request, reply) => {
      try {
        return await register.importFile(request.body, request.analyst);
      } catch (err) {
        return refuse(reply, err);
      }
    },
  );

  app.get('/api/v1/assets', { schema: { response: { 200: Type.Object({ assets: Type.Array(AssetView), count: Type.Integer() }) } } }, async () => {
    const { records, assessment } = await register.assessment();
    const assets = records.map((r) => assetView(r, assessment.links.get(r.key), assessment.conflicts));
    return { assets, count: assets.length };
  });

  app.get('/api/v1/assets/conflicts', { schema: { response: { 200: Type.Object({ conflicts: Type.Array(ConflictView), count: Type.Integer() }) } } }, async () => {
    const { conflicts } = (await register.assessment()).assessment;
    return { conflicts, count: conflicts.length };
  });

  app.get<{ Params: Static<typeof DeviceParams> }>(
    '/api/v1/devices/:id/asset',
    { schema: { params: DeviceParams, response: { 200: AssetView, 404: AssetErrorView, 409: AssetErrorView } } },
    async (request) => {
      const id = request.params.id;
      if (!(await opts.store.getDevice(id))) throw new HubError('HUB_ERR_NOT_FOUND', `device ${id}`);
      const { linked, assessment } = await register.linkedTo(id);
      const [only, ...more] = linked;
      if (!only) throw new HubError('HUB_ERR_NOT_FOUND', `no asset is linked to device ${id}; import the register or set the asset with PUT`);
      if (more.length) throw new HubError('HUB_ERR_ASSET_AMBIGUOUS', `${linked.map((l) => l.record.key).join(', ')} are all linked to device ${id} (see /api/v1/assets/conflicts)`);
      return assetView(only.record, only.link, assessment.conflicts);
    },
  );

  app.put<{ Params: Static<typeof DeviceParams>; Body: TechnicianValuesBody }>(
    '/api/v1/devices/:id/asset',
    { schema: { params: DeviceParams, body: TechnicianValuesBody, response: { 200: AssetView, 400: AssetErrorView, 404: AssetErrorView, 409: AssetErrorView } } },
    async (request) => {
      const values = Object.fromEntries(Object.entries(request.body).map(([f, v]) => [f, v.trim()]));
      if (values.ip !== undefined) {
        if (!isIP(values.ip)) throw new HubError('HUB_ERR_ASSET_VALUE', `ip ${JSON.stringify(values.ip)} is not an IPv4 or IPv6 address`);
        values.ip = values.ip.toLowerCase();
      }
      const record = await register.setForDevice(request.params.id, values, request.analyst);
      const { links, conflicts } = (await register.assessment()).assessment;
      return assetView(record, links.get(record.key), conflicts);
    },
  );
}
