export {
  ICD203_SCALE,
  ICD203_TERMS,
  ICD203_WORDS,
  bandForProbability,
  probabilityForHedge,
  type HedgeProbability,
  type Icd203Term,
} from './icd203.ts';
export {
  ID_PATTERN,
  PREDICTION_KINDS,
  isValidIsoDate,
  isoDateSchema,
  predictionInputSchema,
  predictionsFileSchema,
  resolutionSchema,
  signpostSchema,
  thresholdSchema,
  type Prediction,
  type PredictionInput,
  type PredictionKind,
  type Resolution,
  type Signpost,
  type Threshold,
} from './schema.ts';
export { checkPredictionSet, parsePredictionsFile, type ParsedPredictionsFile, type PredictionOrigin, type PredictionSet } from './load.ts';
export { StoredPredictionError, parseStoredPrediction, storedPredictionSchema, type StoredPrediction } from './stored.ts';
export { computeTrackRecord, type CalibrationBucket, type NamedScore, type ScoreSummary, type TrackRecord } from './track-record.ts';
export { formatProblem, sortProblems, type ConfigProblem } from './problem.ts';
export {
  entryLabel,
  formatFieldPath,
  knownFieldsAt,
  lineForPath,
  MAX_ALIAS_COUNT,
  parseYamlSource,
  problemsFromIssues,
  valueAt,
  type IssueContext,
  type PathSegment,
  type YamlSource,
} from './yaml-source.ts';
export { editDistance, suggestClosest } from './did-you-mean.ts';
