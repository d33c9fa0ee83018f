/**
 * Seeds a database with the real forecasts (data/predictions.yaml) and the plausible articles in
 * testdata/articles.json, judged by the real scorer: for browser tests, the screenshot and demos.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  listScoringClaims,
  readArticlesAfter,
  recordFeedError,
  setOverride,
  storeFeedItems,
  storeScoringBatch,
  syncFeeds,
  syncPredictions,
  type ArticleInput,
  type Db,
  type JudgmentInput,
} from '@signpost/db';
import { loadPredictions } from '@signpost/config';
import { SCORER_ID, createScorer } from '@signpost/scoring';
import { refreshStandings } from '@signpost/ledger';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoDataDir = path.resolve(here, '../../../data');

interface SeedFile {
  feeds: { url: string; title: string; language: string }[];
  articles: { feed: number; published: string; title: string; text: string; url?: string }[];
}

export function readSeedFile(): SeedFile {
  return JSON.parse(fs.readFileSync(path.join(here, '../testdata/articles.json'), 'utf8')) as SeedFile;
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'item'
  );
}

/** Judges every stored article against every forecast with the real scorer, as the worker does. */
export async function scoreAll(db: Db, now: Date): Promise<number> {
  const scorer = createScorer();
  let stored = 0;
  for (;;) {
    const claims = await listScoringClaims(db, scorer.id);
    if (claims.length === 0) return stored;
    const from = Math.min(...claims.map((c) => c.throughArticleId));
    const articles = await readArticlesAfter(db, from, 200);
    if (articles.length === 0) return stored;
    const judgments: JudgmentInput[] = [];
    for (const a of articles) {
      const prepared = scorer.prepareArticle({
        title: a.title,
        body: a.text ?? a.summary ?? '',
        published: a.publishedAt.toISOString().slice(0, 10),
      });
      for (const c of claims.filter((x) => x.throughArticleId < a.id)) {
        const record = c.record as { keywords?: string[]; signposts?: { text: string; direction: 'holds' | 'fails' }[] };
        const j = scorer.score(
          { id: c.predictionId, statement: c.statement, keywords: record.keywords, signposts: record.signposts },
          prepared,
        );
        if (j.stance === 'unrelated') continue;
        judgments.push({
          articleId: a.id,
          predictionId: c.predictionId,
          scorer: scorer.id,
          claimHash: c.claimHash,
          stance: j.stance,
          relevance: j.relevance,
          confidence: j.confidence,
          evidence: j.evidence,
          signposts: j.signposts ?? null,
        });
      }
    }
    const through = articles[articles.length - 1]!.id;
    await storeScoringBatch(
      db,
      {
        scorer: scorer.id,
        judgments,
        progress: claims.map((c) => ({ predictionId: c.predictionId, claimHash: c.claimHash, throughArticleId: through })),
      },
      now,
    );
    stored += judgments.length;
  }
}

export interface SeedOptions {
  now: Date;
  dataDir?: string;
  /** Extra articles (e.g. hostile titles for the XSS test), stored in the first feed. */
  extra?: ArticleInput[];
}

export async function seedDashboard(db: Db, options: SeedOptions) {
  const { predictions, problems } = await loadPredictions(options.dataDir ?? repoDataDir);
  if (problems.length) throw new Error(`seed: data/predictions.yaml has problems: ${problems.map((p) => p.message).join('; ')}`);
  await syncPredictions(
    db,
    predictions.map((p) => ({ id: p.id, statement: p.statement, record: p as unknown as Record<string, unknown> })),
    new Date('2024-01-01T00:00:00Z'),
  );
  const seed = readSeedFile();
  const feeds = await syncFeeds(
    db,
    seed.feeds.map((f) => ({ url: f.url, title: f.title, language: f.language })),
    options.now,
  );
  const feedId = new Map(feeds.map((f) => [f.url, f.id]));
  const articleIds = new Map<string, number>();
  for (const [index, feed] of seed.feeds.entries()) {
    const items: ArticleInput[] = seed.articles
      .filter((a) => a.feed === index)
      .map((a) => ({
        key: `seed:${a.published}:${slug(a.title)}:${a.title.length}`,
        url: a.url ?? `${new URL(feed.url).origin}/news/${a.published}/${slug(a.title)}`,
        title: a.title,
        titleKey: a.title.toLowerCase().replace(/\s+/g, ' ').trim(),
        publishedAt: new Date(`${a.published}T09:00:00Z`),
        summary: a.text,
        text: a.text,
        language: feed.language,
      }));
    if (index === 0 && options.extra) items.push(...options.extra);
    const result = await storeFeedItems(
      db,
      feedId.get(feed.url)!,
      items,
      { nextCheckAt: new Date(options.now.getTime() + 30 * 60_000) },
      options.now,
    );
    result.newIds.forEach((id, i) => articleIds.set(items[i]!.title, id));
  }
  const judgments = await scoreAll(db, options.now);
  // The scorer reads English; an analyst judged the Russian and Chinese reports by hand.
  const byTitle = (start: string) => [...articleIds.entries()].find(([t]) => t.startsWith(start))?.[1];
  const ru = byTitle('Путин и Си');
  const zh = byTitle('中俄贸易额');
  if (ru)
    await setOverride(db, {
      articleId: ru,
      predictionId: 'china-keeps-russia-partnership',
      stance: 'agree',
      note: 'analyst: joint statement on a new era of partnership',
    });
  if (ru) await setOverride(db, { articleId: ru, predictionId: 'sino-russian-bloc-deepens', stance: 'agree' });
  if (zh)
    await setOverride(db, {
      articleId: zh,
      predictionId: 'russia-china-trade-200b-by-2024',
      stance: 'agree',
      note: 'analyst: trade above $200bn two years running',
    });
  await refreshStandings(db, { scorer: SCORER_ID, now: options.now });
  const bbc = feedId.get(seed.feeds[4]!.url)!;
  await recordFeedError(
    db,
    bbc,
    { kind: 'http', message: 'HTTP 503 Service Unavailable', nextCheckAt: new Date(options.now.getTime() + 2 * 3600_000) },
    options.now,
  );
  return { predictions: predictions.length, articles: articleIds.size, judgments, articleIds };
}
