/**
 * The dashboard as a process of its own: only for PostgreSQL mode, where several processes may share
 * the database. With the embedded database, `signpost start` serves the dashboard in the worker's process.
 */
import { createDb, isServerUrl } from '@signpost/db';
import { createLogger } from '@signpost/log';
import { createApp } from './app.tsx';
import { databaseUrl, dashboardEnvSchema, EnvError, parseEnv } from './env.ts';
import { serveApp } from './serve.ts';

async function main() {
  const env = parseEnv(dashboardEnvSchema);
  const logger = createLogger({ name: 'dashboard', level: env.LOG_LEVEL });
  const url = databaseUrl(env);
  if (!isServerUrl(url)) {
    throw new Error(
      'dashboard: a separate dashboard process needs DATABASE_URL=postgres://...; the embedded database allows one process, so run `npm start` instead',
    );
  }
  const database = await createDb(url);
  const server = await serveApp(createApp({ db: database.db, logger, adminToken: env.SIGNPOST_ADMIN_TOKEN, publicUrl: env.SIGNPOST_PUBLIC_URL, trustProxy: env.SIGNPOST_TRUST_PROXY, digest: { dataDir: env.SIGNPOST_DATA_DIR, maxConfigBytes: env.SIGNPOST_CONFIG_MAX_BYTES } }), {
    host: env.HOST,
    port: env.PORT,
  });
  logger.info({ url: server.url }, 'dashboard listening');
  const stop = async (signal: string) => {
    logger.info({ signal }, 'dashboard stopping');
    await server.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof EnvError || error instanceof Error ? error.message : error);
  process.exit(1);
});
