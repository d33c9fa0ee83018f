/**
 * A batch of the worker's scoring as a pure function: articles in id order, each prepared once and
 * judged against every forecast whose watermark lies before it. The worker runs it on a pool of
 * threads (apps/worker/src/pipeline/scoring-pool.ts) or inline; either way the same judgments come out.
 */
import type { Scorer } from './scorer.ts';
import type { Judgment, ScorableArticle, ScorableClaim } from './types.ts';

/** A forecast as a batch sees it: judged only against articles with a higher id than `throughArticleId`. */
export interface BatchClaim {
  claim: ScorableClaim;
  throughArticleId: number;
}

export interface BatchArticle {
  id: number;
  article: ScorableArticle;
}

/**
 * One article's judgments: `judgments[k]` belongs to the claim `claims[k]` refers to. Only related
 * judgments travel (unrelated ones are never stored); `pairs` counts every pair judged.
 */
export interface ArticleJudgments {
  articleId: number;
  /** Indexes into the batch's claims of every claim judged against this article, in claim order. */
  claims: number[];
  /** The related judgments, by claim index (unrelated pairs are absent). */
  related: Record<number, Judgment>;
}

/** Judges one article against the claims that have not yet reached it (the article is prepared once). */
export function scoreArticleAgainstClaims(scorer: Scorer, claims: readonly BatchClaim[], article: BatchArticle): ArticleJudgments {
  const out: ArticleJudgments = { articleId: article.id, claims: [], related: {} };
  let prepared: ReturnType<Scorer['prepareArticle']> | undefined;
  claims.forEach((c, k) => {
    if (c.throughArticleId >= article.id) return;
    prepared ??= scorer.prepareArticle(article.article);
    const judgment = scorer.score(c.claim, prepared);
    out.claims.push(k);
    if (judgment.stance !== 'unrelated') out.related[k] = judgment;
  });
  return out;
}

/** Judges every article of a batch (see scoreArticleAgainstClaims), in the articles' order. */
export function scoreArticleBatch(scorer: Scorer, claims: readonly BatchClaim[], articles: readonly BatchArticle[]): ArticleJudgments[] {
  return articles.map((a) => scoreArticleAgainstClaims(scorer, claims, a));
}
