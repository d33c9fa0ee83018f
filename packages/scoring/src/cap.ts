/**
 * Flood control for broad forecasts. When a batch of articles is scored against one
 * forecast, a forecast worded broadly ("China and Russia will grow closer") can match a large
 * share of the news. `capMatches` keeps only the most relevant related judgments of that
 * forecast in the batch and demotes the rest to unrelated, recording that they were capped.
 */
import type { Judgment } from './types.ts';

export interface CapOptions {
  /** At most this many related judgments per forecast per batch (default: no fixed limit). */
  maxRelated?: number;
  /** At most this share of the batch may be related (default 0.25). */
  maxShare?: number;
  /** The share limit never cuts below this many related judgments (default 5). */
  minKept?: number;
}

export interface CappedJudgment extends Judgment {
  /** Set when the judgment was demoted to unrelated by `capMatches`. */
  capped?: true;
}

/**
 * Takes one forecast's judgments over a batch of articles (in any order) and returns them in
 * the same order, with related judgments beyond the cap (least relevant first) turned into
 * `unrelated` without evidence. Pure: the inputs are not modified.
 */
export function capMatches(judgments: readonly Judgment[], options: CapOptions = {}): CappedJudgment[] {
  const maxShare = options.maxShare ?? 0.25;
  const minKept = options.minKept ?? 5;
  const byShare = Math.max(minKept, Math.floor(judgments.length * maxShare));
  const limit = Math.min(options.maxRelated ?? Infinity, byShare);
  const related = judgments
    .map((j, i) => ({ j, i }))
    .filter(({ j }) => j.stance !== 'unrelated')
    .sort((a, b) => b.j.relevance - a.j.relevance || b.j.confidence - a.j.confidence || a.i - b.i);
  const demote = new Set(related.slice(limit).map(({ i }) => i));
  return judgments.map((j, i) => {
    if (!demote.has(i)) return j;
    const { signposts: _signposts, ...rest } = j;
    return { ...rest, stance: 'unrelated', confidence: Math.round((1 - j.relevance) * 1e4) / 1e4, evidence: [], capped: true };
  });
}
