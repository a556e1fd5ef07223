/**
 * NIC vendor from the IEEE registry (MA-L, MA-M and MA-S assignments, via the `oui-data` package).
 * The registry names one maker in many ways ("Philips Patient Monitoring", "PHILIPS ELECTRONICS UK
 * LTD", …); `canonicalVendor` folds them into one name so the inventory groups them.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface VendorMatch {
  /** Canonical maker name, e.g. `Philips`. */
  vendor: string;
  /** The registry's own organisation name, kept as evidence. */
  organisation: string;
  /** The assignment that matched, upper-case hex: 6 (MA-L), 7 (MA-M) or 9 (MA-S) digits. */
  assignment: string;
}

/** Ordered: the first pattern that matches the registry name wins. */
const CANONICAL: readonly (readonly [RegExp, string])[] = [
  [/^philips/i, 'Philips'],
  [/^ge healthcare|^ge medical|^general electric/i, 'GE Healthcare'],
  [/^siemens health|^siemens medical/i, 'Siemens Healthineers'],
  [/^baxter/i, 'Baxter'],
  [/^becton|^bd\b|^carefusion|^alaris/i, 'Becton Dickinson'],
  [/^icu medical|^hospira/i, 'ICU Medical'],
  [/^mindray|^shenzhen mindray/i, 'Mindray'],
  [/^dr(a|ä)eger|^drägerwerk/i, 'Draeger'],
  [/^fresenius/i, 'Fresenius'],
  [/^medtronic/i, 'Medtronic'],
  [/^nihon kohden/i, 'Nihon Kohden'],
  [/^spacelabs/i, 'Spacelabs'],
  [/^welch allyn/i, 'Welch Allyn'],
  [/^zebra technologies/i, 'Zebra Technologies'],
  [/^dell\b|^dell inc|^dell emc|^dell technologies/i, 'Dell'],
  [/^hewlett packard enterprise/i, 'HPE'],
  [/^hewlett[- ]packard|^hp inc/i, 'HP'],
  [/^cisco/i, 'Cisco'],
  [/^lenovo|^lcfc/i, 'Lenovo'],
];

const SUFFIX = /[,.]?\s+(inc|ltd|llc|gmbh|b\.?v|co|corp|corporation|company|limited|ag|s\.?a|kg|kgaa|plc)\.?$/i;

/** Canonical maker name for a registry organisation name. */
export function canonicalVendor(organisation: string): string {
  for (const [pattern, name] of CANONICAL) if (pattern.test(organisation)) return name;
  let name = organisation.trim();
  for (let i = 0; i < 3 && SUFFIX.test(name); i++) name = name.replace(SUFFIX, '').trim();
  return name;
}

let registry: Map<string, string> | undefined;

/** One entry of the package's JSON: `"0009FB": "Organisation\nStreet…"`; only the first line is kept. */
const ENTRY = /"([0-9A-F]{6,9})":\s*"((?:[^"\\]|\\[^n])*)/g;

/**
 * The registry, loaded on first use (not at import): assignment → organisation name. The package's
 * JSON also carries each maker's postal address; scanning the text for the names alone, rather than
 * parsing it whole, keeps the thread that loads it some 20 MB smaller.
 */
function loadRegistry(): Map<string, string> {
  if (registry) return registry;
  const require = createRequire(import.meta.url);
  const text = readFileSync(require.resolve('oui-data'), 'utf8');
  const names = new Map<string, string>();
  registry = new Map();
  for (const m of text.matchAll(ENTRY)) {
    const raw = m[2] ?? '';
    const unescaped = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
    // One flat string per distinct name, so the file's text can be collected.
    let name = names.get(unescaped);
    if (name === undefined) {
      name = Buffer.from(unescaped, 'utf8').toString('utf8');
      names.set(name, name);
    }
    registry.set(m[1] ?? '', name);
  }
  return registry;
}

const HEX = '0123456789ABCDEF';

/** Looks up the longest registry assignment covering a 48-bit MAC address. */
export function lookupVendor(mac: number): VendorMatch | null {
  // Locally administered addresses (bit 1 of the first octet) are not in the registry.
  const first = Math.floor(mac / 2 ** 40);
  if (first & 0x02) return null;
  let hex = '';
  for (let shift = 44; shift >= 0; shift -= 4) hex += HEX[Math.floor(mac / 2 ** shift) % 16];
  const table = loadRegistry();
  for (const digits of [9, 7, 6]) {
    const assignment = hex.slice(0, digits);
    const organisation = table.get(assignment);
    if (organisation !== undefined) {
      if (/^private$/i.test(organisation)) return null;
      return { vendor: canonicalVendor(organisation), organisation, assignment };
    }
  }
  return null;
}
