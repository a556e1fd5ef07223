/**
 * A small, bounded scanner for the well-formed XML of SOAP-over-UDP discovery messages (XML 1.0
 * §2–4, Namespaces in XML 1.0 §3–6): start and end tags with any prefixes and attributes, text with
 * the predefined and numeric character references, CDATA sections, comments and processing
 * instructions. It reports elements and text to a visitor and tracks namespace declarations so a
 * QName in text can be resolved. Document type declarations are refused (SOAP 1.2 Part 1 §5 forbids
 * them), as are unbalanced or unclosed tags, an unknown entity, nesting past 32 levels or more than
 * 1024 elements: the scan then reports failure, never throws.
 */
import { indexOfOctet, utf8 } from './octet-text.js';

const MAX_DEPTH = 32;
const MAX_ELEMENTS = 1024;
const MAX_ATTRIBUTES = 64;

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const EQUALS = 0x3d;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;
const XMLNS = 'xmlns';

export interface XmlElement {
  /** The name as written, e.g. `wsd:Hello`. */
  name: string;
  /** Its prefix ('' for none) and local part. */
  prefix: string;
  local: string;
  /** The namespace of the name, or null if it has none. */
  namespace: string | null;
  parent: XmlElement | null;
  depth: number;
  /** The namespace bound to `prefix` ('' for the default namespace) where this element is, or null. */
  resolve(prefix: string): string | null;
}

export interface XmlVisitor {
  open(element: XmlElement): void;
  /** Character data directly inside `element`, references replaced; may come in several pieces. */
  text(element: XmlElement, text: string): void;
  close(element: XmlElement): void;
}

/** XML 1.0 §2.3 S: space, tab, CR, LF. */
export function isXmlSpace(octet: number | undefined): boolean {
  return octet === 0x20 || octet === 0x09 || octet === 0x0d || octet === 0x0a;
}

/** Index of the first occurrence of `ascii` in `buf[from, end)`, or -1. */
function find(buf: Uint8Array, ascii: string, from: number, end: number): number {
  const last = end - ascii.length;
  outer: for (let at = from; at <= last; at++) {
    for (let i = 0; i < ascii.length; i++) if (buf[at + i] !== ascii.charCodeAt(i)) continue outer;
    return at;
  }
  return -1;
}

function startsWith(buf: Uint8Array, ascii: string, at: number, end: number): boolean {
  return at + ascii.length <= end && find(buf, ascii, at, at + ascii.length) === at;
}

const NAMED_REFERENCES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

/** XML 1.0 §4.1 and §4.6: predefined entities and character references replaced; null for any other. */
function unescape(raw: string): string | null {
  if (!raw.includes('&')) return raw;
  let failed = false;
  const text = raw.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z]+);|&/g, (whole, name: string | undefined) => {
    let value: string | undefined;
    if (name?.startsWith('#')) {
      const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      if (code <= 0x10ffff) value = String.fromCodePoint(code);
    } else if (name !== undefined) {
      value = NAMED_REFERENCES[name];
    }
    if (value === undefined) failed = true;
    return value ?? whole;
  });
  return failed ? null : text;
}

function splitName(qname: string): [prefix: string, local: string] {
  const colon = qname.indexOf(':');
  return colon < 0 ? ['', qname] : [qname.slice(0, colon), qname.slice(colon + 1)];
}

function makeElement(qname: string, parent: XmlElement | null, declared: Map<string, string> | null): XmlElement {
  const [prefix, local] = splitName(qname);
  const resolve = (p: string): string | null => declared?.get(p) ?? parent?.resolve(p) ?? null;
  const namespace = resolve(prefix);
  const depth = parent === null ? 0 : parent.depth + 1;
  return { name: qname, prefix, local, namespace: namespace === '' ? null : namespace, parent, depth, resolve };
}

/**
 * The start tag whose name begins at `at` (just past '<'), up to its '>': the element, whether it is
 * empty (`/>`) and where the scan goes on; null if malformed.
 */
