/**
 * HL7 v2 field text (HL7 v2.5 §2.5–2.7): the delimiters a message declares in MSH-1 and MSH-2,
 * splitting a field into repetitions, components and subcomponents, and resolving escape
 * sequences. Values come out in one normal form — repetitions joined with `~`, components with `^`,
 * subcomponents with `&`, escapes resolved — whatever delimiters the sender chose.
 */

export interface Hl7Delimiters {
  /** MSH-1. */
  field: string;
  /** MSH-2, in order: component, repetition, escape, subcomponent (and truncation from v2.7); '' where absent. */
  component: string;
  repetition: string;
  escape: string;
  subcomponent: string;
}

/** A printable ASCII character that is not a letter or digit: what HL7 allows as a delimiter. */
function isDelimiter(c: string): boolean {
  const code = c.charCodeAt(0);
  return c.length === 1 && code > 0x20 && code < 0x7f && !/[0-9A-Za-z]/.test(c);
}

/**
 * The delimiters of the MSH segment `msh` ("MSH" + MSH-1 + MSH-2 + …): null unless MSH-1 and the
 * 1 to 5 characters of MSH-2 are distinct printable non-alphanumeric characters (HL7 v2.5 §2.5.4;
 * v2.7 adds a fifth, the truncation character, which this sensor does not use).
 */
export function readDelimiters(msh: string): Hl7Delimiters | null {
  const field = msh.charAt(3);
  if (!isDelimiter(field)) return null;
  const next = msh.indexOf(field, 4);
  const encoding = msh.slice(4, next < 0 ? msh.length : next);
  if (encoding.length < 1 || encoding.length > 5) return null;
  const all = field + encoding;
  for (let i = 0; i < all.length; i++) {
    const c = all.charAt(i);
    if (!isDelimiter(c) || all.indexOf(c) !== i) return null;
  }
  return {
    field,
    component: encoding.charAt(0),
    repetition: encoding.charAt(1),
    escape: encoding.charAt(2),
    subcomponent: encoding.charAt(3),
  };
}

/** `text` split on `separator`, or `[text]` when the message declares no such delimiter. */
function split(text: string, separator: string): string[] {
  return separator === '' ? [text] : text.split(separator);
}

/** Two hex digits per character, as latin1 (HL7 v2.5 §2.7.5 `\Xdddd…\`); null if not hex. */
function hexText(digits: string): string | null {
  if (digits.length % 2 !== 0 || !/^[0-9A-Fa-f]*$/.test(digits)) return null;
  let out = '';
  for (let i = 0; i < digits.length; i += 2) out += String.fromCharCode(parseInt(digits.slice(i, i + 2), 16));
  return out;
}

/** What one escape sequence (the text between two escape characters) stands for, or null to keep it. */
function resolve(sequence: string, d: Hl7Delimiters): string | null {
  switch (sequence) {
    case 'F':
      return d.field;
    case 'S':
      return d.component;
    case 'T':
      return d.subcomponent;
    case 'R':
      return d.repetition;
    case 'E':
      return d.escape;
    case 'H': // start highlighting
    case 'N': // normal text
      return '';
    default:
      return sequence.startsWith('X') ? hexText(sequence.slice(1)) : null;
  }
}

/**
 * Resolves escape sequences (HL7 v2.5 §2.7): \F\ \S\ \T\ \R\ \E\ become the delimiter itself,
 * \Xhh…\ the characters it encodes; highlighting (\H\, \N\) is dropped; any other sequence
 * (formatting, character sets, local \Z…\) is kept as sent.
 */
export function unescape(text: string, d: Hl7Delimiters): string {
  if (d.escape === '' || !text.includes(d.escape)) return text;
  let out = '';
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf(d.escape, at);
    const close = open < 0 ? -1 : text.indexOf(d.escape, open + 1);
    if (close < 0) break;
    out += text.slice(at, open);
    out += resolve(text.slice(open + 1, close), d) ?? text.slice(open, close + 1);
    at = close + 1;
  }
  return out + text.slice(at);
}

/** One repetition in normal form: components joined with `^`, subcomponents with `&`. */
function normalRepetition(text: string, d: Hl7Delimiters): string {
  return split(text, d.component)
    .map((component) => split(component, d.subcomponent).map((sub) => unescape(sub, d)).join('&'))
    .join('^');
}

/** HL7 v2.5 §2.5.3: `""` is an explicit null (delete the value); an empty field is not present. */
function isNull(raw: string): boolean {
  return raw === '' || raw === '""';
}

/** A field in normal form, or null when it is empty or `""`. */
export function fieldText(raw: string | undefined, d: Hl7Delimiters): string | null {
  if (raw === undefined || isNull(raw)) return null;
  return split(raw, d.repetition)
    .map((repetition) => normalRepetition(repetition, d))
    .join('~');
}

/** The non-empty repetitions of a field, each in normal form. */
export function fieldRepetitions(raw: string | undefined, d: Hl7Delimiters): string[] {
  if (raw === undefined || isNull(raw)) return [];
  return split(raw, d.repetition)
    .filter((repetition) => !isNull(repetition))
    .map((repetition) => normalRepetition(repetition, d));
}

/** The first component of a field's first repetition, escapes resolved; null when empty. */
export function firstComponent(raw: string | undefined, d: Hl7Delimiters): string | null {
  if (raw === undefined || isNull(raw)) return null;
  const first = split(split(raw, d.repetition)[0] ?? '', d.component)[0] ?? '';
  return isNull(first) ? null : unescape(first, d);
}
