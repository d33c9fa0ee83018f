import { createHash } from 'node:crypto';
import { and, asc, desc, eq, gte, ilike, inArray, isNull, lte, lt, ne, or, sql } from 'drizzle-orm';
import { describeDbError, queryRows, type Db } from '../create-db.ts';
import { articleSources, articles, feeds } from '../schema.ts';
import { nextTurn } from '../take-turns.ts';

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
  /** What the pipeline fixed or dropped on the way (parse warnings, the entry cap, invalid UTF-8). */
  warnings?: string[];
  nextCheckAt: Date;
}

export interface StoreResult {
  newIds: number[];
  duplicate: number;
  /** Items the database refused even after containArticle; the feed's other items were stored. */
  skipped: { key: string; title: string; reason: string }[];
  /** Items stored with fields cut to ARTICLE_LIMITS: the key and the fields that were cut. */
  cut: { key: string; fields: string[] }[];
  /** The feed's warnings as stored: the caller's, then what storing cut or skipped (bounded, see boundWarnings). */
  warnings: string[];
}

/** Warnings kept per fetch (a feed with 2,000 broken items says so in a line, not 2,000). */
const MAX_WARNINGS = 20;
const MAX_WARNING_LENGTH = 500;

/** At most MAX_WARNINGS warnings of at most MAX_WARNING_LENGTH characters, and how many more there were. */
export function boundWarnings(warnings: string[]): string[] {
  const bounded = warnings
    .slice(0, MAX_WARNINGS)
    .map((w) => (w.length > MAX_WARNING_LENGTH ? `${w.slice(0, MAX_WARNING_LENGTH - 1)}…` : w));
  if (warnings.length > MAX_WARNINGS) bounded.push(`… and ${warnings.length - MAX_WARNINGS} more warnings`);
  return bounded;
}

/** What storing had to cut or leave out, as warnings on the feed. */
function storeWarnings(result: Pick<StoreResult, 'cut' | 'skipped'>): string[] {
  const warnings: string[] = [];
  if (result.cut.length) {
    const fields = [...new Set(result.cut.flatMap((c) => c.fields))].join(', ');
    warnings.push(
      `${result.cut.length} item${result.cut.length === 1 ? '' : 's'} stored with fields cut to the storage limits (${fields})`,
    );
  }
  for (const s of result.skipped) warnings.push(`item "${s.title.slice(0, 80)}" not stored: ${s.reason}`);
  return warnings;
}

/**
 * The most characters stored per field. Whatever a feed sends is cut to these before it reaches a
 * column, and above all an index: PostgreSQL's btree holds at most about 2,700 bytes per entry, and
 * one 50 KB title used to fail its feed's whole transaction (issue #14). A character is at most 4
 * bytes in UTF-8, so the indexed ones (key, url, titleKey) stay under that.
 */
export const ARTICLE_LIMITS = {
  key: 512,
  url: 2048,
  guid: 1024,
  title: 1000,
  titleKey: 300,
  author: 300,
  summary: 10_000,
  text: 200_000,
  language: 35,
  fullTextError: 500,
} as const;

/** Text the database can store: no NUL (PostgreSQL text refuses it), no lone UTF-16 surrogates (jsonb refuses them). */
function storable(text: string): string {
  return text.replace(/\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, (c) =>
    c === '\u0000' ? '' : '\uFFFD',
  );
}

/** An article key as stored: cleaned, and when too long for its index a prefix plus the hash of the whole. */
export function storableKey(key: string): string {
  const clean = storable(key);
  if (clean.length <= ARTICLE_LIMITS.key) return clean;
  return `${cutAt(clean, ARTICLE_LIMITS.key - 80)}#${createHash('sha256').update(clean).digest('hex')}`;
}

/** The first `n` UTF-16 units of `text`, never ending inside a surrogate pair. */
function cutAt(text: string, n: number): string {
  const head = text.slice(0, n);
  return /[\uD800-\uDBFF]$/.test(head) ? head.slice(0, -1) : head;
}

/**
 * An item as the database can take it (see ARTICLE_LIMITS), and the names of the fields that had
 * to be cut. A key too long for its index becomes a prefix plus the hash of the whole, so the same
 * long key still meets itself; a URL too long to be a usable link is dropped.
 */
