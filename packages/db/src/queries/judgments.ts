import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../create-db.ts';
import { articles, judgments, overrides, predictions, scoringProgress } from '../schema.ts';

export interface ScoringClaim {
  predictionId: string;
  statement: string;
  record: Record<string, unknown>;
  claimHash: string;
  /** Every article with an id up to this one has been judged against this claim by the scorer. */
  throughArticleId: number;
}

/** Active forecasts with how far the given scorer has judged the archive against each. */
export async function listScoringClaims(db: Db, scorer: string, options: { predictionId?: string } = {}): Promise<ScoringClaim[]> {
  return db
    .select({
      predictionId: predictions.id,
      statement: predictions.statement,
      record: predictions.record,
      claimHash: predictions.claimHash,
      throughArticleId: sql<number>`coalesce(${scoringProgress.throughArticleId}, 0)`.mapWith(Number),
    })
    .from(predictions)
    .leftJoin(
      scoringProgress,
      and(eq(scoringProgress.predictionId, predictions.id), eq(scoringProgress.scorer, scorer), eq(scoringProgress.claimHash, predictions.claimHash)),
    )
    .where(and(eq(predictions.state, 'active'), options.predictionId ? eq(predictions.id, options.predictionId) : undefined))
    .orderBy(asc(predictions.id));
}

export interface ArticleForScoring {
  id: number;
  title: string;
  summary: string | null;
  text: string | null;
  publishedAt: Date;
  language: string | null;
}

/** The next articles after an id, in id order: the unit of work for scoring. */
export async function readArticlesAfter(db: Db, afterId: number, limit: number): Promise<ArticleForScoring[]> {
  return db
    .select({ id: articles.id, title: articles.title, summary: articles.summary, text: articles.text, publishedAt: articles.publishedAt, language: articles.language })
    .from(articles)
    .where(gt(articles.id, afterId))
    .orderBy(asc(articles.id))
    .limit(limit);
}

/** How many articles lie beyond an id (the size of the work left, for progress bars). */
export async function countArticlesAfter(db: Db, afterId: number): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(articles).where(gt(articles.id, afterId));
  return row?.n ?? 0;
}

export interface JudgmentInput {
  articleId: number;
  predictionId: string;
  scorer: string;
  claimHash: string;
  stance: string;
  relevance: number;
  confidence: number;
  evidence: { text: string; stance: string }[];
  signposts?: { index: number; stance: string }[] | null;
}

/**
 * Stores a batch of judgments and advances the scorer's watermark for each claim, in one
 * transaction: an interrupted run leaves no duplicates (unique key) and no gaps (the watermark
 * moves only with the judgments it covers).
 */
export async function storeScoringBatch(
  db: Db,
  batch: { scorer: string; judgments: JudgmentInput[]; progress: { predictionId: string; claimHash: string; throughArticleId: number }[] },
  now = new Date(),
): Promise<void> {
  await db.transaction(async (tx) => {
    if (batch.judgments.length) {
      await tx
        .insert(judgments)
        .values(batch.judgments.map((j) => ({ ...j, signposts: j.signposts ?? null, createdAt: now })))
        .onConflictDoNothing();
    }
    for (const p of batch.progress) {
      await tx
        .insert(scoringProgress)
        .values({ predictionId: p.predictionId, scorer: batch.scorer, claimHash: p.claimHash, throughArticleId: p.throughArticleId, updatedAt: now })
        .onConflictDoUpdate({
          target: [scoringProgress.predictionId, scoringProgress.scorer, scoringProgress.claimHash],
          set: { throughArticleId: sql`greatest(${scoringProgress.throughArticleId}, ${p.throughArticleId})`, updatedAt: now },
        });
    }
  });
}

export interface LedgerEntry {
  predictionId: string;
  articleId: number;
  stance: 'agree' | 'disagree' | 'discuss' | 'unrelated';
  confidence: number;
  relevance: number;
  publishedAt: Date;
  titleKey: string;
  scorer: string | null;
  overridden: boolean;
  evidence: { text: string; stance: string }[];
  signposts: { index: number; stance: string }[] | null;
}

/**
 * The evidence ledger as it stands: for each (forecast, article), the current scorer's judgment
 * where it has reached the article, else the newest older judgment; an analyst's override wins.
 */
export async function listLedger(db: Db, options: { scorer: string; predictionId?: string }): Promise<LedgerEntry[]> {
  const rows = await queryRows<{
    prediction_id: string;
    article_id: string | number;
    stance: LedgerEntry['stance'];
    confidence: number;
    relevance: number;
    published_at: string | Date;
    title_key: string;
    scorer: string | null;
    overridden: boolean;
    evidence: LedgerEntry['evidence'] | null;
    signposts: LedgerEntry['signposts'];
  }>(
    db,
    sql`
    with effective as (
      select distinct on (j.article_id, j.prediction_id)
        j.article_id, j.prediction_id, j.stance, j.confidence, j.relevance, j.scorer, j.evidence, j.signposts
      from ${judgments} j
      join ${predictions} p on p.id = j.prediction_id
      left join ${scoringProgress} sp
        on sp.prediction_id = p.id and sp.scorer = ${options.scorer} and sp.claim_hash = p.claim_hash
      where (${options.predictionId ?? null}::text is null or j.prediction_id = ${options.predictionId ?? null})
        and ((j.scorer = ${options.scorer} and j.claim_hash = p.claim_hash)
             or j.article_id > coalesce(sp.through_article_id, 0))
      order by j.article_id, j.prediction_id,
        (j.scorer = ${options.scorer} and j.claim_hash = p.claim_hash) desc, j.created_at desc, j.id desc
    )
    select coalesce(e.prediction_id, o.prediction_id) as prediction_id,
           coalesce(e.article_id, o.article_id) as article_id,
           coalesce(o.stance, e.stance) as stance,
           case when o.stance is not null then 1 else e.confidence end as confidence,
           case when o.stance is not null then 1 else e.relevance end as relevance,
           a.published_at, a.title_key, e.scorer,
           (o.stance is not null) as overridden,
           e.evidence, e.signposts
    from effective e
    full outer join (
      select * from ${overrides}
      where ${options.predictionId ?? null}::text is null or prediction_id = ${options.predictionId ?? null}
    ) o on o.article_id = e.article_id and o.prediction_id = e.prediction_id
    join ${articles} a on a.id = coalesce(e.article_id, o.article_id)
    order by a.published_at, a.id`,
  );
  return rows.map((r) => ({
    predictionId: r.prediction_id,
    articleId: Number(r.article_id),
    stance: r.stance,
    confidence: Number(r.confidence),
    relevance: Number(r.relevance),
    publishedAt: new Date(r.published_at),
    titleKey: r.title_key,
    scorer: r.scorer,
    overridden: r.overridden,
    evidence: r.evidence ?? [],
    signposts: r.signposts,
  }));
}

/** An analyst's verdict on one (article, forecast) pair; replaces any earlier one. */
export async function setOverride(db: Db, input: { articleId: number; predictionId: string; stance: string; note?: string | null }, now = new Date()) {
  await db
    .insert(overrides)
    .values({ ...input, note: input.note ?? null, createdAt: now })
    .onConflictDoUpdate({ target: [overrides.articleId, overrides.predictionId], set: { stance: input.stance, note: input.note ?? null, createdAt: now } });
}
