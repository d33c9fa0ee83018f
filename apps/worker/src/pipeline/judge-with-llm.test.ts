import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { countLlmQueue, listLedger, storeFeedItems, syncFeeds, syncPredictions, type Database } from '@signpost/db';
import { createTestDb } from '@signpost/db/testing';
import { createLlmJudge, type LlmJudgeOptions } from '@signpost/llm';
import { quotingAnswer, startChatServer, type ChatServer } from '@signpost/llm/testing';
import { createScorer } from '@signpost/scoring';
import { judgeWithLlm, type LlmStageOptions } from './judge-with-llm.ts';
import { scorePendingArticles } from './score-articles.ts';
import { waitFor } from '@signpost/testing';

const now = new Date('2026-03-01T00:00:00Z');
const related = [
  'China announced sanctions on three Russian banks on Tuesday. The move surprised Moscow.',
  'Beijing said it will not sanction Russia over Ukraine. Officials in China repeated the line.',
  'Chinese state banks curbed payments from Russian firms, citing sanctions risk. Trade slowed.',
  'China and Russia signed a new trade agreement despite Western sanctions. Xi met Putin.',
];
const unrelatedText = [
  'The local football club won the cup final after extra time. Fans celebrated.',
  'A new bakery opened downtown, selling sourdough and pastries. Queues formed early.',
];

async function seed(database: Database) {
  await database.db.execute('truncate articles, feeds, predictions, llm_answers restart identity cascade');
  const [feed] = await syncFeeds(database.db, [{ url: 'https://wire.example/rss' }]);
  const bodies = [...related, ...unrelatedText, related[0]!]; // the last repeats the first story under another key
  const items = bodies.map((summary, i) => ({
    key: `k${i}`,
    title:
      i === bodies.length - 1 ? 'China sanctions Russian banks' : i < related.length ? 'China sanctions Russian banks' : `Local news ${i}`,
    titleKey: `t${i}`,
    summary,
    // The repeated story keeps the first one's date, so the model would be shown the same text.
    publishedAt: new Date(now.getTime() - (i === bodies.length - 1 ? 0 : i) * 3600_000),
  }));
  await storeFeedItems(database.db, feed!.id, items, { nextCheckAt: now }, now);
  await syncPredictions(database.db, [
    {
      id: 'no-sanctions',
      statement: 'China will not impose its own sanctions on Russia over the war against Ukraine.',
      record: {
        kind: 'binary',
        horizon: 'while the war lasts',
        keywords: ['China', 'Russia', 'sanctions'],
        signposts: [{ text: 'China announces sanctions on Russian companies', direction: 'fails' }],
      },
    },
  ]);
}

/** Rows of a plain SQL query (the worker has no SQL of its own; tests read the tables directly). */
async function rows<T>(database: Database, query: string): Promise<T[]> {
  return ((await database.db.execute(query)) as unknown as { rows: T[] }).rows;
}

