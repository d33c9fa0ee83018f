// refreshFeed end to end: a real HTTP server on 127.0.0.1, the real parser, the real database
// (PGlite, and PostgreSQL when TEST_PG_URL is set).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FEED_HEALTH_RULES,
  claimDueFeeds,
  listFeedHealth,
  releaseFeedLeases,
  schema,
  setFeedPaused,
  syncFeeds,
  type Database,
  type FeedRow,
} from '@signpost/db';
import { createTestDb, testBackends } from '@signpost/db/testing';
import { DEFAULT_MAX_ENTRIES } from '../feeds/entry-cap.ts';
import { ERROR_BACKOFF_STEP_MINUTES, MAX_INTERVAL_MINUTES } from '../feeds/schedule.ts';
import { serve, startTestServer, type TestServer } from '../../test/test-server.ts';
import { refreshFeed, type RefreshOptions } from './refresh-feed.ts';

const MINUTE = 60_000;
const rss = (items: string) =>
  `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title><link>https://site.example/</link><description>d</description>${items}</channel></rss>`;
const item = (f: { guid?: string; title: string; link?: string; date?: string; body?: string }) =>
  `<item>${f.guid ? `<guid isPermaLink="false">${f.guid}</guid>` : ''}<title>${f.title}</title>${f.link ? `<link>${f.link}</link>` : ''}` +
  `${f.date ? `<pubDate>${f.date}</pubDate>` : ''}<description>${f.body ?? `About ${f.title}.`}</description></item>`;

