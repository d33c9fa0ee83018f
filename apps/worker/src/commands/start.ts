import { formatCycleSummary, runCycle } from '../cycle.ts';
import { serveDashboard } from '../dashboard.ts';
import type { WorkerEnv } from '../env.ts';
import { openRuntime } from '../runtime.ts';
import { createDigestJob } from '../digest/digest-job.ts';
import { createScheduler } from '../scheduler.ts';
import { firstSignal } from '../signals.ts';

/** How long one cycle may spend scoring before the rest of a backfill waits for the next cycle. */
const SCORE_BUDGET_MS = 60_000;

export interface StartOptions {
  signals?: NodeJS.Signals[];
  /**
   * Serve the dashboard in this process (default). `false` runs the scheduler alone: a worker of
   * its own beside separate dashboard processes (`signpost serve`), PostgreSQL mode.
   */
  dashboard?: boolean;
}

/**
 * The main job: migrate, load config, serve the dashboard and run the scheduler in one process
 * (the embedded database allows only one). Resolves when a signal has shut everything down.
 * On PostgreSQL, several may run at once (`--no-dashboard` for workers without a web server):
 * feeds are leased and scoring batches locked, so each feed is fetched and each pair scored once.
 */
export async function startCommand(env: WorkerEnv, options: StartOptions = {}): Promise<number> {
  const withDashboard = options.dashboard ?? true;
  const runtime = await openRuntime(env, { watchIntervalMs: 5000 });
  const { logger, database } = runtime;
  const stopping = new AbortController();

  let cycle: ReturnType<typeof createScheduler> | undefined;
  const server = withDashboard
    ? await serveDashboard(
        {
          env,
          db: database.db,
          logger,
          scorer: runtime.scorer.id,
          digestSettings: async () => runtime.config.current()?.digest ?? null,
          triggerRun: async () => {
            if (!cycle) throw new Error('worker: the scheduler is not running');
            void cycle.trigger();
            return 'a cycle has started (or one already running continues)';
          },
        },
        { host: env.HOST, port: env.PORT },
      )
    : null;
  if (server)
    logger.info(
      { url: server.url, db: database.kind, dataDir: env.SIGNPOST_DATA_DIR, owner: runtime.owner },
      'signpost started: dashboard listening',
    );
  else
    logger.info(
      { db: database.kind, dataDir: env.SIGNPOST_DATA_DIR, owner: runtime.owner },
      'signpost started: worker only (no dashboard)',
    );

  cycle = createScheduler({
    name: 'cycle',
    cron: env.SIGNPOST_CYCLE_CRON,
    logger,
    job: async () => {
      const summary = await runCycle(runtime, { scoreBudgetMs: SCORE_BUDGET_MS, signal: stopping.signal });
      logger.info({ summary, owner: runtime.owner }, `cycle done: ${formatCycleSummary(summary)}`);
    },
  });
  void cycle.trigger();
  const digest = createDigestJob(runtime);
  void digest.checkNow();

  const signal = await firstSignal(options.signals ?? ['SIGINT', 'SIGTERM'], () =>
    logger.warn('signpost: stopping at once (signal repeated)'),
  );
  logger.info({ signal }, 'signpost stopping: finishing the current step');
  stopping.abort();
  await cycle.stop();
  await digest.stop();
  await server?.close();
  await runtime.close();
  logger.info('signpost stopped cleanly');
  return 0;
}
