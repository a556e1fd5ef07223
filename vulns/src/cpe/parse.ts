/**
 * CPE names read and written. The CPE 2.3 formatted string binding (NISTIR 7695 §6.2,
 * `cpe:2.3:a:vendor:product:version:update:edition:language:sw_edition:target_sw:target_hw:other`)
 * is read into the attributes of a well-formed name (§5): each value is ANY (`*`), NA (`-`) or a
 * string, with `\` quoting a special character and unquoted `*` / `?` wildcards allowed only at the
 * ends of a string. The CPE 2.2 URI binding (§6.1, `cpe:/a:vendor:product:version`), still met in
 * SBOMs and older data, is read into the same shape. Names are case-insensitive and kept lower-case.
 *
 * One leniency, as in NIST's reference unbinder: punctuation written without its backslash
 * (`1.0+build`) is read as that character, since SBOM tools often omit the quoting.
 */
import { VulnError } from '../errors.js';

/** The attributes of a CPE name, in binding order (NISTIR 7695 §5.2). */
export const CPE_ATTRIBUTES = [
  'part', 'vendor', 'product', 'version', 'update', 'edition',
  'language', 'swEdition', 'targetSw', 'targetHw', 'other',
] as const;
export type CpeAttribute = (typeof CPE_ATTRIBUTES)[number];

/**
 * One attribute value: ANY, NA, or a string. `text` is the literal string, its quoting removed;
 * `before` and `after` are the unquoted wildcards at its ends: `''`, `'*'`, or one or more `'?'`.
 */
export type CpeValue =
  | { kind: 'any' }
  | { kind: 'na' }
  | { kind: 'text'; text: string; before: string; after: string };

/** A CPE name as a well-formed name: one value per attribute. */
export type Cpe = Record<CpeAttribute, CpeValue>;

const ANY: CpeValue = { kind: 'any' };
const NA: CpeValue = { kind: 'na' };
const PARTS = ['a', 'o', 'h'];
/** Characters a formatted string writes without quoting (NISTIR 7695 §6.2.2.2). */
const PLAIN = /^[a-z0-9_.-]$/;
/** Printable ASCII other than space: the characters a CPE value may hold. */
const PRINTABLE = /^[\x21-\x7e]$/;

