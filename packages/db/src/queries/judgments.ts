import { PGlite } from '@electric-sql/pglite';
import { and, asc, eq, gt, lte, sql } from 'drizzle-orm';
import type { Stance } from '@signpost/vocabulary';
import { queryRows, type Db } from '../create-db.ts';
import { articles, judgments, overrides, predictions, scoringFailures, scoringProgress } from '../schema.ts';
import { nextTurn } from '../take-turns.ts';
import { readPreferredScorer } from './settings.ts';

export interface ScoringClaim {
  predictionId: string;
  statement: string;
  record: Record<string, unknown>;
  claimHash: string;
  /** The forecast's adjustment learned from analysts' reviews (`signpost train`), if any. */
  adjustment: { relatedOffset: number; stanceBias: [number, number, number]; reviewed: number } | null;
  /** Every article with an id up to this one has been judged against this claim by the scorer. */
  throughArticleId: number;
}

/** What the scorer reads of a forecast (its watermark is added by each query). */
const scoringClaimColumns = {
  predictionId: predictions.id,
  statement: predictions.statement,
  record: predictions.record,
  claimHash: predictions.claimHash,
  adjustment: predictions.adjustment,
};

/** Active forecasts with how far the given scorer has judged the archive against each. */
export async function listScoringClaims(db: Db, scorer: string, options: { predictionId?: string } = {}): Promise<ScoringClaim[]> {
  return db
    .select({
      ...scoringClaimColumns,
      throughArticleId: sql<number>`coalesce(${scoringProgress.throughArticleId}, 0)`.mapWith(Number),
    })
    .from(predictions)
    .leftJoin(
      scoringProgress,
      and(
        eq(scoringProgress.predictionId, predictions.id),
        eq(scoringProgress.scorer, scorer),
        eq(scoringProgress.claimHash, predictions.claimHash),
      ),
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

/**
 * Rows per statement when a scoring batch reads its articles or stores its judgments. A batch holds
 * up to thousands of articles (megabytes of text) and judgments; on PGlite, which runs each
 * statement on the thread that also serves the dashboard, one statement for all of them held that
 * thread for a few hundred ms (bench/load). Pieces of this size take tens of ms each, and the event
 * loop turns between them (take-turns.ts between reads; nextTurn between a transaction's writes).
 */
export const ROWS_PER_STATEMENT = 250;

/**
 * The next articles after an id (up to `throughId` when given), in id order: the unit of work for
 * scoring. Read ROWS_PER_STATEMENT at a time (the same rows as one read: ids only grow).
 */
export async function readArticlesAfter(db: Db, afterId: number, limit: number, throughId?: number): Promise<ArticleForScoring[]> {
  const rows: ArticleForScoring[] = [];
  let from = afterId;
  while (rows.length < limit) {
    const want = Math.min(ROWS_PER_STATEMENT, limit - rows.length);
    const page = await readArticlePage(db, from, want, throughId);
    rows.push(...page);
    if (page.length < want) break;
    from = page[page.length - 1]!.id;
  }
  return rows;
}

async function readArticlePage(db: Db, afterId: number, limit: number, throughId?: number): Promise<ArticleForScoring[]> {
  return db
    .select({
      id: articles.id,
      title: articles.title,
      summary: articles.summary,
      text: articles.text,
      publishedAt: articles.publishedAt,
      language: articles.language,
    })
    .from(articles)
    .where(and(gt(articles.id, afterId), throughId === undefined ? undefined : lte(articles.id, throughId)))
    .orderBy(asc(articles.id))
    .limit(limit);
}

/** How many articles lie beyond an id (the size of the work left, for progress bars). */
export async function countArticlesAfter(db: Db, afterId: number): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(articles)
    .where(gt(articles.id, afterId));
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

/** A pair the scorer could not judge (its thread crashed, hung or threw on every attempt). */
export interface ScoringFailureInput {
  articleId: number;
  predictionId: string;
  claimHash: string;
  error: string;
  attempts: number;
}

/** One batch's judgments, the pairs it could not judge, and the watermarks they move. */
export interface ScoringBatchWrite {
  judgments: JudgmentInput[];
  /** Recorded with the watermark that passes them, so a pair is judged or on record, never lost. */
  failures?: ScoringFailureInput[];
  progress: { predictionId: string; claimHash: string; throughArticleId: number }[];
}

/**
 * Stores a batch of judgments and advances the scorer's watermark for each claim, in one
 * transaction: an interrupted run leaves no duplicates (unique key) and no gaps (the watermark
 * moves only with the judgments it covers).
 */
export async function storeScoringBatch(db: Db, batch: ScoringBatchWrite & { scorer: string }, now = new Date()): Promise<void> {
  await db.transaction(async (tx) => writeScoringBatch(tx, batch.scorer, batch, now));
}

async function writeScoringBatch(tx: Db, scorer: string, batch: ScoringBatchWrite, now: Date): Promise<void> {
  // Still one transaction (judgments and watermarks commit together), in statements of
  // ROWS_PER_STATEMENT rows with a turn of the event loop between them: on PGlite the transaction
  // keeps the database to itself meanwhile, but requests that need no query are answered.
  for (let i = 0; i < batch.judgments.length; i += ROWS_PER_STATEMENT) {
    if (i > 0) await nextTurn();
    await tx
      .insert(judgments)
      .values(batch.judgments.slice(i, i + ROWS_PER_STATEMENT).map((j) => ({ ...j, signposts: j.signposts ?? null, createdAt: now })))
      .onConflictDoNothing();
  }
  // Chunks of rows: a batch that failed whole is up to a batch's pairs (tens of thousands).
  const failures = batch.failures ?? [];
  for (let i = 0; i < failures.length; i += 1000) {
    await tx
      .insert(scoringFailures)
      .values(failures.slice(i, i + 1000).map((f) => ({ ...f, scorer, createdAt: now })))
      .onConflictDoUpdate({
        target: [scoringFailures.articleId, scoringFailures.predictionId, scoringFailures.scorer, scoringFailures.claimHash],
        set: { error: sql`excluded.error`, attempts: sql`${scoringFailures.attempts} + excluded.attempts`, createdAt: now },
      });
  }
  for (const p of batch.progress) {
    await tx
      .insert(scoringProgress)
      .values({ predictionId: p.predictionId, scorer, claimHash: p.claimHash, throughArticleId: p.throughArticleId, updatedAt: now })
      .onConflictDoUpdate({
        target: [scoringProgress.predictionId, scoringProgress.scorer, scoringProgress.claimHash],
        set: { throughArticleId: sql`greatest(${scoringProgress.throughArticleId}, ${p.throughArticleId})`, updatedAt: now },
      });
  }
}

/**
 * The highest article id below which every id is settled (committed or never to be). Article ids
 * come from a sequence when a feed's transaction inserts, but transactions commit in any order: a
 * worker could see article 60 before another worker's article 50 commits, move its watermark past
 * 50 and never score it. SHARE mode waits for every transaction writing to articles to end and
 * holds new writers back for the instant it takes to read the maximum; ids handed out later are
 * all higher. (PGlite runs one transaction at a time, so there ids commit in order.)
 */
async function readCommittedArticleId(db: Db): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local lock_timeout = '30s'`);
    await tx.execute(sql`lock table ${articles} in share mode`);
    const [row] = await tx.select({ id: sql<string>`coalesce(max(${articles.id}), 0)::text` }).from(articles);
    return Number(row?.id ?? 0);
  });
}

/** True for the embedded database (PGlite: one process, one connection). */
function isEmbedded(db: Db): boolean {
  return (db as unknown as { $client?: unknown }).$client instanceof PGlite;
}

/** What a scoring batch may do while it holds its claims (see withScoringClaims). */
export interface HeldScoringClaims {
  /** The claims this worker holds until the batch ends, by forecast id. */
  claims: ScoringClaim[];
  /** Active claims of this scorer that another worker is scoring at this moment (skipped). */
  busy: number;
  readArticlesAfter(afterId: number, limit: number): Promise<ArticleForScoring[]>;
  /** Stores the judgments and moves the watermarks; committed when the batch's callback returns. */
  store(batch: ScoringBatchWrite, now?: Date): Promise<void>;
}

/**
 * Runs one scoring batch with the scorer's claims held exclusively, so that several workers on one
 * PostgreSQL never score the same (forecast, article) pair twice. The claims' scoring_progress rows
 * are locked (FOR UPDATE SKIP LOCKED) in a transaction that also reads the articles and stores the
 * judgments with the watermark: another worker skips the claims meanwhile and, once this commits,
 * reads the moved watermark. A worker that dies mid-batch rolls back and frees the rows at once
 * (no lease to expire).
 *
 * On PGlite (one process, nobody to contend with) nothing is held: a PGlite transaction would make
 * every other query of the process, the dashboard's, wait while the batch is scored. The batch
 * then stores in a short transaction of its own, as storeScoringBatch does.
 *
 * Everything inside `work` must go through the handle it gets, not through `db`.
 */
export async function withScoringClaims<T>(
  db: Db,
  scorer: string,
  options: { predictionId?: string; now?: Date },
  work: (held: HeldScoringClaims) => Promise<T>,
): Promise<T> {
  if (isEmbedded(db)) {
    return work({
      claims: await listScoringClaims(db, scorer, options),
      busy: 0,
      readArticlesAfter: (afterId, limit) => readArticlesAfter(db, afterId, limit),
      store: (batch, now = new Date()) => storeScoringBatch(db, { ...batch, scorer }, now),
    });
  }
  const onlyOne = options.predictionId ? eq(predictions.id, options.predictionId) : undefined;
  // A claim needs its row to be locked: create the missing ones. Rows that exist are filtered out
  // first (NOT EXISTS reads the snapshot), since ON CONFLICT alone would wait for a row another
  // worker's batch has updated but not yet committed.
  await db
    .insert(scoringProgress)
    .select(
      db
        .select({
          predictionId: predictions.id,
          scorer: sql<string>`${scorer}::text`.as('scorer'),
          claimHash: predictions.claimHash,
          throughArticleId: sql<number>`0::bigint`.as('through_article_id'),
          updatedAt: sql<Date>`${(options.now ?? new Date()).toISOString()}::timestamptz`.as('updated_at'),
        })
        .from(predictions)
        .where(
          and(
            eq(predictions.state, 'active'),
            onlyOne,
            sql`not exists (select 1 from ${scoringProgress} sp where sp.prediction_id = ${predictions.id} and sp.scorer = ${scorer} and sp.claim_hash = ${predictions.claimHash})`,
          ),
        ),
    )
    .onConflictDoNothing();
  const committed = await readCommittedArticleId(db);
  return db.transaction(async (tx) => {
    const claims = await tx
      .select({ ...scoringClaimColumns, throughArticleId: scoringProgress.throughArticleId })
      .from(scoringProgress)
      .innerJoin(predictions, and(eq(predictions.id, scoringProgress.predictionId), eq(predictions.claimHash, scoringProgress.claimHash)))
      .where(and(eq(scoringProgress.scorer, scorer), eq(predictions.state, 'active'), onlyOne))
      .orderBy(asc(predictions.id))
      .for('update', { of: scoringProgress, skipLocked: true });
    const [active] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(predictions)
      .where(and(eq(predictions.state, 'active'), onlyOne));
    return work({
      claims: claims.map((c) => ({ ...c, throughArticleId: Number(c.throughArticleId) })),
      busy: Math.max(0, (active?.n ?? 0) - claims.length),
      readArticlesAfter: (afterId, limit) => readArticlesAfter(tx, afterId, limit, committed),
      store: (batch, now = new Date()) => writeScoringBatch(tx, scorer, batch, now),
    });
  });
}

export interface ScoringFailure extends ScoringFailureInput {
  scorer: string;
  createdAt: Date;
}

/** The pairs recorded as failed (newest first), for one scorer and/or forecast when given. */
export async function listScoringFailures(
  db: Db,
  options: { scorer?: string; predictionId?: string; limit?: number } = {},
): Promise<ScoringFailure[]> {
  return db
    .select({
      articleId: scoringFailures.articleId,
      predictionId: scoringFailures.predictionId,
      scorer: scoringFailures.scorer,
      claimHash: scoringFailures.claimHash,
      error: scoringFailures.error,
      attempts: scoringFailures.attempts,
      createdAt: scoringFailures.createdAt,
    })
    .from(scoringFailures)
    .where(
      and(
        options.scorer ? eq(scoringFailures.scorer, options.scorer) : undefined,
        options.predictionId ? eq(scoringFailures.predictionId, options.predictionId) : undefined,
      ),
    )
    .orderBy(sql`${scoringFailures.createdAt} desc`, asc(scoringFailures.articleId), asc(scoringFailures.predictionId))
    .limit(options.limit ?? 10_000);
}

export interface LedgerEntry {
  predictionId: string;
  articleId: number;
  stance: Stance;
  confidence: number;
  relevance: number;
  publishedAt: Date;
  titleKey: string;
  scorer: string | null;
  overridden: boolean;
  evidence: { text: string; stance: string }[];
  signposts: { index: number; stance: string }[] | null;
  /** When the evidence was found: the judgment stored (or, with no judgment, the analyst's verdict). */
  foundAt: Date;
}

/**
 * The evidence ledger as it stands: for each (forecast, article), the current scorer's judgment
 * where it has reached the article, else the newest older judgment; an analyst's override wins.
 * With a preferred scorer (a language model's id, SIGNPOST_JUDGE=llm), its judgment of the current
 * claim counts wherever it exists, the built-in one elsewhere. `prefer` unset reads the setting the
 * worker records (setPreferredScorer); null means the built-in scorer.
 */
export async function listLedger(
  db: Db,
  options: { scorer: string; predictionId?: string; prefer?: string | null },
): Promise<LedgerEntry[]> {
  const prefer = options.prefer === undefined ? await readPreferredScorer(db) : options.prefer;
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
    found_at: string | Date;
  }>(
    db,
    sql`
    with effective as (
      select distinct on (j.article_id, j.prediction_id)
        j.article_id, j.prediction_id, j.stance, j.confidence, j.relevance, j.scorer, j.evidence, j.signposts, j.created_at
      from ${judgments} j
      join ${predictions} p on p.id = j.prediction_id
      left join ${scoringProgress} sp
        on sp.prediction_id = p.id and sp.scorer = ${options.scorer} and sp.claim_hash = p.claim_hash
      where (${options.predictionId ?? null}::text is null or j.prediction_id = ${options.predictionId ?? null})
        and ((j.scorer = ${options.scorer} and j.claim_hash = p.claim_hash)
             or (j.scorer = ${prefer}::text and j.claim_hash = p.claim_hash)
             or j.article_id > coalesce(sp.through_article_id, 0))
        -- A model's judgments count only when it is the judge that counts (never as an older version).
        and (j.scorer not like 'llm:%' or j.scorer = ${prefer}::text)
      order by j.article_id, j.prediction_id,
        (j.scorer = ${prefer}::text and j.claim_hash = p.claim_hash) is true desc,
        (j.scorer = ${options.scorer} and j.claim_hash = p.claim_hash) desc, j.created_at desc, j.id desc
    )
    select coalesce(e.prediction_id, o.prediction_id) as prediction_id,
           coalesce(e.article_id, o.article_id) as article_id,
           coalesce(o.stance, e.stance) as stance,
           case when o.stance is not null then 1 else e.confidence end as confidence,
           case when o.stance is not null then 1 else e.relevance end as relevance,
           a.published_at, a.title_key, e.scorer,
           (o.stance is not null) as overridden,
           e.evidence, e.signposts, coalesce(e.created_at, o.created_at) as found_at
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
    foundAt: new Date(r.found_at),
  }));
}

