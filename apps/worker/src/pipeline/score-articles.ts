import type { Logger } from '@signpost/log';
import {
  withScoringClaims,
  type ArticleForScoring,
  type Db,
  type JudgmentInput,
  type ScoringClaim,
  type ScoringFailureInput,
} from '@signpost/db';
import {
  capMatches,
  type ArticleJudgments,
  type BatchClaim,
  type CapOptions,
  type Judgment,
  type ScorableArticle,
  type ScorableClaim,
  type Scorer,
} from '@signpost/scoring';
import { createInlineScoring, type ScoringExecutor } from './scoring-pool.ts';

export interface ScoreProgress {
  /** Articles read and (forecast, article) pairs scored so far in this call. */
  articles: number;
  pairs: number;
  /** Judgments stored (every stance but `unrelated`). */
  judgments: number;
  /** Pairs recorded as failed (scoring_failures): their chunk failed on every attempt. */
  failed: number;
  /** Of `pairs`, those scored on the pool's threads (the rest inline: SIGNPOST_SCORING_THREADS=0, or small batches). */
  pooled: number;
  /** True when every active forecast has been judged against every stored article. */
  done: boolean;
  /**
   * Forecasts left to another worker that was scoring them when this call ended (PostgreSQL with
   * several workers); 0 otherwise. The pairs counted above are this worker's alone: summed over
   * all workers they equal the pairs judged, each once.
   */
  busy: number;
  /** Batches this call scored and committed. */
  batches: number;
}

export interface ScoreOptions {
  /** Only this forecast (backfill --prediction). */
  predictionId?: string;
  /** Articles per transaction (default: about PAIRS_PER_BATCH pairs' worth, see articlesPerBatch). */
  batchSize?: number;
  /** Stop after this much time and leave the rest for the next call (the watermark keeps the place). */
  budgetMs?: number;
  signal?: AbortSignal;
  now?: () => Date;
  onBatch?(progress: ScoreProgress): void;
  /** How many of a batch's articles one forecast may claim (see capMatches); default: a quarter, at least 5. */
  cap?: CapOptions;
  /** Pairs per chunk handed to a thread (default CHUNK_PAIRS); tests make it small to get many chunks. */
  chunkPairs?: number;
  /** Where pairs are scored: the runtime's thread pool; default inline on this thread (the scorer given). */
  executor?: ScoringExecutor;
  /**
   * A batch of fewer pairs is scored inline even with a pool (default INLINE_PAIRS): starting a thread
   * costs about a second and 100 MB, more than a small batch's work.
   */
  inlineBelowPairs?: number;
  /** A chunk's attempt failed (`final`: its pairs are recorded as failed). */
  onChunkFailure?(failure: ChunkFailure): void;
}

export interface ChunkFailure {
  firstArticleId: number;
  lastArticleId: number;
  attempt: number;
  final: boolean;
  error: string;
}

/** `onChunkFailure` for a cycle or a backfill: a retried chunk is a warning, a chunk that failed twice an error. */
export function logChunkFailure(logger: Pick<Logger, 'warn' | 'error'>): (failure: ChunkFailure) => void {
  return (f) =>
    logger[f.final ? 'error' : 'warn'](
      f,
      f.final
        ? 'scoring: a chunk failed twice; its pairs are recorded as failed (scoring_failures)'
        : 'scoring: a chunk failed; retrying it on a fresh thread',
    );
}

/** What the scorer reads of a stored forecast (with its adjustment from analysts' reviews, if any). */
export function toScorableClaim(
  claim: Pick<ScoringClaim, 'predictionId' | 'statement' | 'record'> & { adjustment?: ScoringClaim['adjustment'] },
): ScorableClaim {
  const record = claim.record as { keywords?: string[]; signposts?: ScorableClaim['signposts']; deadline?: string };
  return {
    id: claim.predictionId,
    statement: claim.statement,
    keywords: record.keywords,
    signposts: record.signposts,
    ...(record.deadline ? { deadline: record.deadline } : {}),
    ...(claim.adjustment ? { adjustment: claim.adjustment } : {}),
  };
}

/** What the scorer reads of a stored article. */
export function toScorableArticle(article: Pick<ArticleForScoring, 'title' | 'text' | 'summary' | 'publishedAt'>): ScorableArticle {
  return { title: article.title, body: article.text ?? article.summary ?? '', published: article.publishedAt.toISOString().slice(0, 10) };
}

