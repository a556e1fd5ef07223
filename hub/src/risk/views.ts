/** Response and request schemas of the risk API: they also stop internal fields from leaking. */
import { Type, type Static } from '@sinclair/typebox';
import { ONLY_NAMED_FIELDS } from '../vulns/known-fields.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const NullableNumber = Type.Union([Type.Number(), Type.Null()]);

export const MatchReasonView = Type.Object({
  basis: Type.String(),
  verdict: Type.String(),
  text: Type.String(),
  vendor: Type.String(),
  product: Type.String(),
  versions: Type.String(),
  deviceProduct: Type.String(),
  deviceVersion: Type.Optional(Type.String()),
});

export const CvssView = Type.Object({
  version: Type.String(),
  vector: Type.String(),
  score: Type.Number(),
  severity: Type.String(),
  source: Type.String(),
  statedScore: Type.Optional(Type.Number()),
});

const ReachView = Type.Object({ reach: Type.String(), because: Type.Array(Type.String()), services: Type.Array(Type.String()), fromSegments: Type.Array(Type.String()) });
const ImpactView = Type.Object({ level: Type.String(), function: Type.String(), criticality: Nullable(Type.String()), because: Type.Array(Type.String()) });

export const RiskEntryView = Type.Object({
  device: Type.String(),
  vendor: Nullable(Type.String()),
  model: Nullable(Type.String()),
  version: Nullable(Type.String()),
  category: Nullable(Type.String()),
  vulnerability: Type.String(),
  title: Nullable(Type.String()),
  advisories: Type.Array(Type.String()),
  match: MatchReasonView,
  decision: Nullable(Type.String()),
  cvss: Type.Union([CvssView, Type.Null()]),
  cvss4: Type.Union([CvssView, Type.Null()]),
  kev: Type.Union([Type.Object({ dateAdded: Type.String(), ransomware: Type.Boolean() }), Type.Null()]),
  epss: Type.Union([Type.Object({ score: Type.Number(), percentile: Type.Number() }), Type.Null()]),
  reach: ReachView,
  likelihood: Type.Object({ level: Type.String(), because: Type.Array(Type.String()) }),
  impact: ImpactView,
  score: Type.Number(),
  components: Type.Object({ severity: Type.Number(), likelihood: Type.Number(), impact: Type.Number() }),
  mitigations: Type.Array(Type.Object({ action: Type.String(), text: Type.String() })),
  remediations: Type.Array(Type.Object({ category: Type.String(), details: Type.String(), url: Type.Optional(Type.String()) })),
  because: Type.Array(Type.String()),
});

export const DeviceRiskView = Type.Object({
  device: Type.String(),
  score: Type.Number(),
  components: Type.Object({ highest: Type.Number(), others: Type.Number(), entries: Type.Integer() }),
  entries: Type.Array(RiskEntryView),
  rejected: Type.Array(RiskEntryView),
});

export const DeviceRiskSummaryView = Type.Object({
  device: Type.String(),
  score: Type.Number(),
  components: Type.Object({ highest: Type.Number(), others: Type.Number(), entries: Type.Integer() }),
  top: Nullable(Type.String()),
});

export const DecisionBody = Type.Object(
  {
    vulnerability: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._#:-]{2,80}$' }),
    vendor: Type.String({ minLength: 1, maxLength: 128 }),
    model: Type.String({ minLength: 1, maxLength: 128 }),
    decision: Type.Union([Type.Literal('confirmed'), Type.Literal('rejected'), Type.Literal('suppressed')]),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
    until: Type.Optional(Type.String({ format: 'date-time' })),
  },
  ONLY_NAMED_FIELDS,
);
export type DecisionBody = Static<typeof DecisionBody>;

export const DecisionView = Type.Object({
  vulnerability: Type.String(),
  vendor: Type.String(),
  model: Type.String(),
  decision: Type.String(),
  note: Type.String(),
  by: Type.String(),
  at: Type.String(),
  until: Type.Optional(Type.String()),
});

