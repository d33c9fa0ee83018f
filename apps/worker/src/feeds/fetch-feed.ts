import { createHash } from 'node:crypto';
import { decodeBody } from './charset.ts';
import { capFeedEntries, DEFAULT_MAX_ENTRIES } from './entry-cap.ts';
import { parseCacheHints, type CacheHints } from './http-headers.ts';
import { fetchSafely, type RedirectHop, type SafeFetchOptions } from './safe-fetch.ts';

export type { CacheHints } from './http-headers.ts';

export interface FetchFeedOptions extends Omit<SafeFetchOptions, 'headers'> {
  /** Validators stored from the previous successful fetch. */
  etag?: string | null;
  lastModified?: string | null;
  /** Body hash stored from the previous fetch; an identical body counts as not modified. */
  previousBodyHash?: string | null;
  /** Most entries kept from one fetch, the first in the document (default 2,000; see entry-cap.ts). */
  maxEntries?: number;
}

export type FetchFeedResult =
  | {
      kind: 'not-modified';
      finalUrl: string;
      etag: string | null;
      lastModified: string | null;
      bodyHash: string | null;
      cache: CacheHints;
      /** Why: the server said 304, or it sent the same bytes again. */
      reason: '304' | 'same-body';
      redirects: RedirectHop[];
    }
  | {
      kind: 'fetched';
      finalUrl: string;
      text: string;
      charset: string;
      bodyHash: string;
      etag: string | null;
      lastModified: string | null;
      cache: CacheHints;
      /** Decompressed body size. */
      bytes: number;
      contentType: string | null;
      redirects: RedirectHop[];
      /** Entries in the body (closing item/entry tags), before the cap. */
      entries: number;
      /** Entries cut out of `text` by the entry cap (the last ones in the document). */
      droppedEntries: number;
      /** Byte sequences of a UTF-8 body that were not UTF-8 (each replaced by U+FFFD in `text`). */
      invalidUtf8: number;
    };

const FEED_ACCEPT =
  'application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5';

/** sha256 hex of the raw (decompressed, undecoded) body. */
export function hashBody(body: Uint8Array): string {
  return createHash('sha256').update(body).digest('hex');
}

/**
 * Fetches a feed with a conditional GET and decodes it to text. Knows nothing of the database:
 * the caller passes the stored validators and body hash and stores what comes back.
 *
 * - 304 => `not-modified` (validators carried over when the 304 does not repeat them).
 * - 200 with a body whose sha256 equals `previousBodyHash` => `not-modified` too (servers that send
 *   fresh validators for unchanged feeds, or no validators at all).
 * - 200 otherwise => `fetched`, with the text decoded by BOM > HTTP charset > XML declaration,
 *   and cut to the first `maxEntries` entries (entry-cap.ts).
 *
 * Throws FeedFetchError (kinds: timeout, dns, http_4xx, http_5xx, http_429, too_large, charset,
 * redirect, ssrf, network). Parsing is separate (`parseFeed`).
 */
export async function fetchFeed(url: string, opts: FetchFeedOptions = {}): Promise<FetchFeedResult> {
  const now = opts.now ?? new Date();
  const headers: Record<string, string> = { accept: FEED_ACCEPT };
  if (opts.etag) headers['if-none-match'] = opts.etag;
  if (opts.lastModified) headers['if-modified-since'] = opts.lastModified;
  const res = await fetchSafely(url, { ...opts, now, headers });
  const cache = parseCacheHints(res.headers, now);
  const etag = res.headers.get('etag');
  const lastModified = res.headers.get('last-modified');
  if (res.status === 304) {
    return {
      kind: 'not-modified',
      finalUrl: res.url,
      etag: etag ?? opts.etag ?? null,
      lastModified: lastModified ?? opts.lastModified ?? null,
      bodyHash: opts.previousBodyHash ?? null,
      cache,
      reason: '304',
      redirects: res.redirects,
    };
  }
  const bodyHash = hashBody(res.body);
  if (opts.previousBodyHash && bodyHash === opts.previousBodyHash) {
    return {
      kind: 'not-modified',
      finalUrl: res.url,
      etag,
      lastModified,
      bodyHash,
      cache,
      reason: 'same-body',
      redirects: res.redirects,
    };
  }
  const contentType = res.headers.get('content-type');
  const decoded = decodeBody(res.body, contentType, { url: res.url });
  const capped = capFeedEntries(decoded.text, opts.maxEntries ?? DEFAULT_MAX_ENTRIES);
  return {
    kind: 'fetched',
    finalUrl: res.url,
    text: capped.text,
    entries: capped.entries,
    droppedEntries: capped.dropped,
    invalidUtf8: decoded.invalidSequences,
    charset: decoded.charset,
    bodyHash,
    etag,
    lastModified,
    cache,
    bytes: res.body.byteLength,
    contentType,
    redirects: res.redirects,
  };
}
