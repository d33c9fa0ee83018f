import {
  countRecentEntries,
  describeDbError,
  findKnownArticleKeys,
  hideCredentials,
  recordFeedError,
  recordFeedNotModified,
  type recordFeedsNotModified,
  storeFeedItems,
  type ArticleInput,
  type Db,
  type FeedRow,
} from '@signpost/db';
import { FeedFetchError, isFeedFetchError } from '../feeds/errors.ts';
import { fetchFeed } from '../feeds/fetch-feed.ts';
import { fetchFullText, needsFullText } from '../feeds/full-text.ts';
import { detectBrokenGuids, itemKey, titleKey } from '../feeds/identity.ts';
import { parseFeed, type FeedItem } from '../feeds/parse-feed.ts';
import { computeNextCheck } from '../feeds/schedule.ts';
import type { SafeFetchOptions } from '../feeds/safe-fetch.ts';

export interface RefreshOptions {
  now: Date;
  fetch: Pick<
    SafeFetchOptions,
    'timeoutMs' | 'maxBytes' | 'maxRedirects' | 'allowPrivateNetworks' | 'allowPrivateHosts' | 'userAgent' | 'resolveHost'
  >;
  /** Most full-text page fetches per feed and refresh, to bound a cycle's length. */
  maxFullTextFetches?: number;
  random?: () => number;
  /**
   * Entries the feed brought in the last week, when the caller counted them for many feeds at once
   * (refreshDueFeeds); otherwise refreshFeed asks the database.
   */
  lastWeekEntries?: number | null;
  /**
   * Takes over recording a not-modified fetch (refreshDueFeeds writes them in batches); without it,
   * refreshFeed records it at once.
   */
  deferNotModified?(entry: NotModifiedEntry): void;
}

export type NotModifiedEntry = Parameters<typeof recordFeedsNotModified>[1][number];

export type RefreshOutcome =
  | { status: 'fetched'; feedId: number; new: number; duplicate: number; skipped: number; warnings: string[] }
  | { status: 'not-modified'; feedId: number }
  | { status: 'failed'; feedId: number; kind: string; message: string };

export const WEEK_MS = 7 * 24 * 3600 * 1000;

/** The longest failure message stored on a feed and logged. */
const MAX_MESSAGE = 500;

/** Runs a step that reads or writes the database; its failure is the feed's `storage` error, in one short line. */
async function storage<T>(feed: FeedRow, what: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw new FeedFetchError('storage', `${feed.url}: could not ${what}: ${describeDbError(error)}`, { cause: error });
  }
}

/**
 * Refreshes one feed end to end (after miniflux's handler): conditional fetch, 304 short-circuit,
 * decode, parse, normalise, store, and record success or the error with the next check time.
 * The only code that sees the whole sequence; it never throws for a feed's own failure.
 */
