/**
 * Loads the rule library: `vendors.json` (maker names) and every other `*.json` in the rules
 * directory (classification rules), checked field by field. A mistake in a rule file stops the
 * load with an error naming the file, the rule and the field, and every rule must pass its own
 * examples.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ClassifyError } from '../errors.js';
import type { Json } from './check.js';
import { exampleProblems } from './examples.js';
import { parseRuleFile } from './rule-file.js';
import type { Rule, RuleSet } from './types.js';
import { parseVendorFile } from './vendor-file.js';

/** The rules shipped with the package (`classify/rules/`), from `src/rules/` and `dist/rules/` alike. */
export const DEFAULT_RULES_DIRECTORY = fileURLToPath(new URL('../../rules/', import.meta.url));

const VENDOR_FILE = 'vendors.json';

export interface LoadOptions {
  /** Directory holding `vendors.json` and the rule files; the shipped rules by default. */
  directory?: string;
  /** Run every rule's examples while loading (default true). */
  checkExamples?: boolean;
}

function readJson(directory: string, name: string): Json {
  const label = `rules/${name}`;
  let body: string;
  try {
    body = readFileSync(join(directory, name), 'utf8');
  } catch (error) {
    throw new ClassifyError('CLASSIFY_ERR_RULE_FILE', `${label}: cannot be read`, { cause: error });
  }
  try {
    return JSON.parse(body) as Json;
  } catch (error) {
    throw new ClassifyError('CLASSIFY_ERR_RULE_FILE', `${label}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

export function loadRuleSet(options: LoadOptions = {}): RuleSet {
  const directory = options.directory ?? DEFAULT_RULES_DIRECTORY;
  let names: string[];
  try {
    names = readdirSync(directory).filter((name) => name.endsWith('.json')).sort();
  } catch (error) {
    throw new ClassifyError('CLASSIFY_ERR_RULE_FILE', `rules directory ${directory} cannot be read`, { cause: error });
  }
  if (!names.includes(VENDOR_FILE)) throw new ClassifyError('CLASSIFY_ERR_RULE_FILE', `rules/${VENDOR_FILE}: is missing from ${directory}`);
  const { version, vendors } = parseVendorFile(`rules/${VENDOR_FILE}`, readJson(directory, VENDOR_FILE));
  const versions: Record<string, string> = { [`rules/${VENDOR_FILE}`]: version };
  const rules: Rule[] = [];
  const where = new Map<string, string>();
  for (const name of names.filter((n) => n !== VENDOR_FILE)) {
    const file = `rules/${name}`;
    const parsed = parseRuleFile(file, readJson(directory, name), vendors);
    versions[file] = parsed.version;
    for (const rule of parsed.rules) {
      const first = where.get(rule.id);
      if (first !== undefined) throw new ClassifyError('CLASSIFY_ERR_RULE', `${file}: rule '${rule.id}' id: already used in ${first}`);
      where.set(rule.id, file);
      rules.push(rule);
    }
  }
  const ruleSet: RuleSet = { versions, rules, vendors };
  if (options.checkExamples ?? true) {
    for (const rule of rules) {
      const problems = exampleProblems(rule, vendors);
      if (problems.length > 0) throw new ClassifyError('CLASSIFY_ERR_RULE_EXAMPLE', `${rule.file}: rule '${rule.id}': ${problems.join('; ')}`);
    }
  }
  return ruleSet;
}

let shipped: RuleSet | undefined;

/** The shipped rules, loaded on first use and kept for the process. */
export function defaultRuleSet(): RuleSet {
  shipped ??= loadRuleSet();
  return shipped;
}
