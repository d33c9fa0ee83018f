import { loadConfig, formatProblem, type SignpostConfig, type ConfigProblem } from '@signpost/config';
import { createDb, syncFeeds, syncPredictions, type Database } from '@signpost/db';
import { createLogger, type Logger } from '@signpost/log';
import { databaseUrl, type WorkerEnv } from './env.ts';

export interface Runtime {
  env: WorkerEnv;
  logger: Logger;
  database: Database;
}

/** Opens what every database-using command needs: logger and migrated database. */
export async function openRuntime(env: WorkerEnv, name = 'worker'): Promise<Runtime> {
  const logger = createLogger({ name, level: env.LOG_LEVEL });
  const database = await createDb(databaseUrl(env));
  logger.debug({ db: database.location, kind: database.kind }, 'database open');
  return { env, logger, database };
}

/** Writes a valid config's forecasts and feeds into the database. */
export async function applyConfig(runtime: Runtime, config: SignpostConfig, now = new Date()) {
  const predictions = await syncPredictions(
    runtime.database.db,
    config.predictions.map((p) => ({ id: p.id, statement: p.statement, record: p as unknown as Record<string, unknown> })),
    now,
  );
  await syncFeeds(
    runtime.database.db,
    config.feeds.map((f) => ({
      url: f.url,
      title: f.title,
      language: f.language,
      tags: f.tags,
      intervalMinutes: f.interval,
      fullText: f.fullText,
    })),
    now,
  );
  const changed = predictions.added.length + predictions.changed.length + predictions.retired.length + predictions.restored.length;
  if (changed) runtime.logger.info({ ...predictions, unchanged: undefined }, 'forecasts synced');
  return predictions;
}

/** Loads the config; logs each problem. Returns null when it is invalid. */
export async function loadValidConfig(runtime: Runtime): Promise<{ config: SignpostConfig | null; problems: ConfigProblem[] }> {
  const { config, problems } = await loadConfig(runtime.env.SIGNPOST_DATA_DIR);
  for (const p of problems) runtime.logger.warn({ problem: formatProblem(p) }, 'config problem');
  return { config: problems.length ? null : config, problems };
}
