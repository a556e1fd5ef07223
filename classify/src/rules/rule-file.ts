/**
 * A rule file: `{"version", "description"?, "rules": [rule…]}`, where a rule is
 * `{id, description, source, confidence, when, then, examples, counterExamples?}`:
 * `then` maps attributes to a value template or `{value, confidence}`; `examples` are
 * `{signals: [{signal, value}], expect: {attribute: value | null}}`.
 */
import { ATTRIBUTES, type Attribute, type Signal } from '../profile.js';
import { isSignalName } from '../signals.js';
import type { VendorNames } from '../vendor-names.js';
import { isCategory } from '../vocabulary.js';
import { array, fail, idOf, object, onlyKeys, probability, text, type Json, type Place } from './check.js';
import { groupsOf, PredicateParser } from './predicate.js';
import { isStatic, parseTemplate, references } from './template.js';
import type { LeafPredicate, Rule, RuleExample, RuleOutput } from './types.js';

const RULE_KEYS = ['id', 'description', 'source', 'confidence', 'when', 'then', 'examples', 'counterExamples'];
const RULE_ID = /^[a-z0-9][a-z0-9.-]{1,79}$/;

export function parseRuleFile(file: string, json: Json, vendors: VendorNames): { version: string; rules: Rule[] } {
  const filePlace: Place = { file, code: 'CLASSIFY_ERR_RULE_FILE' };
  const root = object(filePlace, '', json);
  onlyKeys(filePlace, '', root, ['version', 'description', 'rules']);
  const version = text(filePlace, 'version', root['version']);
  const rules = array(filePlace, 'rules', root['rules']).map((raw, i) => parseRule(file, i, raw, vendors));
  return { version, rules };
}

function parseRule(file: string, position: number, raw: Json, vendors: VendorNames): Rule {
  const id = idOf(raw, position);
  const place: Place = { file, rule: id, code: 'CLASSIFY_ERR_RULE' };
  const rule = object(place, '', raw);
  onlyKeys(place, '', rule, RULE_KEYS);
  if (!RULE_ID.test(text(place, 'id', rule['id']))) fail(place, 'id', 'must be lower-case letters, digits, dots and dashes');
  const parser = new PredicateParser(place);
  const when = parser.parse('when', rule['when']);
  const captureLeaf = parser.leaves.find((leaf) => leaf.regex !== null) ?? null;
  const confidence = probability(place, 'confidence', rule['confidence']);
  const outputs = parseOutputs(place, rule['then'], confidence, parser.leaves, captureLeaf, vendors);
  const examples = array(place, 'examples', rule['examples']).map((e, i) => parseExample(place, `examples[${i}]`, e));
  if (examples.length === 0) fail(place, 'examples', 'must hold at least one example');
  const counterExamples = array(place, 'counterExamples', rule['counterExamples'] ?? []).map((e, i) => {
    const field = `counterExamples[${i}]`;
    const counter = object(place, field, e);
    onlyKeys(place, field, counter, ['signals']);
    return parseSignals(place, `${field}.signals`, counter['signals']);
  });
  return {
    id,
    description: text(place, 'description', rule['description']),
    source: text(place, 'source', rule['source']),
    file,
    when,
    reads: [...new Set(parser.leaves.flatMap((leaf) => leaf.signals))],
    captureLeaf: captureLeaf?.index ?? -1,
    outputs,
    examples,
    counterExamples,
  };
}

function isAttribute(key: string): key is Attribute {
  return (ATTRIBUTES as readonly string[]).includes(key);
}

function parseOutputs(
  place: Place,
  json: Json | undefined,
  ruleConfidence: number,
  leaves: readonly LeafPredicate[],
  captureLeaf: LeafPredicate | null,
  vendors: VendorNames,
): RuleOutput[] {
  const then = object(place, 'then', json);
  const numbered = captureLeaf?.regex ? groupsOf(captureLeaf.regex).count : -1;
  const named = new Set(leaves.flatMap((leaf) => (leaf.regex ? groupsOf(leaf.regex).names : [])));
  const outputs: RuleOutput[] = [];
  for (const [key, raw] of Object.entries(then)) {
    const field = `then.${key}`;
    if (!isAttribute(key)) fail(place, field, `unknown attribute (expected one of: ${ATTRIBUTES.join(', ')})`);
    let value: Json | undefined = raw;
    let confidence = ruleConfidence;
    if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
      onlyKeys(place, field, raw, ['value', 'confidence']);
      value = raw['value'];
      confidence = probability(place, `${field}.confidence`, raw['confidence']);
    }
    const template = parseTemplate(text(place, field, value));
    if ('error' in template) return fail(place, field, template.error);
    for (const group of references(template)) {
      if (typeof group === 'number' && group > numbered) {
        fail(place, field, numbered < 0 ? `refers to group ${group} but the rule has no regex` : `refers to group ${group} but the first regex has ${numbered}`);
      }
      if (typeof group === 'string' && !named.has(group)) fail(place, field, `refers to group '${group}' that no regex of the rule names`);
    }
    if (key === 'category' && !(isStatic(template) && isCategory(template.text))) {
      fail(place, field, `'${template.text}' is not a category (see classify/src/vocabulary.ts)`);
    }
    if (key === 'vendor' && isStatic(template) && !vendors.isCanonical(template.text)) {
      fail(place, field, `'${template.text}' is not a canonical name in rules/vendors.json`);
    }
    outputs.push({ attribute: key, template, confidence });
  }
  if (outputs.length === 0) fail(place, 'then', 'must give at least one attribute');
  return outputs;
}

function parseSignals(place: Place, field: string, json: Json | undefined): Signal[] {
  const list = array(place, field, json);
  if (list.length === 0) fail(place, field, 'must hold at least one signal');
  return list.map((raw, i) => {
    const at = `${field}[${i}]`;
    const entry = object(place, at, raw);
    onlyKeys(place, at, entry, ['signal', 'value', 'confidence']);
    const signal = text(place, `${at}.signal`, entry['signal']);
    if (!isSignalName(signal)) fail(place, `${at}.signal`, `unknown signal '${signal}' (see classify/src/signals.ts)`);
    const value = entry['value'];
    if (typeof value !== 'string') fail(place, `${at}.value`, 'must be a string');
    if (entry['confidence'] === undefined) return { signal, value };
    return { signal, value, confidence: probability(place, `${at}.confidence`, entry['confidence']) };
  });
}

function parseExample(place: Place, field: string, json: Json): RuleExample {
  const example = object(place, field, json);
  onlyKeys(place, field, example, ['signals', 'expect']);
  const signals = parseSignals(place, `${field}.signals`, example['signals']);
  const expectJson = object(place, `${field}.expect`, example['expect']);
  const expect: Partial<Record<Attribute, string | null>> = {};
  for (const [key, value] of Object.entries(expectJson)) {
    if (!isAttribute(key)) fail(place, `${field}.expect.${key}`, 'unknown attribute');
    if (value !== null && typeof value !== 'string') fail(place, `${field}.expect.${key}`, 'must be a string or null');
    expect[key] = value;
  }
  if (Object.keys(expect).length === 0) fail(place, `${field}.expect`, 'must expect at least one attribute');
  return { signals, expect };
}
