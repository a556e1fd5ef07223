/**
 * Maker and product names as advisories and inventories write them, folded for matching.
 *
 * Makers: `Becton, Dickinson and Company (BD)` and `BD`, `GE Healthcare`, `General Electric (GE)`
 * and `GE HealthCare`, `Philips` and `Philips Healthcare`, `Hillrom` and `Baxter`, `Medtronic `
 * with a trailing space, `Innokas YhtymÃ¤ Oy` mis-encoded. A name is repaired (UTF-8 read as
 * Latin-1), its parenthesised abbreviation kept as a second name, joint names (`Silex Technology
 * and GE Healthcare`) split, and each name folded by the classify library's maker table, by the
 * few folds below, or else to its lower-cased form without legal form and accents.
 *
 * Products: case, punctuation, ™/®, accents, the maker's name repeated in front (`BD Pyxis`),
 * and parenthesised asides, which are kept as the product's other names (`(XTR)`, `(Spot 4400)`).
 */
import { defaultRuleSet, withoutLegalForm, type VendorNames } from '@wardsight/classify';

/**
 * Folds the maker table does not hold, for names ICS medical advisories use: GE's medical
 * advisories name `General Electric (GE)`, Siemens Healthineers' name bare `Siemens`; `Phillips`
 * is a misspelling found in two advisories; St. Jude Medical has been part of Abbott since 2017.
 * Product names still have to match, so a Siemens building controller does not become a scanner.
 */
const OWN_FOLDS: readonly [RegExp, string][] = [
  [/^(?:general electric|ge)$/i, 'GE Healthcare'],
  [/^siemens$/i, 'Siemens Healthineers'],
  [/^phillips\b/i, 'Philips'],
  [/^st\.? jude medical\b/i, 'Abbott'],
];
const JOINT = /\s*,\s*(?:and\s+)?|\s+and\s+/i;
const MARKS = /[\u2122\u00ae\u00a9\u2120]/g;
const CACHE_LIMIT = 5000;

let makers: VendorNames | undefined;

/** The classify library's maker table, loaded on first use. */
function makerTable(): VendorNames {
  makers ??= defaultRuleSet().vendors;
  return makers;
}

/** Repairs text that was UTF-8 read as Latin-1 (`YhtymÃ¤` → `Yhtymä`), else returns it unchanged. */
export function repairEncoding(text: string): string {
  if (!/[\u00c2-\u00f4][\u0080-\u00bf]/.test(text) || [...text].some((c) => c.charCodeAt(0) > 0xff)) return text;
  const repaired = Buffer.from(text, 'latin1').toString('utf8');
  return repaired.includes('\ufffd') ? text : repaired;
}

/**
 * Lower case, accents and ™/® removed, `+` spelt `plus` (`XR656+` is the XR656 Plus), other
 * punctuation turned to spaces, spaces collapsed. A hyphen inside a word stays: a model code such
 * as `GEH-SD-320AN` is one word, not `SD-320AN` and more.
 */