export function containArticle(item: ArticleInput): { item: ArticleInput; cut: string[] } {
  const cut: string[] = [];
  const text = (field: keyof typeof ARTICLE_LIMITS, value: string | null | undefined, ellipsis = true): string | null | undefined => {
    if (value === null || value === undefined) return value;
    const clean = storable(value);
    const max = ARTICLE_LIMITS[field];
    if (clean.length <= max) return clean;
    cut.push(field);
    return ellipsis ? `${cutAt(clean, max - 1)}…` : cutAt(clean, max);
  };
  const key = storableKey(item.key);
  if (item.key.length > ARTICLE_LIMITS.key) cut.push('key');
  let url = item.url === null || item.url === undefined ? item.url : storable(item.url);
  if (url && url.length > ARTICLE_LIMITS.url) {
    cut.push('url');
    url = null;
  }
  const contained: ArticleInput = {
    ...item,
    key,
    url,
    guid: text('guid', item.guid, false),
    title: text('title', item.title) ?? '',
    titleKey: text('titleKey', item.titleKey, false) ?? '',
    author: text('author', item.author),
    summary: text('summary', item.summary),
    text: text('text', item.text),
    language: text('language', item.language, false),
    contentHash: item.contentHash === null || item.contentHash === undefined ? item.contentHash : storable(item.contentHash).slice(0, 128),
    fullTextError: text('fullTextError', item.fullTextError),
  };
  return { item: contained, cut };
}

/** Same story, other feed: a normalised title seen within this window counts as one article. */
const SAME_STORY_WINDOW_MS = 7 * 24 * 3600 * 1000;

/**
 * Stores one feed's items and records the fetch as a success, in one transaction: a crash leaves
 * either nothing (the feed is fetched again) or everything. An item already known by key, URL or
 * (within 7 days) normalised title gains this feed as a source instead of becoming a new article.
 * New articles get the next ids, which is how scoring finds them (see scoringProgress).
 */