export const RubricBody = Type.Object(
  { vendor: Type.String({ minLength: 1, maxLength: 128 }), model: Type.String({ minLength: 1, maxLength: 128 }), answers: Type.Object({}, { additionalProperties: true }) },
  ONLY_NAMED_FIELDS,
);
export type RubricBody = Static<typeof RubricBody>;

export const RubricView = Type.Object({
  vulnerability: Type.String(),
  vendor: Type.String(),
  model: Type.String(),
  answers: Type.Object({}, { additionalProperties: true }),
  vector: Type.String(),
  score: Type.Number(),
  severity: Type.String(),
  derivation: Type.Array(Type.Object({ metric: Type.String(), value: Type.String(), because: Type.String() })),
  by: Type.String(),
  at: Type.String(),
});

const MakerRecordView = Type.Object({
  vendor: Type.String(),
  advisories: Type.Array(Type.Object({ id: Type.String(), title: Type.String(), published: Type.String(), updated: Type.String(), fix: Type.Boolean(), daysToFix: NullableNumber })),
  cves: Type.Integer(),
  kev: Type.Array(Type.String()),
  fixRate: NullableNumber,
  medianDaysToFix: NullableNumber,
  sbom: Type.Object({ available: Type.Boolean(), documents: Type.Array(Type.String()) }),
  mds2: Type.Object({
    available: Type.Boolean(),
    documents: Type.Array(Type.Object({ model: Type.String(), documentId: Type.Optional(Type.String()), facts: Type.Array(Type.Object({ id: Type.String(), answer: Type.String(), question: Type.String() })) })),
  }),
  unsupportedOs: Type.Object({ inAdvisories: Type.Array(Type.String()), onNetwork: Type.Array(Type.Object({ device: Type.String(), os: Type.String() })) }),
});

const PartView = Type.Object({ score: NullableNumber, weight: Type.Number(), because: Type.Array(Type.String()) });

export const AssessmentView = Type.Object({
  vendor: Type.String(),
  model: Type.String(),
  score: Type.Number(),
  level: Type.String(),
  components: Type.Object({ vulnerabilities: PartView, maker: PartView, behaviour: PartView }),
  vulnerabilities: Type.Array(
    Type.Object({
      id: Type.String(),
      title: Nullable(Type.String()),
      cvss: Type.Union([CvssView, Type.Null()]),
      kev: Type.Boolean(),
      epss: NullableNumber,
      match: MatchReasonView,
      advisories: Type.Array(Type.String()),
      remediation: Nullable(Type.String()),
    }),
  ),
  maker: MakerRecordView,
  behaviour: Type.Union([
    Type.Object({
      model: Type.String(),
      units: Type.Integer(),
      protocols: Type.Array(Type.String()),
      served: Type.Array(Type.String()),
      floors: Type.Array(Type.String()),
      meanBytesPerHour: Type.Number(),
      internetTraffic: Type.Boolean(),
    }),
    Type.Null(),
  ]),
  deployed: Type.Object({ units: Type.Integer(), versions: Type.Array(Type.String()) }),
});

export const ScorecardView = Type.Object({
  vendor: Type.String(),
  devices: Type.Integer(),
  models: Type.Array(Type.String()),
  advisories: Type.Integer(),
  cves: Type.Integer(),
  kev: Type.Integer(),
  fixRate: NullableNumber,
  medianDaysToFix: NullableNumber,
  sbom: Type.Boolean(),
  mds2: Type.Boolean(),
  unsupportedOs: Type.Integer(),
  openFindings: Type.Integer(),
  highestDeviceRisk: Type.Number(),
  score: Type.Number(),
  grade: Type.String(),
  because: Type.Array(Type.String()),
});

export const ComponentMatchView = Type.Object({
  component: Type.Object({ ref: Type.String(), name: Type.String(), version: Type.Optional(Type.String()), type: Type.String() }),
  vulnerability: Type.String(),
  kind: Type.String(),
  reason: MatchReasonView,
  kev: Type.Boolean(),
});

export const ErrorView = Type.Object({ error: Type.String(), message: Type.String() });