/** The name's text for an error message, shortened so a stray document cannot flood a log. */
function shown(text: string): string {
  return JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}…` : text);
}

function fail(text: string, what: string): never {
  throw new VulnError('VULN_ERR_CPE', `${shown(text)}: ${what}`);
}

/** One character of a component, and whether it was quoted. */
interface Char {
  ch: string;
  quoted: boolean;
}

/** Splits a formatted string's body at unquoted colons, keeping quoting (NISTIR 7695 §6.2.3). */
function splitComponents(body: string, name: string): Char[][] {
  const components: Char[][] = [[]];
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] ?? '';
    const current = components[components.length - 1] ?? [];
    if (ch === '\\') {
      const next = body[i + 1];
      if (next === undefined) fail(name, 'ends in a lone backslash');
      if (/[a-z0-9]/.test(next)) fail(name, `bad escape "\\${next}": only punctuation is quoted`);
      if (!PRINTABLE.test(next)) fail(name, `bad escape: "\\" before a character CPE does not allow`);
      current.push({ ch: next, quoted: true });
      i++;
    } else if (ch === ':') {
      components.push([]);
    } else {
      current.push({ ch, quoted: false });
    }
  }
  return components;
}

/** The wildcard run at one end of a value: `*` alone, or `?` repeated; anything else is refused. */
function wildcardRun(chars: Char[], name: string, attribute: CpeAttribute): string {
  const run = chars.map((c) => c.ch).join('');
  if (run === '' || run === '*' || /^\?+$/.test(run)) return run;
  return fail(name, `${attribute} has the wildcards "${run}" together: one "*" or a run of "?" only`);
}

/** Reads one formatted-string component into a value, checking its wildcards and characters. */
function readValue(chars: Char[], name: string, attribute: CpeAttribute): CpeValue {
  if (chars.length === 0) fail(name, `${attribute} is empty (write "*" for any value)`);
  if (chars.length === 1 && chars[0]?.quoted === false) {
    if (chars[0].ch === '*') return ANY;
    if (chars[0].ch === '-') return NA;
  }
  const isWild = (c: Char | undefined): boolean => c !== undefined && !c.quoted && (c.ch === '*' || c.ch === '?');
  let start = 0;
  while (isWild(chars[start])) start++;
  let end = chars.length;
  while (end > start && isWild(chars[end - 1])) end--;
  const middle = chars.slice(start, end);
  for (const c of middle) {
    if (isWild(c)) fail(name, `${attribute} has an unquoted "${c.ch}" inside the value: wildcards only at its ends`);
    if (!PRINTABLE.test(c.ch)) fail(name, `${attribute} holds a character CPE does not allow (${JSON.stringify(c.ch)})`);
  }
  return {
    kind: 'text',
    text: middle.map((c) => c.ch).join(''),
    before: wildcardRun(chars.slice(0, start), name, attribute),
    after: wildcardRun(chars.slice(end), name, attribute),
  };
}

/** Checks the part attribute: `a`, `o`, `h`, or a logical value. */
function checkPart(value: CpeValue, name: string): CpeValue {
  if (value.kind !== 'text') return value;
  if (value.before === '' && value.after === '' && PARTS.includes(value.text)) return value;
  return fail(name, `bad part "${cpeValueText(value)}": a CPE part is "a", "o" or "h"`);
}

/** Reads a CPE 2.3 formatted string (NISTIR 7695 §6.2). */
function parseFormattedString(text: string): Cpe {
  const body = text.toLowerCase().slice('cpe:2.3:'.length);
  const components = splitComponents(body, text);
  if (components.length !== CPE_ATTRIBUTES.length) {
    fail(text, `has ${components.length} components where CPE 2.3 has ${CPE_ATTRIBUTES.length} (part to other)`);
  }
  const entries = CPE_ATTRIBUTES.map((attribute, i) => [attribute, readValue(components[i] ?? [], text, attribute)] as const);
  const cpe = Object.fromEntries(entries) as Cpe;
  cpe.part = checkPart(cpe.part, text);
  return cpe;
}

/** Decodes one URI component (NISTIR 7695 §6.1.3.4): percent-encoding, `%01` `?`, `%02` `*`. */
function decodeUriComponent(raw: string, name: string, attribute: CpeAttribute): CpeValue {
  // An empty component is ANY (§6.1.3.4); a lone `*`, which 2.2 tools also write, is read so too.
  if (raw === '' || raw === '*') return ANY;
  if (raw === '-') return NA;
  const chars: Char[] = [];
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i] ?? '';
    if (ch !== '%') {
      chars.push({ ch, quoted: !/[a-z0-9_]/.test(ch) });
      continue;
    }
    const hex = raw.slice(i + 1, i + 3);
    if (!/^[0-9a-f]{2}$/.test(hex)) fail(name, `bad percent-encoding "%${hex}" in ${attribute}`);
    if (hex === '01') chars.push({ ch: '?', quoted: false });
    else if (hex === '02') chars.push({ ch: '*', quoted: false });
    else chars.push({ ch: String.fromCharCode(parseInt(hex, 16)), quoted: true });
    i += 2;
  }
  return readValue(chars, name, attribute);
}

/** Reads a CPE 2.2 URI (NISTIR 7695 §6.1), unpacking a `~`-packed edition into the 2.3 attributes. */
function parseUri(text: string): Cpe {
  const lower = text.toLowerCase();
  const components = lower.slice('cpe:/'.length).split(':');
  if (components.length > 7) fail(text, `has ${components.length} components where a CPE 2.2 URI has at most 7`);
  const cpe = Object.fromEntries(CPE_ATTRIBUTES.map((attribute) => [attribute, ANY])) as Cpe;
  const uriAttributes: CpeAttribute[] = ['part', 'vendor', 'product', 'version', 'update', 'edition', 'language'];
  uriAttributes.forEach((attribute, i) => {
    const raw = components[i] ?? '';
    if (attribute === 'edition' && raw.startsWith('~')) {
      const packed = raw.split('~');
      if (packed.length !== 6) fail(text, `packed edition "${raw}" has ${packed.length - 1} fields where it has 5`);
      const packedAttributes: CpeAttribute[] = ['edition', 'swEdition', 'targetSw', 'targetHw', 'other'];
      packedAttributes.forEach((packedAttribute, j) => {
        cpe[packedAttribute] = decodeUriComponent(packed[j + 1] ?? '', text, packedAttribute);
      });
      return;
    }
    cpe[attribute] = decodeUriComponent(raw, text, attribute);
  });
  cpe.part = checkPart(cpe.part, text);
  return cpe;
}

/**
 * Reads a CPE name: a 2.3 formatted string (`cpe:2.3:…`, all 11 components) or a 2.2 URI
 * (`cpe:/…`, up to 7 components, missing ones ANY). Throws VulnError `VULN_ERR_CPE` saying what is
 * wrong: the prefix, the number of components, an escape, a wildcard, a character or the part.
 */
export function parseCpe(text: string): Cpe {
  const trimmed = text.trim();
  if (/^cpe:2\.3:/i.test(trimmed)) return parseFormattedString(trimmed);
  if (/^cpe:\//i.test(trimmed)) return parseUri(trimmed);
  return fail(text, 'starts with neither "cpe:2.3:" (CPE 2.3) nor "cpe:/" (CPE 2.2)');
}

/** The CPE name `text` read, or null where it is not one: for callers that report rather than throw. */
export function tryParseCpe(text: string): Cpe | null {
  try {
    return parseCpe(text);
  } catch (error) {
    if (error instanceof VulnError) return null;
    throw error;
  }
}

/** A value as a person reads it: `*`, `-`, or the string with its wildcards and without quoting. */
export function cpeValueText(value: CpeValue): string {
  if (value.kind === 'any') return '*';
  if (value.kind === 'na') return '-';
  return `${value.before}${value.text}${value.after}`;
}

/** Binds one value for the formatted string, quoting every character but `[a-z0-9_.-]`. */
function bindValue(value: CpeValue): string {
  if (value.kind === 'any') return '*';
  if (value.kind === 'na') return '-';
  // A lone hyphen string must stay distinct from NA.
  if (value.text === '-' && value.before === '' && value.after === '') return '\\-';
  const quoted = [...value.text].map((ch) => (PLAIN.test(ch) ? ch : `\\${ch}`)).join('');
  return `${value.before}${quoted}${value.after}`;
}

/** Writes a CPE name as a 2.3 formatted string (NISTIR 7695 §6.2.2). */
export function formatCpe(cpe: Cpe): string {
  return `cpe:2.3:${CPE_ATTRIBUTES.map((attribute) => bindValue(cpe[attribute])).join(':')}`;
}
