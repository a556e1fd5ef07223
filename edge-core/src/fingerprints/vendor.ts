/**
 * NIC vendor from the IEEE registry (MA-L, MA-M and MA-S assignments, via the `oui-data` package).
 * The registry names one maker in many ways ("Philips Patient Monitoring", "PHILIPS ELECTRONICS UK
 * LTD", …); `canonicalVendor` folds them into one name so the inventory groups them.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
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

/**
 * The registry as the package ships it (its JSON text, one `"0009FB": "Organisation\nStreet…"` entry
 * per line) in shared memory, with a sorted index of assignments beside it: built once per process
 * and handed to every shard, which look names up in place. Nothing is parsed whole and nothing is
 * copied per thread.
 */
export interface VendorRegistryBuffers {
  /** The package's JSON text, as bytes. */
  text: SharedArrayBuffer;
  /** Float64 keys then Uint32 text offsets of each name, in sections of 6-, 7- and 9-digit assignments, each sorted. */
  index: SharedArrayBuffer;
  /** Entries in each section: 6 (MA-L), 7 (MA-M) and 9 (MA-S) digits. */
  sections: [number, number, number];
}

const DIGITS = [6, 7, 9] as const;

let built: VendorRegistryBuffers | undefined;

/** The registry's shared buffers, built on the first call (a few milliseconds) and kept for the process. */
export function vendorRegistryBuffers(): VendorRegistryBuffers {
  if (built) return built;
  const require = createRequire(import.meta.url);
  const path = require.resolve('oui-data');
  const fd = openSync(path, 'r');
  let text: SharedArrayBuffer;
  try {
    text = new SharedArrayBuffer(fstatSync(fd).size);
    const bytes = new Uint8Array(text);
    let at = 0;
    while (at < bytes.length) {
      const n = readSync(fd, bytes, at, bytes.length - at, at);
      if (n === 0) break;
      at += n;
    }
  } finally {
    closeSync(fd);
  }
  built = indexRegistry(text);
  return built;
}

/** Indexes the lines that open with an assignment (` "0009FB": "`), in one pass and without an object per entry. */
export function indexRegistry(text: SharedArrayBuffer): VendorRegistryBuffers {
  const b = new Uint8Array(text);
  let lines = 1;
  for (let at = b.indexOf(0x0a); at >= 0; at = b.indexOf(0x0a, at + 1)) lines++;
  const keys = new Float64Array(lines);
  const offsets = new Uint32Array(lines);
  const sectionOf = new Uint8Array(lines);
  const counts: [number, number, number] = [0, 0, 0];
  let n = 0;
  let line = 0;
  while (line < b.length) {
    let next = b.indexOf(0x0a, line);
    if (next < 0) next = b.length;
    let at = line;
    while (b[at] === 0x20) at++;
    if (b[at] === 0x22) {
      let key = 0;
      let digits = 0;
      for (at++; ; at++) {
        const c = b[at] ?? 0;
        const v = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
        if (v < 0) break;
        key = key * 16 + v;
        digits++;
      }
      const section = DIGITS.indexOf(digits as 6 | 7 | 9);
      // `"KEY": "` — the name starts after the opening quote of the value.
      const open = b[at] === 0x22 && b[at + 1] === 0x3a ? b.indexOf(0x22, at + 2) : -1;
      if (section >= 0 && open > 0 && open < next) {
        keys[n] = key;
        offsets[n] = open + 1;
        sectionOf[n] = section;
        counts[section as 0 | 1 | 2] += 1;
        n++;
      }
    }
    line = next + 1;
  }
  // Sections in order, in the package's order within each, which is by key; sorted only if not.
  const index = new SharedArrayBuffer(n * 12);
  const sortedKeys = new Float64Array(index, 0, n);
  const sortedOffsets = new Uint32Array(index, n * 8, n);
  const next = [0, counts[0], counts[0] + counts[1]];
  for (let i = 0; i < n; i++) {
    const section = sectionOf[i] ?? 0;
    const to = next[section] ?? 0;
    next[section] = to + 1;
    sortedKeys[to] = keys[i] ?? 0;
    sortedOffsets[to] = offsets[i] ?? 0;
  }
  let start = 0;
  for (const count of counts) {
    sortSection(sortedKeys, sortedOffsets, start, start + count);
    start += count;
  }
  return { text, index, sections: counts };
}