/**
 * Judges stored articles against every active forecast the scorer has not yet covered, advancing
 * each forecast's watermark batch by batch. New articles, new or reworded forecasts and a new
 * scorer version are all the same case; an interrupted run resumes where it stopped.
 *
 * Each batch holds its forecasts exclusively until it commits (withScoringClaims): workers sharing
 * one PostgreSQL never score a pair twice; forecasts another worker holds are left to it.
 */
export async function scorePendingArticles(db: Db, scorer: Scorer, options: ScoreOptions = {}): Promise<ScoreProgress> {
  const started = Date.now();
  const now = options.now ?? (() => new Date());
  const progress: ScoreProgress = { articles: 0, pairs: 0, judgments: 0, failed: 0, pooled: 0, done: false, busy: 0, batches: 0 };
  const inline = createInlineScoring(scorer);
  const pool = options.executor ?? inline;
  for (;;) {
    if (options.signal?.aborted) return progress;
    const step = await withScoringClaims(db, scorer.id, { predictionId: options.predictionId, now: now() }, async (held) => {
      if (held.claims.length === 0) return { busy: held.busy, scored: null };
      const from = Math.min(...held.claims.map((c) => c.throughArticleId));
      const articles = await held.readArticlesAfter(from, options.batchSize ?? articlesPerBatch(held.claims.length, pool.threads));
      if (articles.length === 0) return { busy: held.busy, scored: null };
      // Pairs in this batch: every article past each claim's watermark.
      let pairs = 0;
      for (const c of held.claims) for (const a of articles) if (a.id > c.throughArticleId) pairs++;
      const executor = pairs < (options.inlineBelowPairs ?? INLINE_PAIRS) ? inline : pool;
      const scored = await scoreBatch(executor, scorer.id, held.claims, articles, options);
      await held.store(scored, now());
      return { busy: held.busy, scored };
    });
    progress.busy = step.busy;
    // Nothing left that this worker may take: finished, unless another worker holds some forecasts.
    if (!step.scored) return { ...progress, done: step.busy === 0 };
    progress.batches++;
    progress.articles += step.scored.articles;
    progress.pairs += step.scored.pairs;
    progress.judgments += step.scored.judgments.length;
    progress.failed += step.scored.failures.length;
    if (step.scored.threads > 0) progress.pooled += step.scored.pairs;
    options.onBatch?.(progress);
    if (options.budgetMs !== undefined && Date.now() - started >= options.budgetMs) return progress;
  }
}

/**
 * Pairs per committed batch. Every commit moves the ledger version, and the dashboard then renders
 * its cached pages again (in the background, one at a time: docs/dashboard.md, "Caching"): a commit
 * every several seconds rather than every one keeps that work small while a cycle scores (bench/load
 * on PostgreSQL, 30 forecasts, a shared 2-core machine: p99 324 ms with 200-article batches, 52-87 ms
 * with 800-1,000, measured when each commit still recomputed standings). A killed run loses at most
 * one batch's work.
 */
const PAIRS_PER_BATCH = 24_000;

/**
 * Articles per batch for this many forecasts: about PAIRS_PER_BATCH pairs, 200 to 2,000 articles; with
 * a pool of threads, that many times more, so that batches (and the dashboard's recomputations they
 * cause) come about as often as when one thread scores (bench/backfill: a one-forecast backfill on 2
 * threads committed every few seconds, and the dashboard's p99 rose from 1.9 to 5.1 s).
 */
export function articlesPerBatch(forecasts: number, threads = 0): number {
  const scale = Math.max(1, threads);
  return Math.min(2000 * scale, Math.max(200, Math.ceil((PAIRS_PER_BATCH * scale) / Math.max(1, forecasts))));
}

/**
 * Pairs per chunk handed to one scoring thread: a second or two of one core. Small enough that the
 * threads share a batch evenly and that a chunk that fails twice costs few pairs; large enough that
 * passing the articles over costs little.
 */
const CHUNK_PAIRS = 2_000;

/**
 * The batch's articles in runs of consecutive ids for the threads (one run when scoring inline): about
 * `chunkPairs` pairs each, and at least one run per thread (a backfill of one forecast has few pairs
 * per article).
 */
