import { setPreferredScorer } from '@signpost/db';
import { refreshStandings } from '@signpost/ledger';
import { preferredScorer } from './llm-setup.ts';
import { refreshDueFeeds, type FeedsSummary } from './pipeline/refresh-due-feeds.ts';
import { logChunkFailure, scorePendingArticles, type ScoreProgress } from './pipeline/score-articles.ts';
import { formatLlmSummary, judgeWithLlm, type LlmStageSummary } from './pipeline/judge-with-llm.ts';
import type { Runtime } from './runtime.ts';

export interface CycleSummary {
  configProblems: number;
  forecasts: { added: number; changed: number; retired: number };
  feeds: Omit<FeedsSummary, 'outcomes'>;
  scoring: ScoreProgress & { durationMs: number };
  /** The language model's step, when a model is configured. */
  llm?: LlmStageSummary & { price?: { input?: number; output?: number } };
  durationMs: number;
}

export interface CycleOptions {
  /** Fetch every active feed, not only the due ones. */
  all?: boolean;
  /** Time the scoring step may take before leaving the rest (backfill) to the next cycle. */
  scoreBudgetMs?: number;
  signal?: AbortSignal;
  onFeed?: Parameters<typeof refreshDueFeeds>[1]['onFeed'];
}

/**
 * One cycle: apply config changes (a broken file keeps the last good config), fetch the due feeds,
 * store new articles, score what is not yet scored, and store the standings that changed. Every step commits on its own, so a cycle
 * cut short anywhere loses nothing and duplicates nothing; the next one carries on.
 */
export async function runCycle(runtime: Runtime, options: CycleOptions = {}): Promise<CycleSummary> {
  const started = Date.now();
  const { problems, forecasts } = await runtime.config.refresh();
  const { outcomes, ...feeds } = await refreshDueFeeds(runtime.database.db, {
    owner: runtime.owner,
    all: options.all,
    signal: options.signal,
    fetch: {
      allowPrivateNetworks: runtime.env.SIGNPOST_ALLOW_PRIVATE_NETWORKS,
      allowPrivateHosts: runtime.env.SIGNPOST_ALLOW_PRIVATE_HOSTS,
    },
    onFeed: options.onFeed,
  });
  for (const o of outcomes) {
    if (o.status === 'failed') runtime.logger.warn({ feedId: o.feedId, kind: o.kind, error: o.message }, 'feed failed');
    else if (o.status === 'fetched' && o.warnings.length)
      runtime.logger.warn({ feedId: o.feedId, warnings: o.warnings }, 'feed stored with warnings');
  }
  const scoringStarted = Date.now();
  const scoring = await scorePendingArticles(runtime.database.db, runtime.scorer, {
    budgetMs: options.scoreBudgetMs,
    signal: options.signal,
    executor: runtime.scoring,
    onChunkFailure: logChunkFailure(runtime.logger),
  });
  const scoringMs = Date.now() - scoringStarted;
  // Whose judgment counts (SIGNPOST_JUDGE), recorded for every process reading the ledger.
  await setPreferredScorer(runtime.database.db, preferredScorer(runtime.llm));
  // The model is a second judge of what the built-in scorer has just stored: it runs after it.
  const llm = runtime.llm
    ? await judgeWithLlm(runtime.database.db, {
        judge: runtime.llm.judge,
        builtin: runtime.scorer,
        minRelevance: runtime.llm.minRelevance,
        budget: runtime.llm.budget,
        maxAnswerTokens: runtime.llm.maxAnswerTokens,
        candidatesBudgetMs: options.scoreBudgetMs,
        judgeBudgetMs: options.scoreBudgetMs,
        signal: options.signal,
      }).then((summary) => ({ ...summary, price: runtime.llm!.price }))
    : undefined;
  if (llm?.unavailable)
    runtime.logger.warn(
      { scorer: llm.scorer, unanswered: llm.unavailable, circuit: llm.circuit },
      'model endpoint did not answer: its pairs stay queued, the built-in judgments stand meanwhile',
    );
  // The dashboard and the digest read stored standings: write them once the cycle's judgments are in,
  // for the forecasts whose evidence or record changed (and every one on a new day: the momentum decays),
  // one forecast at a time with a turn of the event loop between (the dashboard may share this thread).
  await refreshStandings(runtime.database.db, { scorer: runtime.scorer.id, now: new Date() });
  return {
    configProblems: problems.length,
    forecasts,
    feeds,
    scoring: { ...scoring, durationMs: scoringMs },
    ...(llm ? { llm } : {}),
    durationMs: Date.now() - started,
  };
}

/** The one-line summary `signpost run` prints and the worker logs. */
export function formatCycleSummary(s: CycleSummary): string {
  const parts = [
    `feeds: ${s.feeds.fetched} fetched, ${s.feeds.notModified} not modified, ${s.feeds.failed} failed`,
    `articles: ${s.feeds.newArticles} new, ${s.feeds.duplicates} duplicate${s.feeds.skippedItems ? `, ${s.feeds.skippedItems} not stored (see the feed warnings)` : ''}`,
    `scored: ${s.scoring.pairs} pairs, ${s.scoring.judgments} judgments${s.scoring.pooled ? `, ${s.scoring.pooled} pairs on scoring threads` : ''}${s.scoring.failed ? `, ${s.scoring.failed} pairs failed (see scoring_failures)` : ''}${s.scoring.done ? '' : ' (more pending)'}`,
  ];
  if (s.llm) parts.push(formatLlmSummary(s.llm, s.llm.price));
  if (s.forecasts.added + s.forecasts.changed + s.forecasts.retired) {
    parts.push(`forecasts: ${s.forecasts.added} added, ${s.forecasts.changed} changed, ${s.forecasts.retired} retired`);
  }
  if (s.configProblems) parts.push(`config invalid: ${s.configProblems} problems (last good config kept; see signpost check)`);
  return `${parts.join('; ')}; ${(s.durationMs / 1000).toFixed(1)} s`;
}