/** Sorts entries `[from, to)` by key, unless they already are. */
function sortSection(keys: Float64Array, offsets: Uint32Array, from: number, to: number): void {
  let sorted = true;
  for (let i = from + 1; i < to && sorted; i++) sorted = (keys[i - 1] ?? 0) <= (keys[i] ?? 0);
  if (sorted) return;
  const entries = Array.from({ length: to - from }, (_, i) => [keys[from + i] ?? 0, offsets[from + i] ?? 0] as const).sort((x, y) => x[0] - y[0]);
  entries.forEach(([key, offset], i) => {
    keys[from + i] = key;
    offsets[from + i] = offset;
  });
}

class VendorRegistry {
  private readonly bytes: Uint8Array;
  private readonly keys: Float64Array;
  private readonly offsets: Uint32Array;
  /** Where each section starts in the index, and where the last ends. */
  private readonly bounds: number[];
  /** Answers already worked out, by index entry (a floor has few makers and many devices). */
  private readonly matches = new Map<number, VendorMatch | null>();

  constructor(private readonly buffers: VendorRegistryBuffers) {
    const total = buffers.sections.reduce((n, c) => n + c, 0);
    this.bytes = new Uint8Array(buffers.text);
    this.keys = new Float64Array(buffers.index, 0, total);
    this.offsets = new Uint32Array(buffers.index, total * 8, total);
    const [l, m, s] = buffers.sections;
    this.bounds = [0, l, l + m, l + m + s];
  }

  /** Index entry of `key` in section `section`, or -1. */
  find(section: number, key: number): number {
    let lo = this.bounds[section] ?? 0;
    let hi = (this.bounds[section + 1] ?? 0) - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const k = this.keys[mid] ?? 0;
      if (k === key) return mid;
      if (k < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** The answer for an index entry of `digits` digits: null for the registry's "Private" blocks. */
  match(entry: number, digits: number): VendorMatch | null {
    let match = this.matches.get(entry);
    if (match !== undefined) return match;
    const organisation = this.name(entry);
    const assignment = (this.keys[entry] ?? 0).toString(16).toUpperCase().padStart(digits, '0');
    match = /^private$/i.test(organisation) ? null : { vendor: canonicalVendor(organisation), organisation, assignment };
    this.matches.set(entry, match);
    return match;
  }

  /** The organisation of an index entry: its value's first line, JSON escapes undone. */
  private name(entry: number): string {
    const b = this.bytes;
    const start = this.offsets[entry] ?? 0;
    let at = start;
    let escaped = false;
    while (at < b.length && b[at] !== 0x22 && !(b[at] === 0x5c && b[at + 1] === 0x6e)) {
      if (b[at] === 0x5c) {
        escaped = true;
        at += 2;
      } else at += 1;
    }
    const raw = Buffer.from(this.buffers.text, start, at - start).toString('utf8');
    return escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
  }
}

let registry: VendorRegistry | undefined;

/** Looks names up in buffers another thread built (`vendorRegistryBuffers`), instead of building its own. */
export function useVendorRegistry(buffers: VendorRegistryBuffers): void {
  registry = new VendorRegistry(buffers);
}

/** Looks up the longest registry assignment covering a 48-bit MAC address. */
export function lookupVendor(mac: number): VendorMatch | null {
  // Locally administered addresses (bit 1 of the first octet) are not in the registry.
  const first = Math.floor(mac / 2 ** 40);
  if (first & 0x02) return null;
  registry ??= new VendorRegistry(vendorRegistryBuffers());
  for (let section = 2; section >= 0; section--) {
    const digits = DIGITS[section] ?? 6;
    const key = Math.floor(mac / 16 ** (12 - digits));
    const entry = registry.find(section, key);
    if (entry >= 0) return registry.match(entry, digits);
  }
  return null;
}
