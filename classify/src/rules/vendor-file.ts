/**
 * `rules/vendors.json`: `{"version", "rules": [{id, name, source, match: [regex…], nicOnly?, examples: [name…]}]}`.
 * Every example must come out as its entry's name (and not be claimed by an earlier entry).
 */
import { VendorNames, type VendorEntry } from '../vendor-names.js';
import { array, fail, idOf, object, onlyKeys, regex, text, type Json, type Place } from './check.js';

const ENTRY_KEYS = ['id', 'name', 'source', 'match', 'nicOnly', 'examples'];

export function parseVendorFile(file: string, json: Json): { version: string; vendors: VendorNames } {
  const filePlace: Place = { file, code: 'CLASSIFY_ERR_RULE_FILE' };
  const root = object(filePlace, '', json);
  onlyKeys(filePlace, '', root, ['version', 'description', 'rules']);
  const version = text(filePlace, 'version', root['version']);
  const entries: VendorEntry[] = [];
  const ids = new Set<string>();
  for (const [i, raw] of array(filePlace, 'rules', root['rules']).entries()) {
    const id = idOf(raw, i);
    const place: Place = { file, rule: id, code: 'CLASSIFY_ERR_VENDOR' };
    const entry = object(place, '', raw);
    onlyKeys(place, '', entry, ENTRY_KEYS);
    text(place, 'id', entry['id']);
    if (ids.has(id)) fail(place, 'id', 'is used twice');
    ids.add(id);
    const nicOnly = entry['nicOnly'] ?? false;
    if (typeof nicOnly !== 'boolean') fail(place, 'nicOnly', 'must be true or false');
    const patterns = array(place, 'match', entry['match']).map((p, j) => regex(place, `match[${j}]`, text(place, `match[${j}]`, p), true));
    if (patterns.length === 0) fail(place, 'match', 'must list at least one pattern');
    const examples = array(place, 'examples', entry['examples']).map((e, j) => text(place, `examples[${j}]`, e));
    if (examples.length === 0) fail(place, 'examples', 'must list at least one name the entry folds');
    entries.push({ id, name: text(place, 'name', entry['name']), source: text(place, 'source', entry['source']), patterns, nicOnly, examples });
  }
  const vendors = new VendorNames(entries);
  for (const entry of entries) {
    for (const example of entry.examples) {
      const claimedBy = vendors.entryFor(example);
      if (claimedBy !== entry) {
        const by = claimedBy ? `entry '${claimedBy.id}' (${claimedBy.name})` : 'no entry';
        fail({ file, rule: entry.id, code: 'CLASSIFY_ERR_VENDOR' }, 'examples', `'${example}' is folded by ${by}, not by this one`);
      }
    }
  }
  return { version, vendors };
}
