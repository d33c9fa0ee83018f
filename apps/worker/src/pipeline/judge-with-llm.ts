/**
 * The language model's step of a cycle (issue #17), run after the built-in scorer has stored its
 * judgments. Two parts:
 *
 * 1. Candidates: the built-in scorer's relevance of every (forecast, article) pair the built-in
 *    scorer has covered and this step has not; pairs at or above `minRelevance` join the durable
 *    queue (packages/db llm_queue) in one transaction with the step's own watermark.
 * 2. Judging: as many queued pairs as the cycle's budget (pairs and tokens) allows, newest articles
 *    first. An answer cached for the same prompt is reused for free. A usable answer is stored as a
 *    judgment under the model's scorer id (`llm:<model>@<prompt version>`) beside the built-in
 *    one; an unusable one (twice) leaves the built-in judgment standing; an endpoint that does not
 *    answer, or whose circuit is open, leaves the pair queued for a later cycle.
 *
 * The existing score-articles step is untouched: this step reads what it stored (its watermark) and
 * recomputes relevance with the same scorer, since the built-in step keeps no unrelated pairs.
 */
import { setImmediate } from 'node:timers/promises';
import {
  enqueueLlmCandidates,
  getLlmAnswer,
  leaseLlmWork,
  listScoringClaims,
  readArticlesAfter,
  releaseLlmWork,
  settleLlmWork,
  countLlmQueue,
  type Db,
  type LlmAnswerRow,
  type LlmCandidate,
  type LlmWorkItem,
} from '@signpost/db';
import { estimatePairTokens, pairKeys, type LlmArticle, type LlmClaim, type LlmJudge } from '@signpost/llm';
import type { Scorer } from '@signpost/scoring';
import { toScorableArticle, toScorableClaim } from './score-articles.ts';

export interface LlmStageOptions {
  judge: LlmJudge;
  /** The built-in scorer whose relevance picks the candidates. */
  builtin: Scorer;
  /** Built-in relevance from which a pair is a candidate (SIGNPOST_LLM_MIN_RELEVANCE). */
  minRelevance: number;
  /** What this cycle may spend: pairs sent to the model and tokens (prompt + answer). */
  budget: { pairs: number; tokens: number };
  /** The answer cap the judge was made with (for token estimates before sending). */
  maxAnswerTokens?: number;
  /** How long a leased pair is this worker's before another may take it (default 15 min). */
  leaseMs?: number;
  /** Time the candidate part may take before leaving the rest to the next cycle. */
  candidatesBudgetMs?: number;
  /**
   * Time after which no new round of requests starts (the ones in flight finish): a slow local
   * model must not hold up the next feed fetch. The rest waits in the queue.
   */
  judgeBudgetMs?: number;
  signal?: AbortSignal;
  now?: () => Date;
}

export interface LlmStageSummary {
  scorer: string;
  /** Pairs newly queued this cycle. */
  queued: number;
  /** Pairs the model judged this cycle (answers from the endpoint). */
  judged: number;
  /** Pairs settled from the answer cache (no request). */
  cached: number;
  /** Pairs whose answer was unusable twice: the built-in judgment stands. */
  fallback: number;
  /** Pairs the endpoint did not answer (kept queued). */
  unavailable: number;
  /** Pairs waiting for a later cycle. */
  waiting: number;
  /** True when the budget (pairs or tokens) stopped the step. */
  budgetSpent: boolean;
  tokens: { prompt: number; completion: number };
  circuit: 'closed' | 'open' | 'half-open';
}

/** Articles read per candidate batch. */
const CANDIDATE_BATCH = 500;
/** Pairs leased at a time (a few rounds of the judge's concurrency: leases stay short). */
const LEASE_ROUND = 16;
/** Longest stretch of candidate scoring without giving the event loop back. */
const SLICE_MS = 10;

/** The watermark key of the candidate part in scoring_progress. */
export function candidateWatermark(scorerId: string): string {
  return `queue:${scorerId}`;
}

export async function judgeWithLlm(db: Db, options: LlmStageOptions): Promise<LlmStageSummary> {
  const now = options.now ?? (() => new Date());
  const summary: LlmStageSummary = {
    scorer: options.judge.scorerId,
    queued: await queueCandidates(db, options, now),
    judged: 0,
    cached: 0,
    fallback: 0,
    unavailable: 0,
    waiting: 0,
    budgetSpent: false,
    tokens: { prompt: 0, completion: 0 },
    circuit: options.judge.circuit(),
  };
  await judgeQueued(db, options, summary, now);
  summary.waiting = (await countLlmQueue(db, options.judge.scorerId)).queued;
  summary.circuit = options.judge.circuit();
  return summary;
}

