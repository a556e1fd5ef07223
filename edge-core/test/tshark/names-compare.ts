/**
 * WS-Discovery against tshark, which the plain harness cannot compare: tshark 4.0 reads SOAP over
 * UDP 3702 only with its heuristic XML dissector, and `-T fields` loses which text belongs to which
 * element, so the element texts are taken from the dissection tree (`-T json`) instead.
 */
import { execFileSync } from 'node:child_process';
import { compareWith, type Comparison, type Extractor, type Fields } from './harness.js';

const TSHARK = '/usr/bin/tshark';

/** One node of tshark's JSON tree: a field's text, a subtree, or a list of either when repeated. */
type JsonNode = string | JsonTree | JsonNode[];
interface JsonTree {
  [key: string]: JsonNode;
}

function list(node: JsonNode | undefined): JsonNode[] {
  return node === undefined ? [] : Array.isArray(node) ? node : [node];
}

/** `<wsa:Address xmlns:…>` → `Address`. */
function localName(tag: string): string {
  const name = /^<([^\s/>]+)/.exec(tag)?.[1] ?? '';
  return name.slice(name.indexOf(':') + 1);
}

/** Element local names whose text is compared, with the parent each must have ('' for any). */
const ELEMENTS: readonly (readonly [local: string, parent: string])[] = [
  ['Action', 'Header'],
  ['MessageID', 'Header'],
  ['Address', 'EndpointReference'],
  ['Types', ''],
  ['Scopes', ''],
  ['XAddrs', ''],
  ['MetadataVersion', ''],
];

/** The text of the first element of each kind in ELEMENTS, from an `xml` layer's tag tree. */
function elementTexts(tree: JsonTree, parent: string, found: Fields): void {
  const tags = list(tree['xml.tag']);
  const subtrees = list(tree['xml.tag_tree']);
  tags.forEach((tag, i) => {
    if (typeof tag !== 'string') return;
    const local = localName(tag);
    const sub = subtrees[i];
    const subtree = sub !== undefined && typeof sub === 'object' && !Array.isArray(sub) ? sub : {};
    const wanted = ELEMENTS.some(([name, under]) => name === local && (under === '' || under === parent));
    const field = `xml.cdata:${local}`;
    if (wanted && found[field] === undefined) {
      const text = list(subtree['xml.cdata']).filter((t): t is string => typeof t === 'string').join('');
      if (text !== '') found[field] = [text];
    }
    elementTexts(subtree, local, found);
  });
}

/** tshark's WS-Discovery element texts per frame (`xml.cdata:<local name>`), from its XML dissector on UDP 3702. */
function tsharkWsdRows(path: string): Map<number, Fields> {
  const args = ['-r', path, '-n', '--enable-heuristic', 'xml_udp', '-Y', 'udp.port==3702', '-T', 'json', '--no-duplicate-keys', '-J', 'frame xml'];
  const out = execFileSync(TSHARK, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
  const rows = new Map<number, Fields>();
  for (const packet of JSON.parse(out) as { _source: { layers: Record<string, JsonTree | undefined> } }[]) {
    const layers = packet._source.layers;
    const xml = layers.xml;
    const number = Number(layers.frame?.['frame.number']);
    if (xml === undefined) continue;
    const found: Fields = {};
    elementTexts(xml, '', found);
    rows.set(number, found);
  }
  return rows;
}

/** Runs `extractor` (wsdExtractor) over the frames of `path` and compares it with tshark's element texts. */
export function compareWsd(path: string, extractor: Extractor): Promise<Comparison> {
  return compareWith(path, tsharkWsdRows(path), extractor);
}
