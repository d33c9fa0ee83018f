// The feed fetch-and-parse layer: database-free. `refreshFeed(db, feed)` composes these:
//   fetchFeed -> (not-modified: done) -> parseFeed -> detectBrokenGuids/itemKey -> store
//   -> computeNextCheck (success or FeedFetchError with .kind / .retryAfter).
export { FEED_ERROR_KINDS, FeedFetchError, isFeedFetchError, type FeedErrorKind } from './errors.ts';
export { fetchFeed, hashBody, type FetchFeedOptions, type FetchFeedResult } from './fetch-feed.ts';
export { EMPTY_CACHE_HINTS, parseCacheHints, parseRetryAfter, type CacheHints } from './http-headers.ts';
export {
  closeFeedConnections,
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_REDIRECTS,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_USER_AGENT,
  fetchSafely,
  type RedirectHop,
  type SafeFetchOptions,
  type SafeResponse,
} from './safe-fetch.ts';
export { decodeBody, detectCharset, normalizeCharsetLabel } from './charset.ts';
export { normalizeLanguage, parseFeed, type FeedFormat, type FeedItem, type ParsedFeed, type ParseFeedOptions } from './parse-feed.ts';
export { canonicalizeUrl, contentHash, detectBrokenGuids, itemKey, titleKey, type KeyableItem } from './identity.ts';
export { parseFeedDate } from './dates.ts';
export { htmlToText, truncateText } from './html-text.ts';
export {
  computeNextCheck,
  createKeyedLimiter,
  hostKey,
  ERROR_BACKOFF_STEP_MINUTES,
  MAX_INTERVAL_MINUTES,
  MIN_INTERVAL_MINUTES,
  type NextCheckInput,
} from './schedule.ts';
export { assertUrlAllowed, isBlockedAddress, type ResolveHost } from './ssrf.ts';
export {
  extractArticleText,
  fetchFullText,
  needsFullText,
  type FullTextOptions,
  type FullTextResult,
  type PageFetcher,
} from './full-text.ts';
export { importOpml, OpmlImportError, readOpmlOutlines, type ImportedFeed, type OpmlImportResult } from './opml.ts';
