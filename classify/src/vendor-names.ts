/**
 * One maker, one name. The IEEE registry lists a maker under many organisation names ("Philips
 * Patient Monitoring", "Philips Medical Systems Nederland B.V.", …) and devices spell their maker
 * their own way ("GEHC", "BD"); `rules/vendors.json` folds them into the name the inventory shows.
 */

export interface VendorEntry {
  id: string;
  /** The canonical name, e.g. `Philips`. */
  name: string;
  source: string;
  /** Case-insensitive patterns over the whitespace-collapsed name; the first entry that matches wins. */
  patterns: readonly RegExp[];
  /**
   * Makes network modules or chipsets that other makers build in: its OUI names the module, not
   * the device, so it is never concluded as the device's vendor.
   */
  nicOnly: boolean;
  /** Registry or device spellings that must come out as `name`. */
  examples: readonly string[];
}

/** Legal-form suffixes dropped from names no entry knows (ISO 20275 entity legal forms, the common ones). */
const LEGAL_SUFFIX = /(?:[,.]\s*|\s+)(?:inc|incorporated|ltd|llc|gmbh|b\.?\s?v|n\.?\s?v|co|corp|corporation|company|limited|ag|s\.?a|s\.?p\.?a|kg|kgaa|plc|oy|ab|as|a\/s|pty|s\.?r\.?l|sas|k\.?k)\.?$/i;
const AND_CO = /\s*(?:&|and)\s+co\.?$/i;

/** Whitespace collapsed and trimmed. */
function tidy(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** A registry name without its legal form: `Acme Medical Devices Co., Ltd.` → `Acme Medical Devices`. */
export function withoutLegalForm(text: string): string {
  let name = tidy(text);
  for (let i = 0; i < 4; i++) {
    const shorter = name.replace(LEGAL_SUFFIX, '').replace(AND_CO, '').replace(/[,\s]+$/, '').trim();
    if (shorter === name || shorter === '') break;
    name = shorter;
  }
  return name;
}

export class VendorNames {
  private readonly canonical: ReadonlyMap<string, string>;

  constructor(readonly entries: readonly VendorEntry[]) {
    this.canonical = new Map(entries.filter((e) => !e.nicOnly).map((e) => [e.name.toLowerCase(), e.name]));
  }

  /** The entry that claims this name, if any. */
  entryFor(text: string): VendorEntry | undefined {
    const name = tidy(text);
    if (name === '') return undefined;
    return this.entries.find((entry) => entry.patterns.some((pattern) => pattern.test(name)));
  }

  /**
   * The maker's canonical name, or null when the text names a module maker or nothing. Names no
   * entry knows come back without their legal form, so unknown makers still group.
   */
  normalise(text: string): string | null {
    const name = tidy(text);
    if (name === '') return null;
    const entry = this.entryFor(name);
    if (entry) return entry.nicOnly ? null : entry.name;
    const known = this.canonical.get(name.toLowerCase());
    if (known) return known;
    const bare = withoutLegalForm(name);
    return bare === '' ? null : bare;
  }

  /** Whether `name` is, exactly, one of the canonical names. */
  isCanonical(name: string): boolean {
    return this.canonical.get(name.toLowerCase()) === name;
  }
}
