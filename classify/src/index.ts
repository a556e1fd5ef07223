/**
 * What a device is, from the facts seen of it: the rule library (versioned data files under
 * `rules/`), learned fingerprints, and the scoring that combines them into one profile with evidence.
 */
export {
  ATTRIBUTES,
  type Attribute,
  type AttributeProfile,
  type Conclusion,
  type Evidence,
  type LearnedPredictor,
  type Profile,
  type Signal,
} from './profile.js';
export { classify, type ClassifyOptions } from './classify.js';
export { combine, MIN_BEST, MAX_SUPPORT } from './combine.js';
export { CLASSIFY_ERRORS, ClassifyError, type ClassifyErrorCode } from './errors.js';
export { DEFAULT_RULES_DIRECTORY, defaultRuleSet, loadRuleSet, type LoadOptions } from './rules/load.js';
export type { Rule, RuleSet } from './rules/types.js';
export { SIGNAL_GROUPS, SIGNAL_NAMES, isSignalName } from './signals.js';
export { VendorNames, withoutLegalForm, type VendorEntry } from './vendor-names.js';
export { CATEGORIES, isCategory } from './vocabulary.js';
export * from './learned/index.js';
export { MAX_TOKEN_TEXT, macHex, macSpellings, scrub } from './unit-identifiers.js';