export async function storeFeedItems(
  db: Db,
  feedId: number,
  items: ArticleInput[],
  success: FeedSuccess,
  now = new Date(),
): Promise<StoreResult> {
  return db.transaction(async (tx) => {
    const result: StoreResult = { newIds: [], duplicate: 0, skipped: [], cut: [], warnings: [] };
    const unique = new Map<string, ArticleInput>();
    for (const raw of items) {
      const { item, cut } = containArticle(raw);
      if (cut.length) result.cut.push({ key: item.key, fields: cut });
      if (unique.has(item.key)) result.duplicate++;
      else unique.set(item.key, item);
    }
    const batch = [...unique.values()];
    if (batch.length) {
      // Lists travel as one JSON parameter each: hundreds of bind parameters cost more in the
      // drivers and the query builder than the statements themselves (bench/ingest).
      const keys = batch.map((i) => i.key);
      const urls = batch.map((i) => i.url).filter((u): u is string => !!u);
      const titleKeys = batch.map((i) => i.titleKey).filter((t) => t.length >= 12);
      // Three index lookups joined by UNION rather than one OR, which would scan the whole table.
      const list = (values: string[]) => sql`any(${textArrayLiteral(values)}::text[])`;
      const cols = sql`id, key, url, title_key, published_at`;
      const known = (
        await queryRows<{ id: string | number; key: string; url: string | null; title_key: string; published_at: string | Date }>(
          tx,
          sql.join(
            [
              sql`select ${cols} from ${articles} where key = ${list(keys)}`,
              urls.length ? sql`select ${cols} from ${articles} where url = ${list(urls)}` : undefined,
              titleKeys.length ? sql`select ${cols} from ${articles} where title_key = ${list(titleKeys)}` : undefined,
            ].filter((q) => q !== undefined),
            sql` union `,
          ),
        )
      ).map((r) => ({ id: Number(r.id), key: r.key, url: r.url, titleKey: r.title_key, publishedAt: new Date(r.published_at) }));
      const byKey = new Map(known.map((a) => [a.key, a.id]));
      const byUrl = new Map(known.filter((a) => a.url).map((a) => [a.url!, a.id]));
      const knownStories = new StoryIndex<number>();
      for (const a of known) knownStories.add(a.titleKey, a.publishedAt, a.id);
      const sources: SourceRow[] = [];
      const source = (articleId: number, item: ArticleInput): SourceRow => ({
        article_id: articleId,
        guid: item.guid ?? null,
        url: item.url ?? null,
      });
      const fresh: ArticleInput[] = [];
      // Maps, not scans: a feed may carry 100,000 items, and comparing each with all is quadratic.
      const freshUrls = new Set<string>();
      const freshStories = new StoryIndex<true>();
      for (const item of batch) {
        const existing =
          byKey.get(item.key) ?? (item.url ? byUrl.get(item.url) : undefined) ?? knownStories.find(item.titleKey, item.publishedAt);
        if (existing !== undefined) {
          result.duplicate++;
          sources.push(source(existing, item));
          continue;
        }
        // The same story twice in this very batch (another key, same URL or title).
        if ((item.url && freshUrls.has(item.url)) || freshStories.find(item.titleKey, item.publishedAt)) {
          result.duplicate++;
          continue;
        }
        fresh.push(item);
        if (item.url) freshUrls.add(item.url);
        freshStories.add(item.titleKey, item.publishedAt, true);
      }
      if (fresh.length) {
        // A turn of the event loop between the statements of a feed's transaction: on PGlite they
        // run on the thread that serves the dashboard, tens of ms each while a cycle stores (bench/load).
        await nextTurn();
        const inserted = await insertArticles(tx, fresh, now, result);
        await nextTurn();
        const idByKey = new Map(inserted.map((r) => [r.key, Number(r.id)]));
        const skipped = new Set(result.skipped.map((s) => s.key));
        for (const item of fresh) {
          if (skipped.has(item.key)) continue;
          const id = idByKey.get(item.key);
          if (id === undefined) {
            // Another worker stored it between our read and our insert.
            result.duplicate++;
            const [row] = await tx.select({ id: articles.id }).from(articles).where(eq(articles.key, item.key));
            if (row) sources.push(source(row.id, item));
            continue;
          }
          result.newIds.push(id);
          sources.push(source(id, item));
        }
        result.newIds.sort((a, b) => a - b);
      }
      if (sources.length) {
        await tx.execute(
          sql`insert into ${articleSources} (article_id, feed_id, guid, url, first_seen_at)
            select x.article_id, ${feedId}, x.guid, x.url, ${now.toISOString()}::timestamptz
            from jsonb_to_recordset(${JSON.stringify(sources)}::jsonb) as x(article_id bigint, guid text, url text)
            on conflict do nothing`,
        );
      }
    }
    result.warnings = boundWarnings([...(success.warnings ?? []), ...storeWarnings(result)]);
    await tx
      .update(feeds)
      .set({
        warnings: result.warnings,
        etag: success.etag ?? null,
        lastModified: success.lastModified ?? null,
        bodyHash: success.bodyHash ?? null,
        ttlMinutes: success.ttlMinutes ?? null,
        siteUrl: success.siteUrl ?? sql`${feeds.siteUrl}`,
        title: sql`coalesce(${feeds.title}, ${success.feedTitle ?? null})`,
        lastItems: success.lastItems ?? sql`${feeds.lastItems}`,
        guidsBroken: success.guidsBroken ?? sql`${feeds.guidsBroken}`,
        ...healthyFeedState(now, success.nextCheckAt),
      })
      .where(eq(feeds.id, feedId));
    return result;
  });
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * Inserts new articles in one statement, inside a savepoint. If the database refuses the batch,
 * each item is tried on its own (a savepoint each), and the ones it still refuses are recorded in
 * `result.skipped` with the database's reason: one bad item never costs its feed the others.
 */
async function insertArticles(
  tx: Tx,
  fresh: ArticleInput[],
  now: Date,
  result: StoreResult,
): Promise<{ id: string | number; key: string }[]> {
  const insert = (db: Tx, batch: ArticleInput[]) => {
    const rows = batch.map((i, n) => ({
      n,
      key: i.key,
      url: i.url ?? null,
      title: i.title,
      title_key: i.titleKey,
      author: i.author ?? null,
      published_at: i.publishedAt.toISOString(),
      published_estimated: i.publishedEstimated ?? false,
      summary: i.summary ?? null,
      text: i.text ?? null,
      language: i.language ?? null,
      content_hash: i.contentHash ?? null,
      full_text_status: i.fullTextStatus ?? 'none',
      full_text_error: i.fullTextError ?? null,
    }));
    // Rows come back in any order and are matched by key; ids follow the feed's order (n).
    return queryRows<{ id: string | number; key: string }>(
      db,
      sql`insert into ${articles} (key, url, title, title_key, author, published_at, published_estimated, fetched_at, summary, text, language, content_hash, full_text_status, full_text_error, created_at)
        select x.key, x.url, x.title, x.title_key, x.author, x.published_at, x.published_estimated, ${now.toISOString()}::timestamptz, x.summary, x.text, x.language, x.content_hash, x.full_text_status, x.full_text_error, ${now.toISOString()}::timestamptz
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(n int, key text, url text, title text, title_key text, author text, published_at timestamptz, published_estimated boolean, summary text, text text, language text, content_hash text, full_text_status text, full_text_error text)
        order by x.n
        on conflict (key) do nothing
        returning id, key`,
    );
  };
  try {
    return await tx.transaction((sp) => insert(sp, fresh));
  } catch (error) {
    if (fresh.length === 1) {
      result.skipped.push({ key: fresh[0]!.key, title: fresh[0]!.title.slice(0, 200), reason: describeDbError(error) });
      return [];
    }
  }
  const inserted: { id: string | number; key: string }[] = [];
  for (const item of fresh) {
    try {
      inserted.push(...(await tx.transaction((sp) => insert(sp, [item]))));
    } catch (error) {
      result.skipped.push({ key: item.key, title: item.title.slice(0, 200), reason: describeDbError(error) });
    }
  }
  return inserted;
}

/** What every successful fetch sets: healthy, errors cleared, lease released, next check. */
function healthyFeedState(now: Date, nextCheckAt: Date) {
  return {
    status: 'ok',
    lastFetchedAt: now,
    lastSuccessAt: now,
    lastError: null,
    lastErrorKind: null,
    errorCount: 0,
    // A feed the worker paused because it was gone resumes by itself once it answers; an admin's pause stays.
    pausedAt: sql`case when ${feeds.pausedBy} = 'gone' then null else ${feeds.pausedAt} end`,
    pausedBy: sql`case when ${feeds.pausedBy} = 'gone' then null else ${feeds.pausedBy} end`,
    nextCheckAt,
    leaseOwner: null,
    leaseUntil: null,
    updatedAt: now,
  } as const;
}

/**
 * Stories by normalised title: the same title published within SAME_STORY_WINDOW_MS of another is
 * the same story. Titles shorter than 12 characters ("Live", "Update") say too little to match.
 */
class StoryIndex<T> {
  private readonly byTitle = new Map<string, { at: number; value: T }[]>();

  add(titleKey: string, publishedAt: Date, value: T): void {
    if (titleKey.length < 12) return;
    const list = this.byTitle.get(titleKey);
    const entry = { at: publishedAt.getTime(), value };
    if (list) list.push(entry);
    else this.byTitle.set(titleKey, [entry]);
  }

  find(titleKey: string, publishedAt: Date): T | undefined {
    if (titleKey.length < 12) return undefined;
    const at = publishedAt.getTime();
    return this.byTitle.get(titleKey)?.find((e) => Math.abs(e.at - at) <= SAME_STORY_WINDOW_MS)?.value;
  }
}

/** A PostgreSQL text[] literal: one bind parameter for a whole list, on both drivers. */
function textArrayLiteral(values: string[]): string {
  return `{${values.map((v) => `"${v.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;
}

interface SourceRow {
  article_id: number;
  guid: string | null;
  url: string | null;
}

/** Which of these article keys are stored already (to fetch full text only for new items). */
export async function findKnownArticleKeys(db: Db, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const stored = new Map(keys.map((k) => [storableKey(k), k]));
  const rows = await db
    .select({ key: articles.key })
    .from(articles)
    .where(inArray(articles.key, [...stored.keys()]));
  return new Set(rows.map((r) => stored.get(r.key)!));
}

/** A fetch that answered "not modified": the feed is healthy, nothing to store. */
export async function recordFeedNotModified(
  db: Db,
  feedId: number,
  success: Pick<FeedSuccess, 'nextCheckAt' | 'etag' | 'lastModified' | 'bodyHash'>,
  now = new Date(),
) {
  await db
    .update(feeds)
    .set({
      etag: success.etag ?? sql`${feeds.etag}`,
      lastModified: success.lastModified ?? sql`${feeds.lastModified}`,
      bodyHash: success.bodyHash ?? sql`${feeds.bodyHash}`,
      ...healthyFeedState(now, success.nextCheckAt),
    })
    .where(eq(feeds.id, feedId));
}

/**
 * recordFeedNotModified for many feeds in one statement: a cycle where most feeds answer 304 spends
 * its time on per-statement overhead otherwise. Each entry carries its own fetch time.
 */
export async function recordFeedsNotModified(
  db: Db,
  entries: Array<{ feedId: number; at: Date } & Pick<FeedSuccess, 'nextCheckAt' | 'etag' | 'lastModified' | 'bodyHash'>>,
): Promise<void> {
  if (entries.length === 0) return;
  const rows = entries.map((e) => ({
    id: e.feedId,
    etag: e.etag ?? null,
    last_modified: e.lastModified ?? null,
    body_hash: e.bodyHash ?? null,
    next_check_at: e.nextCheckAt.toISOString(),
    at: e.at.toISOString(),
  }));
  await db.execute(sql`update ${feeds} set
      etag = coalesce(x.etag, ${feeds.etag}), last_modified = coalesce(x.last_modified, ${feeds.lastModified}),
      body_hash = coalesce(x.body_hash, ${feeds.bodyHash}), status = 'ok', last_fetched_at = x.at, last_success_at = x.at,
      last_error = null, last_error_kind = null, error_count = 0, next_check_at = x.next_check_at,
      lease_owner = null, lease_until = null, updated_at = x.at,
      paused_at = case when ${feeds.pausedBy} = 'gone' then null else ${feeds.pausedAt} end,
      paused_by = case when ${feeds.pausedBy} = 'gone' then null else ${feeds.pausedBy} end
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(id int, etag text, last_modified text, body_hash text, next_check_at timestamptz, at timestamptz)
    where ${feeds.id} = x.id`);
}

/**
 * What the worker does with a feed that keeps failing (docs/ingest.md, "Feed health"): a feed that
 * answers 404 or 410 `pauseGoneAfter` times in a row is paused (flagged on the dashboard, probed once
 * a day, resumed by itself when it answers again); any feed failing for `probeDailyAfterDays` days is
 * probed once a day. Nothing is ever dropped silently.
 */
export const FEED_HEALTH_RULES = { pauseGoneAfter: 5, probeDailyAfterDays: 30, probeEveryMs: 24 * 3600_000 } as const;

/** Records a failed fetch: counted, classified, and the next check time (backed off, or daily; see above). */
export async function recordFeedError(
  db: Db,
  feedId: number,
  error: { kind: string; message: string; nextCheckAt: Date; gone?: boolean },
  now = new Date(),
) {
  const probeAt = new Date(now.getTime() + FEED_HEALTH_RULES.probeEveryMs).toISOString();
  const longAgo = new Date(now.getTime() - FEED_HEALTH_RULES.probeDailyAfterDays * 24 * 3600_000).toISOString();
  const pauseNow = error.gone
    ? sql`(${feeds.pausedAt} is null and ${feeds.errorCount} + 1 >= ${FEED_HEALTH_RULES.pauseGoneAfter})`
    : sql`false`;
  await db
    .update(feeds)
    .set({
      status: 'error',
      lastFetchedAt: now,
      lastError: error.message.slice(0, 2000),
      lastErrorKind: error.kind,
      errorCount: sql`${feeds.errorCount} + 1`,
      pausedAt: sql`case when ${pauseNow} then ${now.toISOString()}::timestamptz else ${feeds.pausedAt} end`,
      pausedBy: sql`case when ${pauseNow} then 'gone' else ${feeds.pausedBy} end`,
      // Paused, or failing for a month: probed once a day, not on the usual back-off.
      nextCheckAt: sql`case when ${pauseNow} or ${feeds.pausedAt} is not null or coalesce(${feeds.lastSuccessAt}, ${feeds.createdAt}) < ${longAgo}::timestamptz
        then greatest(${error.nextCheckAt.toISOString()}::timestamptz, ${probeAt}::timestamptz) else ${error.nextCheckAt.toISOString()}::timestamptz end`,
      leaseOwner: null,
      leaseUntil: null,
      updatedAt: now,
    })
    .where(eq(feeds.id, feedId));
}

/**
 * Pauses a feed (an admin's choice: not fetched at all until resumed) or resumes it (due at once).
 * Returns false when no feed has that id.
 */
export async function setFeedPaused(db: Db, feedId: number, paused: boolean, now = new Date()): Promise<boolean> {
  const rows = await db
    .update(feeds)
    .set(
      paused ? { pausedAt: now, pausedBy: 'admin', updatedAt: now } : { pausedAt: null, pausedBy: null, nextCheckAt: now, updatedAt: now },
    )
    .where(eq(feeds.id, feedId))
    .returning({ id: feeds.id });
  return rows.length > 0;
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
          // Paused by an admin: never fetched. Paused by the worker (gone): probed when due, also under --all.
          or(isNull(feeds.pausedAt), ne(feeds.pausedBy, 'admin')),
          options.all ? or(isNull(feeds.pausedAt), lte(feeds.nextCheckAt, now)) : lte(feeds.nextCheckAt, now),
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
      .where(
        inArray(
          feeds.id,
          due.map((d) => d.id),
        ),
      )
      .returning();
  });
}

