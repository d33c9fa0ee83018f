import { asc, eq, notInArray, sql } from 'drizzle-orm';
import { hideCredentials, type Db } from '../create-db.ts';
import { articleSources, feeds } from '../schema.ts';
import { nextTurn } from '../take-turns.ts';

export interface FeedInput {
  url: string;
  title?: string | null;
  language?: string | null;
  tags?: string[];
  intervalMinutes?: number;
  fullText?: boolean;
}

/**
 * Brings the feeds table in line with feeds.yaml: new feeds are due at once, changed settings are
 * applied, feeds no longer listed are deactivated (their articles and state are kept).
 */
export async function syncFeeds(db: Db, inputs: FeedInput[], now = new Date()) {
  return db.transaction(async (tx) => {
    for (const [i, f] of inputs.entries()) {
      // Hundreds of feeds added at once (an import) took a second on PGlite, on the dashboard's thread:
      // a turn of the event loop every 25 rows (still one transaction).
      if (i > 0 && i % 25 === 0) await nextTurn();
      const values = {
        url: f.url,
        title: f.title ?? null,
        language: f.language ?? null,
        tags: f.tags ?? [],
        settings: { intervalMinutes: f.intervalMinutes, fullText: f.fullText },
        active: true,
        updatedAt: now,
      };
      await tx
        .insert(feeds)
        .values({ ...values, nextCheckAt: now, createdAt: now })
        .onConflictDoUpdate({ target: feeds.url, set: values });
    }
    const urls = inputs.map((f) => f.url);
    const deactivate = tx.update(feeds).set({ active: false, updatedAt: now });
    await (urls.length ? deactivate.where(notInArray(feeds.url, urls)) : deactivate);
    return tx.select({ id: feeds.id, url: feeds.url }).from(feeds).where(eq(feeds.active, true));
  });
}

/** The columns of a feed's state, for the overview's banner and (with more) the feeds page. */
const feedStateColumns = {
  id: feeds.id,
  url: feeds.url,
  title: feeds.title,
  active: feeds.active,
  status: feeds.status,
  lastSuccessAt: feeds.lastSuccessAt,
  createdAt: feeds.createdAt,
  pausedAt: feeds.pausedAt,
};

/**
 * Feed health rows for the dashboard and `GET /api/feeds`, with the number of articles each brought.
 * URLs and errors come without credentials (hideCredentials): every page and answer shows them.
 */
export async function listFeedHealth(db: Db) {
  const rows = await db
    .select({
      ...feedStateColumns,
      lastFetchedAt: feeds.lastFetchedAt,
      lastError: feeds.lastError,
      lastErrorKind: feeds.lastErrorKind,
      errorCount: feeds.errorCount,
      warnings: feeds.warnings,
      nextCheckAt: feeds.nextCheckAt,
      pausedBy: feeds.pausedBy,
      articles: sql<number>`(select count(*)::int from ${articleSources} where ${articleSources.feedId} = ${feeds.id})`,
    })
    .from(feeds)
    .orderBy(asc(feeds.id));
  return rows.map((r) => ({ ...r, url: hideCredentials(r.url), lastError: r.lastError === null ? null : hideCredentials(r.lastError) }));
}

/** Each feed's state without the article counts: what the overview's banner needs, cheaply. */
export async function listFeedStates(db: Db) {
  const rows = await db.select(feedStateColumns).from(feeds).orderBy(asc(feeds.id));
  return rows.map((r) => ({ ...r, url: hideCredentials(r.url) }));
}
