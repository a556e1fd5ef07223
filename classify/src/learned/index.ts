/** Learned fingerprints: models trained on labelled captures, saved as versioned JSON, and their evaluation. */
export { LearnedFingerprints, learnDefaults, MODEL_NAMES, type LearnOptions, type ModelName, type ModelWeights, type Prediction, type RankedLabel } from './ensemble.js';
export { AccuracyTally, crossValidate, splitByClass, spread, type CrossValidationOptions, type CrossValidationResult, type Split, type Spread } from './evaluate.js';
export { buildSchema, vectorise, type FeatureRecord, type LabelledFeatures, type VectorSchema } from './features.js';
export { RandomForest, forestDefaults, type ForestOptions } from './forest.js';
export { FILE_COLUMN, MAC_COLUMN, parseCsv, readLabels, type LabelledCapture, type LabelsOptions } from './labels.js';
export { LEARNED_ERRORS, LearnedModelError, type LearnedErrorCode } from './model-errors.js';
export { loadModel, MODEL_FORMAT, MODEL_VERSION, parseModel, serialiseModel, toModelFile, type LoadedModel, type ModelFile, type TrainingSummary } from './model-file.js';
export { TokenNeighbours } from './neighbours.js';
export { seededRandom, shuffled, type Random } from './random.js';
export { editDistance, SequenceNeighbours } from './sequence.js';
export { IOT_SENTINEL, publishedBaseline, type PublishedBaseline } from './published.js';
export { learnedPredictor, RULE_TOKEN, ruleTokens, type PredictorOptions } from './with-rules.js';