describe('the language model step of a cycle', () => {
  let database: Database;
  let server: ChatServer;
  const builtin = createScorer();
  const judgeOptions = (extra: Partial<LlmJudgeOptions> = {}): LlmJudgeOptions => ({
    baseURL: server.url,
    model: 'test-model',
    timeoutMs: 2000,
    maxRetries: 0,
    breakerFailures: 2,
    breakerHalfOpenMs: 60_000,
    ...extra,
  });
  const stage = (extra: Partial<LlmStageOptions> = {}): LlmStageOptions => ({
    judge: createLlmJudge(judgeOptions()),
    builtin,
    minRelevance: 0.03,
    budget: { pairs: 100, tokens: 1_000_000 },
    ...extra,
  });
  const SCORER = 'llm:test-model@p1';
  const llmJudgments = () =>
    rows<{ article_id: number; stance: string; scorer: string; reason: string | null; evidence: { text: string }[] }>(
      database,
      "select article_id, stance, scorer, reason, evidence from judgments where scorer like 'llm:%' order by article_id",
    );

  beforeAll(async () => {
    database = await createTestDb();
  });
  afterAll(async () => database?.close());
  beforeEach(async () => {
    server = await startChatServer();
    await seed(database);
    await scorePendingArticles(database.db, builtin);
  });
  afterEach(async () => server.close());

  it('queues the built-in candidates, judges them under its own scorer id and reuses cached answers', async () => {
    const summary = await judgeWithLlm(database.db, stage());
    // The four related stories and the repeat are candidates; the football and the bakery are not.
    expect(summary.queued).toBe(5);
    expect(summary).toMatchObject({ scorer: SCORER, judged: 4, cached: 1, fallback: 0, waiting: 0, unavailable: 0 });
    expect(server.requests).toHaveLength(4);
    expect(summary.tokens).toEqual({ prompt: 480, completion: 120 });
    const stored = await llmJudgments();
    expect(stored).toHaveLength(5);
    expect(stored.every((j) => j.scorer === SCORER && j.reason === 'scripted' && j.evidence.length === 1)).toBe(true);
    // The prompt carried the forecast's context.
    expect(server.requests[0]!.messages[1]!.content).toMatch(
      /Claim \(forecast, binary\): China will not impose[\s\S]*Horizon: while the war lasts[\s\S]*\[fails: undermines the claim\] China announces sanctions/,
    );
    // A second cycle has nothing new to queue or ask.
    const again = await judgeWithLlm(database.db, stage());
    expect(again).toMatchObject({ queued: 0, judged: 0, cached: 0 });
    expect(server.requests).toHaveLength(4);
  });

  it('spends at most the cycle budget and leaves the rest queued for later cycles, losing none', async () => {
    const first = await judgeWithLlm(database.db, stage({ budget: { pairs: 2, tokens: 1_000_000 } }));
    expect(first).toMatchObject({ judged: 2, budgetSpent: true });
    expect(first.waiting).toBe(5 - 2 - first.cached);
    // A time budget already spent starts no round.
    expect(await judgeWithLlm(database.db, stage({ judgeBudgetMs: 0 }))).toMatchObject({ judged: 0, cached: 0 });
    // A token budget below one pair's estimate sends nothing.
    const starved = await judgeWithLlm(database.db, stage({ budget: { pairs: 100, tokens: 50 } }));
    expect(starved).toMatchObject({ judged: 0, budgetSpent: true });
    // A restart (a new judge, the same database) takes up where the last cycle stopped.
    const second = await judgeWithLlm(database.db, stage());
    expect(second.waiting).toBe(0);
    expect(await countLlmQueue(database.db, SCORER)).toEqual({ queued: 0, judged: 5, fallback: 0 });
    expect(await llmJudgments()).toHaveLength(5);
    expect(server.requests).toHaveLength(4);
  });

  it('falls back to the built-in judgment after two unusable answers, and caches that', async () => {
    server.script(
      { content: '{"stance": "agree", "confidence": 0.9, "evidence": ["China lifted all sanctions."], "reason": "x"}' },
      { content: 'not json at all' },
    );
    // One request at a time, so that both scripted answers go to the first pair (the newest article,
    // the repeated story: its twin shares the unusable answer instead of paying for it again).
    const summary = await judgeWithLlm(database.db, stage({ judge: createLlmJudge(judgeOptions({ concurrency: 1 })) }));
    expect(summary).toMatchObject({ judged: 3, fallback: 2, cached: 1 });
    expect(server.requests).toHaveLength(5);
    expect(server.requests[1]!.messages.at(-1)!.content).toMatch(/does not occur in the article/);
    expect(await countLlmQueue(database.db, SCORER)).toMatchObject({ fallback: 2, queued: 0 });
    const [row] = await rows<{ last_error: string; article_id: number }>(
      database,
      "select last_error, article_id from llm_queue where status = 'fallback' order by article_id desc",
    );
    expect(row!.last_error).toMatch(/not JSON/);
    // The ledger with the model preferred shows the built-in judgment where the model fell back.
    const ledger = await listLedger(database.db, { scorer: builtin.id, prefer: SCORER });
    const builtinLedger = await listLedger(database.db, { scorer: builtin.id });
    const at = (l: typeof ledger) => l.filter((e) => e.articleId === Number(row!.article_id)).map((e) => [e.scorer, e.stance]);
    expect(at(ledger)).toEqual(at(builtinLedger));
    expect(at(builtinLedger).every(([scorer]) => scorer === builtin.id)).toBe(true);
    expect(ledger.filter((e) => e.scorer === SCORER)).toHaveLength(3);
  });

  it('keeps every pair queued while the endpoint is down (circuit open), then judges them when it is back', async () => {
    server.setDefault(() => ({ status: 500 }));
    const judge = createLlmJudge(judgeOptions());
    const down = await judgeWithLlm(database.db, stage({ judge }));
    expect(down).toMatchObject({ judged: 0, waiting: 5, circuit: 'open' });
    expect(down.unavailable).toBeGreaterThanOrEqual(1);
    expect(await llmJudgments()).toHaveLength(0);
    // Later cycles with the circuit still open send nothing.
    const sent = server.requests.length;
    expect(await judgeWithLlm(database.db, stage({ judge }))).toMatchObject({ judged: 0, waiting: 5 });
    expect(server.requests).toHaveLength(sent);
    // Dropped connections and a rate limit with Retry-After are survived by the client's retries.
    server.setDefault(quotingAnswer('disagree'));
    server.script({ drop: true }, { status: 429, headers: { 'retry-after': '0' } });
    const back = await judgeWithLlm(database.db, stage({ judge: createLlmJudge(judgeOptions({ maxRetries: 2 })) }));
    expect(back).toMatchObject({ judged: 4, cached: 1, waiting: 0 });
    expect((await llmJudgments()).map((j) => j.stance)).toEqual(Array(5).fill('disagree'));
    const [attempts] = await rows<{ n: number }>(database, 'select max(attempts)::int as n from llm_queue');
    expect(attempts!.n).toBeGreaterThanOrEqual(1);
  });

  it('tries the endpoint again in a later cycle once the circuit may half-open, with the same judge', async () => {
    const judge = createLlmJudge(judgeOptions({ breakerFailures: 1, breakerHalfOpenMs: 200, concurrency: 1 }));
    server.script({ status: 500 });
    // The first request fails and opens the circuit; the pairs waiting their turn are not sent.
    expect(await judgeWithLlm(database.db, stage({ judge }))).toMatchObject({ judged: 0, unavailable: 1, waiting: 5, circuit: 'open' });
    expect(server.requests).toHaveLength(1);
    const [tried] = await rows<{ n: number }>(database, 'select count(*)::int as n from llm_queue where attempts > 0');
    expect(tried!.n).toBe(1);
    await waitFor(() => judge.circuit() === 'half-open', 'the circuit to half-open', { timeoutMs: 5_000, everyMs: 10 });
    expect(await judgeWithLlm(database.db, stage({ judge }))).toMatchObject({ judged: 4, cached: 1, waiting: 0, circuit: 'closed' });
  });
});
