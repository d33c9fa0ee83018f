export {
  createDb,
  queryRows,
  isServerUrl,
  redactUrl,
  describeDbError,
  hideCredentials,
  migrationsFolder,
  DatabaseError,
  PGLITE_SHARED_BUFFERS,
} from './create-db.ts';
export type { Database, Db, CreateDbOptions } from './create-db.ts';
export { nextTurn, takeTurns } from './take-turns.ts';
export { DatabaseInUseError, LOCK_STALE_MS, lockDataDir } from './data-dir-lock.ts';
export type { DataDirLock, LockOwner } from './data-dir-lock.ts';
export * as schema from './schema.ts';
export { pingDb } from './queries/health.ts';
export {
  syncPredictions,
  listPredictions,
  listForecasts,
  getForecast,
  getPrediction,
  listPredictionRevisions,
  claimHashOf,
  baseClaimHash,
  setPredictionAdjustment,
} from './queries/predictions.ts';
export type { PredictionInput, StoredForecastRow, SyncPredictionsResult } from './queries/predictions.ts';
export { syncFeeds, listFeedHealth, listFeedStates } from './queries/feeds.ts';
export type { FeedInput } from './queries/feeds.ts';
export { hashRecord, stableStringify } from './stable-hash.ts';
export {
  storeFeedItems,
  findKnownArticleKeys,
  recordFeedNotModified,
  recordFeedsNotModified,
  recordFeedError,
  setFeedPaused,
  FEED_HEALTH_RULES,
  claimDueFeeds,
  releaseFeedLeases,
  listLeaseOwners,
  releaseLeasesOf,
  countRecentEntries,
  countRecentEntriesByFeed,
  listArticles,
} from './queries/articles.ts';
export { ARTICLE_LIMITS } from './queries/articles.ts';
export type { ArticleInput, FeedSuccess, StoreResult } from './queries/articles.ts';
export {
  listScoringClaims,
  readArticlesAfter,
  countArticlesAfter,
  storeScoringBatch,
  withScoringClaims,
  listScoringFailures,
  listLedger,
  setOverride,
  listReviewedPairs,
} from './queries/judgments.ts';
export type {
  ScoringClaim,
  ArticleForScoring,
  JudgmentInput,
  LedgerEntry,
  HeldScoringClaims,
  ScoringBatchWrite,
  ReviewedPair,
  ScoringFailure,
  ScoringFailureInput,
} from './queries/judgments.ts';
export {
  enqueueLlmCandidates,
  leaseLlmWork,
  getLlmAnswer,
  settleLlmWork,
  releaseLlmWork,
  countLlmQueue,
  listJudgmentPairs,
} from './queries/llm.ts';
export type { LlmCandidate, LlmWorkItem, LlmAnswerRow, PairJudgment } from './queries/llm.ts';
export type FeedRow = typeof import('./schema.ts').feeds.$inferSelect;
export { getOrCreateSecret, setPreferredScorer, readPreferredScorer, JUDGE_SETTING } from './queries/settings.ts';
export { createAdminSession, isAdminSessionLive, revokeAdminSession } from './queries/admin-sessions.ts';
export { listArticlesByIds, listReviewQueue, hasArticle, setResolutionOverride, listResolutionOverrides } from './queries/dashboard.ts';
export type { EvidenceArticle, ReviewItem, ResolutionOverride } from './queries/dashboard.ts';
export {
  normaliseEmail,
  findLastDigestWindowEnd,
  claimDigestSend,
  recordDigestRoster,
  markDigestSending,
  markDigestSent,
  markDigestFailed,
  markDigestSkipped,
  noteDigestSend,
  listDigestSends,
  listDigestWeeksToRetry,
  recordUnsubscribe,
  listUnsubscribed,
  listDigestArticles,
} from './queries/digest.ts';
export type { DigestSendRow, DigestSendStatus, DigestClaim, DigestArticleRow } from './queries/digest.ts';
export {
  writeStandings,
  listStandings,
  readStandingsVersion,
  readEvidenceKeys,
  readStoredEvidenceKeys,
  touchStandings,
} from './queries/standings.ts';
export type { StandingRow } from './queries/standings.ts';
