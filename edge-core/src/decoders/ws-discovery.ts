/**
 * WS-Discovery (OASIS WS-Discovery 1.1, and the April 2005 draft still sent by DPWS stacks): SOAP
 * envelopes over UDP 3702 (SOAP-over-UDP 1.1). IEEE 11073 SDC medical devices, printers and
 * cameras announce themselves with Hello and answer Probe and Resolve; the endpoint's address (a
 * stable `urn:uuid:`), its types (QNames such as `dpws:Device mdpws:MedicalDevice`), scopes and
 * transport addresses identify it. Elements are matched on local names whatever their prefixes;
 * type QNames are resolved against the namespace declarations in scope. Identification path: a fresh
 * plain object with strings; never throws. Not a SOAP envelope, not well formed, or a Body whose
 * message is none of the six discovery messages gives null.
 */
import { isXmlSpace, scanXml, type XmlElement } from './xml-scan.js';

export const WSD_ACTIONS = ['Hello', 'Bye', 'Probe', 'ProbeMatches', 'Resolve', 'ResolveMatches'] as const;
/** WS-Discovery 1.1 §4–6: the message, named by the Body's child element. */
export type WsdAction = (typeof WSD_ACTIONS)[number];

/** A type QName from `d:Types` (WS-Discovery 1.1 §4.1). */
export interface WsdType {
  /** As written, e.g. `mdpws:MedicalDevice`. */
  qname: string;
  /** The namespace its prefix is bound to where it appears, or null if unbound. */
  namespace: string | null;
  local: string;
}

export interface WsDiscovery {
  action: WsdAction;
  /** The SOAP header's `wsa:Action` URI, when sent. */
  actionUri: string | null;
  /** The header's `wsa:MessageID`: repeats of one multicast message share it (SOAP-over-UDP §3.4). */
  messageId: string | null;
  /** `wsa:EndpointReference/wsa:Address`: the endpoint's stable identity, usually `urn:uuid:…`. */
  address: string | null;
  /** Types: in Hello, Bye and matches those offered; in Probe those sought. */
  types: WsdType[];
  /** Scopes URIs (WS-Discovery 1.1 §4.1). */
  scopes: string[];
  /** XAddrs: transport addresses (URLs) of the endpoint. */
  xaddrs: string[];
  /** MetadataVersion (xs:unsignedInt), or null if absent or not a number. */
  metadataVersion: number | null;
}

type TextField = 'actionUri' | 'messageId' | 'address' | 'types' | 'scopes' | 'xaddrs' | 'metadataVersion';

/** Elements of the discovery message whose text is kept: the first of each, as fields of the record. */
const MESSAGE_FIELDS = new Map<string, TextField>([
  ['Types', 'types'],
  ['Scopes', 'scopes'],
  ['XAddrs', 'xaddrs'],
  ['MetadataVersion', 'metadataVersion'],
]);
const HEADER_FIELDS = new Map<string, TextField>([
  ['Action', 'actionUri'],
  ['MessageID', 'messageId'],
]);
/** ProbeMatches and ResolveMatches list their endpoints in these; only the first is read. */
const MATCHES = new Set(['ProbeMatch', 'ResolveMatch']);
const UINT_MAX = 0xffff_ffff;

function isAction(local: string): local is WsdAction {
  return (WSD_ACTIONS as readonly string[]).includes(local);
}

/** Whitespace-separated tokens of an XML list value (XML Schema Part 2 §3.2.1). */
function tokens(text: string): string[] {
  return text.split(/[ \t\r\n]+/).filter((t) => t !== '');
}

function trimXml(text: string): string {
  let from = 0;
  let to = text.length;
  while (from < to && isXmlSpace(text.charCodeAt(from))) from++;
  while (to > from && isXmlSpace(text.charCodeAt(to - 1))) to--;
  return text.slice(from, to);
}

/** Which field an element's text fills, given where it stands in the envelope; null for none. */
function fieldOf(element: XmlElement, path: readonly string[]): TextField | null {
  const [root, section, message] = path;
  if (root !== 'Envelope') return null;
  if (section === 'Header') return element.depth === 2 ? (HEADER_FIELDS.get(element.local) ?? null) : null;
  if (section !== 'Body' || message === undefined || !isAction(message)) return null;
  if (element.local === 'Address' && element.parent?.local === 'EndpointReference') return 'address';
  return MESSAGE_FIELDS.get(element.local) ?? null;
}

/** The record being filled while the envelope is scanned. */
interface Reading {
  record: WsDiscovery;
  /** The local names of the open elements, root first. */
  path: string[];
  /** The first child of Body: the message, if it is a discovery one ('' when the root is not an Envelope). */
  message: string | null;
  /** ProbeMatch / ResolveMatch elements opened so far. */
  matches: number;
  seen: Set<TextField>;
  /** The element whose text is being gathered, and for which field. */
  gathering: { element: XmlElement; field: TextField; text: string } | null;
}

/** Sets `field` of the record from the whole text of `element`. */
function fill(record: WsDiscovery, field: TextField, element: XmlElement, raw: string): void {
  const text = trimXml(raw);
  switch (field) {
    case 'types':
      record.types = tokens(text).map((qname) => {
        const colon = qname.indexOf(':');
        const prefix = colon < 0 ? '' : qname.slice(0, colon);
        return { qname, namespace: element.resolve(prefix) || null, local: qname.slice(colon + 1) };
      });
      break;
    case 'scopes':
    case 'xaddrs':
      record[field] = tokens(text);
      break;
    case 'metadataVersion': {
      const value = /^\d{1,10}$/.test(text) ? Number(text) : NaN;
      record.metadataVersion = value <= UINT_MAX ? value : null;
      break;
    }
    default:
      record[field] = text;
  }
}

/**
 * Decodes the WS-Discovery message in `buf[offset, end)` (a UDP payload; `end` is clamped to the
 * buffer). Of ProbeMatches and ResolveMatches, the first match's endpoint is read.
 */
export function decode(buf: Uint8Array, offset: number, end = buf.length): WsDiscovery | null {
  const limit = Math.min(end, buf.length);
  if (offset < 0 || offset >= limit) return null;
  const r: Reading = {
    record: { action: 'Hello', actionUri: null, messageId: null, address: null, types: [], scopes: [], xaddrs: [], metadataVersion: null },
    path: [],
    message: null,
    matches: 0,
    seen: new Set(),
    gathering: null,
  };
  const wellFormed = scanXml(buf, offset, limit, {
    open(element) {
      r.path.push(element.local);
      if (element.depth === 0 && element.local !== 'Envelope') r.message = ''; // not a SOAP envelope
      if (element.depth === 2 && r.path[1] === 'Body') r.message ??= element.local;
      if (element.depth === 3 && MATCHES.has(element.local)) r.matches++;
      if (r.gathering !== null || r.matches > 1) return;
      const field = fieldOf(element, r.path);
      if (field !== null && !r.seen.has(field)) r.gathering = { element, field, text: '' };
    },
    text(element, text) {
      if (r.gathering?.element === element) r.gathering.text += text;
    },
    close(element) {
      r.path.pop();
      if (r.gathering?.element !== element) return;
      r.seen.add(r.gathering.field);
      fill(r.record, r.gathering.field, element, r.gathering.text);
      r.gathering = null;
    },
  });
  if (!wellFormed || r.message === null || !isAction(r.message)) return null;
  r.record.action = r.message;
  return r.record;
}