describe.each(testBackends)('refreshFeed through the database (%s)', (backend) => {
  let database: Database;
  let server: TestServer;
  let now: Date;
  /** Responses per path that tests change as they go. */
  const bodies: Record<string, string> = {};
  let fetches = 0;
  const options = (): RefreshOptions => ({ now, fetch: { allowPrivateNetworks: true }, random: () => 0.5 });

  beforeAll(async () => {
    database = await createTestDb(backend);
    server = await startTestServer({
      '/mixed.xml': (_req, res) => serve(bodies['/mixed.xml']!, { 'content-type': 'application/rss+xml' })(_req, res),
      // A feed whose GUIDs change on every fetch (a counter in them), links stay.
      '/regenerating.xml': (_req, res) => {
        fetches++;
        const g = (n: number) => `session-${fetches}-${n}`;
        serve(
          rss(
            item({ guid: g(1), title: 'Regenerated story one', link: 'https://regen.example/1', date: 'Mon, 02 Mar 2026 08:00:00 GMT' }) +
              item({ guid: g(2), title: 'Regenerated story two', link: 'https://regen.example/2', date: 'Mon, 02 Mar 2026 07:00:00 GMT' }) +
              item({
                guid: g(3),
                title: 'Regenerated story three',
                link: 'https://regen.example/3',
                date: 'Mon, 02 Mar 2026 06:00:00 GMT',
              }),
          ),
          { 'content-type': 'application/rss+xml' },
        )(_req, res);
      },
      '/wire-a.xml': serve(
        rss(
          item({
            guid: 'a-1',
            title: 'Ministers agree on a new pipeline route',
            link: 'https://a.example/1',
            date: 'Mon, 02 Mar 2026 08:00:00 GMT',
          }) +
            item({ guid: 'a-2', title: 'Shared link story', link: 'https://shared.example/story', date: 'Mon, 02 Mar 2026 07:00:00 GMT' }),
        ),
        { 'content-type': 'application/rss+xml' },
      ),
      // Same stories: one under another title punctuation and URL two days later, one with the same link.
      '/wire-b.xml': serve(
        rss(
          item({
            guid: 'b-1',
            title: 'Ministers agree on a NEW pipeline route!',
            link: 'https://b.example/9',
            date: 'Wed, 04 Mar 2026 08:00:00 GMT',
          }) +
            item({
              guid: 'b-2',
              title: 'A headline of its own',
              link: 'https://shared.example/story',
              date: 'Mon, 02 Mar 2026 07:30:00 GMT',
            }) +
            item({ guid: 'b-3', title: 'Only in feed B today', link: 'https://b.example/3', date: 'Mon, 02 Mar 2026 06:00:00 GMT' }),
        ),
        { 'content-type': 'application/rss+xml' },
      ),
      '/limited-seconds.xml': serve('slow down', { 'content-type': 'text/plain', 'retry-after': '7200' }, 429),
      '/limited-date.xml': (_req, res) =>
        serve(
          'slow down',
          { 'content-type': 'text/plain', 'retry-after': new Date(now.getTime() + 5 * 3600_000).toUTCString() },
          429,
        )(_req, res),
      '/down.xml': serve('unavailable', { 'content-type': 'text/plain' }, 503),
      // Gone until a test brings it back.
      '/gone.xml': (_req, res) =>
        bodies['/gone.xml']
          ? serve(bodies['/gone.xml'], { 'content-type': 'application/rss+xml' })(_req, res)
          : serve('gone', { 'content-type': 'text/plain' }, 410)(_req, res),
      // Issue #14: a UTF-8 feed with two bytes that are not UTF-8 (Latin-1 é and a stray 0xFF).
      '/bad-utf8.xml': serve(
        Buffer.concat(
          rss(item({ guid: 'u-1', title: 'Caf@@', link: 'https://utf8.example/1', date: 'Mon, 02 Mar 2026 08:00:00 GMT', body: 'Plain.' }))
            .split('@@')
            .flatMap((part, i) => (i ? [Buffer.from([0xe9, 0x20, 0xff]), Buffer.from(part)] : [Buffer.from(part)])),
        ),
        { 'content-type': 'application/rss+xml; charset=utf-8' },
      ),
      // Issue #14: one 50 KB title beside a good item.
      '/long-title.xml': serve(
        rss(
          item({
            guid: 'long-1',
            title: `Sanctions ${'very '.repeat(10_000)}long`,
            link: 'https://long.example/1',
            date: 'Mon, 02 Mar 2026 08:00:00 GMT',
          }) +
            item({ guid: 'long-2', title: 'A good item beside it', link: 'https://long.example/2', date: 'Mon, 02 Mar 2026 07:00:00 GMT' }),
        ),
        { 'content-type': 'application/rss+xml' },
      ),
      '/huge.xml': serve(
        rss(
          Array.from({ length: DEFAULT_MAX_ENTRIES + 5 }, (_, n) =>
            item({ guid: `huge-${n}`, title: `Huge feed story number ${n}`, date: 'Mon, 02 Mar 2026 08:00:00 GMT' }),
          ).join(''),
        ),
        { 'content-type': 'application/rss+xml' },
      ),
    });
    await syncFeeds(
      database.db,
      [
        '/mixed.xml',
        '/regenerating.xml',
        '/wire-a.xml',
        '/wire-b.xml',
        '/limited-seconds.xml',
        '/limited-date.xml',
        '/down.xml',
        '/huge.xml',
        '/long-title.xml',
        '/bad-utf8.xml',
        '/gone.xml',
      ].map((p) => ({ url: server.url(p) })),
    );
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  const feedRow = async (p: string): Promise<FeedRow> => {
    const rows = await database.db.select().from(schema.feeds);
    const row = rows.find((r) => r.url === server.url(p));
    if (!row) throw new Error(`no feed ${p}`);
    return row;
  };
  const articlesOf = async (p: string) => {
    const feed = await feedRow(p);
    const sources = await database.db.select().from(schema.articleSources);
    const ids = new Set(sources.filter((s) => s.feedId === feed.id).map((s) => s.articleId));
    return (await database.db.select().from(schema.articles)).filter((a) => ids.has(a.id)).sort((a, b) => a.id - b.id);
  };

  it('stores items without GUID, without date, with a future date and with repeated GUIDs correctly', async () => {
    now = new Date('2026-03-02T10:00:00Z');
    bodies['/mixed.xml'] = rss(
      item({ title: 'No guid here', link: 'https://mixed.example/no-guid', date: 'Mon, 02 Mar 2026 09:00:00 GMT' }) +
        item({ guid: 'undated', title: 'No date here', link: 'https://mixed.example/undated' }) +
        item({ guid: 'future', title: 'From the future', link: 'https://mixed.example/future', date: 'Fri, 01 Jan 2027 00:00:00 GMT' }) +
        item({ guid: 'twice', title: 'Sent twice', link: 'https://mixed.example/twice', date: 'Mon, 02 Mar 2026 07:00:00 GMT' }) +
        item({ guid: 'twice', title: 'Sent twice', link: 'https://mixed.example/twice', date: 'Mon, 02 Mar 2026 07:00:00 GMT' }) +
        item({ guid: 'shared', title: 'Shared guid one', link: 'https://mixed.example/one', date: 'Mon, 02 Mar 2026 06:00:00 GMT' }) +
        item({ guid: 'shared', title: 'Shared guid two', link: 'https://mixed.example/two', date: 'Mon, 02 Mar 2026 05:00:00 GMT' }) +
        item({ title: 'Neither guid nor link', body: 'Only a title and text.', date: 'Mon, 02 Mar 2026 04:00:00 GMT' }),
    );
    const first = await refreshFeed(database.db, await feedRow('/mixed.xml'), options());
    expect(first).toMatchObject({ status: 'fetched', new: 7, duplicate: 0 });
    const stored = await articlesOf('/mixed.xml');
    const byTitle = Object.fromEntries(stored.map((a) => [a.title, a]));
    expect(stored.map((a) => a.title)).toEqual([
      'No guid here',
      'No date here',
      'From the future',
      'Sent twice',
      'Shared guid one',
      'Shared guid two',
      'Neither guid nor link',
    ]);
    expect(byTitle['No guid here']).toMatchObject({ key: 'url:https://mixed.example/no-guid', publishedEstimated: false });
    // Missing and future dates become the fetch time, marked as estimated.
    expect(byTitle['No date here']).toMatchObject({ publishedEstimated: true, publishedAt: now });
    expect(byTitle['From the future']).toMatchObject({ publishedEstimated: true, publishedAt: now });
    // A GUID shared by different links is no identity: those items are keyed by link.
    expect(byTitle['Shared guid one']!.key).toBe('url:https://mixed.example/one');
    expect(byTitle['Shared guid two']!.key).toBe('url:https://mixed.example/two');
    expect(byTitle['Neither guid nor link']!.key).toMatch(/^hash:[0-9a-f]{64}$/);

    // The next fetch (a new item on top) stores the new item only, the undated one keeps its first date.
    const later = new Date(now.getTime() + 2 * 3600_000);
    now = later;
    bodies['/mixed.xml'] = bodies['/mixed.xml'].replace(
      '<item>',
      `${item({ guid: 'fresh', title: 'Fresh item', link: 'https://mixed.example/fresh' })}<item>`,
    );
    const second = await refreshFeed(database.db, await feedRow('/mixed.xml'), options());
    expect(second).toMatchObject({ status: 'fetched', new: 1, duplicate: 7 });
    const again = await articlesOf('/mixed.xml');
    expect(again).toHaveLength(8);
    expect(again.find((a) => a.title === 'No date here')!.publishedAt).toEqual(new Date('2026-03-02T10:00:00Z'));
  });

  it('recognises a feed whose GUIDs change on every fetch and does not store its items again', async () => {
    now = new Date('2026-03-02T10:00:00Z');
    const first = await refreshFeed(database.db, await feedRow('/regenerating.xml'), options());
    expect(first).toMatchObject({ status: 'fetched', new: 3 });
    const second = await refreshFeed(database.db, await feedRow('/regenerating.xml'), options());
    expect(second).toMatchObject({ status: 'fetched', new: 0, duplicate: 3 });
    expect((await feedRow('/regenerating.xml')).guidsBroken).toBe(true);
    const third = await refreshFeed(database.db, await feedRow('/regenerating.xml'), options());
    expect(third).toMatchObject({ status: 'fetched', new: 0, duplicate: 3 });
    expect(fetches).toBe(3);
    expect((await articlesOf('/regenerating.xml')).map((a) => a.url)).toEqual([
      'https://regen.example/1',
      'https://regen.example/2',
      'https://regen.example/3',
    ]);
  });

  it('stores the first entries of an oversized feed and says how many it left unread', async () => {
    now = new Date('2026-03-02T10:00:00Z');
    const outcome = await refreshFeed(database.db, await feedRow('/huge.xml'), options());
    expect(outcome).toMatchObject({ status: 'fetched', new: DEFAULT_MAX_ENTRIES });
    expect(outcome.status === 'fetched' && outcome.warnings).toContain(
      `kept the first ${DEFAULT_MAX_ENTRIES} of ${DEFAULT_MAX_ENTRIES + 5} entries (the per-fetch cap); the rest were not read`,
    );
    expect((await articlesOf('/huge.xml')).at(-1)?.title).toBe(`Huge feed story number ${DEFAULT_MAX_ENTRIES - 1}`);
  });

  it('keeps a story carried by two feeds (same headline within 7 days, or same link) as one article with both sources', async () => {
    now = new Date('2026-03-05T10:00:00Z');
    expect(await refreshFeed(database.db, await feedRow('/wire-a.xml'), options())).toMatchObject({ status: 'fetched', new: 2 });
    expect(await refreshFeed(database.db, await feedRow('/wire-b.xml'), options())).toMatchObject({
      status: 'fetched',
      new: 1,
      duplicate: 2,
    });
    const a = await articlesOf('/wire-a.xml');
    const b = await articlesOf('/wire-b.xml');
    expect(b.map((x) => x.id)).toEqual(expect.arrayContaining(a.map((x) => x.id)));
    expect(b.map((x) => x.title)).toEqual(['Ministers agree on a new pipeline route', 'Shared link story', 'Only in feed B today']);
    const sources = await database.db.select().from(schema.articleSources);
    for (const article of a) expect(sources.filter((s) => s.articleId === article.id)).toHaveLength(2);
  });

  it('on 429 waits at least as long as Retry-After asks (seconds or a date)', async () => {
    now = new Date('2026-03-05T10:00:00Z');
    const seconds = await refreshFeed(database.db, await feedRow('/limited-seconds.xml'), options());
    expect(seconds).toMatchObject({ status: 'failed', kind: 'http_429' });
    const s = await feedRow('/limited-seconds.xml');
    expect(s.nextCheckAt.getTime()).toBeGreaterThanOrEqual(now.getTime() + 7200_000);
    expect(s).toMatchObject({ status: 'error', lastErrorKind: 'http_429', errorCount: 1 });

    const dated = await refreshFeed(database.db, await feedRow('/limited-date.xml'), options());
    expect(dated).toMatchObject({ status: 'failed', kind: 'http_429' });
    // The HTTP date has whole seconds; the wait is five hours, far beyond the first back-off step.
    expect((await feedRow('/limited-date.xml')).nextCheckAt.getTime()).toBeGreaterThanOrEqual(now.getTime() + 5 * 3600_000 - 1000);
  });

  it('backs off linearly after each error, capped at 24 hours', async () => {
    now = new Date('2026-03-05T10:00:00Z');
    const waits: number[] = [];
    for (let n = 1; n <= 52; n++) {
      const outcome = await refreshFeed(database.db, await feedRow('/down.xml'), options());
      expect(outcome).toMatchObject({ status: 'failed', kind: 'http_5xx' });
      const row = await feedRow('/down.xml');
      expect(row.errorCount).toBe(n);
      waits.push((row.nextCheckAt.getTime() - now.getTime()) / MINUTE);
    }
    waits.forEach((w, i) => expect(w, `after ${i + 1} errors`).toBe(Math.min((i + 1) * ERROR_BACKOFF_STEP_MINUTES, MAX_INTERVAL_MINUTES)));
    const health = (await listFeedHealth(database.db)).find((f) => f.url === server.url('/down.xml'));
    expect(health).toMatchObject({ status: 'error', errorCount: 52, lastErrorKind: 'http_5xx' });
  });

  it('pauses a feed that keeps answering 410, probes it once a day, and resumes it when it answers again; an admin pause holds', async () => {
    now = new Date();
    for (let n = 1; n < FEED_HEALTH_RULES.pauseGoneAfter; n++) {
      await refreshFeed(database.db, await feedRow('/gone.xml'), options());
      expect((await feedRow('/gone.xml')).pausedAt, `after ${n} errors`).toBeNull();
    }
    await refreshFeed(database.db, await feedRow('/gone.xml'), options());
    const paused = await feedRow('/gone.xml');
    expect(paused).toMatchObject({ pausedBy: 'gone', errorCount: FEED_HEALTH_RULES.pauseGoneAfter, lastErrorKind: 'http_4xx' });
    expect(paused.nextCheckAt.getTime()).toBeGreaterThanOrEqual(now.getTime() + FEED_HEALTH_RULES.probeEveryMs - 1000);
    // Not fetched before its daily probe, not even by `run --all`.
    const claimed = await claimDueFeeds(database.db, { owner: 't', now, all: true });
    await releaseFeedLeases(
      database.db,
      't',
      claimed.map((f) => f.id),
    );
    expect(claimed.map((f) => f.url)).not.toContain(server.url('/gone.xml'));
    // The probe a day later finds it back: resumed by itself.
    bodies['/gone.xml'] = rss(
      item({ guid: 'g-1', title: 'Back again', link: 'https://gone.example/1', date: 'Mon, 02 Mar 2026 08:00:00 GMT' }),
    );
    now = new Date(now.getTime() + FEED_HEALTH_RULES.probeEveryMs);
    expect(await refreshFeed(database.db, await feedRow('/gone.xml'), options())).toMatchObject({ status: 'fetched' });
    expect(await feedRow('/gone.xml')).toMatchObject({ pausedAt: null, pausedBy: null, errorCount: 0, status: 'ok' });
    // An admin's pause: never claimed, whatever is due, until resumed.
    const id = (await feedRow('/gone.xml')).id;
    expect(await setFeedPaused(database.db, id, true, now)).toBe(true);
    const far = new Date(now.getTime() + 30 * FEED_HEALTH_RULES.probeEveryMs);
    const none = await claimDueFeeds(database.db, { owner: 't', now: far });
    await releaseFeedLeases(
      database.db,
      't',
      none.map((f) => f.id),
    );
    expect(none.map((f) => f.id)).not.toContain(id);
    expect(await setFeedPaused(database.db, id, false, now)).toBe(true);
    const back = await claimDueFeeds(database.db, { owner: 't', now });
    await releaseFeedLeases(
      database.db,
      't',
      back.map((f) => f.id),
    );
    expect(back.map((f) => f.id)).toContain(id);
    expect(await setFeedPaused(database.db, 999_999, true)).toBe(false);
  });

  it('stores a feed whose item has a 50 KB title: the title cut, the good item beside it kept, a warning on the feed', async () => {
    now = new Date('2026-03-02T10:00:00Z');
    const outcome = await refreshFeed(database.db, await feedRow('/long-title.xml'), options());
    expect(outcome).toMatchObject({ status: 'fetched', new: 2, skipped: 0 });
    expect(outcome.status === 'fetched' && outcome.warnings).toEqual([
      '1 item stored with fields cut to the storage limits (title, titleKey, summary)',
    ]);
    const stored = await articlesOf('/long-title.xml');
    expect(stored.map((a) => [a.title.length <= 1000, a.url])).toEqual([
      [true, 'https://long.example/1'],
      [true, 'https://long.example/2'],
    ]);
    expect((await listFeedHealth(database.db)).find((f) => f.url === server.url('/long-title.xml'))).toMatchObject({
      status: 'ok',
      lastError: null,
    });
  });

  it('classifies a failure to store as storage, in one short line without the SQL or its parameters', async () => {
    now = new Date('2026-03-02T10:00:00Z');
    // A feed row the database no longer has: the items cannot be linked to it (foreign key).
    const gone = { ...(await feedRow('/long-title.xml')), id: 987_654, etag: null, bodyHash: null };
    const outcome = await refreshFeed(database.db, gone, options());
    expect(outcome).toMatchObject({ status: 'failed', kind: 'storage' });
    const message = outcome.status === 'failed' ? outcome.message : '';
    expect(message).toMatch(
      new RegExp(`^feeds: ${server.url('/long-title.xml').replace(/[.?]/g, '\\$&')}: could not store its items: .*foreign key`),
    );
    expect(message.length).toBeLessThan(500);
    expect(message).not.toMatch(/insert into|params:|very very/i);
  });

  it('keeps credentials in a stored feed URL out of the error it records and logs', async () => {
    now = new Date('2026-03-02T10:00:00Z');
    const row = await feedRow('/down.xml');
    const url = new URL(row.url);
    url.username = 'reader';
    url.password = 's3cret-pass';
    const outcome = await refreshFeed(database.db, { ...row, url: url.href }, options());
    expect(outcome.status).toBe('failed');
    const message = outcome.status === 'failed' ? outcome.message : '';
    expect(message).toContain('http://***@127.0.0.1');
    expect(message).not.toMatch(/reader|s3cret/);
    const health = (await listFeedHealth(database.db)).find((f) => f.id === row.id)!;
    expect(`${health.url} ${health.lastError}`).not.toMatch(/reader|s3cret/);
  });

  it('stores a UTF-8 feed with bytes that are not UTF-8, and says so in a warning on the feed', async () => {
    now = new Date('2026-03-02T10:00:00Z');
    const outcome = await refreshFeed(database.db, await feedRow('/bad-utf8.xml'), options());
    expect(outcome).toMatchObject({
      status: 'fetched',
      new: 1,
      warnings: ['the body is not valid UTF-8: 2 invalid byte sequences were replaced with U+FFFD'],
    });
    expect((await articlesOf('/bad-utf8.xml')).map((a) => a.title)).toEqual(['Caf\ufffd \ufffd']);
    expect((await listFeedHealth(database.db)).find((f) => f.url === server.url('/bad-utf8.xml'))!.warnings).toEqual([
      'the body is not valid UTF-8: 2 invalid byte sequences were replaced with U+FFFD',
    ]);
  });
});
