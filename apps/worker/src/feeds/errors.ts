/**
 * The ways a feed refresh can fail. Stored as `last_error` kind by the refresher and shown on the
 * dashboard, so keep the names stable.
 */
export const FEED_ERROR_KINDS = [
  'timeout',
  'dns',
  'http_4xx',
  'http_5xx',
  'http_429',
  'parse',
  'too_large',
  'charset',
  'redirect',
  'ssrf',
  'network',
  /** The items could not be stored (the database refused the feed's write as a whole). */
  'storage',
  /** A fault in Signpost itself, not in the feed. */
  'internal',
] as const;

export type FeedErrorKind = (typeof FEED_ERROR_KINDS)[number];

export interface FeedFetchErrorOptions {
  /** The URL being fetched when the error happened (the redirect hop, not always the feed URL). */
  url?: string;
  /** HTTP status for the http_* kinds. */
  status?: number;
  /** When the server asked us to come back (Retry-After), as an absolute time. */
  retryAfter?: Date | null;
  cause?: unknown;
}

/** A classified failure of fetching, decoding or parsing a feed. Messages start with `feeds: `. */
export class FeedFetchError extends Error {
  override readonly name = 'FeedFetchError';
  readonly kind: FeedErrorKind;
  readonly url: string | undefined;
  readonly status: number | undefined;
  readonly retryAfter: Date | null;

  constructor(kind: FeedErrorKind, message: string, opts: FeedFetchErrorOptions = {}) {
    super(message.startsWith('feeds: ') ? message : `feeds: ${message}`, { cause: opts.cause });
    this.kind = kind;
    this.url = opts.url;
    this.status = opts.status;
    this.retryAfter = opts.retryAfter ?? null;
  }
}

export function isFeedFetchError(err: unknown): err is FeedFetchError {
  return err instanceof FeedFetchError;
}
