/**
 * Feed import API (analyst credential required): a feed file's bytes go in as they are on disk
 * (`application/octet-stream`, its name in the query), the hub recognises and reads it, keeps what
 * it could read and answers with what changed and each problem with its place. Nothing needs the
 * internet: hospital networks are often air-gapped, so feeds arrive as files.
 */
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { readFeed, VulnError } from '@wardsight/vulns';
import { HubError } from '../errors.js';
import { fieldErrors, ONLY_NAMED_FIELDS } from './known-fields.js';
import type { VulnLibrary } from './library.js';

/** The largest feed file the hub takes in one request (an NVD page or an EPSS day is far smaller). */
export const FEED_FILE_LIMIT = 256 * 1024 * 1024;

const Label = Type.String({ minLength: 1, maxLength: 128, pattern: '^[^\\x00-\\x1f\\x7f]+$' });
const FileQuery = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 255, pattern: '^[^\\x00-\\x1f\\x7f]+$' }),
    /** For an SBOM or MDS2 form whose maker and model are missing or redacted: the model it is for. */
    maker: Type.Optional(Label),
    model: Type.Optional(Label),
  },
  ONLY_NAMED_FIELDS,
);

const Counts = Type.Object({ added: Type.Integer(), updated: Type.Integer(), unchanged: Type.Integer(), removed: Type.Integer(), older: Type.Integer(), withheld: Type.Integer() });
const Problem = Type.Object({ file: Type.String(), place: Type.String(), message: Type.String(), notice: Type.Optional(Type.Boolean()) });
export const FileImportView = Type.Object({
  file: Type.String(),
  kind: Type.String(),
  records: Type.Integer({ description: 'records read from the file' }),
  counts: Counts,
  problems: Type.Array(Problem),
});
export type FileImportView = Static<typeof FileImportView>;

const LibraryView = Type.Object({
  vulnerabilities: Type.Integer(),
  statements: Type.Integer(),
  advisories: Type.Integer(),
  kev: Type.Integer(),
  epss: Type.Integer(),
  sboms: Type.Integer(),
  mds2: Type.Integer(),
});
const ErrorView = Type.Object({ error: Type.String(), message: Type.String() });

export default async function feedRoutes(app: FastifyInstance, opts: { library: VulnLibrary }): Promise<void> {
  app.setSchemaErrorFormatter(fieldErrors);
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: FEED_FILE_LIMIT }, (_request, body, done) => done(null, body));

  app.post<{ Querystring: Static<typeof FileQuery>; Body: Buffer }>(
    '/api/v1/feeds/files',
    { bodyLimit: FEED_FILE_LIMIT, schema: { querystring: FileQuery, response: { 200: FileImportView, 400: ErrorView, 415: ErrorView } } },
    async (request) => {
      const name = request.query.name;
      if (!Buffer.isBuffer(request.body)) throw new HubError('HUB_ERR_FEED_BODY', `send ${name} as application/octet-stream`);
      let doc;
      try {
        doc = await readFeed(new Uint8Array(request.body.buffer, request.body.byteOffset, request.body.byteLength), name);
      } catch (err) {
        if (err instanceof VulnError) throw new HubError('HUB_ERR_FEED_KIND', `${name} is none of CSAF 2.0, CVE JSON 5, NVD CVE API 2.0, KEV, EPSS CSV, CycloneDX, SPDX or an MDS2 workbook`);
        throw err;
      }
      const { maker, model } = request.query;
      if ((maker === undefined) !== (model === undefined)) throw new HubError('HUB_ERR_FEED_ATTRIBUTION', 'give both the maker and the model, or neither');
      if (maker !== undefined && model !== undefined) {
        if (doc.sboms.length + doc.mds2.length === 0) throw new HubError('HUB_ERR_FEED_ATTRIBUTION', `${name} is a ${doc.kind} file; a maker and model are given only to SBOMs and MDS2 forms`);
        for (const sbom of doc.sboms) sbom.subject = { ...sbom.subject, supplier: maker, name: model };
        for (const form of doc.mds2) Object.assign(form, { manufacturer: maker, model });
      }
      const counts = await opts.library.importDocument(doc);
      const records = doc.advisories.length + doc.vulnerabilities.length + doc.kev.length + doc.epss.length + doc.sboms.length + doc.mds2.length;
      request.log.info({ file: name, kind: doc.kind, records, counts, problems: doc.problems.length }, 'feed file imported');
      return { file: name, kind: doc.kind, records, counts, problems: doc.problems };
    },
  );

  app.get('/api/v1/feeds', { schema: { response: { 200: LibraryView } } }, async () => opts.library.counts());
}
