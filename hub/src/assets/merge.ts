/**
 * How a register row, or a technician's statement, changes one asset record. Pure functions over a
 * copy: the register compares the result with what it holds and writes only what changed, so the
 * same file imported twice writes nothing the second time.
 */
import { ASSET_FIELDS, isTechnicianSource, sameValue, type AssetField, type AssetRecord } from './fields.js';

export type AssetValues = Partial<Record<AssetField, string>>;

const fieldsOf = (values: AssetValues): [AssetField, string][] => ASSET_FIELDS.flatMap((f) => (values[f] ? [[f, values[f]] as [AssetField, string]] : []));

/** The offers but the one for `field`. */
const withoutOffer = (offers: AssetRecord['offers'], field: AssetField): AssetRecord['offers'] => Object.fromEntries(Object.entries(offers).filter(([f]) => f !== field));

export function emptyRecord(key: string, at: string): AssetRecord {
  return { key, fields: {}, offers: {}, createdAt: at };
}

/**
 * A CMMS row over the record. A blank value says nothing and changes nothing. A value that differs
 * from an earlier import replaces it (the newer export is the register's current word). A value that
 * differs from one a technician set is not taken: it is kept beside it as an offer, which the conflict
 * list shows until the two agree.
 */
export function mergeRegisterRow(before: AssetRecord | undefined, key: string, values: AssetValues, source: string, at: string): AssetRecord {
  const next: AssetRecord = before ? structuredClone(before) : emptyRecord(key, at);
  next.key = key;
  for (const [field, value] of fieldsOf(values)) {
    const held = next.fields[field];
    if (!held) {
      next.fields[field] = { value, source, at };
    } else if (sameValue(field, held.value, value)) {
      // Agreement: nothing is pending any more, and the first statement keeps its source and time.
      next.offers = withoutOffer(next.offers, field);
    } else if (isTechnicianSource(held.source)) {
      const offered = next.offers[field];
      if (!offered || !sameValue(field, offered.value, value)) next.offers[field] = { value, source, at };
    } else {
      next.fields[field] = { value, source, at };
    }
  }
  return next;
}

/**
 * A technician's values over the record: they are what the technician saw at the device, so they
 * replace any value, and the asset is pinned to that device. An offer the technician now agrees
 * with is settled; one that still differs stays listed.
 */
export function mergeTechnicianValues(before: AssetRecord | undefined, key: string, values: AssetValues, source: string, at: string, deviceKey: string): AssetRecord {
  const next: AssetRecord = before ? structuredClone(before) : emptyRecord(key, at);
  for (const [field, value] of fieldsOf(values)) {
    const held = next.fields[field];
    if (!held || held.source !== source || held.value !== value) next.fields[field] = { value, source, at };
    const offered = next.offers[field];
    if (offered && sameValue(field, offered.value, value)) next.offers = withoutOffer(next.offers, field);
  }
  next.pinnedDevice = deviceKey;
  return next;
}

/** Whether two records say exactly the same (so that nothing need be written). */
export const sameRecord = (a: AssetRecord | undefined, b: AssetRecord): boolean => a !== undefined && JSON.stringify(a) === JSON.stringify(b);

