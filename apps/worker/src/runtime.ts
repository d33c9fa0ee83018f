import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { FEEDS_FILE, createConfigWatcher, formatProblem, type ConfigProblem, type SignpostConfig } from '@signpost/config';
import { createDb, syncFeeds, syncPredictions, type Database, type FeedInput, type SyncPredictionsResult } from '@signpost/db';
import { createLogger, type Logger } from '@signpost/log';
import { createScorer, type Scorer } from '@signpost/scoring';
import { databaseUrl, type WorkerEnv } from './env.ts';
import { createLlmSetup, type LlmSetup } from './llm-setup.ts';
import { createScoringExecutor, type ScoringExecutor } from './pipeline/scoring-pool.ts';

export interface ConfigSync {
  /** Looks for config changes now and waits until a valid change is in the database. */
  refresh(): Promise<ConfigRefresh>;
  current(): SignpostConfig | null;
  /**
   * Waits until the config files have been read once and a valid config is in the database (without
   * taking the change counts a cycle reports); the config, or null when none is valid.
   */
  ready(): Promise<SignpostConfig | null>;
  close(): void;
}

export interface ConfigRefresh {
  /** Problems of the files as they are now (empty when valid). */
  problems: ConfigProblem[];
  /** Forecast changes written to the database since the last refresh. */
  forecasts: { added: number; changed: number; retired: number };
}

export interface Runtime {
  env: WorkerEnv;
  logger: Logger;
  database: Database;
  config: ConfigSync;
  scorer: Scorer;
  /** Where cycles and backfills score: SIGNPOST_SCORING_THREADS threads (started on first use), or inline. */
  scoring: ScoringExecutor;
  /** The optional language-model judge (SIGNPOST_LLM_URL), or null. */
  llm: LlmSetup | null;
  /** This process's name in feed leases. */
  owner: string;
  close(): Promise<void>;
}

/** Opens what the working commands need: logger, migrated database, config kept in sync, scorer. */
export async function openRuntime(
  env: WorkerEnv,
  options: { name?: string; watchIntervalMs?: number; database?: Database; logger?: Logger } = {},
): Promise<Runtime> {
  const logger = options.logger ?? createLogger({ name: options.name ?? 'worker', level: env.LOG_LEVEL });
  // Tests hand in a database of their own (a migrated template is much faster than initdb).
  const database = options.database ?? (await createDb(databaseUrl(env)));
  logger.debug({ db: database.location, kind: database.kind }, 'database open');
  const config = createConfigSync({
    dataDir: env.SIGNPOST_DATA_DIR,
    maxBytes: env.SIGNPOST_CONFIG_MAX_BYTES,
    database,
    logger,
    intervalMs: options.watchIntervalMs ?? 0,
  });
  // Cycles prepare each article once and judge it against every forecast: no prepared article need be kept.
  const scorer = createScorer({ articleCacheSize: 4 });
  const scoring = createScoringExecutor(env.SIGNPOST_SCORING_THREADS, scorer);
  return {
    env,
    logger,
    database,
    config,
    scorer,
    scoring,
    llm: createLlmSetup(env),
    owner: `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
    close: async () => {
      config.close();
      await scoring.close();
      // A database handed in belongs to the caller.
      if (!options.database) await database.close();
    },
  };
}

/**
 * Keeps the database in line with the config files: every valid change (seen by polling, or by
 * `refresh()` at the start of a cycle) is synced; an invalid one is logged, problem by problem, and
 * the last good config stays in force. A valid feeds.yaml applies even while a forecast file is
 * broken, and nothing a config file holds (an alias bomb, a huge file) escapes as an exception:
 * feed collection goes on whatever the forecast files are like (issue #14).
 */
function createConfigSync(options: {
  dataDir: string;
  maxBytes?: number;
  database: Database;
  logger: Logger;
  intervalMs: number;
}): ConfigSync {
  const { database, logger } = options;
  let applying: Promise<void> = Promise.resolve();
  let problems: ConfigProblem[] = [];
  const pending = { added: 0, changed: 0, retired: 0 };
  const apply = async (config: SignpostConfig) => {
    const synced = await syncConfig(database, config);
    pending.added += synced.added.length;
    pending.changed += synced.changed.length + synced.restored.length;
    pending.retired += synced.retired.length;
    if (synced.added.length + synced.changed.length + synced.retired.length + synced.restored.length) {
      logger.info(
        { added: synced.added, changed: synced.changed, retired: synced.retired, restored: synced.restored },
        'config applied: forecasts synced',
      );
    }
  };
  const applyFeeds = async (feeds: SignpostConfig['feeds']) => {
    await syncFeeds(database.db, feeds.map(feedInput), new Date());
    logger.info({ feeds: feeds.length }, 'config: feeds.yaml applied on its own (the other files keep their last good version)');
  };
  const watcher = createConfigWatcher({
    dataDir: options.dataDir,
    maxBytes: options.maxBytes,
    intervalMs: options.intervalMs,
    onChange(config) {
      problems = [];
      applying = applying
        .then(() => apply(config))
        .catch((error: unknown) => logger.error({ err: error }, 'config: could not write the new config to the database'));
    },
    onInvalid(found, partial) {
      problems = found;
      for (const p of found) logger.warn({ problem: formatProblem(p) }, 'config problem');
      logger.warn({ problems: found.length }, 'config invalid: keeping the last good config');
      // feeds.yaml stands on its own (no other file refers to it): a broken forecast file must not
      // keep new feeds from being collected.
      if (!found.some((p) => path.basename(p.file) === FEEDS_FILE)) {
        applying = applying
          .then(() => applyFeeds(partial.feeds))
          .catch((error: unknown) => logger.error({ err: error }, 'config: could not write feeds.yaml to the database'));
      }
    },
    onError(error) {
      logger.error({ err: error }, 'config: could not read the config files; keeping the last good config');
    },
  });
  /** A check that never throws: whatever went wrong is logged, and the last good config stays. */
  const check = async () => {
    try {
      const result = await watcher.check();
      if (result.status === 'invalid') problems = result.problems;
    } catch (error) {
      logger.error({ err: error }, 'config: could not read the config files; keeping the last good config');
      problems = [
        {
          file: options.dataDir,
          message: `cannot read the config files (${error instanceof Error ? error.message.slice(0, 300) : String(error)})`,
        },
      ];
    }
  };
  return {
    async refresh() {
      await check();
      await applying;
      const forecasts = { ...pending };
      pending.added = pending.changed = pending.retired = 0;
      return { problems, forecasts };
    },
    current: () => watcher.current(),
    async ready() {
      if (!watcher.current()) await check();
      await applying;
      return watcher.current();
    },
    close: () => watcher.close(),
  };
}

/** Writes a valid config's forecasts and feeds into the database. */
export async function syncConfig(database: Database, config: SignpostConfig, now = new Date()): Promise<SyncPredictionsResult> {
  const predictions = await syncPredictions(
    database.db,
    config.predictions.map((p) => ({ id: p.id, statement: p.statement, record: { ...p } })),
    now,
  );
  await syncFeeds(database.db, config.feeds.map(feedInput), now);
  return predictions;
}

function feedInput(f: SignpostConfig['feeds'][number]): FeedInput {
  return { url: f.url, title: f.title, language: f.language, tags: f.tags, intervalMinutes: f.interval, fullText: f.fullText };
}
