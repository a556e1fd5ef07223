/**
 * What a device is, from the facts seen of it: the rule library (versioned data files under
 * `rules/`), learned fingerprints, and the scoring that combines them into one profile with evidence.
 */
export {};
