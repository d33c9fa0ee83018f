import { createApp, serveApp } from '@signpost/dashboard';
import { formatCycleSummary, runCycle } from '../cycle.ts';
import type { WorkerEnv } from '../env.ts';
import { openRuntime } from '../runtime.ts';
import { createDigestJob } from '../digest-job.ts';
import { createScheduler } from '../scheduler.ts';

/** How long one cycle may spend scoring before the rest of a backfill waits for the next cycle. */
const SCORE_BUDGET_MS = 60_000;

/**
 * The main job: migrate, load config, serve the dashboard and run the scheduler in one process
 * (the embedded database allows only one). Resolves when a signal has shut everything down.
 */
export async function startCommand(env: WorkerEnv, options: { signals?: NodeJS.Signals[] } = {}): Promise<number> {
  const runtime = await openRuntime(env, { watchIntervalMs: 5000 });
  const { logger, database } = runtime;
  const stopping = new AbortController();

  let cycle: ReturnType<typeof createScheduler> | undefined;
  const server = await serveApp(
    createApp({
      db: database.db,
      logger,
      adminToken: env.SIGNPOST_ADMIN_TOKEN,
      publicUrl: env.SIGNPOST_PUBLIC_URL,
      scorer: runtime.scorer.id,
      digest: { loadDigestConfig: async () => runtime.config.current()?.digest ?? null, dataDir: env.SIGNPOST_DATA_DIR },
      triggerRun: async () => {
        if (!cycle) throw new Error('worker: the scheduler is not running');
        void cycle.trigger();
        return 'a cycle has started (or one already running continues)';
      },
    }),
    { host: env.HOST, port: env.PORT },
  );
  logger.info({ url: server.url, db: database.kind, dataDir: env.SIGNPOST_DATA_DIR }, 'signpost started: dashboard listening');

  cycle = createScheduler({
    name: 'cycle',
    cron: env.SIGNPOST_CYCLE_CRON,
    logger,
    job: async () => {
      const summary = await runCycle(runtime, { scoreBudgetMs: SCORE_BUDGET_MS, signal: stopping.signal });
      logger.info({ summary }, `cycle done: ${formatCycleSummary(summary)}`);
    },
  });
  void cycle.trigger();
  const digest = createDigestJob(runtime);
  void digest.checkNow();

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    for (const s of options.signals ?? ['SIGINT', 'SIGTERM']) process.once(s, () => resolve(s));
  });
  logger.info({ signal }, 'signpost stopping: finishing the current step');
  stopping.abort();
  await cycle.stop();
  await digest.stop();
  await server.close();
  await runtime.close();
  logger.info('signpost stopped cleanly');
  return 0;
}
