import { createDb, isServerUrl } from '@signpost/db';
import { createLogger } from '@signpost/log';
import { serveDashboard } from '../dashboard.ts';
import { loadDigestSettings } from '@signpost/config';
import { databaseUrl, type WorkerEnv } from '../env.ts';
import { firstSignal } from '../signals.ts';

export class ServeError extends Error {
  override name = 'ServeError';
}

/**
 * `signpost serve`: the dashboard alone, for PostgreSQL scale-out (M of these behind a reverse proxy
 * beside N `signpost start --no-dashboard` workers). It reads and takes admin actions; it fetches
 * and scores nothing, and writes no config to the database (the workers do). The embedded database
 * allows one process, so on PGlite it refuses and points to `start`, which serves the dashboard
 * itself. Resolves with 0 once a signal has closed the server and the database.
 */
export async function serveCommand(env: WorkerEnv, options: { signals?: NodeJS.Signals[] } = {}): Promise<number> {
  const url = databaseUrl(env);
  if (!isServerUrl(url)) {
    throw new ServeError(
      'serve: a dashboard process of its own needs DATABASE_URL=postgres://...; the embedded database allows one process, so run `signpost start` (npm start), which serves the dashboard itself',
    );
  }
  const logger = createLogger({ name: 'dashboard', level: env.LOG_LEVEL });
  const database = await createDb(url);
  try {
    const server = await serveDashboard(
      {
        env,
        db: database.db,
        logger,
        digestSettings: () => loadDigestSettings(env.SIGNPOST_DATA_DIR, { maxBytes: env.SIGNPOST_CONFIG_MAX_BYTES }),
      },
      { host: env.HOST, port: env.PORT },
    );
    logger.info({ url: server.url, db: database.kind }, 'dashboard listening');
    const signal = await firstSignal(options.signals ?? ['SIGINT', 'SIGTERM'], () =>
      logger.warn('dashboard: stopping at once (signal repeated)'),
    );
    logger.info({ signal }, 'dashboard stopping');
    await server.close();
  } finally {
    await database.close();
  }
  return 0;
}