export function splitIntoChunks<T>(articles: readonly T[], forecasts: number, threads: number, chunkPairs = CHUNK_PAIRS): T[][] {
  const size =
    threads === 0
      ? articles.length
      : Math.max(1, Math.min(Math.ceil(chunkPairs / Math.max(1, forecasts)), Math.ceil(articles.length / threads)));
  const chunks: T[][] = [];
  for (let i = 0; i < articles.length; i += size) chunks.push(articles.slice(i, i + size));
  return chunks;
}

/** Batches with fewer pairs are scored inline (see ScoreOptions.inlineBelowPairs): less than one chunk. */
const INLINE_PAIRS = CHUNK_PAIRS;

/** Times a chunk is tried: a thread that crashes or hangs is replaced and the chunk tried once more. */
const ATTEMPTS = 2;

/**
 * Scores one batch of articles against the held claims on the executor (no I/O here): the batch is cut
 * into chunks, at most `threads` of them scoring at once; a chunk that fails is tried again on a fresh
 * thread, and one that fails every time has its pairs recorded as failed (stored with the judgments,
 * so the watermark passes no pair that is neither judged nor on record).
 */
async function scoreBatch(
  executor: ScoringExecutor,
  scorerId: string,
  claims: ScoringClaim[],
  articles: ArticleForScoring[],
  options: Pick<ScoreOptions, 'cap' | 'chunkPairs' | 'onChunkFailure'>,
) {
  const { cap, onChunkFailure } = options;
  const through = articles[articles.length - 1]!.id;
  const batchClaims: BatchClaim[] = claims.map((c) => ({ claim: toScorableClaim(c), throughArticleId: c.throughArticleId }));
  const chunks = splitIntoChunks(
    articles.map((a) => ({ id: a.id, article: toScorableArticle(a) })),
    claims.length,
    executor.threads,
    options.chunkPairs,
  );
  const results: (ArticleJudgments[] | { error: string })[] = new Array(chunks.length);
  let next = 0;
  const lane = async () => {
    while (next < chunks.length) {
      const i = next++;
      const chunk = { claims: batchClaims, articles: chunks[i]! };
      for (let attempt = 1; ; attempt++) {
        try {
          results[i] = await executor.score(chunk);
          break;
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          const final = attempt >= ATTEMPTS;
          onChunkFailure?.({
            firstArticleId: chunk.articles[0]!.id,
            lastArticleId: chunk.articles.at(-1)!.id,
            attempt,
            final,
            error: message,
          });
          if (final) {
            results[i] = { error: message };
            break;
          }
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, executor.threads) }, lane));

  let pairs = 0;
  const judged = claims.map(() => [] as { articleId: number; judgment: Judgment }[]);
  const failures: ScoringFailureInput[] = [];
  results.forEach((result, i) => {
    if ('error' in result) {
      for (const { id } of chunks[i]!) {
        claims.forEach((c) => {
          if (c.throughArticleId < id)
            failures.push({
              articleId: id,
              predictionId: c.predictionId,
              claimHash: c.claimHash,
              error: result.error.slice(0, 2000),
              attempts: ATTEMPTS,
            });
        });
      }
      return;
    }
    for (const a of result) {
      pairs += a.claims.length;
      for (const k of a.claims) judged[k]!.push({ articleId: a.articleId, judgment: a.related[k] ?? UNRELATED });
    }
  });
  const judgments: JudgmentInput[] = [];
  claims.forEach((claim, k) => {
    const mine = judged[k]!;
    // A broadly worded forecast must not claim most of a batch: keep its most relevant matches.
    const capped = capMatches(
      mine.map((j) => j.judgment),
      cap,
    );
    capped.forEach((j, i) => {
      if (j.stance === 'unrelated') return;
      judgments.push({
        articleId: mine[i]!.articleId,
        predictionId: claim.predictionId,
        scorer: scorerId,
        claimHash: claim.claimHash,
        stance: j.stance,
        relevance: j.relevance,
        confidence: j.confidence,
        evidence: j.evidence,
        signposts: j.signposts ?? null,
      });
    });
  });
  const progress = claims
    .filter((c) => c.throughArticleId < through)
    .map((c) => ({ predictionId: c.predictionId, claimHash: c.claimHash, throughArticleId: through }));
  return { articles: articles.length, pairs, judgments, failures, progress, threads: executor.threads };
}

/** Stands in for the unrelated judgments the threads do not send back (capMatches counts them; none is stored). */
const UNRELATED: Judgment = { stance: 'unrelated', relevance: 0, confidence: 1, evidence: [], scorer: '' };
