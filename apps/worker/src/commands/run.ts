import cliProgress from 'cli-progress';
import type { Database } from '@signpost/db';
import { formatCycleSummary, runCycle } from '../cycle.ts';
import type { WorkerEnv } from '../env.ts';
import type { RefreshOutcome } from '../pipeline/refresh-feed.ts';
import { openRuntime } from '../runtime.ts';

type ErrStream = NodeJS.WritableStream & { isTTY?: boolean };

/**
 * One full cycle now, then a one-line summary on `out`. On a terminal, a progress bar of the feeds
 * on `err` (stderr), so that the summary line stays clean for scripts. Non-zero only if the cycle
 * could not run at all.
 */
export async function runCommand(
  env: WorkerEnv,
  opts: { all?: boolean; out: NodeJS.WritableStream; err?: ErrStream; database?: Database },
): Promise<number> {
  const runtime = await openRuntime(env, { database: opts.database });
  const err = opts.err ?? process.stderr;
  const progress = err.isTTY ? createFeedProgress(err) : null;
  try {
    const summary = await runCycle(runtime, { all: opts.all, onFeed: progress?.onFeed });
    progress?.stop();
    opts.out.write(`${formatCycleSummary(summary)}\n`);
    return 0;
  } finally {
    progress?.stop();
    await runtime.close();
  }
}

/** A bar over the feeds of one cycle, with the running counts; started by the first finished feed. */
export function createFeedProgress(stream: ErrStream) {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: 'feeds [{bar}] {value}/{total} | {fetched} fetched, {notModified} not modified, {failed} failed | {articles} new articles',
      hideCursor: true,
      // The bar is only made for a terminal; render even when the stream merely says it is one.
      noTTYOutput: true,
      notTTYSchedule: 250,
    },
    cliProgress.Presets.shades_classic,
  );
  const counts = { fetched: 0, notModified: 0, failed: 0, articles: 0 };
  let started = false;
  let stopped = false;
  return {
    onFeed(outcome: RefreshOutcome, done: number, total: number) {
      if (outcome.status === 'fetched') {
        counts.fetched++;
        counts.articles += outcome.new;
      } else if (outcome.status === 'not-modified') counts.notModified++;
      else counts.failed++;
      if (!started) {
        started = true;
        bar.start(total, 0, counts);
      }
      bar.update(done, counts);
    },
    stop() {
      if (!started || stopped) return;
      stopped = true;
      bar.stop();
    },
  };
}
