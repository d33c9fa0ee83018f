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
  escapeHtml,
  forecastUrl,
  formatWindow,
  renderDigest,
  shorten,
  type DigestRecipient,
  type RenderOptions,
  type RenderedDigest,
} from './render-digest.ts';
export { loadDigestInput } from './load-digest-input.ts';
export {
  DIGEST_DEFAULTS,
  DigestError,
  digestMessageId,
  isTransientSmtpError,
  previewDigest,
  proposeDigestWindow,
  sendDigests,
  type DigestOutcome,
  type DigestSendResult,
  type DigestTransport,
  type SendDigestsOptions,
  type SendDigestsReport,
} from './send-digests.ts';
export { UNSUBSCRIBE_SECRET_KEY, signUnsubscribeToken, unsubscribeByToken, unsubscribeUrl, verifyUnsubscribeToken } from './unsubscribe-token.ts';
export { createSmtpTransport } from './smtp-transport.ts';
