import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows, type Database } from '../create-db.ts';
import { createTestDb, testBackends } from '../../test/testing.ts';
import {
  claimDueFeeds,
  countRecentEntries,
  countRecentEntriesByFeed,
  listArticles,
  listLeaseOwners,
  recordFeedsNotModified,
  releaseLeasesOf,
  recordFeedError,
  recordFeedNotModified,
  storeFeedItems,
  ARTICLE_LIMITS,
  type ArticleInput,
} from './articles.ts';
import { listFeedHealth, syncFeeds } from './feeds.ts';

const t0 = new Date('2026-03-02T10:00:00Z');
const next = new Date('2026-03-02T11:00:00Z');

function item(n: number, extra: Partial<ArticleInput> = {}): ArticleInput {
  return {
    key: `guid:${n}`,
    guid: String(n),
    url: `https://news.example/${n}`,
    title: `Story number ${n} about pipelines`,
    titleKey: `story number ${n} about pipelines`,
    publishedAt: new Date(t0.getTime() - n * 3600_000),
    summary: `Summary ${n}`,
    ...extra,
  };
}

describe.each(testBackends)('feed pipeline storage on %s', (backend) => {
  let database: Database;
  let feedA: number;
  let feedB: number;
  beforeAll(async () => {
    database = await createTestDb(backend);
  });
  afterAll(async () => database?.close());
  beforeEach(async () => {
    await database.db.execute(sql`truncate articles, article_sources, feeds restart identity cascade`);
    const feeds = await syncFeeds(database.db, [{ url: 'https://a.example/rss' }, { url: 'https://b.example/rss' }], t0);
    feedA = feeds.find((f) => f.url.startsWith('https://a'))!.id;
    feedB = feeds.find((f) => f.url.startsWith('https://b'))!.id;
  });

  it('stores new items once and records the fetch', async () => {
    const first = await storeFeedItems(
      database.db,
      feedA,
      [item(1), item(2), item(3)],
      { nextCheckAt: next, etag: '"v1"', bodyHash: 'h1' },
      t0,
    );
    expect(first.newIds).toHaveLength(3);
    expect(first.duplicate).toBe(0);
    const again = await storeFeedItems(database.db, feedA, [item(1), item(2), item(3), item(4)], { nextCheckAt: next }, t0);
    expect(again.newIds).toHaveLength(1);
    expect(again.duplicate).toBe(3);
    const [count] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from articles`);
    expect(count!.n).toBe(4);
    const [feed] = (await listFeedHealth(database.db)).filter((f) => f.id === feedA);
    expect(feed).toMatchObject({ status: 'ok', errorCount: 0, articles: 4 });
  });

  it('keeps the same story from another feed as one article with two sources', async () => {
    await storeFeedItems(database.db, feedA, [item(1)], { nextCheckAt: next }, t0);
    // Other GUID and URL, same normalised title, published within a day: the same story.
    const other = item(1, {
      key: 'guid:b-77',
      guid: 'b-77',
      url: 'https://other.example/x',
      publishedAt: new Date(t0.getTime() - 86400_000),
    });
    // Same URL under another key: the same story as well.
    const sameUrl = item(2, {
      key: 'url:https://news.example/1',
      url: 'https://news.example/1',
      title: 'Different',
      titleKey: 'different title here',
    });
    const result = await storeFeedItems(database.db, feedB, [other, sameUrl], { nextCheckAt: next }, t0);
    expect(result).toEqual({ newIds: [], duplicate: 2, skipped: [], cut: [], warnings: [] });
    const articles = await listArticles(database.db);
    expect(articles).toHaveLength(1);
    expect(articles[0]!.feeds).toEqual([feedA, feedB]);
  });

  it('does not merge equal titles more than 7 days apart, nor duplicates inside one batch twice', async () => {
    const old = item(5, { publishedAt: new Date(t0.getTime() - 30 * 86400_000) });
    const recent = item(5, { key: 'guid:new-5', url: 'https://news.example/new-5' });
    const batch = await storeFeedItems(database.db, feedA, [old, recent, recent], { nextCheckAt: next }, t0);
    expect(batch.newIds).toHaveLength(2);
    expect(batch.duplicate).toBe(1);
  });

  it('records errors with a count and their class, and clears them on success', async () => {
    await recordFeedError(database.db, feedA, { kind: 'http_5xx', message: 'feeds: HTTP 503', nextCheckAt: next }, t0);
    await recordFeedError(database.db, feedA, { kind: 'timeout', message: 'feeds: timed out', nextCheckAt: next }, t0);
    let [feed] = (await listFeedHealth(database.db)).filter((f) => f.id === feedA);
    expect(feed).toMatchObject({ status: 'error', errorCount: 2, lastErrorKind: 'timeout', lastError: 'feeds: timed out' });
    await recordFeedNotModified(database.db, feedA, { nextCheckAt: next }, t0);
    [feed] = (await listFeedHealth(database.db)).filter((f) => f.id === feedA);
    expect(feed).toMatchObject({ status: 'ok', errorCount: 0, lastError: null });
  });

  it('leases due feeds so that a second claim does not get them, until the lease expires', async () => {
    const first = await claimDueFeeds(database.db, { owner: 'w1', now: t0, leaseMs: 60_000 });
    expect(first.map((f) => f.id).sort()).toEqual([feedA, feedB].sort());
    expect(await claimDueFeeds(database.db, { owner: 'w2', now: t0 })).toEqual([]);
    const later = new Date(t0.getTime() + 120_000);
    expect((await claimDueFeeds(database.db, { owner: 'w2', now: later })).map((f) => f.leaseOwner)).toEqual(['w2', 'w2']);
  });

  it('two concurrent claims never share a feed', async () => {
    const many = Array.from({ length: 40 }, (_, i) => ({ url: `https://f${i}.example/rss` }));
    await syncFeeds(database.db, many, t0);
    const [a, b] = await Promise.all([
      claimDueFeeds(database.db, { owner: 'w1', now: t0, limit: 30 }),
      claimDueFeeds(database.db, { owner: 'w2', now: t0, limit: 30 }),
    ]);
    const ids = [...a, ...b].map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(40);
  });

  it('counts last week entries and filters the article list', async () => {
    await storeFeedItems(database.db, feedA, [item(1), item(2), item(200)], { nextCheckAt: next }, t0);
    expect(await countRecentEntries(database.db, feedA, new Date(t0.getTime() - 7 * 86400_000))).toBe(2);
    expect((await listArticles(database.db, { q: 'number 2' })).map((a) => a.title)).toEqual([
      'Story number 2 about pipelines',
      'Story number 200 about pipelines',
    ]);
    expect(await listArticles(database.db, { feedId: feedB })).toEqual([]);
    expect(await listArticles(database.db, { q: '100%' })).toEqual([]);
  });
  it('counts last week entries for many feeds in one query', async () => {
    await storeFeedItems(database.db, feedA, [item(1), item(2), item(200)], { nextCheckAt: next }, t0);
    await storeFeedItems(database.db, feedB, [item(2), item(3)], { nextCheckAt: next }, t0);
    const since = new Date(t0.getTime() - 7 * 86400_000);
    const counts = await countRecentEntriesByFeed(database.db, [feedA, feedB], since);
    expect(Object.fromEntries(counts)).toEqual({ [feedA]: 2, [feedB]: 2 });
    expect(counts.get(feedA)).toBe(await countRecentEntries(database.db, feedA, since));
    expect((await countRecentEntriesByFeed(database.db, [], since)).size).toBe(0);
  });

  it('records many 304s in one statement, keeping validators the answer did not repeat', async () => {
    await storeFeedItems(
      database.db,
      feedA,
      [item(1)],
      { nextCheckAt: next, etag: '"a1"', lastModified: 'Mon, 02 Mar 2026 09:00:00 GMT', bodyHash: 'ha' },
      t0,
    );
    await recordFeedError(database.db, feedB, { kind: 'http_5xx', message: 'feeds: down', nextCheckAt: next }, t0);
    await claimDueFeeds(database.db, { owner: 'w1', now: new Date(t0.getTime() + 7200_000), all: true });
    const at = new Date(t0.getTime() + 7200_000);
    const later = new Date(at.getTime() + 3600_000);
    await recordFeedsNotModified(database.db, [
      { feedId: feedA, at, nextCheckAt: later, etag: null, lastModified: null, bodyHash: null },
      { feedId: feedB, at, nextCheckAt: later, etag: '"b2"', lastModified: null, bodyHash: 'hb' },
    ]);
    const health = await listFeedHealth(database.db);
    for (const f of health)
      expect(f).toMatchObject({ status: 'ok', errorCount: 0, lastError: null, lastFetchedAt: at, lastSuccessAt: at, nextCheckAt: later });
    const rows = await queryRows<{
      id: number;
      etag: string | null;
      last_modified: string | null;
      body_hash: string | null;
      lease_owner: string | null;
    }>(database.db, sql`select id, etag, last_modified, body_hash, lease_owner from feeds order by id`);
    expect(rows.find((r) => r.id === feedA)).toMatchObject({
      etag: '"a1"',
      last_modified: 'Mon, 02 Mar 2026 09:00:00 GMT',
      body_hash: 'ha',
      lease_owner: null,
    });
    expect(rows.find((r) => r.id === feedB)).toMatchObject({ etag: '"b2"', body_hash: 'hb', lease_owner: null });
  });

  it('lists the owners of live leases and frees every lease of given owners', async () => {
    await syncFeeds(
      database.db,
      [{ url: 'https://a.example/rss' }, { url: 'https://b.example/rss' }, { url: 'https://c.example/rss' }],
      t0,
    );
    await claimDueFeeds(database.db, { owner: 'dead:1:aa', now: t0, limit: 2, leaseMs: 60_000 });
    await claimDueFeeds(database.db, { owner: 'live:2:bb', now: t0, limit: 1, leaseMs: 60_000 });
    expect(await listLeaseOwners(database.db, t0)).toEqual(['dead:1:aa', 'live:2:bb']);
    // Expired leases are nobody's.
    expect(await listLeaseOwners(database.db, new Date(t0.getTime() + 120_000))).toEqual([]);
    expect(await releaseLeasesOf(database.db, ['dead:1:aa'])).toBe(2);
    expect(await releaseLeasesOf(database.db, [])).toBe(0);
    expect(await listLeaseOwners(database.db, t0)).toEqual(['live:2:bb']);
    expect((await claimDueFeeds(database.db, { owner: 'new:3:cc', now: t0 })).length).toBe(2);
  });

  // Issue #14: one item must never cost its feed the others.
  it('cuts every field to its limit before it reaches an index: a 50 KB title, link and GUID are stored beside a good item', async () => {
    const huge = 'Ω'.repeat(50_000);
    const long = item(2, {
      key: `guid:${huge}`,
      guid: huge,
      url: `https://news.example/${'x'.repeat(50_000)}`,
      title: `Sanctions ${huge}`,
      titleKey: `sanctions ${huge}`.toLowerCase(),
      author: huge,
      summary: huge.repeat(2),
      text: huge.repeat(5),
    });
    const result = await storeFeedItems(database.db, feedA, [item(1), long, item(3)], { nextCheckAt: next }, t0);
    expect(result.newIds).toHaveLength(3);
    expect(result.skipped).toEqual([]);
    expect(result.cut).toEqual([
      {
        key: expect.stringMatching(/^guid:Ω+#[0-9a-f]{64}$/),
        fields: ['key', 'url', 'guid', 'title', 'titleKey', 'author', 'summary', 'text'],
      },
    ]);
    const rows = await queryRows<{
      key: string;
      url: string | null;
      title: string;
      title_key: string;
      author: string;
      summary: string;
      text: string;
    }>(database.db, sql`select key, url, title, title_key, author, summary, text from articles order by id`);
    expect(rows.map((r) => r.title.slice(0, 20))).toEqual(['Story number 1 about', `Sanctions ${'Ω'.repeat(10)}`, 'Story number 3 about']);
    const stored = rows[1]!;
    expect(stored.key.length).toBeLessThanOrEqual(ARTICLE_LIMITS.key);
    expect(stored.url).toBeNull();
    expect(stored.title).toHaveLength(ARTICLE_LIMITS.title);
    expect(stored.title.endsWith('…')).toBe(true);
    expect(stored.title_key).toHaveLength(ARTICLE_LIMITS.titleKey);
    expect([stored.author.length, stored.summary.length, stored.text.length]).toEqual([
      ARTICLE_LIMITS.author,
      ARTICLE_LIMITS.summary,
      ARTICLE_LIMITS.text,
    ]);
    // The same long item again is the same article (its shortened key is stable).
    const again = await storeFeedItems(database.db, feedA, [long], { nextCheckAt: next }, t0);
    expect(again).toMatchObject({ newIds: [], duplicate: 1 });
  });

  it('stores text the database would refuse (NUL, lone surrogates) cleaned, and skips an item it still refuses, keeping the rest', async () => {
    const dirty = item(2, { title: 'Pipeline\u0000 talks \ud800resume', summary: 'a\udc00b' });
    const impossible = item(3, { publishedAt: new Date('-010000-01-01T00:00:00Z') });
    const result = await storeFeedItems(database.db, feedA, [item(1), dirty, impossible, item(4)], { nextCheckAt: next }, t0);
    expect(result.newIds).toHaveLength(3);
    expect(result.skipped).toEqual([
      { key: 'guid:3', title: 'Story number 3 about pipelines', reason: expect.stringMatching(/^.{5,300}$/) },
    ]);
    expect(result.skipped[0]!.reason).not.toMatch(/insert into|params:/i);
    const titles = await queryRows<{ title: string; summary: string }>(database.db, sql`select title, summary from articles order by id`);
    expect(titles.map((t) => t.title)).toEqual([
      'Story number 1 about pipelines',
      'Pipeline talks \ufffdresume',
      'Story number 4 about pipelines',
    ]);
    expect(titles[1]!.summary).toBe('a\ufffdb');
    const [feed] = (await listFeedHealth(database.db)).filter((f) => f.id === feedA);
    expect(feed).toMatchObject({ status: 'ok', articles: 3 });
  });
});
