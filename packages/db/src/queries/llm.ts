/**
 * The language model's queue, answer cache and judgments (issue #17). The model stage of a cycle
 * queues candidate pairs (enqueueLlmCandidates, one transaction with its watermark), leases a
 * budget's worth (leaseLlmWork), and settles each pair in one transaction: judged (judgment,
 * cached answer, queue row), fallen back (unusable answer: the built-in judgment stands), or
 * released for a later cycle (endpoint down). Nothing is lost between those steps: a crash leaves a
 * leased row that the lease's end makes available again.
 */
import { and, eq, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../create-db.ts';
import { judgments, llmAnswers, llmQueue, scoringProgress } from '../schema.ts';
import type { JudgmentInput } from './judgments.ts';

export interface LlmCandidate {
  articleId: number;
  predictionId: string;
  claimHash: string;
  relevance: number;
}

/**
 * Queues candidate pairs for the model and moves the candidate watermark (scoring_progress under
 * `watermark`) in one transaction: every article up to the watermark has been considered once.
 */
export async function enqueueLlmCandidates(
  db: Db,
  input: {
    scorer: string;
    watermark: string;
    candidates: LlmCandidate[];
    progress: { predictionId: string; claimHash: string; throughArticleId: number }[];
  },
  now = new Date(),
): Promise<void> {
  await db.transaction(async (tx) => {
    for (let i = 0; i < input.candidates.length; i += 1000) {
      await tx
        .insert(llmQueue)
        .values(input.candidates.slice(i, i + 1000).map((c) => ({ ...c, scorer: input.scorer, createdAt: now, updatedAt: now })))
        .onConflictDoNothing();
    }
    for (const p of input.progress) {
      await tx
        .insert(scoringProgress)
        .values({
          predictionId: p.predictionId,
          scorer: input.watermark,
          claimHash: p.claimHash,
          throughArticleId: p.throughArticleId,
          updatedAt: now,
        })
        .onConflictDoUpdate({
          target: [scoringProgress.predictionId, scoringProgress.scorer, scoringProgress.claimHash],
          set: { throughArticleId: sql`greatest(${scoringProgress.throughArticleId}, ${p.throughArticleId})`, updatedAt: now },
        });
    }
  });
}

export interface LlmWorkItem {
  queueId: number;
  articleId: number;
  predictionId: string;
  claimHash: string;
  relevance: number;
  attempts: number;
  statement: string;
  record: Record<string, unknown>;
  title: string;
  text: string | null;
  summary: string | null;
  publishedAt: Date;
}

/**
 * Leases up to `limit` queued pairs of an active forecast whose claim is unchanged, newest articles
 * first (then the most relevant): fresh news is judged first when the budget is short. Rows of a
 * reworded or retired forecast are left alone (the new claim is queued afresh).
 */
export async function leaseLlmWork(
  db: Db,
  input: { scorer: string; limit: number; leaseMs: number },
  now = new Date(),
): Promise<LlmWorkItem[]> {
  if (input.limit <= 0) return [];
  const until = new Date(now.getTime() + input.leaseMs).toISOString();
  const rows = await queryRows<{
    id: string | number;
    article_id: string | number;
    prediction_id: string;
    claim_hash: string;
    relevance: number;
    attempts: number;
    statement: string;
    record: Record<string, unknown>;
    title: string;
    text: string | null;
    summary: string | null;
    published_at: string | Date;
  }>(
    db,
    sql`
    with picked as (
      select q.id from llm_queue q
      join predictions p on p.id = q.prediction_id and p.claim_hash = q.claim_hash and p.state = 'active'
      where q.scorer = ${input.scorer} and q.status = 'queued'
        and (q.lease_until is null or q.lease_until < ${now.toISOString()}::timestamptz)
      order by q.article_id desc, q.relevance desc
      limit ${input.limit}
      for update of q skip locked
    ), leased as (
      update llm_queue q set lease_until = ${until}::timestamptz, updated_at = ${now.toISOString()}::timestamptz
      from picked where q.id = picked.id
      returning q.id, q.article_id, q.prediction_id, q.claim_hash, q.relevance, q.attempts
    )
    select l.*, p.statement, p.record, a.title, a.text, a.summary, a.published_at
    from leased l join predictions p on p.id = l.prediction_id join articles a on a.id = l.article_id
    order by l.article_id desc, l.relevance desc`,
  );
  return rows.map((r) => ({
    queueId: Number(r.id),
    articleId: Number(r.article_id),
    predictionId: r.prediction_id,
    claimHash: r.claim_hash,
    relevance: Number(r.relevance),
    attempts: r.attempts,
    statement: r.statement,
    record: r.record,
    title: r.title,
    text: r.text,
    summary: r.summary,
    publishedAt: new Date(r.published_at),
  }));
}

export interface LlmAnswerRow {
  claimKey: string;
  articleKey: string;
  scorer: string;
  /** judged | invalid */
  status: 'judged' | 'invalid';
  stance: string | null;
  confidence: number | null;
  evidence: string[];
  reason: string | null;
  promptTokens: number;
  completionTokens: number;
}

/** The cached answer for exactly this prompt, if the model was asked before. */
export async function getLlmAnswer(db: Db, key: { claimKey: string; articleKey: string; scorer: string }): Promise<LlmAnswerRow | null> {
  const [row] = await db
    .select()
    .from(llmAnswers)
    .where(and(eq(llmAnswers.claimKey, key.claimKey), eq(llmAnswers.articleKey, key.articleKey), eq(llmAnswers.scorer, key.scorer)));
  if (!row) return null;
  return { ...row, status: row.status as LlmAnswerRow['status'] };
}

/**
 * Settles one leased pair in one transaction: caches the answer (when new), stores the judgment
 * (when the answer was usable) and marks the queue row judged or fallback.
 */
export async function settleLlmWork(
  db: Db,
  input: { queueId: number; answer: LlmAnswerRow | null; judgment: (JudgmentInput & { reason?: string | null }) | null; problem?: string },
  now = new Date(),
): Promise<void> {
  await db.transaction(async (tx) => {
    if (input.answer)
      await tx
        .insert(llmAnswers)
        .values({ ...input.answer, createdAt: now })
        .onConflictDoNothing();
    if (input.judgment) {
      await tx
        .insert(judgments)
        .values({ ...input.judgment, signposts: input.judgment.signposts ?? null, reason: input.judgment.reason ?? null, createdAt: now })
        .onConflictDoNothing();
    }
    await tx
      .update(llmQueue)
      .set({ status: input.judgment ? 'judged' : 'fallback', lastError: input.problem ?? null, leaseUntil: null, updatedAt: now })
      .where(eq(llmQueue.id, input.queueId));
  });
}

/** Gives a leased pair back to the queue (the endpoint did not answer, or the budget ran out). */
export async function releaseLlmWork(db: Db, input: { queueId: number; problem?: string }, now = new Date()): Promise<void> {
  await db
    .update(llmQueue)
    .set({
      leaseUntil: null,
      updatedAt: now,
      ...(input.problem ? { attempts: sql`${llmQueue.attempts} + 1`, lastError: input.problem } : {}),
    })
    .where(eq(llmQueue.id, input.queueId));
}

/**
 * How many pairs are queued, judged and fallen back for a model scorer (for summaries). Queued rows
 * of a reworded or retired forecast are not counted: they wait for nothing (the new claim has its own).
 */
export async function countLlmQueue(db: Db, scorer: string): Promise<{ queued: number; judged: number; fallback: number }> {
  const rows = await queryRows<{ status: string; n: number }>(
    db,
    sql`select q.status, count(*)::int as n from ${llmQueue} q
        left join predictions p on p.id = q.prediction_id and p.claim_hash = q.claim_hash and p.state = 'active'
        where q.scorer = ${scorer} and (q.status <> 'queued' or p.id is not null)
        group by q.status`,
  );
  const out = { queued: 0, judged: 0, fallback: 0 };
  for (const r of rows) if (r.status in out) out[r.status as keyof typeof out] = Number(r.n);
  return out;
}

export interface PairJudgment {
  articleId: number;
  scorer: string;
  stance: string;
  confidence: number;
  evidence: { text: string; stance: string }[];
  reason: string | null;
}

/**
 * Every scorer's judgment of a forecast's current claim, article by article (built-in and model
 * side by side, for the forecast page). Only articles judged by more than one scorer are returned.
 */
export async function listJudgmentPairs(db: Db, predictionId: string): Promise<Map<number, PairJudgment[]>> {
  const rows = await queryRows<{
    article_id: string | number;
    scorer: string;
    stance: string;
    confidence: number;
    evidence: PairJudgment['evidence'] | null;
    reason: string | null;
  }>(
    db,
    sql`
    select j.article_id, j.scorer, j.stance, j.confidence, j.evidence, j.reason
    from ${judgments} j join predictions p on p.id = j.prediction_id and p.claim_hash = j.claim_hash
    where j.prediction_id = ${predictionId}
      and j.article_id in (
        select j2.article_id from ${judgments} j2 join predictions p2 on p2.id = j2.prediction_id and p2.claim_hash = j2.claim_hash
        where j2.prediction_id = ${predictionId} and j2.scorer like 'llm:%')
    order by j.article_id, j.scorer`,
  );
  const out = new Map<number, PairJudgment[]>();
  for (const r of rows) {
    const id = Number(r.article_id);
    const list = out.get(id) ?? [];
    list.push({
      articleId: id,
      scorer: r.scorer,
      stance: r.stance,
      confidence: Number(r.confidence),
      evidence: r.evidence ?? [],
      reason: r.reason,
    });
    out.set(id, list);
  }
  return out;
}
