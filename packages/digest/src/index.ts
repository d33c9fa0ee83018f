/**
 * The weekly digest as pure functions: what it says (buildDigest, from values the caller loaded),
 * how it reads (renderDigest: subject, HTML through hono/jsx, text), the ISO-week helpers, and the
 * signed unsubscribe tokens (the secret is passed in). No database, no SMTP: sending, the send
 * ledger and the weekly job live in the worker (apps/worker/src/digest/).
 */
export {
  MOVER_THRESHOLD,
  buildDigest,
  lastCompleteWeek,
  selectForSubscriber,
  summarizeDigest,
  weekWindow,
  type Digest,
  type DigestArticle,
  type DigestEvidence,
  type DigestFeed,
  type DigestFeedProblem,
  type DigestForecast,
  type DigestForecastRecord,
  type DigestInput,
  type DigestLedgerEntry,
  type DigestRevision,
  type DigestSummary,
} from './build-digest.ts';
export {
  STATUS_LABELS,
  digestSubject,
  forecastUrl,
  formatWindow,
  renderDigest,
  shorten,
  type DigestRecipient,
  type RenderOptions,
  type RenderedDigest,
} from './render-digest.tsx';
export {
  UNSUBSCRIBE_SECRET_KEY,
  normaliseEmail,
  signUnsubscribeToken,
  unsubscribeUrl,
  verifyUnsubscribeToken,
} from './unsubscribe-token.ts';
