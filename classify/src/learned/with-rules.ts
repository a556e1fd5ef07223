/**
 * Rules and learned fingerprints together, both ways round. What the rule library concludes from a
 * device's signals (its vendor, category, model, OS) becomes tokens the learned models train and
 * predict on, so a model learns which rule answers go with which of its classes; and a learned model
 * becomes a `LearnedPredictor`, one more source for `classify` beside the rules.
 */
import { classify } from '../classify.js';
import { ATTRIBUTES, type Attribute, type Conclusion, type LearnedPredictor, type Signal } from '../profile.js';
import type { RuleSet } from '../rules/types.js';
import type { LearnedFingerprints } from './ensemble.js';

/** A host name names the unit, not the model: it never becomes a token. */
const RULE_ATTRIBUTES: readonly Attribute[] = ATTRIBUTES.filter((a) => a !== 'hostname');
/** Signals listed as evidence of one learned conclusion. */
const MAX_EVIDENCE = 20;
/** Token name prefix of rule conclusions. */
export const RULE_TOKEN = 'rule';

/** The rule library's best value per attribute, as tokens `rule.<attribute>=<value>`. */
export function ruleTokens(signals: readonly Signal[], rules?: RuleSet): string[] {
  const profile = classify(signals, rules === undefined ? {} : { rules });
  const tokens: string[] = [];
  for (const attribute of RULE_ATTRIBUTES) {
    const best = profile[attribute].best;
    if (best !== null) tokens.push(`${RULE_TOKEN}.${attribute}=${best.value}`);
  }
  return tokens;
}

export interface PredictorOptions {
  /** Model id, reported as `learned:<id>` in evidence. */
  id: string;
  /** The attribute the model's classes are values of (a labels table of models: `model`). */
  attribute: Attribute;
  /**
   * A signal as the token the model was trained on. The edge core writes tokens as
   * `<signal>=<value>` with unit identifiers replaced (`scrub`); pass the same here.
   */
  tokenOf?: (signal: Signal) => string;
  /** Conclusions below this probability are not offered. */
  minConfidence?: number;
}

/**
 * A learned model as a source for `classify`. Live signals carry no packet sizes or sequences, so
 * only the token model answers: its class probabilities over the signals' tokens.
 */
export function learnedPredictor(model: LearnedFingerprints, options: PredictorOptions): LearnedPredictor {
  const tokenOf = options.tokenOf ?? ((s: Signal) => `${s.signal}=${s.value}`);
  const minConfidence = options.minConfidence ?? 0.5;
  return {
    id: options.id,
    predict(signals: readonly Signal[]): Partial<Record<Attribute, readonly Conclusion[]>> {
      if (signals.length === 0) return {};
      const probabilities = model.tokenProbabilities(signals.map(tokenOf));
      const conclusions: Conclusion[] = [];
      probabilities.forEach((p, k) => {
        const value = model.classes[k];
        if (value === undefined || !(p >= minConfidence)) return;
        const evidence = signals.slice(0, MAX_EVIDENCE).map((s) => ({ signal: s.signal, value: s.value, rule: `learned:${options.id}`, weight: p }));
        conclusions.push({ value, confidence: p, evidence });
      });
      return conclusions.length > 0 ? { [options.attribute]: conclusions } : {};
    },
  };
}