function readStartTag(
  buf: Uint8Array,
  at: number,
  end: number,
  parent: XmlElement | null,
): { element: XmlElement; empty: boolean; next: number } | null {
  let pos = at;
  while (pos < end && !isXmlSpace(buf[pos]) && buf[pos] !== GT && buf[pos] !== SLASH) pos++;
  if (pos === at) return null;
  const qname = utf8(buf, at, pos);
  let declared: Map<string, string> | null = null;
  for (let attributes = 0; ; attributes++) {
    while (pos < end && isXmlSpace(buf[pos])) pos++;
    if (pos >= end || attributes > MAX_ATTRIBUTES) return null;
    if (buf[pos] === GT || (buf[pos] === SLASH && pos + 1 < end && buf[pos + 1] === GT)) {
      const empty = buf[pos] === SLASH;
      return { element: makeElement(qname, parent, declared), empty, next: pos + (empty ? 2 : 1) };
    }
    // XML 1.0 §3.1 Attribute: Name Eq AttValue
    const nameStart = pos;
    while (pos < end && !isXmlSpace(buf[pos]) && buf[pos] !== EQUALS && buf[pos] !== GT) pos++;
    const name = utf8(buf, nameStart, pos);
    while (pos < end && isXmlSpace(buf[pos])) pos++;
    if (name === '' || pos >= end || buf[pos] !== EQUALS) return null;
    pos++;
    while (pos < end && isXmlSpace(buf[pos])) pos++;
    if (pos >= end) return null;
    const quote = buf[pos];
    if (quote !== QUOTE && quote !== APOSTROPHE) return null;
    const valueEnd = indexOfOctet(buf, quote, pos + 1, end);
    if (valueEnd < 0) return null;
    const value = unescape(utf8(buf, pos + 1, valueEnd));
    if (value === null) return null;
    pos = valueEnd + 1;
    // Namespaces in XML 1.0 §3: xmlns="uri" and xmlns:prefix="uri"
    if (name === XMLNS || name.startsWith(`${XMLNS}:`)) {
      declared ??= new Map();
      declared.set(name === XMLNS ? '' : name.slice(XMLNS.length + 1), value);
    }
  }
}

/**
 * Scans the document in `buf[offset, end)`, reporting to `visitor`; true if it was well formed up to
 * the end of its root element (what follows the root is not read).
 */
export function scanXml(buf: Uint8Array, offset: number, end: number, visitor: XmlVisitor): boolean {
  let current: XmlElement | null = null;
  let elements = 0;
  let pos = offset;
  if (startsWith(buf, '\u00ef\u00bb\u00bf', pos, end)) pos += 3; // a UTF-8 byte order mark
  while (pos < end) {
    if (buf[pos] !== LT) {
      const next = indexOfOctet(buf, LT, pos, end);
      const stop = next < 0 ? end : next;
      if (current === null) {
        for (let i = pos; i < stop; i++) if (!isXmlSpace(buf[i])) return false; // text outside the root
      } else {
        const text = unescape(utf8(buf, pos, stop));
        if (text === null) return false;
        visitor.text(current, text);
      }
      pos = stop;
      continue;
    }
    if (pos + 1 >= end) return false;
    if (startsWith(buf, '<?', pos, end) || startsWith(buf, '<!--', pos, end)) {
      const close = buf[pos + 1] === 0x3f ? find(buf, '?>', pos + 2, end) : find(buf, '-->', pos + 4, end);
      if (close < 0) return false;
      pos = close + (buf[pos + 1] === 0x3f ? 2 : 3);
      continue;
    }
    if (startsWith(buf, '<![CDATA[', pos, end)) {
      const close = find(buf, ']]>', pos + 9, end);
      if (close < 0 || current === null) return false;
      visitor.text(current, utf8(buf, pos + 9, close));
      pos = close + 3;
      continue;
    }
    if (buf[pos + 1] === SLASH) {
      // XML 1.0 §3.1 ETag: '</' Name S? '>'
      const close = indexOfOctet(buf, GT, pos + 2, end);
      if (close < 0 || current === null) return false;
      let nameEnd = close;
      while (nameEnd > pos + 2 && isXmlSpace(buf[nameEnd - 1])) nameEnd--;
      if (utf8(buf, pos + 2, nameEnd) !== current.name) return false;
      visitor.close(current);
      current = current.parent;
      pos = close + 1;
      if (current === null) return true;
      continue;
    }
    if (buf[pos + 1] === 0x21) return false; // a document type declaration or other markup
    const tag = readStartTag(buf, pos + 1, end, current);
    if (tag === null || ++elements > MAX_ELEMENTS || tag.element.depth >= MAX_DEPTH) return false;
    visitor.open(tag.element);
    pos = tag.next;
    if (tag.empty) {
      visitor.close(tag.element);
      if (current === null) return true;
    } else {
      current = tag.element;
    }
  }
  return false; // the root element is not closed
}
