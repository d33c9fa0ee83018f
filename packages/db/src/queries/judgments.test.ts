import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../create-db.ts';
import { createTestDb, testBackends } from '../../test/testing.ts';
import { storeFeedItems, type ArticleInput } from './articles.ts';
import { syncFeeds } from './feeds.ts';
import {
  countArticlesAfter,
  listLedger,
  listScoringClaims,
  listScoringFailures,
  readArticlesAfter,
  ROWS_PER_STATEMENT,
  setOverride,
  storeScoringBatch,
  type JudgmentInput,
} from './judgments.ts';
import { syncPredictions } from './predictions.ts';

const t0 = new Date('2026-03-02T10:00:00Z');
const item = (n: number): ArticleInput => ({
  key: `k${n}`,
  title: `Title ${n}`,
  titleKey: `title ${n}`,
  publishedAt: new Date(t0.getTime() + n * 1000),
});
const judge = (articleId: number, stance: string, scorer: string, claimHash: string, predictionId = 'p'): JudgmentInput => ({
  articleId,
  predictionId,
  scorer,
  claimHash,
  stance,
  relevance: 0.9,
  confidence: 0.7,
  evidence: [{ text: `evidence ${articleId}`, stance }],
});

describe.each(testBackends)('scoring progress and the ledger on %s', (backend) => {
  let database: Database;
  let ids: number[];
  beforeAll(async () => {
    database = await createTestDb(backend);
  });
  afterAll(async () => database?.close());
  beforeEach(async () => {
    await database.db.execute(sql`truncate articles, feeds, predictions restart identity cascade`);
    await syncPredictions(database.db, [{ id: 'p', statement: 'P holds', record: { id: 'p' } }], t0);
    const [feed] = await syncFeeds(database.db, [{ url: 'https://a.example/rss' }], t0);
    ids = (await storeFeedItems(database.db, feed!.id, [1, 2, 3, 4].map(item), { nextCheckAt: t0 }, t0)).newIds;
  });

  it('advances the watermark with the judgments it covers and never stores a pair twice', async () => {
    const [claim] = await listScoringClaims(database.db, 's@1');
    expect(claim).toMatchObject({ predictionId: 'p', throughArticleId: 0 });
    expect(await countArticlesAfter(database.db, 0)).toBe(4);
    const firstTwo = await readArticlesAfter(database.db, 0, 2);
    expect(firstTwo.map((a) => a.id)).toEqual(ids.slice(0, 2));
    const batch = {
      scorer: 's@1',
      judgments: [judge(ids[0]!, 'agree', 's@1', claim!.claimHash)],
      progress: [{ predictionId: 'p', claimHash: claim!.claimHash, throughArticleId: ids[1]! }],
    };
    await storeScoringBatch(database.db, batch);
    await storeScoringBatch(database.db, batch); // a retried batch changes nothing
    expect((await listScoringClaims(database.db, 's@1'))[0]!.throughArticleId).toBe(ids[1]);
    expect(await listLedger(database.db, { scorer: 's@1' })).toHaveLength(1);
    // Another scorer version starts from zero.
    expect((await listScoringClaims(database.db, 's@2'))[0]!.throughArticleId).toBe(0);
  });

  it('reads and stores a batch larger than one statement in pieces, with the same rows and one commit', async () => {
    const n = ROWS_PER_STATEMENT * 2 + 17;
    const [feed] = await syncFeeds(database.db, [{ url: 'https://b.example/rss' }], t0);
    const more = (
      await storeFeedItems(
        database.db,
        feed!.id,
        Array.from({ length: n }, (_, i) => item(100 + i)),
        { nextCheckAt: t0 },
        t0,
      )
    ).newIds;
    const all = [...ids, ...more];
    expect((await readArticlesAfter(database.db, 0, n)).map((a) => a.id)).toEqual(all.slice(0, n));
    expect((await readArticlesAfter(database.db, ids[1]!, 10_000)).map((a) => a.id)).toEqual(all.slice(2));
    expect((await readArticlesAfter(database.db, 0, 10_000, more[ROWS_PER_STATEMENT]!)).map((a) => a.id)).toEqual(
      all.slice(0, ids.length + ROWS_PER_STATEMENT + 1),
    );
    const [claim] = await listScoringClaims(database.db, 's@1');
    await storeScoringBatch(database.db, {
      scorer: 's@1',
      judgments: more.map((id) => judge(id, 'agree', 's@1', claim!.claimHash)),
      progress: [{ predictionId: 'p', claimHash: claim!.claimHash, throughArticleId: more.at(-1)! }],
    });
    expect(await listLedger(database.db, { scorer: 's@1' })).toHaveLength(n);
    expect((await listScoringClaims(database.db, 's@1'))[0]!.throughArticleId).toBe(more.at(-1));
  });

  it('records failed pairs with the watermark that passes them; a repeat adds to the attempts', async () => {
    const [claim] = await listScoringClaims(database.db, 's@1');
    const h = claim!.claimHash;
    const failed = (articleId: number) => ({
      articleId,
      predictionId: 'p',
      claimHash: h,
      error: `thread crashed on ${articleId}`,
      attempts: 2,
    });
    await storeScoringBatch(database.db, {
      scorer: 's@1',
      judgments: [judge(ids[0]!, 'agree', 's@1', h)],
      failures: [failed(ids[1]!), failed(ids[2]!)],
      progress: [{ predictionId: 'p', claimHash: h, throughArticleId: ids[2]! }],
    });
    expect((await listScoringClaims(database.db, 's@1'))[0]!.throughArticleId).toBe(ids[2]);
    const recorded = await listScoringFailures(database.db, { scorer: 's@1' });
    expect(recorded.map((f) => [f.articleId, f.predictionId, f.claimHash, f.error, f.attempts])).toEqual([
      [ids[1], 'p', h, `thread crashed on ${ids[1]}`, 2],
      [ids[2], 'p', h, `thread crashed on ${ids[2]}`, 2],
    ]);
    await storeScoringBatch(database.db, {
      scorer: 's@1',
      judgments: [],
      failures: [{ ...failed(ids[1]!), error: 'again' }],
      progress: [],
    });
    const again = await listScoringFailures(database.db, { predictionId: 'p' });
    expect(again.find((f) => f.articleId === ids[1])).toMatchObject({ error: 'again', attempts: 4 });
    expect(await listScoringFailures(database.db, { scorer: 's@2' })).toEqual([]);
  });

  it('uses the current scorer where it has reached, older judgments beyond, and overrides over both', async () => {
    const [claim] = await listScoringClaims(database.db, 's@1');
    const h = claim!.claimHash;
    await storeScoringBatch(database.db, {
      scorer: 's@1',
      judgments: [judge(ids[0]!, 'agree', 's@1', h), judge(ids[1]!, 'agree', 's@1', h), judge(ids[2]!, 'disagree', 's@1', h)],
      progress: [{ predictionId: 'p', claimHash: h, throughArticleId: ids[3]! }],
    });
    // s@2 re-judged the first two articles: it finds article 1 unrelated (no row) and article 2 discussing.
    await storeScoringBatch(database.db, {
      scorer: 's@2',
      judgments: [judge(ids[1]!, 'discuss', 's@2', h)],
      progress: [{ predictionId: 'p', claimHash: h, throughArticleId: ids[1]! }],
    });
    await setOverride(database.db, { articleId: ids[3]!, predictionId: 'p', stance: 'agree', note: 'analyst' });
    const ledger = await listLedger(database.db, { scorer: 's@2' });
    expect(ledger.map((e) => [e.articleId, e.stance, e.scorer, e.overridden])).toEqual([
      [ids[1], 'discuss', 's@2', false],
      [ids[2], 'disagree', 's@1', false],
      [ids[3], 'agree', null, true],
    ]);
    expect(ledger[2]!.confidence).toBe(1);
    // The old judgments stay beside the new ones.
    expect(await listLedger(database.db, { scorer: 's@1' })).toHaveLength(4);
  });

  it('ties judgments to the claim: a reworded forecast is judged afresh', async () => {
    const before = (await listScoringClaims(database.db, 's@1'))[0]!;
    await storeScoringBatch(database.db, {
      scorer: 's@1',
      judgments: [],
      progress: [{ predictionId: 'p', claimHash: before.claimHash, throughArticleId: ids[3]! }],
    });
    await syncPredictions(database.db, [{ id: 'p', statement: 'P holds, reworded', record: { id: 'p' } }], t0);
    const after = (await listScoringClaims(database.db, 's@1'))[0]!;
    expect(after.claimHash).not.toBe(before.claimHash);
    expect(after.throughArticleId).toBe(0);
    // Tags are not read by the scorer: no re-scoring for them.
    await syncPredictions(database.db, [{ id: 'p', statement: 'P holds, reworded', record: { id: 'p', tags: ['x'] } }], t0);
    expect((await listScoringClaims(database.db, 's@1'))[0]!.claimHash).toBe(after.claimHash);
  });
});
