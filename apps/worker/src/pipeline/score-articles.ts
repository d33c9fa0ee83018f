import { listScoringClaims, readArticlesAfter, storeScoringBatch, type Db, type JudgmentInput, type ScoringClaim } from '@signpost/db';
import { capMatches, type CapOptions, type Judgment, type ScorableClaim, type Scorer } from '@signpost/scoring';

export interface ScoreProgress {
  /** Articles read and (forecast, article) pairs scored so far in this call. */
  articles: number;
  pairs: number;
  /** Judgments stored (every stance but `unrelated`). */
  judgments: number;
  /** True when every active forecast has been judged against every stored article. */
  done: boolean;
}

export interface ScoreOptions {
  /** Only this forecast (backfill --prediction). */
  predictionId?: string;
  /** Articles per transaction. */
  batchSize?: number;
  /** Stop after this much time and leave the rest for the next call (the watermark keeps the place). */
  budgetMs?: number;
  signal?: AbortSignal;
  now?: () => Date;
  onBatch?(progress: ScoreProgress): void;
  /** How many of a batch's articles one forecast may claim (see capMatches); default: a quarter, at least 5. */
  cap?: CapOptions;
}

/** What the scorer reads of a stored forecast. */
export function toScorableClaim(claim: Pick<ScoringClaim, 'predictionId' | 'statement' | 'record'>): ScorableClaim {
  const record = claim.record as { keywords?: string[]; signposts?: ScorableClaim['signposts'] };
  return { id: claim.predictionId, statement: claim.statement, keywords: record.keywords, signposts: record.signposts };
}

/**
 * Judges stored articles against every active forecast the scorer has not yet covered, advancing
 * each forecast's watermark batch by batch. New articles, new or reworded forecasts and a new
 * scorer version are all the same case; an interrupted run resumes where it stopped.
 */
export async function scorePendingArticles(db: Db, scorer: Scorer, options: ScoreOptions = {}): Promise<ScoreProgress> {
  const started = Date.now();
  const batchSize = options.batchSize ?? 200;
  const now = options.now ?? (() => new Date());
  const progress: ScoreProgress = { articles: 0, pairs: 0, judgments: 0, done: false };
  for (;;) {
    if (options.signal?.aborted) return progress;
    const claims = await listScoringClaims(db, scorer.id, { predictionId: options.predictionId });
    if (claims.length === 0) return { ...progress, done: true };
    const from = Math.min(...claims.map((c) => c.throughArticleId));
    const articles = await readArticlesAfter(db, from, batchSize);
    if (articles.length === 0) return { ...progress, done: true };
    const through = articles[articles.length - 1]!.id;
    const scorable = claims.map((c) => ({ claim: c, scorable: toScorableClaim(c), judged: [] as { articleId: number; judgment: Judgment }[] }));
    for (const article of articles) {
      const todo = scorable.filter((c) => c.claim.throughArticleId < article.id);
      if (todo.length === 0) continue;
      const prepared = scorer.prepareArticle({
        title: article.title,
        body: article.text ?? article.summary ?? '',
        published: article.publishedAt.toISOString().slice(0, 10),
      });
      for (const c of todo) {
        c.judged.push({ articleId: article.id, judgment: scorer.score(c.scorable, prepared) });
        progress.pairs++;
      }
    }
    const judgments: JudgmentInput[] = [];
    for (const { claim, judged } of scorable) {
      // A broadly worded forecast must not claim most of a batch: keep its most relevant matches.
      const capped = capMatches(judged.map((j) => j.judgment), options.cap);
      capped.forEach((j, i) => {
        if (j.stance === 'unrelated') return;
        judgments.push({
          articleId: judged[i]!.articleId,
          predictionId: claim.predictionId,
          scorer: scorer.id,
          claimHash: claim.claimHash,
          stance: j.stance,
          relevance: j.relevance,
          confidence: j.confidence,
          evidence: j.evidence,
          signposts: j.signposts ?? null,
        });
      });
    }
    await storeScoringBatch(
      db,
      {
        scorer: scorer.id,
        judgments,
        progress: claims.filter((c) => c.throughArticleId < through).map((c) => ({ predictionId: c.predictionId, claimHash: c.claimHash, throughArticleId: through })),
      },
      now(),
    );
    progress.articles += articles.length;
    progress.judgments += judgments.length;
    options.onBatch?.(progress);
    if (options.budgetMs !== undefined && Date.now() - started >= options.budgetMs) return progress;
  }
}
