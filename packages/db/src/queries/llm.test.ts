import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../create-db.ts';
import { createTestDb, testBackends } from '../../test/testing.ts';
import { storeFeedItems, type ArticleInput } from './articles.ts';
import { syncFeeds } from './feeds.ts';
import { listLedger, listScoringClaims, storeScoringBatch } from './judgments.ts';
import {
  countLlmQueue,
  enqueueLlmCandidates,
  getLlmAnswer,
  leaseLlmWork,
  listJudgmentPairs,
  releaseLlmWork,
  settleLlmWork,
} from './llm.ts';
import { readStandingsVersion } from './standings.ts';
import { syncPredictions } from './predictions.ts';
import { readPreferredScorer, setPreferredScorer } from './settings.ts';

const t0 = new Date('2026-03-02T10:00:00Z');
const item = (n: number): ArticleInput => ({
  key: `k${n}`,
  title: `Title ${n}`,
  titleKey: `title ${n}`,
  text: `Body ${n}.`,
  publishedAt: new Date(t0.getTime() + n * 1000),
});
const LLM = 'llm:m@p1';
const BUILTIN = 'b@1';

describe.each(testBackends)('the model queue, cache and judgments on %s', (backend) => {
  let database: Database;
  let ids: number[];
  let hash: string;
  beforeAll(async () => {
    database = await createTestDb(backend);
  });
  afterAll(async () => database?.close());
  beforeEach(async () => {
    await database.db.execute(sql`truncate articles, feeds, predictions, llm_answers, settings restart identity cascade`);
    await syncPredictions(database.db, [{ id: 'p', statement: 'P holds', record: { id: 'p' } }], t0);
    const [feed] = await syncFeeds(database.db, [{ url: 'https://a.example/rss' }], t0);
    ids = (await storeFeedItems(database.db, feed!.id, [1, 2, 3].map(item), { nextCheckAt: t0 }, t0)).newIds;
    hash = (await listScoringClaims(database.db, BUILTIN))[0]!.claimHash;
  });

  const enqueue = (articleIds: number[], through: number) =>
    enqueueLlmCandidates(database.db, {
      scorer: LLM,
      watermark: `queue:${LLM}`,
      candidates: articleIds.map((articleId, i) => ({ articleId, predictionId: 'p', claimHash: hash, relevance: 0.5 + i / 10 })),
      progress: [{ predictionId: 'p', claimHash: hash, throughArticleId: through }],
    });

  it('queues each pair once with its watermark, and leases the newest first, each lease once', async () => {
    await enqueue([ids[0]!, ids[1]!, ids[2]!], ids[2]!);
    await enqueue([ids[0]!], ids[2]!); // queued again: nothing changes
    expect((await listScoringClaims(database.db, `queue:${LLM}`))[0]!.throughArticleId).toBe(ids[2]);
    expect(await countLlmQueue(database.db, LLM)).toEqual({ queued: 3, judged: 0, fallback: 0 });
    const first = await leaseLlmWork(database.db, { scorer: LLM, limit: 2, leaseMs: 60_000 }, t0);
    expect(first.map((w) => w.articleId)).toEqual([ids[2], ids[1]]);
    expect(first[0]).toMatchObject({ statement: 'P holds', title: 'Title 3', text: 'Body 3.', claimHash: hash });
    // Leased rows are skipped until the lease ends (a worker that died gives them back by expiry).
    expect((await leaseLlmWork(database.db, { scorer: LLM, limit: 5, leaseMs: 60_000 }, t0)).map((w) => w.articleId)).toEqual([ids[0]]);
    expect(await leaseLlmWork(database.db, { scorer: LLM, limit: 5, leaseMs: 60_000 }, t0)).toEqual([]);
    expect(await leaseLlmWork(database.db, { scorer: LLM, limit: 5, leaseMs: 60_000 }, new Date(t0.getTime() + 61_000))).toHaveLength(3);
    // A reworded forecast's old pairs wait for nothing: neither leased nor counted.
    await syncPredictions(database.db, [{ id: 'p', statement: 'P holds, reworded', record: { id: 'p' } }], t0);
    expect(await countLlmQueue(database.db, LLM)).toEqual({ queued: 0, judged: 0, fallback: 0 });
    expect(await leaseLlmWork(database.db, { scorer: LLM, limit: 5, leaseMs: 60_000 }, new Date(t0.getTime() + 200_000))).toEqual([]);
  });

  it('settles a pair with its judgment and cached answer, falls back, or gives it back', async () => {
    await enqueue([ids[0]!, ids[1]!, ids[2]!], ids[2]!);
    const [a, b, c] = await leaseLlmWork(database.db, { scorer: LLM, limit: 3, leaseMs: 60_000 }, t0);
    const answer = {
      claimKey: 'ck',
      articleKey: 'ak',
      scorer: LLM,
      status: 'judged' as const,
      stance: 'disagree',
      confidence: 0.8,
      evidence: ['Body 3'],
      reason: 'r',
      promptTokens: 100,
      completionTokens: 20,
    };
    await settleLlmWork(database.db, {
      queueId: a!.queueId,
      answer,
      judgment: {
        articleId: a!.articleId,
        predictionId: 'p',
        scorer: LLM,
        claimHash: hash,
        stance: 'disagree',
        relevance: 0.6,
        confidence: 0.8,
        evidence: [{ text: 'Body 3', stance: 'disagree' }],
        reason: 'r',
      },
    });
    await settleLlmWork(database.db, {
      queueId: b!.queueId,
      answer: { ...answer, articleKey: 'ak2', status: 'invalid', stance: null, confidence: null, evidence: [] },
      judgment: null,
      problem: 'bad quote',
    });
    await releaseLlmWork(database.db, { queueId: c!.queueId, problem: 'llm: HTTP 500' });
    expect(await countLlmQueue(database.db, LLM)).toEqual({ queued: 1, judged: 1, fallback: 1 });
    expect(await getLlmAnswer(database.db, { claimKey: 'ck', articleKey: 'ak', scorer: LLM })).toMatchObject({
      stance: 'disagree',
      promptTokens: 100,
    });
    expect(await getLlmAnswer(database.db, { claimKey: 'ck', articleKey: 'ak', scorer: 'llm:other@p1' })).toBeNull();
    const [again] = await leaseLlmWork(database.db, { scorer: LLM, limit: 3, leaseMs: 60_000 }, t0);
    expect(again).toMatchObject({ articleId: c!.articleId, attempts: 1 });
  });

  it('counts the model judgment in the ledger only when it is preferred, and shows both side by side', async () => {
    await storeScoringBatch(database.db, {
      scorer: BUILTIN,
      judgments: [
        {
          articleId: ids[2]!,
          predictionId: 'p',
          scorer: BUILTIN,
          claimHash: hash,
          stance: 'agree',
          relevance: 0.7,
          confidence: 0.6,
          evidence: [],
        },
      ],
      progress: [{ predictionId: 'p', claimHash: hash, throughArticleId: ids[2]! }],
    });
    await enqueue([ids[2]!, ids[1]!], ids[2]!);
    const work = await leaseLlmWork(database.db, { scorer: LLM, limit: 2, leaseMs: 60_000 }, t0);
    for (const w of work) {
      await settleLlmWork(database.db, {
        queueId: w.queueId,
        answer: null,
        judgment: {
          articleId: w.articleId,
          predictionId: 'p',
          scorer: LLM,
          claimHash: hash,
          stance: w.articleId === ids[2] ? 'disagree' : 'unrelated',
          relevance: w.relevance,
          confidence: 0.9,
          evidence: [],
          reason: 'because',
        },
      });
    }
    const builtin = await listLedger(database.db, { scorer: BUILTIN });
    expect(builtin.map((e) => [e.articleId, e.stance, e.scorer])).toEqual([[ids[2], 'agree', BUILTIN]]);
    const llm = await listLedger(database.db, { scorer: BUILTIN, prefer: LLM });
    expect(llm.map((e) => [e.articleId, e.stance, e.scorer])).toEqual([
      [ids[1], 'unrelated', LLM],
      [ids[2], 'disagree', LLM],
    ]);
    // The recorded setting does the same for every reader that does not say (dashboards, digest).
    const before = await readStandingsVersion(database.db);
    await setPreferredScorer(database.db, LLM);
    expect(await readStandingsVersion(database.db)).not.toBe(before);
    expect((await listLedger(database.db, { scorer: BUILTIN })).map((e) => e.scorer)).toEqual([LLM, LLM]);
    expect((await listLedger(database.db, { scorer: BUILTIN, prefer: null })).map((e) => e.scorer)).toEqual([BUILTIN]);
    await setPreferredScorer(database.db, null);
    expect(await readPreferredScorer(database.db)).toBeNull();
    expect((await listLedger(database.db, { scorer: BUILTIN })).map((e) => e.scorer)).toEqual([BUILTIN]);
    // A new built-in version that has not reached the articles yet still never shows the model's judgment.
    expect((await listLedger(database.db, { scorer: 'b@2' })).map((e) => e.scorer)).toEqual([BUILTIN]);
    const pairs = await listJudgmentPairs(database.db, 'p');
    expect(pairs.get(ids[2]!)?.map((j) => [j.scorer, j.stance, j.reason])).toEqual([
      [BUILTIN, 'agree', null],
      [LLM, 'disagree', 'because'],
    ]);
  });
});
