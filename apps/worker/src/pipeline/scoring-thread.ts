/**
 * One thread of the scoring pool (scoring-pool.ts): loads the scorer (weights, language model) once
 * when the thread starts, then judges the chunks of articles it is handed. Pure work: no database, no
 * I/O; the thread that owns the database stores what comes back.
 *
 * Runs from source through scoring-thread-source.mjs (tsx, vitest) and as dist/scoring-thread.mjs
 * beside the bundle (scripts/build.mjs).
 */
import fs from 'node:fs';
import os from 'node:os';
import { workerData } from 'node:worker_threads';
import { createScorer, scoreArticleBatch } from '@signpost/scoring';
import type { ScoringChunk, ScoringFaults } from './scoring-chunk.ts';

// Each article is prepared once and judged against every claim (scoreArticleBatch): keeping prepared
// articles would only hold memory (README, "Memory").
const scorer = createScorer({ articleCacheSize: 4 });
const faults = (workerData as { scoringFaults?: ScoringFaults } | undefined)?.scoringFaults;

/** Test-only (the pool's `faults` option): crash or hang this thread on a given article, a given number of times in all. */
function injectFault(chunk: ScoringChunk): void {
  if (!faults || !chunk.articles.some((a) => a.id === faults.articleId)) return;
  const seen = Atomics.add(new Int32Array(faults.counter), 0, 1);
  if (seen >= faults.times) return;
  if (faults.kind === 'crash') process.exit(70);
  if (faults.kind === 'throw') throw new Error(`scoring thread: injected fault on article ${faults.articleId}`);
  // A hang: block this thread for good (without burning a core), until the pool gives up on it.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
}

export default function scoreChunk(chunk: ScoringChunk) {
  injectFault(chunk);
  return scoreArticleBatch(scorer, chunk.claims, chunk.articles);
}

/**
 * This thread's memory (its heap; RSS is the process's) and its scheduling priority (nice value; Linux
 * gives each thread its own), as the pool's tests and bench/score/pool.ts read them.
 */
export function threadStatus(): { memory: NodeJS.MemoryUsage; nice: number | null } {
  let nice: number | null = null;
  try {
    // /proc/thread-self -> "<pid>/task/<tid>"; getPriority(tid) is this thread's own nice value.
    nice = os.getPriority(Number(fs.readlinkSync('/proc/thread-self').split('/').pop()));
  } catch {
    // not Linux
  }
  return { memory: process.memoryUsage(), nice };
}
