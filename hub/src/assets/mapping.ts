/**
 * The column mapping of a CMMS export: which CSV column holds which asset field, the delimiter, and
 * the CMMS's own criticality words in the hub's terms. YAML (or JSON, which YAML reads as well):
 *
 *   delimiter: ";"
 *   columns: { assetTag: Asset No, serialNumber: Serial, mac: MAC Address, criticality: Risk Class }
 *   criticality: { Life support: critical, Therapeutic: high }
 */
import { parseDocument } from 'yaml';
import { HubError } from '../errors.js';
import { ASSET_FIELDS, CRITICALITIES, isAssetField, isCriticality, type AssetField, type Criticality } from './fields.js';

export const mappingDefaults = {
  delimiter: ',',
  /** A mapping is a few dozen lines; anything far larger is not one. */
  maxBytes: 64 * 1024,
  maxColumnNameLength: 128,
  maxDelimiterLength: 4,
  maxCriticalityWords: 200,
} as const;

export interface AssetMapping {
  delimiter: string;
  /** Asset field → header name of the column that holds it. */
  columns: Partial<Record<AssetField, string>>;
  /** The CMMS's criticality words, trimmed and in lower case, → the hub's. */
  criticality: Map<string, Criticality>;
}

const TOP_LEVEL = ['delimiter', 'columns', 'criticality'];

const refuse = (detail: string): HubError => new HubError('HUB_ERR_ASSET_MAPPING', detail);

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads and checks a mapping; every fault is a HUB_ERR_ASSET_MAPPING naming the key at fault. */
export function parseMapping(text: string): AssetMapping {
  if (Buffer.byteLength(text, 'utf8') > mappingDefaults.maxBytes) throw refuse(`it is over ${mappingDefaults.maxBytes / 1024} KiB; a mapping lists columns, not data`);
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) throw refuse(`not valid YAML or JSON: ${first.message.split('\n', 1)[0] ?? ''}`);
  const raw: unknown = doc.toJS({ maxAliasCount: 10 });
  if (!isPlainObject(raw)) throw refuse('expected a mapping with the keys delimiter, columns and criticality');
  const unknown = Object.keys(raw).filter((k) => !TOP_LEVEL.includes(k));
  if (unknown.length) throw refuse(`unknown key ${JSON.stringify(unknown[0])}; the keys are ${TOP_LEVEL.join(', ')}`);
  return { delimiter: delimiterOf(raw.delimiter), columns: columnsOf(raw.columns), criticality: criticalityOf(raw.criticality) };
}

function delimiterOf(value: unknown): string {
  if (value === undefined || value === null) return mappingDefaults.delimiter;
  if (typeof value !== 'string' || value.length < 1 || value.length > mappingDefaults.maxDelimiterLength) {
    throw refuse(`delimiter must be text of 1 to ${mappingDefaults.maxDelimiterLength} characters, such as "," or ";" or "\\t"`);
  }
  // A delimiter made of the quote character or a line break would make every file ambiguous.
  if (/["\r\n]/.test(value)) throw refuse(`delimiter ${JSON.stringify(value)} may not contain a double quote or a line break`);
  return value;
}

function columnsOf(value: unknown): Partial<Record<AssetField, string>> {
  if (!isPlainObject(value)) throw refuse(`columns must map asset fields (${ASSET_FIELDS.join(', ')}) to CSV header names`);
  const columns: Partial<Record<AssetField, string>> = {};
  for (const [field, given] of Object.entries(value)) {
    if (!isAssetField(field)) throw refuse(`columns.${field} is not an asset field; the fields are ${ASSET_FIELDS.join(', ')}`);
    // YAML reads a header such as 2024 as a number; it is still a header name.
    const header = typeof given === 'number' ? String(given) : given;
    if (typeof header !== 'string' || !header.trim() || header.length > mappingDefaults.maxColumnNameLength) {
      throw refuse(`columns.${field} must be the header name of a column (1 to ${mappingDefaults.maxColumnNameLength} characters)`);
    }
    columns[field] = header.trim();
  }
  if (!columns.assetTag && !columns.serialNumber) throw refuse('columns must name the assetTag column, the serialNumber column or both: each asset is kept under one of them');
  return columns;
}

function criticalityOf(value: unknown): Map<string, Criticality> {
  const words = new Map<string, Criticality>();
  if (value === undefined || value === null) return words;
  if (!isPlainObject(value)) throw refuse(`criticality must map the CMMS's words to ${CRITICALITIES.join(' | ')}`);
  const entries = Object.entries(value);
  if (entries.length > mappingDefaults.maxCriticalityWords) throw refuse(`criticality lists ${entries.length} words; at most ${mappingDefaults.maxCriticalityWords}`);
  for (const [word, ours] of entries) {
    const key = word.trim().toLowerCase();
    if (!key) throw refuse('criticality has an empty word');
    if (typeof ours !== 'string' || !isCriticality(ours)) throw refuse(`criticality.${word} is ${JSON.stringify(ours)}; it must be one of ${CRITICALITIES.join(', ')}`);
    const earlier = words.get(key);
    // Words are matched ignoring case, so two spellings of one word must agree.
    if (earlier && earlier !== ours) throw refuse(`criticality lists ${JSON.stringify(word)} twice (ignoring case), as ${earlier} and as ${ours}`);
    words.set(key, ours);
  }
  return words;
}

/** The hub's criticality for a CMMS word: the mapping's, else the hub's own words as they are. */
export function criticalityFor(mapping: AssetMapping, word: string): Criticality | null {
  const key = word.trim().toLowerCase();
  const mapped = mapping.criticality.get(key);
  if (mapped) return mapped;
  return isCriticality(key) ? key : null;
}