/** An analyst's verdict on one (article, forecast) pair; replaces any earlier one. */
export async function setOverride(
  db: Db,
  input: { articleId: number; predictionId: string; stance: string; note?: string | null },
  now = new Date(),
) {
  await db
    .insert(overrides)
    .values({ ...input, note: input.note ?? null, createdAt: now })
    .onConflictDoUpdate({
      target: [overrides.articleId, overrides.predictionId],
      set: { stance: input.stance, note: input.note ?? null, createdAt: now },
    });
}

export interface ReviewedPair {
  predictionId: string;
  statement: string;
  record: Record<string, unknown>;
  article: ArticleForScoring;
  /** The analyst's stance. */
  stance: string;
}

/** Every analyst verdict on an active forecast, with the forecast and the article, for `signpost train`. */
export async function listReviewedPairs(db: Db): Promise<ReviewedPair[]> {
  const rows = await db
    .select({
      predictionId: predictions.id,
      statement: predictions.statement,
      record: predictions.record,
      stance: overrides.stance,
      id: articles.id,
      title: articles.title,
      summary: articles.summary,
      text: articles.text,
      publishedAt: articles.publishedAt,
      language: articles.language,
    })
    .from(overrides)
    .innerJoin(predictions, eq(predictions.id, overrides.predictionId))
    .innerJoin(articles, eq(articles.id, overrides.articleId))
    .where(eq(predictions.state, 'active'))
    .orderBy(asc(predictions.id), asc(articles.id));
  return rows.map(({ predictionId, statement, record, stance, ...article }) => ({ predictionId, statement, record, stance, article }));
}