/** Gives back leases on feeds a worker claimed but will not fetch (it is stopping). */
export async function releaseFeedLeases(db: Db, owner: string, ids: number[]) {
  if (ids.length === 0) return;
  await db
    .update(feeds)
    .set({ leaseOwner: null, leaseUntil: null })
    .where(and(eq(feeds.leaseOwner, owner), inArray(feeds.id, ids)));
}

/** Workers holding unexpired feed leases (to spot leases left by a worker that died). */
export async function listLeaseOwners(db: Db, now = new Date()): Promise<string[]> {
  const rows = await db
    .selectDistinct({ owner: feeds.leaseOwner })
    .from(feeds)
    .where(and(sql`${feeds.leaseOwner} is not null`, gte(feeds.leaseUntil, now)));
  return rows.map((r) => r.owner!).sort();
}

/** Drops every lease held by these owners (workers known to be gone); returns how many feeds were freed. */
export async function releaseLeasesOf(db: Db, owners: string[]): Promise<number> {
  if (owners.length === 0) return 0;
  const freed = await db
    .update(feeds)
    .set({ leaseOwner: null, leaseUntil: null })
    .where(inArray(feeds.leaseOwner, owners))
    .returning({ id: feeds.id });
  return freed.length;
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

/** countRecentEntries for many feeds in one query (a cycle asks once, not once per feed); feeds with none are absent. */
export async function countRecentEntriesByFeed(db: Db, feedIds: number[], since: Date): Promise<Map<number, number>> {
  if (feedIds.length === 0) return new Map();
  const rows = await db
    .select({ feedId: articleSources.feedId, n: sql<number>`count(*)::int` })
    .from(articleSources)
    .innerJoin(articles, eq(articles.id, articleSources.articleId))
    .where(and(inArray(articleSources.feedId, feedIds), gte(articles.publishedAt, since)))
    .groupBy(articleSources.feedId);
  return new Map(rows.map((r) => [r.feedId, r.n]));
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
      feeds: sql<
        number[]
      >`(select coalesce(json_agg(${articleSources.feedId} order by ${articleSources.feedId}), '[]'::json) from ${articleSources} where ${articleSources.articleId} = ${articles.id})`,
    })
    .from(articles)
    .where(
      and(
        options.feedId !== undefined
          ? sql`exists (select 1 from ${articleSources} where ${articleSources.articleId} = ${articles.id} and ${articleSources.feedId} = ${options.feedId})`
          : undefined,
        options.q
          ? or(ilike(articles.title, `%${escapeLike(options.q)}%`), ilike(articles.summary, `%${escapeLike(options.q)}%`))
          : undefined,
      ),
    )
    .orderBy(desc(articles.publishedAt), desc(articles.id))
    .limit(limit);
  return rows;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
