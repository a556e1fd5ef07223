/**
 * Risk API (analyst credential required): the fleet's priority list, each device's risk, the
 * analyst's decisions on matches and rubric answers, the maker's SBOMs held against the library, a
 * model's pre-purchase assessment, and the supplier scorecards.
 */
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { HubError } from '../errors.js';
import type { MatchDecisions } from '../vulns/decisions.js';
import type { VulnLibrary } from '../vulns/library.js';
import { fieldErrors, ONLY_NAMED_FIELDS } from '../vulns/known-fields.js';
import { matchSbom } from '../vulns/sbom-link.js';
import type { RiskDesk } from './desk.js';
import type { RiskEngine } from './engine.js';
import type { HubStore } from '../store/hub-store.js';
import type { RubricBook } from './rubric-book.js';
import {
  AssessmentView,
  ComponentMatchView,
  DecisionBody,
  DecisionView,
  DeviceRiskSummaryView,
  DeviceRiskView,
  ErrorView,
  RiskEntryView,
  RubricBody,
  RubricView,
  ScorecardView,
} from './views.js';

export interface RiskRouteParts {
  store: HubStore;
  engine: RiskEngine;
  desk: RiskDesk;
  decisions: MatchDecisions;
  rubric: RubricBook;
  library: VulnLibrary;
  now?: () => Date;
}

const REACHES = ['internet', 'reachable', 'segment-only', 'no-path', 'unknown'] as const;
const PriorityQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 500 })),
    reach: Type.Optional(Type.Union(REACHES.map((r) => Type.Literal(r)))),
  },
  ONLY_NAMED_FIELDS,
);
const DeviceParams = Type.Object({ id: Type.String({ minLength: 3, maxLength: 64 }) });
const VulnParams = Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._#:-]{2,80}$' }) });
const ModelParams = Type.Object({ vendor: Type.String({ minLength: 1, maxLength: 128 }), model: Type.String({ minLength: 1, maxLength: 128 }) });
const SerialParams = Type.Object({ serial: Type.String({ minLength: 1, maxLength: 256 }) });

