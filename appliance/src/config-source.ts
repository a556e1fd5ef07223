/**
 * The configuration file as text: parsed as YAML 1.2 (so a JSON file loads as it is), keeping where
 * every key and value was written, so that a problem can be reported as `file:line:column`.
 * YAML 1.2 §7.4 (flow collections) makes every JSON document a YAML document; duplicate keys, which
 * YAML forbids (§3.2.1.1), are refused.
 */
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document, type Node, type Pair } from 'yaml';

export interface SourcePosition {
  /** 1-based, as editors count. */
  line: number;
  column: number;
}

export interface SyntaxProblem extends SourcePosition {
  /** Dotted path of the field the problem is in, `''` at the top level. */
  field: string;
  message: string;
}

export interface ConfigSource {
  /** The document as plain values (`undefined` when the text has syntax errors). */
  value: unknown;
  syntaxProblems: SyntaxProblem[];
  /** Where the value at `path` was written; `key: true` points at its key rather than its value. */
  locate(path: readonly string[], key?: boolean): SourcePosition | undefined;
}

export const configSourceDefaults = {
  /** A sensor's configuration is a few dozen lines; a much larger file is a mistake, not a configuration. */
  maxBytes: 256 * 1024,
  /** Aliases let a small file expand into a huge value (the "billion laughs"); a configuration needs few. */
  maxAliasCount: 100,
};

/** Dotted form of a path, as a person reads it: `capture.bufferSizeMB`, `hub.url`. */
export function fieldName(path: readonly string[]): string {
  return path.join('.');
}

function pairOf(collection: unknown, segment: string): Pair<unknown, unknown> | undefined {
  if (!isMap(collection)) return undefined;
  return collection.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === segment);
}

/** The node at `path` and the pair holding it, walking maps by key and sequences by index. */
function walk(doc: Document, path: readonly string[]): { node: unknown; pair: Pair<unknown, unknown> | undefined } {
  let node: unknown = doc.contents;
  let pair: Pair<unknown, unknown> | undefined;
  for (const segment of path) {
    if (isSeq(node)) {
      pair = undefined;
      node = node.items[Number(segment)];
    } else {
      pair = pairOf(node, segment);
      node = pair?.value;
    }
    if (node === undefined || node === null) break;
  }
  return { node, pair };
}

function startOf(node: unknown): number | undefined {
  return (node as Node | undefined)?.range?.[0];
}

/** The path of keys leading to the deepest key or value that spans `offset`. */
function pathAt(doc: Document, offset: number): string[] {
  const path: string[] = [];
  let node: unknown = doc.contents;
  for (;;) {
    if (isMap(node)) {
      const hit = node.items.find((p) => {
        const start = startOf(p.key) ?? startOf(p.value);
        const end = (p.value as Node | null)?.range?.[2] ?? (p.key as Node | null)?.range?.[2];
        return start !== undefined && end !== undefined && offset >= start && offset < end;
      });
      if (!hit) return path;
      path.push(isScalar(hit.key) ? String(hit.key.value) : String(hit.key));
      node = hit.value;
    } else if (isSeq(node)) {
      const index = node.items.findIndex((item) => {
        const range = (item as Node | null)?.range;
        return range != null && offset >= range[0] && offset < range[2];
      });
      if (index < 0) return path;
      path.push(String(index));
      node = node.items[index];
    } else {
      return path;
    }
  }
}

/** First line of a parser message, without the position the parser may append. */
function plainMessage(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}

export function readConfigSource(text: string): ConfigSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const position = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const syntaxProblems = doc.errors.map((error) => {
    const field = fieldName(pathAt(doc, error.pos[0]));
    const message = error.code === 'DUPLICATE_KEY' ? `${field || 'a key'} is given more than once; keep one` : plainMessage(error.message);
    return { ...position(error.pos[0]), field, message };
  });
  let value: unknown;
  if (syntaxProblems.length === 0) {
    try {
      value = doc.toJS({ maxAliasCount: configSourceDefaults.maxAliasCount });
    } catch (err) {
      syntaxProblems.push({ line: 1, column: 1, field: '', message: (err as Error).message });
    }
  }
  return {
    value,
    syntaxProblems,
    locate(path, key = false) {
      const { node, pair } = walk(doc, path);
      const offset = key ? (startOf(pair?.key) ?? startOf(node)) : (startOf(node) ?? startOf(pair?.key));
      return offset === undefined ? undefined : position(offset);
    },
  };
}
