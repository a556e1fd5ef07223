export * from './model.js';
export { VULN_ERRORS, VulnError, type VulnErrorCode } from './errors.js';
export { emptyDocument, pointer, readJson } from './feeds/document.js';
export { readFeed } from './feeds/read.js';
export { validateVector, canonicalVector, metricsOf, type VectorCheck, type CvssMetricSpec } from './cvss/vector.js';
export { scoreVector, attackVectorOf, severityOf, type CvssScore, type CvssSeverity, type AttackVector } from './cvss/score.js';
export {
  rubricVector,
  rubricVectorV4,
  validateRubricAnswers,
  PHI_HIGH_RECORDS,
  type RubricAnswers,
  type RubricResult,
  type RubricStep,
  type AttackVectorAnswers,
  type PrivilegeAnswers,
  type ClassImpact,
  type PhiImpact,
  type ImpactAnswers,
  type ImpactAnswer,
  type YesNoUnknown,
} from './cvss/rubric.js';
export { likelihood, EPSS_HIGH, type LikelihoodInput, type Likelihood, type LikelihoodLevel, type Exposure, type ExploitMaturity } from './risk/likelihood.js';
export { parseKev } from './feeds/kev.js';
export { parseEpss, parseEpssBytes } from './feeds/epss.js';
export { parseCycloneDx } from './feeds/cyclonedx.js';
export { parseSpdx } from './feeds/spdx.js';
export { parseMds2 } from './feeds/mds2.js';
export { mds2Summary, MDS2_FACT_QUESTIONS, type Mds2Fact, type Mds2FactName, type Mds2Summary } from './feeds/mds2-summary.js';
export { detectFeedKind } from './feeds/detect.js';
export { CPE_ATTRIBUTES, parseCpe, tryParseCpe, formatCpe, cpeValueText, type Cpe, type CpeAttribute, type CpeValue } from './cpe/parse.js';
export { compareCpes, relateCpes, cpeMatches, type CpeRelation, type CpeComparison } from './cpe/compare.js';
export { matchConfigurations } from './match/configuration.js';
export { parseCve5, advisoryIds } from './feeds/cve5.js';
export { parseNvd } from './feeds/nvd.js';
export { compareVersions, parseVersion, type ParsedVersion } from './version/compare.js';
export { parseConstraint, containsVersion, constraintFromCve5, constraintFromBounds } from './version/constraint.js';
export { sameVendor, vendorKeys, productMatches, foldText, type ProductMatch } from './names.js';
export { parseCsaf } from './feeds/csaf.js';
export { matchStatement, matchVulnerability } from './match/product.js';
export { evaluateCsaf, formatEvaluation, type CsafEvaluation } from './eval/csaf-eval.js';
