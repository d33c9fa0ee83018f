import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listLedger, storeFeedItems, syncFeeds, syncPredictions, type Database } from '@signpost/db';
import { createTestDb } from '@signpost/db/testing';
import { createScorer, parseCorpus } from '@signpost/scoring';
import { scorePendingArticles, toScorableClaim } from './score-articles.ts';

const topics = ['energy', 'trade', 'military drills', 'diplomacy', 'banking', 'grain', 'technology', 'Arctic shipping'];

describe('what the scorer reads of a stored forecast', () => {
  it("carries the record's deadline, which the scorer reads against each article's date", () => {
    const record = { keywords: ['Gazprom'], signposts: [{ text: 'Gazprom signs a contract', direction: 'holds' }], deadline: '2025-12-31' };
    expect(toScorableClaim({ predictionId: 'p', statement: 'Gazprom will sign.', record })).toEqual({
      id: 'p',
      statement: 'Gazprom will sign.',
      keywords: ['Gazprom'],
      signposts: record.signposts,
      deadline: '2025-12-31',
    });
    expect(toScorableClaim({ predictionId: 'p', statement: 'Gazprom will sign.', record: { keywords: ['Gazprom'] } })).not.toHaveProperty(
      'deadline',
    );
  });
});

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

describe('a full text', () => {
  // A corpus article that refutes its forecast (Chinese and Russian bombers on a joint patrol near
  // Alaska) with four articles labelled unrelated to the forecast after it: a feed's full text whose
  // news is its first paragraph.
  const corpusDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../datasets/forecast-stance');
  const read = (name: string) => fs.readFileSync(path.join(corpusDir, name), 'utf8');
  const corpus = parseCorpus({ forecasts: read('forecasts.jsonl'), articles: read('articles.jsonl'), pairs: '' });
  const forecast = corpus.forecasts.get('mil-no-ops-near-alaska')!;
  const own = corpus.articles.get('mil-a030')!;
  const text = [own.body, ...['geo-a103', 'geo-a104', 'geo-a105', 'geo-a108'].map((id) => corpus.articles.get(id)!.body)].join('\n\n');
  const summary = own.body.slice(0, 200);
  let database: Database;
  beforeAll(async () => {
    database = await createTestDb();
    const [feed] = await syncFeeds(database.db, [{ url: 'https://wire.example/rss' }]);
    const now = new Date('2026-03-01T00:00:00Z');
    const item = {
      key: 'alaska',
      title: own.title,
      titleKey: own.title.toLowerCase(),
      summary,
      text,
      publishedAt: now,
    };
    await storeFeedItems(database.db, feed!.id, [item], { nextCheckAt: now }, now);
    await syncPredictions(database.db, [
      { id: forecast.id, statement: forecast.statement, record: { signposts: forecast.signposts ?? [] } },
    ]);
  });
  afterAll(async () => database?.close());

  it('is judged by its full text, part by part, and the ledger quotes it', async () => {
    // What the worker does with a full text is under test here, not where the models put its relevance or
    // which part they find most relevant: those move with every retrain, so the threshold is set low.
    // 2.23.0 related this item; 2.24.0 put it at 0.36 part by part, dated after the forecast's deadline,
    // and read it as undermining; 2.25.0 puts it at 0.29 and reads it as confirming, its most relevant part
    // no longer the first. The parts against the whole, at the committed threshold, are tested in
    // the scoring package's scorer.test.ts, and measured over the corpus's dev split by
    // scripts/robustness-probe.ts.
    const scorer = createScorer({ relatedThreshold: 0.25 });
    const run = await scorePendingArticles(database.db, scorer);
    expect(run).toMatchObject({ pairs: 1, judgments: 1 });
    const [entry] = await listLedger(database.db, { scorer: scorer.id });
    expect(entry?.stance).not.toBe('unrelated');
    expect(entry!.evidence.length).toBeGreaterThan(0);
    // Quoted from the full text the feed carried, not from its 200-character summary.
    for (const e of entry!.evidence) expect(`${own.title}\n${text}`).toContain(e.text);
    expect(entry!.evidence.some((e) => !summary.includes(e.text))).toBe(true);
  });
});
