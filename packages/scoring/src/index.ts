export type { EvidenceSentence, Judgment, ScorableArticle, ScorableClaim, Stance } from './types.ts';
export {
  createScorer,
  LONG_ARTICLE_WORDS,
  ScoringError,
  SCORER_ID,
  SCORER_NAME,
  type ClaimKind,
  type PreparedArticle,
  type ScoreOptions,
  type Scorer,
  type ScorerOptions,
} from './scorer.ts';
export { accuracy, confusionMatrix, fncScore, macroF1, MetricsError, perClassF1, rankAuc, type FncScore } from './metrics.ts';
export { checkEntities, findEntities, type EntityCode } from './entities.ts';
export { capMatches, type CapOptions, type CappedJudgment } from './cap.ts';
export {
  parseCorpus,
  parseRealEvents,
  parseRealEventCross,
  parseRealEventShipped,
  realEventPairs,
  forecastRecord,
  judgeCorpusPairs,
  shippedForecasts,
  shippedRealEventPairs,
  judgeRealEvents,
  realEventDirectionAuc,
  CorpusError,
  CORPUS_SPLITS,
  REAL_EVENT_SPLITS,
  REAL_EVENT_STANCE,
  type RealEvent,
  type RealEventJudgment,
  type RealEventCrossLabel,
  type RealEventShippedLabel,
  type RealEventPair,
  type Corpus,
  type CorpusArticle,
  type CorpusForecast,
  type CorpusPair,
} from './corpus.ts';
export { applyAdjustment, DEFAULT_STRENGTH, fitAdjustment, type ForecastAdjustment, type ReviewedJudgment } from './adjustment.ts';
export { scoreArticleAgainstClaims, scoreArticleBatch, type ArticleJudgments, type BatchArticle, type BatchClaim } from './batch.ts';
/** The deterministic PRNG (mulberry32) training uses; also the worker's synthetic test feeds. */
export { createRandom } from './gbdt.ts';
