import { createApp, serveApp } from '@signpost/dashboard';
import { runCycle, formatCycleSummary, type CycleState } from '../cycle.ts';
import type { WorkerEnv } from '../env.ts';
import { openRuntime } from '../runtime.ts';
import { createScheduler } from '../scheduler.ts';

/**
 * The main job: migrate, load config, serve the dashboard and run the scheduler in one process
 * (the embedded database allows only one). Resolves when a signal has shut everything down.
 */
export async function startCommand(env: WorkerEnv, options: { signals?: NodeJS.Signals[] } = {}): Promise<number> {
  const runtime = await openRuntime(env);
  const { logger, database } = runtime;
  const state: CycleState = { config: null };

  const server = await serveApp(
    createApp({ db: database.db, logger, adminToken: env.SIGNPOST_ADMIN_TOKEN, publicUrl: env.SIGNPOST_PUBLIC_URL }),
    { host: env.HOST, port: env.PORT },
  );
  logger.info({ url: server.url, db: database.kind, dataDir: env.SIGNPOST_DATA_DIR }, 'signpost started: dashboard listening');

  const cycle = createScheduler({
    name: 'cycle',
    cron: env.SIGNPOST_CYCLE_CRON,
    logger,
    job: async () => {
      const summary = await runCycle(runtime, state);
      logger.info({ summary }, `cycle done: ${formatCycleSummary(summary)}`);
    },
  });
  void cycle.trigger();

  const signals = options.signals ?? ['SIGINT', 'SIGTERM'];
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    for (const s of signals) process.once(s, () => resolve(s));
  });
  logger.info({ signal }, 'signpost stopping: finishing the current step');
  await cycle.stop();
  await server.close();
  await database.close();
  logger.info('signpost stopped cleanly');
  return 0;
}
