import { eq, inArray, sql } from 'drizzle-orm';
import type { ResolutionStatus } from '@signpost/vocabulary';
import { queryRows, type Db } from '../create-db.ts';
import { articles, resolutionOverrides } from '../schema.ts';

export interface EvidenceArticle {
  id: number;
  url: string | null;
  title: string;
  publishedAt: Date;
  language: string | null;
  feeds: { id: number; title: string | null; url: string }[];
}

/** Articles by id with the feeds each came from (the evidence list's article side). */
export async function listArticlesByIds(db: Db, ids: number[]): Promise<Map<number, EvidenceArticle>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db
    .select({
      id: articles.id,
      url: articles.url,
      title: articles.title,
      publishedAt: articles.publishedAt,
      language: articles.language,
      feeds: sql<
        EvidenceArticle['feeds']
      >`(select coalesce(json_agg(json_build_object('id', f.id, 'title', f.title, 'url', f.url) order by f.id), '[]'::json)
        from article_sources s join feeds f on f.id = s.feed_id where s.article_id = "articles"."id")`,
    })
    .from(articles)
    .where(inArray(articles.id, unique));
  return new Map(rows.map((r) => [Number(r.id), { ...r, id: Number(r.id), publishedAt: new Date(r.publishedAt) }]));
}

export interface ReviewItem {
  judgmentId: number;
  articleId: number;
  predictionId: string;
  statement: string;
  stance: string;
  confidence: number;
  evidence: { text: string; stance: string }[];
  title: string;
  url: string | null;
  publishedAt: Date;
}

/**
 * Judgments by the current scorer (for the forecast's current wording) that the scorer was unsure
 * of, confidence in [minConfidence, maxConfidence), that no analyst has ruled on; newest first.
 */
export async function listReviewQueue(
  db: Db,
  options: { scorer: string; minConfidence: number; maxConfidence: number; limit?: number },
): Promise<ReviewItem[]> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
  const rows = await queryRows<{
    id: string | number;
    article_id: string | number;
    prediction_id: string;
    statement: string;
    stance: string;
    confidence: number;
    evidence: ReviewItem['evidence'] | null;
    title: string;
    url: string | null;
    published_at: string | Date;
  }>(
    db,
    sql`select j.id, j.article_id, j.prediction_id, p.statement, j.stance, j.confidence, j.evidence, a.title, a.url, a.published_at
      from judgments j
      join predictions p on p.id = j.prediction_id and p.state = 'active'
      join articles a on a.id = j.article_id
      where j.scorer = ${options.scorer} and j.claim_hash = p.claim_hash
        and j.confidence >= ${options.minConfidence} and j.confidence < ${options.maxConfidence}
        and not exists (select 1 from overrides o where o.article_id = j.article_id and o.prediction_id = j.prediction_id)
      order by a.published_at desc, j.id desc
      limit ${limit}`,
  );
  return rows.map((r) => ({
    judgmentId: Number(r.id),
    articleId: Number(r.article_id),
    predictionId: r.prediction_id,
    statement: r.statement,
    stance: r.stance,
    confidence: Number(r.confidence),
    evidence: r.evidence ?? [],
    title: r.title,
    url: r.url,
    publishedAt: new Date(r.published_at),
  }));
}

/** Whether an article with this id is stored. */
export async function hasArticle(db: Db, id: number): Promise<boolean> {
  const rows = await db.select({ id: articles.id }).from(articles).where(eq(articles.id, id)).limit(1);
  return rows.length > 0;
}

export interface ResolutionOverride {
  predictionId: string;
  status: ResolutionStatus;
  date: string | null;
  note: string | null;
  updatedAt: Date;
}

/** Records an analyst's resolution of a forecast; it wins over the record's own. */
export async function setResolutionOverride(
  db: Db,
  input: { predictionId: string; status: ResolutionOverride['status']; date?: string | null; note?: string | null },
  now = new Date(),
): Promise<void> {
  const values = { status: input.status, date: input.date ?? null, note: input.note ?? null, updatedAt: now };
  await db
    .insert(resolutionOverrides)
    .values({ predictionId: input.predictionId, ...values })
    .onConflictDoUpdate({ target: resolutionOverrides.predictionId, set: values });
}

/** Every dashboard-set resolution, by forecast id. */
export async function listResolutionOverrides(db: Db): Promise<Map<string, ResolutionOverride>> {
  const rows = await db.select().from(resolutionOverrides);
  return new Map(rows.map((r) => [r.predictionId, { ...r, status: r.status as ResolutionStatus }]));
}
