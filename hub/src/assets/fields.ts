/**
 * What the hub keeps of a hospital's asset register: one record per asset, each field with where it
 * came from (`cmms:<file name>` or `technician:<username>`) and when. Pure types and the small
 * normalisations that matching and comparison rely on.
 */

/** Fields of an asset record; `mac`, `hostname` and `serialNumber` also serve to find its device. */
export const ASSET_FIELDS = ['assetTag', 'serialNumber', 'department', 'room', 'owner', 'criticality', 'mac', 'hostname', 'ip', 'vendor', 'model'] as const;
export type AssetField = (typeof ASSET_FIELDS)[number];

/** How much a device's failure would hurt patients, in the hub's own words. */
export const CRITICALITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Criticality = (typeof CRITICALITIES)[number];

export const isAssetField = (name: string): name is AssetField => (ASSET_FIELDS as readonly string[]).includes(name);
export const isCriticality = (word: string): word is Criticality => (CRITICALITIES as readonly string[]).includes(word);

/** One field's value, who stated it and when. */
export interface FieldValue {
  value: string;
  /** `cmms:<file name>` or `technician:<username>`. */
  source: string;
  /** ISO 8601 time the value was stated (first imported or set). */
  at: string;
}

export interface AssetRecord {
  /** `tag:<asset tag>`, or `serial:<serial number>` for an asset the register lists without a tag. */
  key: string;
  fields: Partial<Record<AssetField, FieldValue>>;
  /**
   * Values an import offered for fields a technician had set: the technician's value stays, and the
   * disagreement is listed as a conflict until the two agree.
   */
  offers: Partial<Record<AssetField, FieldValue>>;
  /** The device a technician tied this asset to by setting its fields on that device, if any. */
  pinnedDevice?: string;
  createdAt: string;
}

export const cmmsSource = (fileName: string): string => `cmms:${fileName}`;
export const technicianSource = (username: string): string => `technician:${username}`;
export const isTechnicianSource = (source: string): boolean => source.startsWith('technician:');

/** The record key for an asset: its tag where it has one, else its serial number. */
export function assetKey(assetTag: string | undefined, serialNumber: string | undefined): string | null {
  if (assetTag) return `tag:${assetTag}`;
  if (serialNumber) return `serial:${serialNumber}`;
  return null;
}

/** The name a person reads for an asset: its tag, or its serial number. */
export const assetName = (key: string): string => key.slice(key.indexOf(':') + 1);

/**
 * A MAC address in any of the usual spellings (`00:09:FB:12:34:56`, `00-09-fb-12-34-56`,
 * `0009.fb12.3456`, `0009fb123456`) as the inventory writes it, lower case with colons; null when
 * the text is not a MAC address.
 */
export function normaliseMac(text: string): string | null {
  const trimmed = text.trim();
  if (!/^(?:[0-9a-f]{2}([:-])(?:[0-9a-f]{2}\1){4}[0-9a-f]{2}|[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}|[0-9a-f]{12})$/i.test(trimmed)) return null;
  const hex = trimmed.replace(/[:.-]/g, '').toLowerCase();
  return hex.match(/../g)?.join(':') ?? null;
}

/** A host name's first label in lower case: `ICU-MON-3.ward.example.org` and `icu-mon-3` name one host. */
export const shortHostname = (name: string): string => (name.trim().split('.', 1)[0] ?? '').toLowerCase();

/** A serial number as compared: registers and devices disagree on case and surrounding spaces. */
export const comparableSerial = (serial: string): string => serial.trim().toUpperCase();

/** Letters and digits only, lower case: `B. Braun Melsungen AG` → `bbraunmelsungenag`. */
const letters = (text: string): string => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/**
 * Whether a register's vendor or model and the one the sensors found say the same thing. Registers
 * write makers and models at length (`B. Braun Melsungen AG`, `Infusomat Space Large Volume Pump`)
 * where the inventory has the short form (`B. Braun`, `Infusomat Space`): one containing the other,
 * ignoring case, spaces and punctuation, counts as agreement.
 */
export function sameProduct(a: string, b: string): boolean {
  const x = letters(a);
  const y = letters(b);
  if (!x || !y) return x === y;
  return x.includes(y) || y.includes(x);
}

/** Whether two values of a field say the same: host names by short name, serials ignoring case. */
export function sameValue(field: AssetField, a: string, b: string): boolean {
  if (field === 'hostname') return shortHostname(a) === shortHostname(b);
  if (field === 'serialNumber') return comparableSerial(a) === comparableSerial(b);
  return a === b;
}