export function foldText(text: string): string {
  return repairEncoding(text)
    .replace(MARKS, '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\+/g, ' plus ')
    .replace(/[^a-z0-9-]+/g, ' ')
    .replace(/-+/g, '-')
    .replace(/(?<![a-z0-9])-|-(?![a-z0-9])/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function bounded<V>(cache: Map<string, V>, key: string, make: () => V): V {
  const known = cache.get(key);
  if (known !== undefined) return known;
  if (cache.size >= CACHE_LIMIT) cache.clear();
  const value = make();
  cache.set(key, value);
  return value;
}

/** The folded key of one maker name: its canonical name where one is known, else the name itself. */
function makerKey(name: string): string {
  const own = OWN_FOLDS.find(([pattern]) => pattern.test(name));
  if (own) return foldText(own[1]);
  const entry = makerTable().entryFor(name);
  if (entry && !entry.nicOnly) return foldText(entry.name);
  return foldText(withoutLegalForm(name));
}

const vendorCache = new Map<string, readonly string[]>();

/**
 * The folded names a maker goes by: `Becton, Dickinson and Company (BD)` → `becton dickinson`;
 * `Silex Technology and GE Healthcare` → `silex technology`, `ge healthcare`. Empty for a blank name.
 */
export function vendorKeys(vendor: string): readonly string[] {
  return bounded(vendorCache, vendor, () => {
    const tidy = repairEncoding(vendor).replace(/\s+/g, ' ').trim();
    const abbreviation = /\(([^()]+)\)\s*$/.exec(tidy)?.[1];
    const main = tidy.replace(/\s*\([^()]*\)\s*/g, ' ').trim();
    const names = abbreviation ? [main, abbreviation] : [main];
    const claimed = makerTable().entryFor(main);
    if ((!claimed || claimed.nicOnly) && JOINT.test(withoutLegalForm(main))) {
      names.push(...withoutLegalForm(main).split(JOINT));
    }
    const keys = names.map((name) => name.trim()).filter((name) => name !== '').map(makerKey);
    return [...new Set(keys.filter((key) => key !== ''))];
  });
}

/** Whether two maker names name the same maker (one shared folded name is enough). */
export function sameVendor(a: string, b: string): boolean {
  const left = vendorKeys(a);
  return vendorKeys(b).some((key) => left.includes(key));
}

/**
 * A product name ready for matching: its folded main name, its other names, all its words, and
 * the words it lists as alternatives with a slash (`MP2/X2`, `FM20/FM30/FM40`).
 */
export interface ProductName {
  main: string;
  aliases: readonly string[];
  tokens: ReadonlySet<string>;
  alternatives: readonly (readonly string[])[];
}

/** Drops the maker's name where the product repeats it in front: `BD Pyxis ES` → `pyxis es`. */
function withoutMaker(folded: string, vendor: string | undefined): string {
  if (vendor === undefined || vendor.trim() === '') return folded;
  const words = folded.split(' ');
  for (let take = 1; take < words.length && take <= 4; take++) {
    if (sameVendor(words.slice(0, take).join(' '), vendor)) return words.slice(take).join(' ');
  }
  return folded;
}

const productCache = new Map<string, ProductName>();

/**
 * Folds a product name for matching: `BD Pyxis™ ES (PAS)` with maker `BD` → main `pyxis es`,
 * alias `pas`. Names joined by ` / ` (a CSAF path, or two names for one product) each become an
 * alias as well.
 */
export function productName(name: string, vendor?: string): ProductName {
  return bounded(productCache, `${vendor ?? ''}\u0000${name}`, () => {
    const asides = [...name.matchAll(/\(([^()]*)\)/g)].map((m) => m[1] ?? '');
    const bare = name.replace(/\([^()]*\)/g, ' ');
    const segments = bare.includes(' / ') ? bare.split(' / ') : [];
    const main = withoutMaker(foldText(bare), vendor);
    const aliases = [...asides, ...segments].map((text) => withoutMaker(foldText(text), vendor)).filter((a) => a !== '' && a !== main);
    // A hyphenated code also stands written without its hyphens (`SD-320AN`, `SD320AN`).
    const written = [main, ...aliases].flatMap((text) => text.split(' ')).filter((t) => t !== '');
    const tokens = new Set(written.flatMap((t) => (t.includes('-') ? [t, t.replace(/-/g, '')] : [t])));
    const alternatives = [...bare.matchAll(/[\p{L}\p{N}-]+(?:\/[\p{L}\p{N}-]+)+/gu)].map((m) => m[0].split('/').map(foldText));
    return { main, aliases: [...new Set(aliases)], tokens, alternatives };
  });
}

/** How a device model matched a product name, strongest first. */
export type ProductMatchKind = 'exact' | 'alias' | 'model-in-product' | 'product-in-model';

export interface ProductMatch {
  kind: ProductMatchKind;
  /** The folded names compared: `mx40 ⊂ intellivue mx40 patient worn monitor`. */
  on: string;
}

/** Words that say what kind of thing a product is, not which one. */
const GENERIC = new Set([
  'system', 'systems', 'software', 'device', 'devices', 'unit', 'units', 'product', 'products', 'series', 'family',
  'model', 'models', 'application', 'app', 'platform', 'version', 'the', 'with', 'and', 'for', 'of', 'only', 'all',
]);

/** A word that tells one model from its siblings: letters with digits (`mx40`), or a number of 3+ digits. */
function identifies(token: string): boolean {
  return /\d/.test(token) && (/[a-z]/.test(token) || token.length >= 3);
}

/** Words that name a variant of a model: `XR656 Plus` is not the XR656, `CoaguChek XS Pro` not the XS Plus. */
const VARIANTS = new Set(['plus', 'pro', 'max', 'mini', 'lite', 'light', 'ultra', 'xl', 'xs', 'se', 'neo', 'ii', 'iii', 'iv']);

function words(text: string): string[] {
  return text === '' ? [] : text.split(' ');
}

/** The words of `name` that `others` lacks, a hyphenated code and its unhyphenated spelling counting as one. */
function extraWords(name: readonly string[], others: readonly string[]): string[] {
  const known = new Set(others.map((word) => word.replace(/-/g, '')));
  return name.filter((word) => !known.has(word.replace(/-/g, '')));
}

/**
 * Whether `extra` — a word one name has and the other lacks — tells a different model: a model
 * word or a variant word, unless the name lists it as an alternative beside a shared word
 * (`MP2/X2` names the X2 too).
 */
function namesAnotherModel(extra: string, name: ProductName, shared: readonly string[]): boolean {
  if (!identifies(extra) && !VARIANTS.has(extra)) return false;
  return !name.alternatives.some((list) => list.includes(extra) && list.some((word) => shared.includes(word)));
}

/**
 * Whether a device's model is the product a statement names, and how: the same folded name,
 * hyphens aside (`exact`: `Wi-Fi` and `WiFi`, `SD-320AN` and `SD320AN`); the device's name is one of the product's other names (`alias`: `XTR` for `Xhibit
 * Telemetry Receiver (XTR)`); every word of the model is a word of the product and one of them
 * is a model word or the rest only says what kind of thing it is (`model-in-product`: `MX40` in
 * `IntelliVue MX40 Patient Worn Monitor`); or the reverse, where the product carries a model word
 * (`product-in-model`). Whole words only, so `MX40` never matches `MX400` nor `Spot 4400` match
 * `Spot 4800`; and in the last two, a model or variant word on one side only is a sibling model
 * (`MedStation 4000` is not `MedStation 4000 T2`, `XR656` not `XR656 Plus`) unless the name lists
 * it as an alternative (`MP2/X2`). `vendor` lets the maker's name in front of either be ignored.
 */
export function productMatches(deviceModel: string, product: string, vendor?: string): ProductMatch | null {
  const device = productName(deviceModel, vendor);
  const named = productName(product, vendor);
  if (device.main === '' || named.main === '') return null;
  if (device.main.replace(/-/g, '') === named.main.replace(/-/g, '')) return { kind: 'exact', on: named.main };
  if (named.aliases.includes(device.main)) return { kind: 'alias', on: `${device.main} = (${device.main}) of ${named.main}` };
  if (device.aliases.includes(named.main)) return { kind: 'alias', on: `(${named.main}) of ${device.main} = ${named.main}` };
  const model = words(device.main);
  if (model.every((token) => named.tokens.has(token))) {
    const rest = extraWords(words(named.main), model);
    const identified = model.some(identifies) || rest.every((token) => GENERIC.has(token));
    if (identified && !rest.some((extra) => namesAnotherModel(extra, named, model))) {
      return { kind: 'model-in-product', on: `${device.main} ⊂ ${named.main}` };
    }
  }
  const productWords = words(named.main);
  if (productWords.some(identifies) && productWords.every((token) => device.tokens.has(token))) {
    const rest = extraWords(model, productWords);
    if (!rest.some((extra) => namesAnotherModel(extra, device, productWords))) {
      return { kind: 'product-in-model', on: `${named.main} ⊂ ${device.main}` };
    }
  }
  return null;
}