/** Part 1: queue the candidate pairs the built-in scorer has covered since the last cycle. */
async function queueCandidates(db: Db, options: LlmStageOptions, now: () => Date): Promise<number> {
  const started = Date.now();
  const watermark = candidateWatermark(options.judge.scorerId);
  let queued = 0;
  for (;;) {
    if (options.signal?.aborted) return queued;
    const builtin = new Map((await listScoringClaims(db, options.builtin.id)).map((c) => [c.predictionId, c]));
    // Only where the built-in scorer has been: the model is its second opinion, never ahead of it.
    const claims = (await listScoringClaims(db, watermark))
      .map((c) => ({
        claim: c,
        scorable: toScorableClaim(c),
        until: builtin.get(c.predictionId)?.claimHash === c.claimHash ? builtin.get(c.predictionId)!.throughArticleId : 0,
      }))
      .filter((c) => c.claim.throughArticleId < c.until);
    if (claims.length === 0) return queued;
    const from = Math.min(...claims.map((c) => c.claim.throughArticleId));
    const articles = await readArticlesAfter(db, from, CANDIDATE_BATCH, Math.max(...claims.map((c) => c.until)));
    if (articles.length === 0) return queued;
    const candidates: LlmCandidate[] = [];
    let slice = performance.now();
    for (const article of articles) {
      if (performance.now() - slice >= SLICE_MS) {
        await setImmediate();
        slice = performance.now();
      }
      const todo = claims.filter((c) => c.claim.throughArticleId < article.id && article.id <= c.until);
      if (todo.length === 0) continue;
      const prepared = options.builtin.prepareArticle(toScorableArticle(article));
      for (const c of todo) {
        const { relevance } = options.builtin.score(c.scorable, prepared);
        if (relevance >= options.minRelevance)
          candidates.push({ articleId: article.id, predictionId: c.claim.predictionId, claimHash: c.claim.claimHash, relevance });
      }
    }
    const last = articles[articles.length - 1]!.id;
    await enqueueLlmCandidates(
      db,
      {
        scorer: options.judge.scorerId,
        watermark,
        candidates,
        progress: claims.map((c) => ({
          predictionId: c.claim.predictionId,
          claimHash: c.claim.claimHash,
          throughArticleId: Math.min(last, c.until),
        })),
      },
      now(),
    );
    queued += candidates.length;
    if (options.candidatesBudgetMs !== undefined && Date.now() - started >= options.candidatesBudgetMs) return queued;
  }
}

/** What the prompt says about a stored forecast (statement, kind, threshold, signposts, deadline). */
export function toLlmClaim(item: Pick<LlmWorkItem, 'statement' | 'record'>): LlmClaim {
  const r = item.record as {
    kind?: string;
    threshold?: LlmClaim['threshold'];
    signposts?: LlmClaim['signposts'];
    deadline?: string;
    horizon?: string;
  };
  return {
    statement: item.statement,
    kind: 'forecast',
    forecastKind: r.kind,
    threshold: r.threshold,
    signposts: r.signposts,
    deadline: r.deadline ?? null,
    horizon: r.horizon ?? null,
  };
}

/** What the prompt shows of a stored article. */
export function toLlmArticle(item: Pick<LlmWorkItem, 'title' | 'text' | 'summary' | 'publishedAt'>): LlmArticle {
  return toScorableArticle(item);
}