export default async function riskRoutes(app: FastifyInstance, opts: RiskRouteParts): Promise<void> {
  const now = () => (opts.now?.() ?? new Date()).toISOString();
  app.setSchemaErrorFormatter(fieldErrors);

  app.get<{ Querystring: Static<typeof PriorityQuery> }>(
    '/api/v1/risk/priorities',
    { schema: { querystring: PriorityQuery, response: { 200: Type.Object({ entries: Type.Array(RiskEntryView), count: Type.Integer(), total: Type.Integer() }) } } },
    async (request) => {
      const all = await opts.engine.priorities();
      const chosen = request.query.reach ? all.filter((e) => e.reach.reach === request.query.reach) : all;
      return { entries: chosen.slice(0, request.query.limit ?? 500), count: Math.min(chosen.length, request.query.limit ?? 500), total: chosen.length };
    },
  );

  app.get('/api/v1/risk/devices', { schema: { response: { 200: Type.Object({ devices: Type.Array(DeviceRiskSummaryView), count: Type.Integer() }) } } }, async () => {
    const devices = (await opts.engine.fleet()).map((r) => ({ device: r.device, score: r.score, components: r.components, top: r.entries.find((e) => e.decision !== 'suppressed')?.vulnerability ?? null }));
    return { devices, count: devices.length };
  });

  app.get<{ Params: Static<typeof DeviceParams> }>(
    '/api/v1/devices/:id/risk',
    { schema: { params: DeviceParams, response: { 200: DeviceRiskView, 404: ErrorView } } },
    async (request) => {
      const id = request.params.id;
      if (!(await opts.store.getDevice(id))) throw new HubError('HUB_ERR_NOT_FOUND', `device ${id}`);
      return (await opts.engine.device(id)) ?? { device: id, score: 0, components: { highest: 0, others: 0, entries: 0 }, entries: [], rejected: [] };
    },
  );

  app.post<{ Body: DecisionBody }>(
    '/api/v1/vulns/decisions',
    { schema: { body: DecisionBody, response: { 200: DecisionView, 400: ErrorView, 404: ErrorView } } },
    async (request) => {
      const b = request.body;
      const known = await opts.library.entries();
      if (!known.has(b.vulnerability.toUpperCase())) throw new HubError('HUB_ERR_NOT_FOUND', `the library holds no ${b.vulnerability}; import the feed that describes it first (\`wardsight feeds import\`)`);
      if (b.decision === 'suppressed' && !b.until) throw new HubError('HUB_ERR_MATCH_DECISION', 'a suppression needs `until`, the time it ends');
      // Kept in UTC: a time given with an offset (`+05:00`) then compares with the clock as text.
      const until = b.until === undefined ? undefined : new Date(b.until);
      if (until && Number.isNaN(until.getTime())) throw new HubError('HUB_ERR_MATCH_DECISION', `until ${b.until} is not a time; give it as 2024-05-01T12:00:00Z`);
      if (until && until.toISOString() <= now()) throw new HubError('HUB_ERR_MATCH_DECISION', `until ${b.until} is already past`);
      return opts.decisions.put({ vulnerability: b.vulnerability.toUpperCase(), vendor: b.vendor, model: b.model, decision: b.decision, note: b.note ?? '', by: request.analyst, at: now(), ...(until ? { until: until.toISOString() } : {}) });
    },
  );

  app.get('/api/v1/vulns/decisions', { schema: { response: { 200: Type.Object({ decisions: Type.Array(DecisionView), count: Type.Integer() }) } } }, async () => {
    const decisions = await opts.decisions.list();
    return { decisions, count: decisions.length };
  });

  app.put<{ Params: Static<typeof VulnParams>; Body: RubricBody }>(
    '/api/v1/vulns/:id/rubric',
    { schema: { params: VulnParams, body: RubricBody, response: { 200: RubricView, 400: ErrorView, 404: ErrorView } } },
    async (request) => {
      if (!(await opts.library.entries()).has(request.params.id.toUpperCase())) throw new HubError('HUB_ERR_NOT_FOUND', `the library holds no ${request.params.id}; import the feed that describes it first (\`wardsight feeds import\`)`);
      return opts.rubric.record({ vulnerability: request.params.id, vendor: request.body.vendor, model: request.body.model, answers: request.body.answers, by: request.analyst, at: now() });
    },
  );

  app.get('/api/v1/sboms', { schema: { response: { 200: Type.Object({ sboms: Type.Array(Type.Object({ serial: Type.String(), format: Type.String(), subject: Type.String(), supplier: Type.Union([Type.String(), Type.Null()]), components: Type.Integer(), vex: Type.Integer() })) }) } } }, async () => ({
    sboms: (await opts.library.sboms()).map((s) => ({ serial: s.serial, format: s.format, subject: s.subject.name, supplier: s.subject.supplier ?? null, components: s.components.length, vex: s.vex.length })),
  }));

  app.get<{ Params: Static<typeof SerialParams> }>(
    '/api/v1/sboms/:serial/matches',
    { schema: { params: SerialParams, response: { 200: Type.Object({ serial: Type.String(), components: Type.Integer(), matches: Type.Array(ComponentMatchView) }), 404: ErrorView } } },
    async (request) => {
      const sbom = (await opts.library.sboms()).find((s) => s.serial === request.params.serial);
      if (!sbom) throw new HubError('HUB_ERR_NOT_FOUND', `no SBOM with serial ${request.params.serial}; import it with \`wardsight feeds import\``);
      const index = await opts.engine.candidateIndex();
      const kevOnly = [...(await opts.library.entries()).values()].filter((e) => e.statements.length === 0);
      const matches = matchSbom(sbom, (device) => index.candidates(device), kevOnly);
      return { serial: sbom.serial, components: sbom.components.length, matches };
    },
  );

  app.get<{ Params: Static<typeof ModelParams> }>(
    '/api/v1/models/:vendor/:model/assessment',
    { schema: { params: ModelParams, response: { 200: AssessmentView } } },
    async (request) => opts.desk.assess(request.params.vendor, request.params.model),
  );

  app.get('/api/v1/suppliers', { schema: { response: { 200: Type.Object({ suppliers: Type.Array(ScorecardView), count: Type.Integer() }) } } }, async () => {
    const suppliers = await opts.desk.suppliers();
    return { suppliers, count: suppliers.length };
  });
}
