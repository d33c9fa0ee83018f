import type { BatchArticle, BatchClaim } from '@signpost/scoring';

/** One task of the scoring pool: a run of consecutive articles of a batch and the batch's claims. */
export interface ScoringChunk {
  claims: BatchClaim[];
  articles: BatchArticle[];
}

/**
 * Test-only faults a pool injects into its threads (through the worker data): on a chunk holding
 * article `articleId`, the thread crashes (exits), hangs or throws, `times` times in all over the
 * pool's threads (counted in the shared `counter`, an Int32 at index 0).
 */
export interface ScoringFaults {
  kind: 'crash' | 'hang' | 'throw';
  articleId: number;
  times: number;
  counter: SharedArrayBuffer;
}
