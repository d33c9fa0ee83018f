import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../create-db.ts';
import { createTestDb, testBackends } from '../../test/testing.ts';
import { storeFeedItems } from './articles.ts';
import { hasArticle, listArticlesByIds, listResolutionOverrides, listReviewQueue, setResolutionOverride } from './dashboard.ts';
import { syncFeeds } from './feeds.ts';
import { readStandingsVersion } from './standings.ts';
import { listScoringClaims, setOverride, storeScoringBatch } from './judgments.ts';
import { syncPredictions } from './predictions.ts';

const t0 = new Date('2026-03-02T10:00:00Z');

describe.each(testBackends)('dashboard queries on %s', (backend) => {
  let database: Database;
  let ids: number[];
  let hash: string;
  beforeAll(async () => {
    database = await createTestDb(backend);
    await syncPredictions(database.db, [{ id: 'p', statement: 'P holds', record: { id: 'p' } }], t0);
    const [a, b] = await syncFeeds(database.db, [{ url: 'https://a.example/rss', title: 'Лента A' }, { url: 'https://b.example/rss' }], t0);
    const item = (n: number) => ({
      key: `k${n}`,
      url: `https://a.example/${n}`,
      title: `标题 ${n}`,
      titleKey: `title number ${n}`,
      publishedAt: new Date(t0.getTime() + n * 60_000),
    });
    ids = (await storeFeedItems(database.db, a!.id, [1, 2, 3].map(item), { nextCheckAt: t0 }, t0)).newIds;
    await storeFeedItems(database.db, b!.id, [item(1)], { nextCheckAt: t0 }, t0);
    hash = (await listScoringClaims(database.db, 's@1'))[0]!.claimHash;
  });
  afterAll(async () => database?.close());

  it('changes the version pages are cached under on new judgments and overrides, and only then', async () => {
    const v0 = await readStandingsVersion(database.db);
    expect(await readStandingsVersion(database.db)).toBe(v0);
    const j = (articleId: number, confidence: number) => ({
      articleId,
      predictionId: 'p',
      scorer: 's@1',
      claimHash: hash,
      stance: 'agree',
      relevance: 0.8,
      confidence,
      evidence: [{ text: `e${articleId}`, stance: 'agree' }],
    });
    await storeScoringBatch(
      database.db,
      { scorer: 's@1', judgments: [j(ids[0]!, 0.5), j(ids[1]!, 0.9), j(ids[2]!, 0.45)], progress: [] },
      t0,
    );
    const v1 = await readStandingsVersion(database.db);
    expect(v1).not.toBe(v0);
    await setOverride(database.db, { articleId: ids[2]!, predictionId: 'p', stance: 'disagree' });
    const v2 = await readStandingsVersion(database.db);
    expect(v2).not.toBe(v1);
    // A resolution moves it through the standings the dashboard rewrites after it (standings.test.ts).
    await setResolutionOverride(database.db, { predictionId: 'p', status: 'true', date: '2026-03-01', note: 'settled' });
    expect(await readStandingsVersion(database.db)).toBe(v2);
  });

  it('lists unsure, unreviewed judgments newest first, and articles with their feeds', async () => {
    const queue = await listReviewQueue(database.db, { scorer: 's@1', minConfidence: 0.4, maxConfidence: 0.6 });
    // ids[1] is sure (0.9), ids[2] has an override: only ids[0] is left.
    expect(queue.map((q) => q.articleId)).toEqual([ids[0]]);
    expect(queue[0]).toMatchObject({ predictionId: 'p', statement: 'P holds', stance: 'agree', title: '标题 1' });
    expect(await listReviewQueue(database.db, { scorer: 's@2', minConfidence: 0, maxConfidence: 1 })).toEqual([]);

    const articles = await listArticlesByIds(database.db, [ids[0]!, ids[0]!, ids[1]!]);
    expect(articles.size).toBe(2);
    expect(articles.get(ids[0]!)!.feeds.map((f) => f.title)).toEqual(['Лента A', null]);
    expect(articles.get(ids[1]!)!.publishedAt).toBeInstanceOf(Date);
    expect(await hasArticle(database.db, ids[0]!)).toBe(true);
    expect(await hasArticle(database.db, 999_999)).toBe(false);
  });

  it('keeps one resolution per forecast, the last one set', async () => {
    await setResolutionOverride(database.db, { predictionId: 'p', status: 'false', note: 'reversed' });
    const all = await listResolutionOverrides(database.db);
    expect(all.get('p')).toMatchObject({ status: 'false', date: null, note: 'reversed' });
    await expect(setResolutionOverride(database.db, { predictionId: 'nope', status: 'true' })).rejects.toThrow();
  });
});
