/** What the API shows of the asset register: schemas (which also keep internal fields out) and views. */
import { Type, type Static } from '@sinclair/typebox';
import type { AssetConflict } from './conflicts.js';
import { ASSET_FIELDS, CRITICALITIES, assetName, type AssetRecord } from './fields.js';
import type { AssetLink } from './links.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const FieldValueView = Type.Object({
  value: Type.String(),
  /** `cmms:<file name>` or `technician:<username>`. */
  source: Type.String(),
  at: Type.String(),
});

const FieldMap = Type.Partial(Type.Object(Object.fromEntries(ASSET_FIELDS.map((f) => [f, FieldValueView])) as Record<(typeof ASSET_FIELDS)[number], typeof FieldValueView>));

export const AssetView = Type.Object({
  /** The asset's tag, or its serial number where the register gives no tag. */
  asset: Type.String(),
  /** How the hub keys it: `tag:<asset tag>` or `serial:<serial number>`. */
  key: Type.String(),
  fields: FieldMap,
  /** Register values not taken because a technician set the field (each is also a conflict). */
  offers: FieldMap,
  /** `linked`, `not-seen` (no device on the network matches yet) or `ambiguous` (a key names several). */
  state: Type.Union([Type.Literal('linked'), Type.Literal('not-seen'), Type.Literal('ambiguous')]),
  /** The device it links to now, or null. */
  device: Nullable(Type.String()),
  matchedBy: Type.Union([Type.Literal('technician'), Type.Literal('mac'), Type.Literal('serialNumber'), Type.Literal('hostname'), Type.Null()]),
  /** Conflicts that name this asset. */
  conflicts: Type.Integer(),
});
export type AssetView = Static<typeof AssetView>;

export const ConflictView = Type.Object({
  kind: Type.Union([Type.Literal('sensors-differ'), Type.Literal('technician-kept'), Type.Literal('identity-split'), Type.Literal('ambiguous-match'), Type.Literal('shared-device')]),
  asset: Type.String(),
  device: Nullable(Type.String()),
  field: Type.String(),
  value: Type.String(),
  source: Type.String(),
  at: Nullable(Type.String()),
  otherValue: Nullable(Type.String()),
  otherSource: Type.String(),
  otherAt: Nullable(Type.String()),
  otherDevice: Nullable(Type.String()),
  otherAsset: Nullable(Type.String()),
  message: Type.String(),
});
export type ConflictView = Static<typeof ConflictView>;

export const ImportOutcomeView = Type.Object({
  rows: Type.Integer(),
  matched: Type.Integer(),
  notSeen: Type.Integer(),
  ambiguous: Type.Integer(),
  unchanged: Type.Integer(),
  conflicts: Type.Integer(),
  openConflicts: Type.Integer(),
});

/** An error answer; a fault in a register file also says where: row (header = 1) and column. */
export const AssetErrorView = Type.Object({
  error: Type.String(),
  message: Type.String(),
  row: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
  column: Type.Optional(Nullable(Type.String())),
});

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: '^(?=.*\\S)[^\\x00-\\x1f\\x7f]+$' });

/** What a technician may set on a device's asset; its MAC is the device's own. */
export const TechnicianValuesBody = Type.Object(
  {
    assetTag: Type.Optional(Text(256)),
    serialNumber: Type.Optional(Text(256)),
    department: Type.Optional(Text(256)),
    room: Type.Optional(Text(256)),
    owner: Type.Optional(Text(256)),
    criticality: Type.Optional(Type.Union(CRITICALITIES.map((c) => Type.Literal(c)))),
    hostname: Type.Optional(Text(253)),
    ip: Type.Optional(Text(45)),
    vendor: Type.Optional(Text(256)),
    model: Type.Optional(Text(256)),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type TechnicianValuesBody = Static<typeof TechnicianValuesBody>;

export function assetView(record: AssetRecord, link: AssetLink | undefined, conflicts: readonly AssetConflict[]): AssetView {
  const name = assetName(record.key);
  return {
    asset: name,
    key: record.key,
    fields: record.fields,
    offers: record.offers,
    state: link?.state ?? 'not-seen',
    device: link?.device?.key ?? null,
    matchedBy: link?.by ?? null,
    conflicts: conflicts.filter((c) => c.asset === name || c.otherAsset === name).length,
  };
}
