/**
 * Where scoring runs: a pool of worker threads (piscina), so that article preparation and pair scoring,
 * which are pure and CPU-bound, leave the thread that owns the database and serves the dashboard free,
 * and use every core. The database thread hands the pool chunks of a batch and stores what comes back
 * (score-articles.ts), so the watermarks and crash safety are those of one thread.
 *
 * `SIGNPOST_SCORING_THREADS=0` scores inline instead, on the calling thread, yielding every 10 ms.
 */
import os from 'node:os';
import { setImmediate } from 'node:timers/promises';
import { Piscina } from 'piscina';
import { scoreArticleAgainstClaims, type ArticleJudgments, type Scorer } from '@signpost/scoring';
import type { ScoringChunk, ScoringFaults } from './scoring-chunk.ts';

export type { ScoringChunk, ScoringFaults } from './scoring-chunk.ts';

export interface ScoringExecutor {
  /** Threads scoring in parallel; 0 when scoring runs inline on the calling thread. */
  readonly threads: number;
  /** Judges one chunk; rejects when its thread crashed, hung past the timeout or threw. */
  score(chunk: ScoringChunk): Promise<ArticleJudgments[]>;
  /** Stops the threads (tasks still running are cut). */
  close(): Promise<void>;
}

/** The default pool size: one thread per core the process may use. */
export function defaultScoringThreads(): number {
  return os.availableParallelism();
}

/**
 * A chunk that runs longer than this is taken for a hung thread: the thread is stopped and replaced.
 * A chunk is about CHUNK_PAIRS pairs (score-articles.ts), a second or two of one core, and a fresh
 * thread first loads the scorer (about a second): a minute is far beyond any healthy chunk on a
 * loaded machine.
 */
export const DEFAULT_CHUNK_TIMEOUT_MS = 60_000;

/**
 * The most heap one thread may use. A thread holds the scorer's weights and language model and one
 * chunk's articles; measured at 60–80 MB of heap (README, "Memory"). A thread past this is stopped
 * (ERR_WORKER_OUT_OF_MEMORY) like a crash, and its chunk retried.
 */
export const DEFAULT_THREAD_HEAP_MB = 256;

/**
 * How much lower the threads' scheduling priority is than the main thread's (nice(2), per thread on
 * Linux, through piscina and @napi-rs/nice). The main thread serves the dashboard and stores the
 * judgments: when the cores are busy it must come first, or requests queue behind the scoring (bench/load
 * on a loaded 2-core machine, equal priority: p99 27 s during a cycle). Idle cores still go to scoring.
 */
export const SCORING_THREAD_NICE = 10;

/**
 * The young generation of a thread's heap, MB. The scorer allocates short-lived objects quickly; V8's
 * default young generation (up to 3 x 16 MB semi-spaces) cost about 30 MB more RSS per thread
 * (README, "Memory"); bench/score/pool.ts measured the pool's speed with this limit.
 */
const THREAD_YOUNG_GENERATION_MB = 8;

/** Idle threads are stopped after this long (and their memory given back); the next cycle starts new ones. */
const IDLE_TIMEOUT_MS = 30_000;

export interface ScoringPoolOptions {
  threads: number;
  /** Per chunk (see DEFAULT_CHUNK_TIMEOUT_MS). */
  timeoutMs?: number;
  /** Per thread (see DEFAULT_THREAD_HEAP_MB). */
  maxHeapMb?: number;
  /** How long an idle thread lives (default 30 s). */
  idleTimeoutMs?: number;
  /** Test-only: faults the threads inject (see ScoringFaults). */
  faults?: ScoringFaults;
}

/** Set by scripts/build.mjs in the bundle: the bundle's own URL, beside which dist/scoring-thread.mjs lies. */
declare const __SIGNPOST_BUNDLE_URL__: string | undefined;

/** The module each thread runs: built beside the bundle, or loaded from source through tsx. */
export function scoringThreadFile(): string {
  if (typeof __SIGNPOST_BUNDLE_URL__ === 'string') return new URL('./scoring-thread.mjs', __SIGNPOST_BUNDLE_URL__).href;
  return new URL('./scoring-thread-source.mjs', import.meta.url).href;
}

