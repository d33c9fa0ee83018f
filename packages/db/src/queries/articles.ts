import { and, asc, desc, eq, gte, ilike, inArray, isNull, lte, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../create-db.ts';
import { articleSources, articles, feeds } from '../schema.ts';

/** An article as the feed pipeline hands it over: normalised, with its identity key computed. */
export interface ArticleInput {
  key: string;
  guid?: string | null;
  url?: string | null;
  title: string;
  /** Normalised title, for recognising the same story in other feeds. Empty when unusable. */
  titleKey: string;
  author?: string | null;
  publishedAt: Date;
  publishedEstimated?: boolean;
  summary?: string | null;
  text?: string | null;
  language?: string | null;
  contentHash?: string | null;
  fullTextStatus?: 'none' | 'extracted' | 'failed' | 'skipped';
  fullTextError?: string | null;
}

export interface FeedSuccess {
  etag?: string | null;
  lastModified?: string | null;
  bodyHash?: string | null;
  ttlMinutes?: number | null;
  siteUrl?: string | null;
  /** Title from the feed itself, used when config gives none. */
  feedTitle?: string | null;
  lastItems?: { guid: string | null; url: string | null }[] | null;
  guidsBroken?: boolean;
  nextCheckAt: Date;
}

export interface StoreResult {
  newIds: number[];
  duplicate: number;
}

/** Same story, other feed: a normalised title seen within this window counts as one article. */
const SAME_STORY_WINDOW_MS = 7 * 24 * 3600 * 1000;

/**
 * Stores one feed's items and records the fetch as a success, in one transaction: a crash leaves
 * either nothing (the feed is fetched again) or everything. An item already known by key, URL or
 * (within 7 days) normalised title gains this feed as a source instead of becoming a new article.
 * New articles get the next ids, which is how scoring finds them (see scoringProgress).
 */
export async function storeFeedItems(db: Db, feedId: number, items: ArticleInput[], success: FeedSuccess, now = new Date()): Promise<StoreResult> {
  return db.transaction(async (tx) => {
    const result: StoreResult = { newIds: [], duplicate: 0 };
    const unique = new Map<string, ArticleInput>();
    for (const item of items) {
      if (unique.has(item.key)) result.duplicate++;
      else unique.set(item.key, item);
    }
    const batch = [...unique.values()];
    if (batch.length) {
      const keys = batch.map((i) => i.key);
      const urls = batch.map((i) => i.url).filter((u): u is string => !!u);
      const titleKeys = batch.map((i) => i.titleKey).filter((t) => t.length >= 12);
      const known = await tx
        .select({ id: articles.id, key: articles.key, url: articles.url, titleKey: articles.titleKey, publishedAt: articles.publishedAt })
        .from(articles)
        .where(
          or(
            inArray(articles.key, keys),
            urls.length ? inArray(articles.url, urls) : undefined,
            titleKeys.length ? inArray(articles.titleKey, titleKeys) : undefined,
          ),
        );
      const byKey = new Map(known.map((a) => [a.key, a.id]));
      const byUrl = new Map(known.filter((a) => a.url).map((a) => [a.url!, a.id]));
      const sources: { articleId: number; feedId: number; guid: string | null; url: string | null; firstSeenAt: Date }[] = [];
      const fresh: ArticleInput[] = [];
      for (const item of batch) {
        const sameStory = (t: { titleKey: string; publishedAt: Date }) =>
          item.titleKey.length >= 12 && t.titleKey === item.titleKey && Math.abs(t.publishedAt.getTime() - item.publishedAt.getTime()) <= SAME_STORY_WINDOW_MS;
        const existing = byKey.get(item.key) ?? (item.url ? byUrl.get(item.url) : undefined) ?? known.find(sameStory)?.id;
        if (existing !== undefined) {
          result.duplicate++;
          sources.push({ articleId: existing, feedId, guid: item.guid ?? null, url: item.url ?? null, firstSeenAt: now });
          continue;
        }
        // The same story twice in this very batch (another key, same URL or title).
        const twin = fresh.find((f) => (item.url && f.url === item.url) || sameStory(f));
        if (twin) {
          result.duplicate++;
          continue;
        }
        fresh.push(item);
      }
      if (fresh.length) {
        const inserted = await tx
          .insert(articles)
          .values(
            fresh.map((i) => ({
              key: i.key,
              url: i.url ?? null,
              title: i.title,
              titleKey: i.titleKey,
              author: i.author ?? null,
              publishedAt: i.publishedAt,
              publishedEstimated: i.publishedEstimated ?? false,
              fetchedAt: now,
              summary: i.summary ?? null,
              text: i.text ?? null,
              language: i.language ?? null,
              contentHash: i.contentHash ?? null,
              fullTextStatus: i.fullTextStatus ?? 'none',
              fullTextError: i.fullTextError ?? null,
              createdAt: now,
            })),
          )
          .onConflictDoNothing({ target: articles.key })
          .returning({ id: articles.id, key: articles.key });
        const idByKey = new Map(inserted.map((r) => [r.key, r.id]));
        for (const item of fresh) {
          const id = idByKey.get(item.key);
          if (id === undefined) {
            // Another worker stored it between our read and our insert.
            result.duplicate++;
            const [row] = await tx.select({ id: articles.id }).from(articles).where(eq(articles.key, item.key));
            if (row) sources.push({ articleId: row.id, feedId, guid: item.guid ?? null, url: item.url ?? null, firstSeenAt: now });
            continue;
          }
          result.newIds.push(id);
          sources.push({ articleId: id, feedId, guid: item.guid ?? null, url: item.url ?? null, firstSeenAt: now });
        }
      }
      if (sources.length) await tx.insert(articleSources).values(sources).onConflictDoNothing();
    }
    await tx
      .update(feeds)
      .set({
        etag: success.etag ?? null,
        lastModified: success.lastModified ?? null,
        bodyHash: success.bodyHash ?? null,
        ttlMinutes: success.ttlMinutes ?? null,
        siteUrl: success.siteUrl ?? sql`${feeds.siteUrl}`,
        title: sql`coalesce(${feeds.title}, ${success.feedTitle ?? null})`,
        lastItems: success.lastItems ?? sql`${feeds.lastItems}`,
        guidsBroken: success.guidsBroken ?? sql`${feeds.guidsBroken}`,
        status: 'ok',
        lastFetchedAt: now,
        lastSuccessAt: now,
        lastError: null,
        lastErrorKind: null,
        errorCount: 0,
        nextCheckAt: success.nextCheckAt,
        leaseOwner: null,
        leaseUntil: null,
        updatedAt: now,
      })
      .where(eq(feeds.id, feedId));
    return result;
  });
}

/** Which of these article keys are stored already (to fetch full text only for new items). */
export async function findKnownArticleKeys(db: Db, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db.select({ key: articles.key }).from(articles).where(inArray(articles.key, keys));
  return new Set(rows.map((r) => r.key));
}

/** A fetch that answered "not modified": the feed is healthy, nothing to store. */
export async function recordFeedNotModified(db: Db, feedId: number, success: Pick<FeedSuccess, 'nextCheckAt' | 'etag' | 'lastModified' | 'bodyHash'>, now = new Date()) {
  await db
    .update(feeds)
    .set({
      etag: success.etag ?? sql`${feeds.etag}`,
      lastModified: success.lastModified ?? sql`${feeds.lastModified}`,
      bodyHash: success.bodyHash ?? sql`${feeds.bodyHash}`,
      status: 'ok',
      lastFetchedAt: now,
      lastSuccessAt: now,
      lastError: null,
      lastErrorKind: null,
      errorCount: 0,
      nextCheckAt: success.nextCheckAt,
      leaseOwner: null,
      leaseUntil: null,
      updatedAt: now,
    })
    .where(eq(feeds.id, feedId));
}

/** Records a failed fetch: counted, classified, and the next (backed-off) check time. */
export async function recordFeedError(db: Db, feedId: number, error: { kind: string; message: string; nextCheckAt: Date }, now = new Date()) {
  await db
    .update(feeds)
    .set({
      status: 'error',
      lastFetchedAt: now,
      lastError: error.message.slice(0, 2000),
      lastErrorKind: error.kind,
      errorCount: sql`${feeds.errorCount} + 1`,
      nextCheckAt: error.nextCheckAt,
      leaseOwner: null,
      leaseUntil: null,
      updatedAt: now,
    })
    .where(eq(feeds.id, feedId));
}

/**
 * Takes the feeds that are due (or every active feed with `all`) and leases them to `owner`, so that
 * a second worker on the same PostgreSQL skips them (FOR UPDATE SKIP LOCKED, then a lease that
 * outlives the transaction). A lease left by a crashed worker expires after `leaseMs`.
 */
export async function claimDueFeeds(db: Db, options: { owner: string; now?: Date; leaseMs?: number; limit?: number; all?: boolean }) {
  const now = options.now ?? new Date();
  const leaseUntil = new Date(now.getTime() + (options.leaseMs ?? 10 * 60_000));
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: feeds.id })
      .from(feeds)
      .where(
        and(
          eq(feeds.active, true),
          options.all ? undefined : lte(feeds.nextCheckAt, now),
          or(isNull(feeds.leaseUntil), lt(feeds.leaseUntil, now)),
        ),
      )
      .orderBy(asc(feeds.nextCheckAt), asc(feeds.id))
      .limit(options.limit ?? 1000)
      .for('update', { skipLocked: true });
    if (due.length === 0) return [];
    return tx
      .update(feeds)
      .set({ leaseOwner: options.owner, leaseUntil })
      .where(inArray(feeds.id, due.map((d) => d.id)))
      .returning();
  });
}

