import type { SignpostConfig } from '@signpost/config';
import { applyConfig, loadValidConfig, type Runtime } from './runtime.ts';

export interface CycleSummary {
  config: 'applied' | 'unchanged' | 'invalid';
  configProblems: number;
  forecasts: { added: number; changed: number; retired: number };
  feeds: { fetched: number; notModified: number; failed: number };
  articles: { new: number; duplicate: number };
  durationMs: number;
}

export interface CycleState {
  /** The config last applied (the last good one). */
  config: SignpostConfig | null;
}

/**
 * One cycle: reload the config (a broken file keeps the last good config in force), then fetch
 * due feeds, store and score. Safe to interrupt: each step commits on its own.
 */
export async function runCycle(runtime: Runtime, state: CycleState, options: { all?: boolean; signal?: AbortSignal } = {}): Promise<CycleSummary> {
  const started = Date.now();
  const summary: CycleSummary = {
    config: 'unchanged',
    configProblems: 0,
    forecasts: { added: 0, changed: 0, retired: 0 },
    feeds: { fetched: 0, notModified: 0, failed: 0 },
    articles: { new: 0, duplicate: 0 },
    durationMs: 0,
  };
  const { config, problems } = await loadValidConfig(runtime);
  summary.configProblems = problems.length;
  if (!config) {
    summary.config = 'invalid';
    if (state.config) runtime.logger.warn({ problems: problems.length }, 'config invalid: keeping the last good config');
  } else {
    const synced = await applyConfig(runtime, config);
    state.config = config;
    summary.forecasts = { added: synced.added.length, changed: synced.changed.length + synced.restored.length, retired: synced.retired.length };
    summary.config = synced.added.length + synced.changed.length + synced.retired.length + synced.restored.length ? 'applied' : 'unchanged';
  }
  summary.durationMs = Date.now() - started;
  return summary;
}

/** The one-line summary `signpost run` prints. */
export function formatCycleSummary(s: CycleSummary): string {
  const config = s.config === 'invalid' ? `config invalid (${s.configProblems} problems, last good kept)` : `config ${s.config}`;
  return (
    `feeds: ${s.feeds.fetched} fetched, ${s.feeds.notModified} not modified, ${s.feeds.failed} failed; ` +
    `articles: ${s.articles.new} new, ${s.articles.duplicate} duplicate; ` +
    `forecasts: ${s.forecasts.added} added, ${s.forecasts.changed} changed, ${s.forecasts.retired} retired; ` +
    `${config}; ${(s.durationMs / 1000).toFixed(1)} s`
  );
}