export class ScoringThreadError extends Error {
  override name = 'ScoringThreadError';
}

/**
 * A pool of `threads` scoring threads, started on first use. Each thread loads the scorer once. A thread
 * that crashes, or is stopped for running past the timeout, is replaced by piscina; the caller decides
 * whether to retry the chunk.
 */
export function createScoringPool(
  options: ScoringPoolOptions,
): ScoringExecutor & { threadStatus(): Promise<{ memory: NodeJS.MemoryUsage; nice: number | null }> } {
  if (!Number.isInteger(options.threads) || options.threads < 1)
    throw new RangeError(`scoring: a pool needs at least one thread (got ${options.threads})`);
  // AbortSignal.timeout takes whole milliseconds only.
  const timeoutMs = Math.ceil(options.timeoutMs ?? DEFAULT_CHUNK_TIMEOUT_MS);
  let pool: Piscina | null = null;
  const open = () =>
    (pool ??= new Piscina({
      filename: scoringThreadFile(),
      minThreads: 0,
      maxThreads: options.threads,
      idleTimeout: options.idleTimeoutMs ?? IDLE_TIMEOUT_MS,
      resourceLimits: {
        maxOldGenerationSizeMb: options.maxHeapMb ?? DEFAULT_THREAD_HEAP_MB,
        maxYoungGenerationSizeMb: THREAD_YOUNG_GENERATION_MB,
      },
      niceIncrement: SCORING_THREAD_NICE,
      workerData: options.faults ? { scoringFaults: options.faults } : undefined,
      // A thread is given one chunk at a time (score-articles.ts runs `threads` chunks at once), so a
      // queued chunk never waits out another's timeout.
      concurrentTasksPerWorker: 1,
    }));
  return {
    threads: options.threads,
    async score(chunk) {
      const span = chunkSpan(chunk);
      try {
        return (await open().run(chunk, { signal: AbortSignal.timeout(timeoutMs) })) as ArticleJudgments[];
      } catch (error) {
        const timedOut = error instanceof Error && (error.name === 'AbortError' || /abort/i.test(error.message));
        throw new ScoringThreadError(
          timedOut
            ? `scoring: a thread ran past ${timeoutMs} ms on articles ${span} and was stopped`
            : `scoring: a thread failed on articles ${span}: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
      }
    },
    /** One thread's memory (its heap; RSS is the process's) and nice value (see scoring-thread.ts). */
    async threadStatus() {
      return (await open().run(null, { name: 'threadStatus' })) as { memory: NodeJS.MemoryUsage; nice: number | null };
    },
    async close() {
      const p = pool;
      pool = null;
      await p?.destroy();
    },
  };
}

/** Longest stretch of inline scoring without giving the event loop back (the dashboard may share the thread). */
const SLICE_MS = 10;

/**
 * Scoring on the calling thread (SIGNPOST_SCORING_THREADS=0), as before the pool: it yields every
 * SLICE_MS so that a dashboard in the same process keeps answering. No timeout: a hang here is the
 * process's.
 */
export function createInlineScoring(scorer: Scorer): ScoringExecutor {
  return {
    threads: 0,
    async score(chunk) {
      const out: ArticleJudgments[] = [];
      let slice = performance.now();
      for (const article of chunk.articles) {
        if (performance.now() - slice >= SLICE_MS) {
          await setImmediate();
          slice = performance.now();
        }
        out.push(scoreArticleAgainstClaims(scorer, chunk.claims, article));
      }
      return out;
    },
    async close() {},
  };
}

/** Inline for 0 threads, else a pool of that many. */
export function createScoringExecutor(threads: number, scorer: Scorer, options: Omit<ScoringPoolOptions, 'threads'> = {}): ScoringExecutor {
  return threads === 0 ? createInlineScoring(scorer) : createScoringPool({ ...options, threads });
}

function chunkSpan(chunk: ScoringChunk): string {
  const first = chunk.articles[0]?.id;
  const last = chunk.articles.at(-1)?.id;
  return first === last ? String(first) : `${first}-${last}`;
}
