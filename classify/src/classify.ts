/** What a device is, from the signals seen of it: rules and learned models fire, `combine` weighs them. */
import { combine } from './combine.js';
import { ATTRIBUTES, type Attribute, type LearnedPredictor, type Profile, type Signal } from './profile.js';
import { defaultRuleSet } from './rules/load.js';
import { fireRules, indexSignals, type Firing } from './rules/match.js';
import type { RuleSet } from './rules/types.js';

export interface ClassifyOptions {
  /** The rule library; the shipped rules by default. */
  rules?: RuleSet;
  /** Learned fingerprint models, each one more independent source. */
  learned?: readonly LearnedPredictor[];
}

/** A learned model's conclusions as firings; confidences outside (0, 1) or not numbers are dropped. */
function learnedFirings(predictor: LearnedPredictor, signals: readonly Signal[], ruleSet: RuleSet): Firing[] {
  const source = `learned:${predictor.id}`;
  const predicted = predictor.predict(signals);
  const firings: Firing[] = [];
  for (const attribute of Object.keys(predicted) as Attribute[]) {
    if (!ATTRIBUTES.includes(attribute)) continue;
    for (const conclusion of predicted[attribute] ?? []) {
      const weight = conclusion.confidence;
      if (!Number.isFinite(weight) || weight <= 0) continue;
      const value = attribute === 'vendor' ? ruleSet.vendors.normalise(conclusion.value) : conclusion.value.trim();
      if (!value) continue;
      const evidence = conclusion.evidence.map((e) => ({ ...e, rule: e.rule.startsWith('learned:') ? e.rule : source }));
      firings.push({ attribute, value, weight: Math.min(1, weight), source, evidence });
    }
  }
  return firings;
}

export function classify(signals: readonly Signal[], options: ClassifyOptions = {}): Profile {
  const ruleSet = options.rules ?? defaultRuleSet();
  const firings = fireRules(ruleSet, indexSignals(signals));
  for (const predictor of options.learned ?? []) firings.push(...learnedFirings(predictor, signals, ruleSet));
  return combine(firings);
}