export async function refreshFeed(db: Db, feed: FeedRow, options: RefreshOptions): Promise<RefreshOutcome> {
  const { now } = options;
  const intervalMinutes = feed.settings.intervalMinutes ?? null;
  try {
    const fetched = await fetchFeed(feed.url, {
      ...options.fetch,
      etag: feed.etag,
      lastModified: feed.lastModified,
      previousBodyHash: feed.bodyHash,
      now,
    });
    const lastWeekEntries =
      options.lastWeekEntries !== undefined
        ? options.lastWeekEntries
        : feed.lastSuccessAt
          ? await storage(feed, 'count its recent entries', () => countRecentEntries(db, feed.id, new Date(now.getTime() - WEEK_MS)))
          : null;
    if (fetched.kind === 'not-modified') {
      const nextCheckAt = computeNextCheck({
        now,
        lastWeekEntries,
        ttlMinutes: feed.ttlMinutes,
        cache: fetched.cache,
        intervalMinutes,
        random: options.random,
      });
      const entry = {
        feedId: feed.id,
        at: now,
        nextCheckAt,
        etag: fetched.etag,
        lastModified: fetched.lastModified,
        bodyHash: fetched.bodyHash,
      };
      if (options.deferNotModified) options.deferNotModified(entry);
      else await storage(feed, 'record the fetch', () => recordFeedNotModified(db, feed.id, entry, now));
      return { status: 'not-modified', feedId: feed.id };
    }

    const parsed = await parseFeed(fetched.text, { feedUrl: fetched.finalUrl, now, language: feed.language });
    const previous = feed.lastItems ?? [];
    const guidsBroken =
      feed.guidsBroken ||
      detectBrokenGuids(
        {
          guids: previous.map((p) => p.guid).filter((g): g is string => !!g),
          urls: previous.map((p) => p.url).filter((u): u is string => !!u),
        },
        parsed.items,
      );
    const articles = parsed.items.map((item) => toArticle(item, feed.id, guidsBroken));
    if (feed.settings.fullText) await addFullText(db, feed, parsed.items, articles, options);

    const entriesThisFetch = parsed.items.filter((i) => now.getTime() - i.published.getTime() < WEEK_MS).length;
    const nextCheckAt = computeNextCheck({
      now,
      lastWeekEntries: Math.max(lastWeekEntries ?? 0, entriesThisFetch),
      ttlMinutes: parsed.ttlMinutes,
      cache: fetched.cache,
      intervalMinutes,
      random: options.random,
    });
    const stored = await storage(feed, 'store its items', () =>
      storeFeedItems(
        db,
        feed.id,
        articles,
        {
          etag: fetched.etag,
          lastModified: fetched.lastModified,
          bodyHash: fetched.bodyHash,
          ttlMinutes: parsed.ttlMinutes,
          siteUrl: parsed.siteUrl,
          feedTitle: parsed.title,
          lastItems: parsed.items.map((i) => ({ guid: i.guid, url: i.canonicalUrl })),
          guidsBroken,
          warnings: [
            ...parsed.warnings,
            ...(fetched.droppedEntries
              ? [
                  `kept the first ${fetched.entries - fetched.droppedEntries} of ${fetched.entries} entries (the per-fetch cap); the rest were not read`,
                ]
              : []),
            ...(fetched.invalidUtf8
              ? [
                  `the body is not valid UTF-8: ${fetched.invalidUtf8} invalid byte sequence${fetched.invalidUtf8 === 1 ? ' was' : 's were'} replaced with U+FFFD`,
                ]
              : []),
          ],
          nextCheckAt,
        },
        now,
      ),
    );
    return {
      status: 'fetched',
      feedId: feed.id,
      new: stored.newIds.length,
      duplicate: stored.duplicate,
      skipped: stored.skipped.length,
      warnings: stored.warnings,
    };
  } catch (error) {
    const failure = isFeedFetchError(error)
      ? error
      : new FeedFetchError(
          'internal',
          `feeds: ${feed.url}: unexpected failure: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, MAX_MESSAGE)}`,
          { cause: error },
        );
    // Stored on the feed and logged: bounded, and without any credentials a URL in it carries.
    const shown = hideCredentials(failure.message);
    const message = shown.length > MAX_MESSAGE ? `${shown.slice(0, MAX_MESSAGE - 1)}…` : shown;
    const nextCheckAt = computeNextCheck({
      now,
      lastWeekEntries: null,
      errorCount: feed.errorCount + 1,
      retryAfter: failure.retryAfter,
      random: options.random,
    });
    // 404 and 410 say the feed is gone: after a few in a row the worker pauses it (FEED_HEALTH_RULES).
    await recordFeedError(
      db,
      feed.id,
      { kind: failure.kind, message, nextCheckAt, gone: failure.status === 404 || failure.status === 410 },
      now,
    );
    return { status: 'failed', feedId: feed.id, kind: failure.kind, message };
  }
}

/**
 * The database identity of an item. GUIDs are only unique within a feed unless they are URLs, so
 * plain GUIDs are namespaced by feed; URL and hash keys are global, which lets several feeds carrying
 * the same story meet on one article.
 */
export function articleKey(item: FeedItem, feedId: number, ignoreGuid: boolean): string {
  // The parser's key already drops a GUID that is no identity (shared by items with other links).
  const key = ignoreGuid ? itemKey(item, { ignoreGuid }) : item.key;
  if (!key.startsWith('guid:')) return key;
  const guid = key.slice(5);
  return /^https?:\/\//i.test(guid) ? key : `guid:${feedId}:${guid}`;
}

/** A parsed item as the store takes it (exported for bench/ingest, which times the steps one by one). */
export function toArticle(item: FeedItem, feedId: number, ignoreGuid: boolean): ArticleInput {
  return {
    key: articleKey(item, feedId, ignoreGuid),
    guid: item.guid,
    url: item.canonicalUrl ?? item.link,
    title: item.title,
    titleKey: titleKey(item.title),
    author: item.author,
    publishedAt: item.published,
    publishedEstimated: item.dateMissing || item.futureDate,
    summary: item.summary,
    text: item.content,
    language: item.language,
    contentHash: item.contentHash,
    fullTextStatus: item.content ? 'none' : 'skipped',
  };
}

/** Fetches full text for new items that carry only a summary; a failure keeps the summary and says why. */
async function addFullText(db: Db, feed: FeedRow, items: FeedItem[], articles: ArticleInput[], options: RefreshOptions) {
  const known = await storage(feed, 'look up its known items', () =>
    findKnownArticleKeys(
      db,
      articles.map((a) => a.key),
    ),
  );
  let budget = options.maxFullTextFetches ?? 10;
  for (const [i, item] of items.entries()) {
    const article = articles[i]!;
    if (known.has(article.key) || !item.link || !needsFullText(item)) continue;
    if (budget-- <= 0) {
      article.fullTextStatus = 'skipped';
      article.fullTextError = 'full-text budget for this refresh used up';
      continue;
    }
    const result = await fetchFullText(item.link, { ...options.fetch, now: options.now });
    if (result.ok) {
      article.text = result.text;
      article.fullTextStatus = 'extracted';
    } else {
      article.fullTextStatus = 'failed';
      article.fullTextError = result.reason;
    }
  }
}
