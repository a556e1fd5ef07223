/** A simulated day on three floors with moves, injected anomalies and its ground truth. */
export { writeScenarioDay, scenarioSummary, SCENARIO_DEFAULTS, type ScenarioDay, type ScenarioOptions } from './day.js';
export { planScenarioDay, type DayPlan as ScenarioPlan } from './plan.js';
export { ANOMALY_KINDS as SCENARIO_ANOMALY_KINDS, type AnomalyKind as ScenarioAnomalyKind } from './anomaly-plan.js';
export type { ScenarioTruth, ScenarioTruthAnomaly, ScenarioTruthDevice, ScenarioTruthFloor, ScenarioTruthMove } from './truth.js';
