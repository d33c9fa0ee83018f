import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listLedger, storeFeedItems, syncFeeds, syncPredictions, type Database } from '@signpost/db';
import { createTestDb } from '@signpost/db/testing';
import { createScorer } from '@signpost/scoring';
import { scorePendingArticles } from './score-articles.ts';

const topics = ['energy', 'trade', 'military drills', 'diplomacy', 'banking', 'grain', 'technology', 'Arctic shipping'];

describe('scoring by watermark', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDb();
    const [feed] = await syncFeeds(database.db, [{ url: 'https://wire.example/rss' }]);
    const now = new Date('2026-03-01T00:00:00Z');
    // Forty stories, all about China and Russia drawing closer in one field or another.
    const items = Array.from({ length: 40 }, (_, i) => {
      const topic = topics[i % topics.length]!;
      return {
        key: `k${i}`,
        title: `China and Russia deepen ${topic} cooperation, part ${i}`,
        titleKey: `china and russia deepen ${topic} cooperation part ${i}`,
        summary: `Beijing and Moscow agreed to expand their partnership in ${topic}, officials from China and Russia said, as the two countries grow closer.`,
        publishedAt: new Date(now.getTime() - i * 3600_000),
      };
    });
    await storeFeedItems(database.db, feed!.id, items, { nextCheckAt: now }, now);
    await syncPredictions(database.db, [
      {
        id: 'closer',
        statement: 'China and Russia will grow closer.',
        record: {
          keywords: ['China', 'Russia'],
          signposts: [{ text: 'China and Russia sign new cooperation agreements', direction: 'holds' }],
        },
      },
    ]);
  });
  afterAll(async () => database?.close());

  it('keeps a broad forecast from claiming most of a batch', async () => {
    const scorer = createScorer();
    const uncapped = await scorePendingArticles(
      database.db,
      { ...scorer, id: `${scorer.id}+uncapped` },
      { batchSize: 40, cap: { maxShare: 1 } },
    );
    expect(uncapped.pairs).toBe(40);
    // Without a cap the broad forecast matches much of the batch...
    expect(uncapped.judgments).toBeGreaterThan(10);
    // ...with the default cap (a quarter of the batch) it keeps only its ten most relevant matches.
    const capped = await scorePendingArticles(database.db, scorer, { batchSize: 40 });
    expect(capped.pairs).toBe(40);
    expect(capped.judgments).toBe(10);
    const kept = await listLedger(database.db, { scorer: scorer.id });
    expect(kept.filter((e) => e.scorer === scorer.id)).toHaveLength(10);
  });
});
