import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordFeedError, schema, storeFeedItems, type Database } from '@signpost/db';
import { createTestDb, testBackends } from '@signpost/db/testing';
import { createLogger } from '@signpost/log';
import { createApp } from '../app.tsx';
import { HOSTILE_TITLE, NOW, SCORER, buildFixture } from '../../test/fixture.ts';

describe.each(testBackends)('on %s', (backend) => {
  let database: Database;
  let app: ReturnType<typeof createApp>;
  let fixture: Awaited<ReturnType<typeof buildFixture>>;

  beforeAll(async () => {
    database = await createTestDb(backend);
    fixture = await buildFixture(database.db);
    app = createApp({ db: database.db, logger: createLogger({ level: 'silent' }), scorer: SCORER, now: () => NOW });
  });
  afterAll(async () => database?.close());

  const json = async (path: string) => {
    const res = await app.request(path);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests read every shape of answer
    return { status: res.status, body: (await res.json()) as any };
  };

  describe('JSON API', () => {
    it('GET /api/predictions has the contract fields, with the record, momentum and the life-long weekly series', async () => {
      const { status, body } = await json('/api/predictions');
      expect(status).toBe(200);
      expect(body).toHaveLength(3);
      for (const p of body)
        expect(Object.keys(p)).toEqual(expect.arrayContaining(['balance', 'counts', 'id', 'series', 'statement', 'status']));
      const p = body.find((x: { id: string }) => x.id === 'no-sanctions');
      expect(p.status).toBe('holding');
      expect(p.counts).toEqual({ agree: 3, disagree: 1, discuss: 0 });
      expect(p.balance).toBeGreaterThan(0.25);
      expect(Object.keys(p.series[0]).sort()).toEqual(['agree', 'balance', 'disagree', 'discuss', 'week']);
      expect(p).toMatchObject({
        statusLabel: 'Holding up',
        record: { status: 'holding' },
        momentum: { label: 'recent news supports it' },
        asOf: '2026-03-20T12:00:00.000Z',
      });
      expect(p.series[0].week).toBe('2022-W12'); // from the forecast's publication, 2022-03-24
      expect(p.series.at(-1).balance).toBe(p.balance);
      expect(p.series.reduce((t: number, w: { agree: number }) => t + w.agree, 0)).toBe(3);
      expect(body.find((x: { id: string }) => x.id === 'sanctions-bite').status).toBe('resolved-true');
    });

    it('GET /api/predictions/:id/evidence lists evidence newest first, with ?limit= and ?stance=', async () => {
      const { body } = await json('/api/predictions/no-sanctions/evidence');
      expect(body.map((e: { articleId: number }) => e.articleId)).toEqual([
        fixture.ids.hostile,
        fixture.ids.a3,
        fixture.ids.a2,
        fixture.ids.a1,
      ]);
      expect(Object.keys(body[0])).toEqual(
        expect.arrayContaining(['articleId', 'confidence', 'evidence', 'feed', 'published', 'stance', 'title', 'url']),
      );
      expect(body[0].stanceLabel).toBe('supports');
      expect(body[0]).toMatchObject({ title: HOSTILE_TITLE, url: null, feed: 'Новости 新闻', stance: 'agree' });
      expect(body[1]).toMatchObject({
        url: 'https://news.example/3',
        stance: 'disagree',
        confidence: 0.5,
        evidence: [{ text: 'Banks are weighing <curbs> on Russian clients.', stance: 'disagree' }],
      });
      expect((await json('/api/predictions/no-sanctions/evidence?limit=2')).body).toHaveLength(2);
      const disagree = (await json('/api/predictions/no-sanctions/evidence?stance=disagree')).body;
      expect(disagree.map((e: { articleId: number }) => e.articleId)).toEqual([fixture.ids.a3]);
    });

    it('rejects bad parameters with 400 and a message, and unknown forecasts with 404', async () => {
      const bad = await json('/api/predictions/no-sanctions/evidence?stance=maybe');
      expect(bad.status).toBe(400);
      expect(bad.body.error).toMatch(/^api: stance must be/);
      expect((await json('/api/predictions/no-sanctions/evidence?limit=-3')).status).toBe(400);
      expect((await json('/api/predictions/nope/evidence')).status).toBe(404);
      expect((await json('/api/articles?feed=abc')).status).toBe(400);
      expect((await json('/api/nothing-here')).status).toBe(404);
      // Issue #14: these reached the database and came back as 500.
      expect(await json('/api/articles?q=%00')).toEqual({
        status: 400,
        body: { error: 'api: q must not contain control characters (found U+0000)' },
      });
      expect(await json('/api/articles?q=a&q=b')).toEqual({ status: 400, body: { error: 'api: q must be given once' } });
      expect(await json('/api/predictions/no-sanctions/evidence?limit=0')).toEqual({
        status: 400,
        body: { error: 'api: limit must be a positive whole number (got "0")' },
      });
      expect(await json('/api/articles?feed=2147483648')).toEqual({
        status: 400,
        body: { error: 'api: feed must be a feed id (a whole number up to 2147483647; got "2147483648")' },
      });
      expect((await json('/api/predictions/%00/evidence')).status).toBe(404);
      for (const path of ['/predictions/%00', '/predictions/%00/feed.atom', '/?sort=__proto__', '/?sort=constructor']) {
        const res = await app.request(path);
        expect([200, 404], path).toContain(res.status);
        expect(res.headers.get('content-type'), path).toContain('text/html');
      }
    });

    it('GET /api/articles lists articles newest first with their feeds; ?feed=, ?q=, ?limit=', async () => {
      const all = (await json('/api/articles')).body;
      expect(all).toHaveLength(5);
      expect(Object.keys(all[0]).sort()).toEqual(['feeds', 'id', 'language', 'published', 'title', 'url']);
      expect(all[0].id).toBe(fixture.ids.hostile);
      expect((await json(`/api/articles?feed=${fixture.feeds.wire}`)).body.map((a: { id: number }) => a.id)).toEqual([fixture.ids.b5]);
      expect((await json('/api/articles?q=banks')).body).toHaveLength(2);
      expect((await json('/api/articles?limit=1')).body).toHaveLength(1);
    });

    it('GET /api/feeds reports feed health', async () => {
      const { body } = await json('/api/feeds');
      expect(body.map((f: { title: string }) => f.title).sort()).toEqual(['Wire', 'Новости 新闻']);
      expect(body.find((f: { title: string }) => f.title === 'Wire')).toMatchObject({ status: 'ok', errorCount: 0, articles: 1 });
    });

    it('GET /api/feeds and /feeds show the warnings of the last fetch, and never the credentials of a URL', async () => {
      await storeFeedItems(
        database.db,
        fixture.feeds.wire,
        [],
        { nextCheckAt: NOW, warnings: ['the body is not valid UTF-8: 2 invalid byte sequences were replaced with U+FFFD'] },
        NOW,
      );
      // A feed stored before check refused credentials, which failed with its URL in the error.
      const [row] = await database.db
        .insert(schema.feeds)
        .values({ url: 'https://reader:s3cret@private.example/rss', title: 'Private' })
        .returning();
      await recordFeedError(
        database.db,
        row!.id,
        { kind: 'http_4xx', message: 'feeds: https://reader:s3cret@private.example/rss: HTTP 401', nextCheckAt: NOW },
        NOW,
      );
      const { body } = await json('/api/feeds');
      expect(body.find((f: { title: string }) => f.title === 'Wire').warnings).toEqual([
        'the body is not valid UTF-8: 2 invalid byte sequences were replaced with U+FFFD',
      ]);
      expect(body.find((f: { title: string }) => f.title === 'Private')).toMatchObject({
        url: 'https://***@private.example/rss',
        lastError: 'feeds: https://***@private.example/rss: HTTP 401',
      });
      const page = await (await app.request('/feeds')).text();
      expect(page).toContain('the body is not valid UTF-8');
      expect(page).toContain('https://***@private.example/rss');
      for (const text of [JSON.stringify(body), page]) expect(text).not.toMatch(/reader|s3cret/);
    });
  });
});
