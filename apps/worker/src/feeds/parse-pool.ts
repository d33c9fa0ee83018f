import { createRequire } from 'node:module';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import { FeedFetchError, type FeedErrorKind } from './errors.ts';
import type { ParsedFeed, ParseFeedOptions } from './parse-feed.ts';
import type { ParseTask, ParseTaskResult } from './parse-worker.ts';

/** Parses feed text somewhere: in this thread (`parseFeed`) or in a pool of worker threads. */
export type FeedParse = (text: string, opts: ParseFeedOptions) => Promise<ParsedFeed>;

export interface FeedParsePool {
  parse: FeedParse;
  readonly threads: number;
  close(): Promise<void>;
}

export interface FeedParsePoolOptions {
  /** Worker threads (default: one less than the cores this process may use, between 1 and 4). */
  threads?: number;
  /** A parse that takes longer stops its thread and fails as kind 'parse' (default 60 s). */
  timeoutMs?: number;
}

/** Threads the parse pool uses by default: the other cores, up to 4. */
export function defaultParseThreads(): number {
  return Math.max(1, Math.min(4, os.availableParallelism() - 1));
}

const workerFile = new URL(import.meta.url.endsWith('.ts') ? './parse-worker.ts' : './parse-worker.js', import.meta.url);

/**
 * Under tsx the worker file is TypeScript, and a worker thread does not inherit a loader that a test
 * runner (vitest) put in place: give it tsx's, which the repository already runs on.
 */
function workerExecArgv(): string[] {
  if (!fileURLToPath(workerFile).endsWith('.ts')) return [];
  const loader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return ['--import', loader];
}

/**
 * Feed parsing (rss-parser, then HTML to text for every item) is the CPU-heavy part of a refresh. A pool
 * of worker threads takes it off the main thread, where the database (PGlite runs in this thread), the
 * fetches and the dashboard live: a cycle goes faster on two cores or more, and the dashboard keeps
 * answering while it runs. Results and errors are the same as `parseFeed`'s. A parse that runs out of
 * time fails that one feed (kind 'parse'); its thread is stopped and replaced.
 */
export function createFeedParsePool(options: FeedParsePoolOptions = {}): FeedParsePool {
  const threads = Math.max(1, options.threads ?? defaultParseThreads());
  const timeoutMs = options.timeoutMs ?? 60_000;
  const pool = new Piscina<ParseTask, ParseTaskResult>({
    filename: workerFile.href,
    minThreads: threads,
    maxThreads: threads,
    execArgv: workerExecArgv(),
    // A small young generation: parsing makes short-lived garbage, and a thread with the default one
    // added about 50 MB to the worker's peak RSS in bench/ingest, for no measurable speed.
    // No old-generation ceiling: V8 can end the whole process, not just the thread, when a thread
    // hits one (seen here while compiling), so a thread's heap is bounded only as the main one is.
    resourceLimits: { maxYoungGenerationSizeMb: 8 },
  });
  // A thread that dies is replaced by piscina; the error belongs to the task it was running.
  pool.on('error', () => {});
  return {
    threads,
    async parse(text, opts) {
      let result: ParseTaskResult;
      try {
        result = await pool.run({ text, opts }, { signal: AbortSignal.timeout(timeoutMs) });
      } catch (error) {
        const why =
          error instanceof Error && error.name === 'AbortError'
            ? `parsing took longer than ${timeoutMs / 1000} s`
            : `the parser thread stopped: ${error instanceof Error ? error.message : String(error)}`;
        throw new FeedFetchError('parse', `cannot parse the feed at ${opts.feedUrl}: ${why}`, { url: opts.feedUrl, cause: error });
      }
      if (result.ok) return result.feed;
      throw new FeedFetchError(result.kind as FeedErrorKind, result.message, { url: result.url });
    },
    close: () => pool.destroy(),
  };
}
