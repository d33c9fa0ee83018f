/**
 * The one place the dashboard is assembled: `signpost start` (beside the scheduler) and `signpost
 * serve` (alone) both call createDashboard. @signpost/dashboard is a library: it reads no
 * environment and imports nothing of the worker; what it needs of the digest (the preview, the
 * unsubscribe write) is handed in here.
 */
import type { DigestConfig } from '@signpost/config';
import { createApp, serveApp, type DashboardApp, type RunningServer } from '@signpost/dashboard';
import type { Db } from '@signpost/db';
import type { Logger } from '@signpost/log';
import { previewDigest } from './digest/send-digests.ts';
import { unsubscribeByToken } from './digest/unsubscribe.ts';
import type { WorkerEnv } from './env.ts';

export interface DashboardParts {
  env: Pick<WorkerEnv, 'SIGNPOST_ADMIN_TOKEN' | 'SIGNPOST_PUBLIC_URL' | 'SIGNPOST_TRUST_PROXY'>;
  db: Db;
  logger: Logger;
  /** The scorer version whose judgments count (runtime.scorer.id, or the stored preference). */
  scorer?: string;
  /** digest.yaml's settings in force: the live config under `start`, the file under `serve`. */
  digestSettings: () => Promise<DigestConfig | null>;
  /** Starts a cycle now (only where the scheduler runs: `start`). */
  triggerRun?: () => Promise<string>;
  now?: () => Date;
}

export function createDashboard(parts: DashboardParts): DashboardApp {
  const { env, db, scorer } = parts;
  const now = parts.now ?? (() => new Date());
  return createApp({
    db,
    logger: parts.logger,
    adminToken: env.SIGNPOST_ADMIN_TOKEN,
    publicUrl: env.SIGNPOST_PUBLIC_URL,
    trustProxy: env.SIGNPOST_TRUST_PROXY,
    scorer,
    now: parts.now,
    triggerRun: parts.triggerRun,
    digestPreview: {
      subscribers: async () => (await parts.digestSettings())?.subscribers ?? [],
      render: async ({ week, subscriber, publicUrl }) =>
        previewDigest({
          db,
          week,
          publicUrl,
          subscriber,
          scorer,
          includeFeedHealth: (await parts.digestSettings())?.options.includeFeedHealth ?? true,
        }),
    },
    unsubscribe: (token) => unsubscribeByToken(db, token, now()),
  });
}

/** Assembles the dashboard and listens on HOST:PORT; resolves once the port is bound. */
export function serveDashboard(parts: DashboardParts, listen: { host: string; port: number }): Promise<RunningServer> {
  return serveApp(createDashboard(parts), listen);
}