/** Gives back leases on feeds a worker claimed but will not fetch (it is stopping). */
export async function releaseFeedLeases(db: Db, owner: string, ids: number[]) {
  if (ids.length === 0) return;
  await db.update(feeds).set({ leaseOwner: null, leaseUntil: null }).where(and(eq(feeds.leaseOwner, owner), inArray(feeds.id, ids)));
}

/** Entries a feed brought in the last week: the publishing rate that sets its polling interval. */
export async function countRecentEntries(db: Db, feedId: number, since: Date): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(articleSources)
    .innerJoin(articles, eq(articles.id, articleSources.articleId))
    .where(and(eq(articleSources.feedId, feedId), gte(articles.publishedAt, since)));
  return row?.n ?? 0;
}

/** `GET /api/articles`: newest first, with the feeds each came from. */
export async function listArticles(db: Db, options: { feedId?: number; q?: string; limit?: number } = {}) {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
  const rows = await db
    .select({
      id: articles.id,
      url: articles.url,
      title: articles.title,
      published: articles.publishedAt,
      language: articles.language,
      feeds: sql<number[]>`(select coalesce(json_agg(${articleSources.feedId} order by ${articleSources.feedId}), '[]'::json) from ${articleSources} where ${articleSources.articleId} = ${articles.id})`,
    })
    .from(articles)
    .where(
      and(
        options.feedId !== undefined
          ? sql`exists (select 1 from ${articleSources} where ${articleSources.articleId} = ${articles.id} and ${articleSources.feedId} = ${options.feedId})`
          : undefined,
        options.q ? or(ilike(articles.title, `%${escapeLike(options.q)}%`), ilike(articles.summary, `%${escapeLike(options.q)}%`)) : undefined,
      ),
    )
    .orderBy(desc(articles.publishedAt), desc(articles.id))
    .limit(limit);
  return rows;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