/** Part 2: judge queued pairs within the cycle's budget. */
async function judgeQueued(db: Db, options: LlmStageOptions, summary: LlmStageSummary, now: () => Date): Promise<void> {
  const { judge } = options;
  const scorer = judge.scorerId;
  let pairsLeft = options.budget.pairs;
  // Tokens spent plus tokens promised to requests in flight (their estimate, until they answer).
  let tokensCommitted = 0;
  let stop = false;
  let unanswered = false;
  const take = (estimate: number): boolean => {
    if (pairsLeft <= 0 || tokensCommitted + estimate > options.budget.tokens) {
      summary.budgetSpent = true;
      return false;
    }
    pairsLeft--;
    tokensCommitted += estimate;
    return true;
  };
  const started = Date.now();
  while (!stop && !options.signal?.aborted) {
    if (judge.circuit() === 'open') break;
    if (options.judgeBudgetMs !== undefined && Date.now() - started >= options.judgeBudgetMs) break;
    const work = await leaseLlmWork(db, { scorer, limit: LEASE_ROUND, leaseMs: options.leaseMs ?? 15 * 60_000 }, now());
    if (work.length === 0) break;
    const inflight = new Map<string, Promise<LlmAnswerRow | null>>();
    await Promise.all(
      work.map(async (item) => {
        const claim = toLlmClaim(item);
        const article = toLlmArticle(item);
        const keys = pairKeys(claim, article);
        const key = `${keys.claimKey}:${keys.articleKey}`;
        // The same prompt twice in one round (one story under two ids): ask once, share the answer.
        const pending = inflight.get(key);
        let share: (answer: LlmAnswerRow | null) => void = () => {};
        if (!pending) inflight.set(key, new Promise((resolve) => (share = resolve)));
        const cached = pending ? await pending : await getLlmAnswer(db, { ...keys, scorer });
        if (pending && !cached) {
          await releaseLlmWork(db, { queueId: item.queueId }, now());
          return;
        }
        if (cached) {
          share(cached);
          summary.cached++;
          await settleLlmWork(
            db,
            cached.status === 'judged' && cached.stance
              ? {
                  queueId: item.queueId,
                  answer: null,
                  judgment: judgmentOf(item, scorer, {
                    stance: cached.stance,
                    confidence: cached.confidence ?? 0,
                    evidence: cached.evidence,
                    reason: cached.reason,
                  }),
                }
              : {
                  queueId: item.queueId,
                  answer: null,
                  judgment: null,
                  problem: 'cached: the model gave an unusable answer for this prompt',
                },
            now(),
          );
          if (cached.status !== 'judged') summary.fallback++;
          return;
        }
        const estimate = estimatePairTokens(claim, article, options.maxAnswerTokens);
        if (stop || options.signal?.aborted || judge.circuit() === 'open' || !take(estimate)) {
          stop = true;
          share(null);
          await releaseLlmWork(db, { queueId: item.queueId }, now());
          return;
        }
        const outcome = await judge.judge(claim, article, { signal: options.signal });
        const spent = outcome.usage.promptTokens + outcome.usage.completionTokens;
        tokensCommitted += spent - estimate;
        summary.tokens.prompt += outcome.usage.promptTokens;
        summary.tokens.completion += outcome.usage.completionTokens;
        const answerRow = {
          ...keys,
          scorer,
          promptTokens: outcome.usage.promptTokens,
          completionTokens: outcome.usage.completionTokens,
        };
        if (outcome.status === 'judged') {
          summary.judged++;
          const { answer } = outcome;
          const row: LlmAnswerRow = {
            ...answerRow,
            status: 'judged',
            stance: answer.stance,
            confidence: answer.confidence,
            evidence: answer.evidence,
            reason: answer.reason,
          };
          await settleLlmWork(db, { queueId: item.queueId, answer: row, judgment: judgmentOf(item, scorer, answer) }, now());
          share(row);
        } else if (outcome.status === 'invalid') {
          summary.fallback++;
          const row: LlmAnswerRow = {
            ...answerRow,
            status: 'invalid',
            stance: null,
            confidence: null,
            evidence: [],
            reason: outcome.problem,
          };
          await settleLlmWork(db, { queueId: item.queueId, answer: row, judgment: null, problem: outcome.problem }, now());
          share(row);
        } else {
          unanswered = true;
          share(null);
          // Not sent (the circuit opened while it waited its turn): no attempt to count.
          if (outcome.sent) summary.unavailable++;
          await releaseLlmWork(db, { queueId: item.queueId, problem: outcome.sent ? outcome.problem : undefined }, now());
        }
      }),
    );
    // An endpoint in trouble gets no more of this cycle: its pairs wait for the next one.
    if (unanswered) break;
  }
}

function judgmentOf(
  item: LlmWorkItem,
  scorer: string,
  answer: { stance: string; confidence: number; evidence: string[]; reason: string | null },
) {
  return {
    articleId: item.articleId,
    predictionId: item.predictionId,
    scorer,
    claimHash: item.claimHash,
    stance: answer.stance,
    // The model gives no relevance of its own: keep the built-in relevance that queued the pair.
    relevance: item.relevance,
    confidence: answer.confidence,
    evidence: answer.evidence.map((text) => ({ text, stance: answer.stance })),
    reason: answer.reason,
  };
}

/** One line for the cycle summary and logs. */
export function formatLlmSummary(s: LlmStageSummary, price?: { input?: number; output?: number }): string {
  const cost = formatCost(s.tokens, price);
  return (
    `model ${s.scorer}: ${s.judged} judged, ${s.cached} from cache, ${s.fallback} fell back to the built-in judgment, ${s.queued} queued, ${s.waiting} waiting` +
    `${s.unavailable ? `, ${s.unavailable} unanswered (endpoint ${s.circuit === 'open' ? 'down: circuit open' : 'failing'})` : ''}` +
    `${s.budgetSpent ? ' (cycle budget spent)' : ''}; tokens ${s.tokens.prompt} in + ${s.tokens.completion} out${cost}`
  );
}

/** ", $0.0123" when prices per million tokens are given. */
export function formatCost(tokens: { prompt: number; completion: number }, price?: { input?: number; output?: number }): string {
  if (price?.input === undefined && price?.output === undefined) return '';
  const dollars = (tokens.prompt * (price.input ?? 0) + tokens.completion * (price.output ?? 0)) / 1e6;
  return `, $${dollars.toFixed(4)}`;
}
